"""``/health``: is the service up, which store does it serve, may it be written."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.security import TokensDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health, the store it serves, and whether it accepts writes")
def health(store: StoreDep, tokens: TokensDep, settings: SettingsDep) -> dict[str, object]:
    """Open even when reads need a token: monitors must reach it; it tells no data."""
    return {"status": "ok", "store": settings.store, "quads": len(store),
            "writable": tokens.configured()}
