"""Dependencies shared by the routers: settings and the open store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aims_graph.store import Store
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
