"""Open a store from its specification: ``memory``, a directory, or an endpoint URL.

``open_store`` is the one door: it picks the implementation and loads the reference
knowledge (ontology, standards, crosswalks, shapes) when it is missing or outdated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aims_graph.store.base import DEFAULT_DATA_GRAPH, UNNAMED_GRAPH, GraphName, QueryResult, Store, StoreError, StoreTimeout
from aims_graph.store.embedded import EmbeddedStore

if TYPE_CHECKING:
    from aims_graph.store.engines import Endpoints
    from aims_graph.store.remote import RemoteStore

DEFAULT_STORE = "./aims-data"
STORE_ENV = "AIMS_GRAPH_STORE"

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
    "is_remote_spec",
    "open_store",
    "store_spec",
]


def __getattr__(name: str) -> Any:
    """The remote store on first use: httpx costs a command line that
    never opens a URL (``--help``, ``queries``) a third of a second to import."""
    if name == "Endpoints":
        from aims_graph.store import engines

        return engines.Endpoints
    if name == "RemoteStore":
        from aims_graph.store import remote

        return remote.RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def store_spec(explicit: str | None = None) -> str:
    """The store to use: the explicit option, else ``$AIMS_GRAPH_STORE``, else ``./aims-data``."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def is_remote_spec(spec: str) -> bool:
    """``http(s)://...`` or an engine-qualified ``virtuoso+http://...`` (see ``store.engines``)."""
    return urlsplit(spec).scheme.rpartition("+")[2] in {"http", "https"}


def open_store(spec: str | None = None, *, reference: bool = True, progress: bool = False) -> Store:
    """Open the store that ``spec`` names and make sure its reference knowledge is current."""
    spec = store_spec(spec)
    store: Store
    if is_remote_spec(spec):
        from aims_graph.store.remote import RemoteStore

        if _is_aims_graph_service(spec):
            # An aims-graph service keeps its own reference knowledge current (and refuses
            # writes to it); writes need its editor token (AIMS_GRAPH_STORE_TOKEN).
            return RemoteStore.connect("aims-graph+" + spec)
        store = RemoteStore.connect(spec)
    elif spec == "memory":
        store = EmbeddedStore(None)
    else:
        store = EmbeddedStore(Path(spec))
    if reference:
        from aims_graph.knowledge.modules import ensure_reference

        ensure_reference(store, progress=progress)
    return store


def is_remote_spec(spec: str) -> bool:
    """``http(s)://...`` or an engine-qualified ``virtuoso+http://...`` (see ``store.engines``)."""
    return urlsplit(spec).scheme.rpartition("+")[2] in {"http", "https"}


def _is_aims_graph_service(spec: str) -> bool:
    """Whether a plain ``http(s)://`` URL is an aims-graph service (``aims-graph serve``): it
    answers ``/health`` with its store kind, which no SPARQL engine does."""
    import httpx

    if "+" in urlsplit(spec).scheme:
        return False
    try:
        answer = httpx.get(spec.rstrip("/") + "/health", timeout=5)
        health = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return False
    return isinstance(health, dict) and {"store", "engine", "writable"} <= health.keys()
