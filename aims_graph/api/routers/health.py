"""``/health``: is the service up, is its engine answering, may it be written.

It answers with state, never with paths or addresses (monitors are often public), and
it never queues behind other work: it runs on a thread limiter of its own, not on the
pool that query handlers share, and the admission middleware lets it pass untouched.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request

from aims_graph.store import Store, StoreError, is_remote_spec
from aims_graph.serving.tokens import TokenFile
from aims_graph.api.settings import Settings

router = APIRouter(tags=["health"])
_HEALTH_THREADS = anyio.CapacityLimiter(4)


def store_kind(settings: Settings) -> str:
    """What kind of store the service serves: ``directory``, ``memory`` or ``remote``."""
    if is_remote_spec(settings.store):
        return "remote"
    return "memory" if settings.store == "memory" else "directory"


def _ask_engine(request: Request) -> str:
    """``answering`` once the engine answers ``ASK {}``; ``restarting`` while the sidecar is
    being restarted (after a query outran its timeout or memory): that is the service
    working as designed, and a monitor must not wait for it."""
    sidecar = request.app.state.sidecar
    store: Store = request.app.state.store
    if sidecar is None:
        store.query("ASK {}")
        return "answering"
    if sidecar.restarting:
        return "restarting"
    try:
        store.query("ASK {}")
    except StoreError:
        if sidecar.restarting:  # killed while the question was in flight
            return "restarting"
        sidecar.wait_running()  # died on its own: started again here, then asked
        store.query("ASK {}")
    return "answering"


@router.get("/health", summary="Service health, the kind of store it serves, and whether it accepts writes")
async def health(request: Request) -> dict[str, object]:
    """Open even when reads need a token: monitors must reach it; it tells no data.

    It asks the engine a question that touches no data (``ASK {}``), so it costs the same
    on a store of any size (counting the quads took 0.16 s at 600,000) and still fails,
    with the store error's status, when the engine does not answer.  It takes no
    dependencies: FastAPI would run them on the shared thread pool."""
    engine = await anyio.to_thread.run_sync(_ask_engine, request, limiter=_HEALTH_THREADS)
    settings: Settings = request.app.state.settings
    tokens: TokenFile = request.app.state.tokens
    return {"status": "ok", "store": store_kind(settings), "engine": engine, "writable": tokens.configured()}
