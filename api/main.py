"""The application factory: ``create_app(settings)`` builds one configured service."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from aims_graph import __version__
from aims_graph.store import open_store
from api.errors import install_error_handlers
from api.routers import health, sparql
from api.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="aims-graph",
        version=__version__,
        summary="Knowledge graph of AI governance: ISO/IEC 42001, 23894, 22989, EU AI Act, NIST AI RMF.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, sparql):
        app.include_router(module.router)
    return app
