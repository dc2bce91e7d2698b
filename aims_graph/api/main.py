"""The application factory: ``create_app(settings)`` builds one configured service.

For a directory or ``memory`` store the service starts an Oxigraph sidecar on the
store (``aims_graph.serving.sidecar``) and talks to it like to any remote endpoint: that is
what makes query timeouts real.  A remote store (``http(s)://...``) is used directly.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from aims_graph import __version__
from aims_graph.serving.sidecar import Sidecar
from aims_graph.store import RemoteStore, is_remote_spec, open_store
from aims_graph.store.engines import first_query_url, split_store_url
from aims_graph.serving.tokens import TokenFile
from aims_graph.validation.live import LiveConformance
from aims_graph.api.admission import AnonymousAdmission
from aims_graph.api.errors import ERROR_RESPONSES, install_error_handlers
from aims_graph.api.gateway import SparqlGateway, Timeouts
from aims_graph.api.internals import Internals
from aims_graph.api.limits import BodyLimit
from aims_graph.api.lookups import LookupCache, WritesForget
from aims_graph.api.routers import (
    conformance,
    context,
    crosswalks,
    graph_store,
    health,
    oscal,
    queries,
    requirements,
    sparql,
    systems,
    transfer,
    update,
)
from aims_graph.api.settings import Settings

ROUTERS = (health, context, sparql, update, graph_store, queries, systems, requirements, crosswalks,
           conformance, transfer, oscal)


def _remote(settings: Settings) -> bool:
    return is_remote_spec(settings.store)


def _sidecar(settings: Settings) -> Sidecar | None:
    if _remote(settings):
        return None
    location = None if settings.store == "memory" else Path(settings.store)
    return Sidecar(location, settings.query_timeout_s, settings.engine_memory_growth_mb).start()


def _internals(settings: Settings, sidecar: Sidecar | None) -> Internals:
    """Everything an answer must not show: engine endpoints, store and token paths."""
    internals = Internals()
    if sidecar is not None:
        internals.add_engine(sidecar.url)
        internals.add_path(sidecar.location, "the store")
    else:
        url, _ = split_store_url(settings.store)
        for known in (settings.store, url, first_query_url(url)):
            internals.add_engine(known)
    if settings.store != "memory" and not _remote(settings):
        internals.add_path(settings.store, "the store")
    if settings.tokens_file is not None:
        internals.add_path(settings.tokens_file, "the token file")
    return internals


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sidecar = _sidecar(settings)
        url = sidecar.url if sidecar else settings.store
        app.state.internals = _internals(settings, sidecar)
        try:
            store = open_store(url)
            app.state.store = store
            if not isinstance(store, RemoteStore):
                raise TypeError("the service reaches its data through a SPARQL endpoint")
            endpoints = store.client.endpoints
            for known in (endpoints.query, endpoints.update, endpoints.graph_store):
                if known is not None:
                    app.state.internals.add_engine(known)
            # Only a remote store can be written by others behind the service's back.
            app.state.live = LiveConformance(watch=sidecar is None,
                                             write_guard=sidecar.writing if sidecar else None)
            app.state.sidecar = sidecar
            # The same client (engine, credentials), with a pool of its own for requests.
            app.state.gateway = SparqlGateway(
                store.client.sibling(settings.query_timeout_s),
                Timeouts(settings.query_timeout_s, settings.update_timeout_s),
                settings.max_result_bytes, sidecar,
            )
            yield
        finally:
            gateway = getattr(app.state, "gateway", None)
            if gateway is not None:
                gateway.client.close()
            store = getattr(app.state, "store", None)
            if store is not None:
                store.close()
            if sidecar is not None:
                sidecar.stop()

    app = FastAPI(
        title="aims-graph",
        version=__version__,
        summary="Knowledge graph of AI governance: ISO/IEC 42001, 23894, 22989, EU AI Act, NIST AI RMF.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.tokens = TokenFile(settings.tokens_file)
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router, responses=ERROR_RESPONSES)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    # Only a store the service manages is written through the service alone.
    app.state.lookups = None if _remote(settings) else LookupCache()
    if app.state.lookups is not None:
        app.add_middleware(WritesForget, cache=app.state.lookups)
    app.add_middleware(AnonymousAdmission, tokens=app.state.tokens, per_client=settings.anon_per_client,
                       overall=settings.anon_concurrency, wait_s=settings.anon_wait_s)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
