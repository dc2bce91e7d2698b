"""``/health``: is the service up, and which store does it serve."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health and the store it serves")
def health(store: StoreDep) -> dict[str, object]:
    return {"status": "ok", "store": store.description, "quads": len(store)}
