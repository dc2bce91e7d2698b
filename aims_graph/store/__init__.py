"""Open a store from its specification: ``memory``, a directory, or an endpoint URL.

``open_store`` is the one door: it picks the implementation and loads the reference
knowledge (ontology, standards, crosswalks, shapes) when it is missing or outdated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aims_graph.store.base import DEFAULT_DATA_GRAPH, UNNAMED_GRAPH, GraphName, QueryResult, Store, StoreError, StoreTimeout
from aims_graph.store.embedded import EmbeddedStore

if TYPE_CHECKING:
    from aims_graph.store.remote import Endpoints, RemoteStore

DEFAULT_STORE = "./aims-data"
STORE_ENV = "AIMS_GRAPH_STORE"
TOKEN_ENV = "AIMS_GRAPH_TOKEN"

__all__ = [
    "DEFAULT_DATA_GRAPH",
    "DEFAULT_STORE",
    "EmbeddedStore",
    "Endpoints",
    "GraphName",
    "QueryResult",
    "RemoteStore",
    "STORE_ENV",
    "Store",
    "StoreError",
    "StoreTimeout",
    "UNNAMED_GRAPH",
    "open_store",
    "store_spec",
]


def __getattr__(name: str) -> Any:
    """The remote store on first use: httpx and SPARQLWrapper cost a command line that
    never opens a URL (``--help``, ``queries``) a third of a second to import."""
    if name in ("Endpoints", "RemoteStore"):
        from aims_graph.store import remote

        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def store_spec(explicit: str | None = None) -> str:
    """The store to use: the explicit option, else ``$AIMS_GRAPH_STORE``, else ``./aims-data``."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(spec: str | None = None, *, reference: bool = True, progress: bool = False) -> Store:
    """Open the store that ``spec`` names and make sure its reference knowledge is current."""
    spec = store_spec(spec)
    store: Store
    if spec.startswith(("http://", "https://")):
        from aims_graph.store.remote import Endpoints, RemoteStore

        service = _service_endpoints(spec)
        store = RemoteStore(service or Endpoints.from_url(spec))
        if service is not None:
            # An aims-graph service keeps its own reference knowledge current (and refuses
            # writes to it); writes need its editor token.
            token = os.environ.get(TOKEN_ENV)
            if token:
                store._http.headers["Authorization"] = f"Bearer {token}"
            return store
    elif spec == "memory":
        store = EmbeddedStore(None)
    else:
        store = EmbeddedStore(Path(spec))
    if reference:
        from aims_graph.modules import ensure_reference

        ensure_reference(store, progress=progress)
    return store


def _service_endpoints(url: str) -> Endpoints | None:
    """The SPARQL endpoints of an aims-graph service (``aims-graph serve``) at ``url``, which
    answers ``/health`` with its store kind; None for any other server."""
    import httpx

    from aims_graph.store.remote import Endpoints

    base = url.rstrip("/")
    try:
        answer = httpx.get(base + "/health", timeout=5)
        health = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(health, dict) or not {"store", "engine", "writable"} <= health.keys():
        return None
    return Endpoints(query=base + "/sparql", update=base + "/update", graph_store=base + "/store")
