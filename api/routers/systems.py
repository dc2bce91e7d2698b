"""``/systems``: the AI systems, one system's classification, its trace (JSON or SVG).

``{system}`` is the system's IRI, its ``dcterms:identifier`` or the last segment of
its IRI (``CreditScorer``), resolved by the pictures library.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from aims_graph.classification import classify
from aims_graph.pictures import trace_picture
from aims_graph.systems import resolve_system
from api.deps import GatewayDep, LookupDep, SettingsDep, StoreDep
from api.negotiation import GRAPH_TYPES
from api.routers.queries import answer
from api.routers.sparql import rdf_description
from api.security import ReaderDep
from api.views import json_view

router = APIRouter(tags=["systems"], dependencies=[ReaderDep])
SystemPath = Annotated[str, PathParam(description="The system: its identifier, IRI or CURIE.")]


@router.get("/systems", summary="Every AI system with owner, stage, roles and risk categories")
def systems(request: Request, lookups: LookupDep, settings: SettingsDep,
            category: Annotated[str | None, Query(description="Only systems of this risk category (IRI).")] = None,
            ) -> Response:
    params = {"category": category} if category else {}
    return answer(lookups, settings, "list-systems", params, request.headers.get("accept"))


@router.get("/systems/{system:path}/trace.svg", summary="The system's traceability graph as SVG",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def trace_svg(system: SystemPath, store: StoreDep) -> Response:
    return Response(trace_picture(store, resolve_system(store, system), "svg"), media_type="image/svg+xml")


@router.get("/systems/{system:path}/trace", summary="Everything recorded about one system, fact by fact")
def trace(system: SystemPath, request: Request, store: StoreDep, lookups: LookupDep,
          settings: SettingsDep) -> Response:
    iri = resolve_system(store, system)
    return answer(lookups, settings, "trace-system", {"system": iri}, request.headers.get("accept"))


@router.get("/systems/{system:path}", summary="One system's EU AI Act classification, with its grounds",
            responses={200: {"content": {"application/json": {}, **{m: {} for m in GRAPH_TYPES}}}})
def system(system: SystemPath, request: Request, store: StoreDep, gateway: GatewayDep,
           settings: SettingsDep) -> Response:
    """Derived on the fly (nothing is written): the rules' current verdict on the stored facts.
    With an RDF ``Accept``, the system's own triples instead."""
    iri = resolve_system(store, system)
    rdf = rdf_description(gateway, settings, iri, request.headers.get("accept"))
    if rdf is not None:
        return rdf
    return json_view({"system": iri, "classification": [c.to_dict() for c in classify(store, iri, write=False)]})
