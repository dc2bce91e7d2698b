"""``/health``: is the service up, which store does it serve, may it be written."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.security import TokensDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health, the store it serves, and whether it accepts writes")
def health(store: StoreDep, tokens: TokensDep, settings: SettingsDep) -> dict[str, object]:
    """Open even when reads need a token: monitors must reach it; it tells no data.

    It asks the engine a question that touches no data (``ASK {}``), so it costs the same
    on a store of any size (counting the quads took 0.16 s at 600,000) and still fails,
    with the store error's status, when the engine does not answer."""
    store.query("ASK {}")
    return {"status": "ok", "store": settings.store, "writable": tokens.configured()}
