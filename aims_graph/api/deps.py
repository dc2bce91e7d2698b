"""Dependencies shared by the routers: settings, the open store, the SPARQL gateway and
the live conformance state that writes report to."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aims_graph.store import Store
from aims_graph.validation.live import LiveConformance
from aims_graph.api.gateway import GatewayReader, SparqlGateway
from aims_graph.api.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    """The store; if its sidecar is being restarted (after a timeout), once it is back."""
    sidecar = request.app.state.sidecar
    if sidecar is not None:
        sidecar.wait_running()
    return request.app.state.store


def get_gateway(request: Request) -> SparqlGateway:
    return request.app.state.gateway


def get_lookup_reader(request: Request) -> GatewayReader:
    """The gateway for the look-ups that prepare a request, with the service's cache."""
    return GatewayReader(request.app.state.gateway, request.app.state.lookups)


def get_live(request: Request) -> LiveConformance:
    return request.app.state.live


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
GatewayDep = Annotated[SparqlGateway, Depends(get_gateway)]
LiveDep = Annotated[LiveConformance, Depends(get_live)]
LookupDep = Annotated[GatewayReader, Depends(get_lookup_reader)]
