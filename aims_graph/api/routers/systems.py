"""``/systems``: the AI systems, one system's classification, its trace (JSON or SVG), its
Annex IV technical documentation (JSON, Markdown or HTML).

``{system}`` is the system's IRI, its ``dcterms:identifier`` or the last segment of
its IRI (``CreditScorer``), resolved by the pictures library.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from aims_graph.api.deps import GatewayDep, LookupDep, SettingsDep, StoreDep
from aims_graph.api.negotiation import GRAPH_TYPES
from aims_graph.api.routers.queries import answer
from aims_graph.api.routers.sparql import rdf_description
from aims_graph.api.security import ReaderDep
from aims_graph.api.views import json_view
from aims_graph.classification import classify
from aims_graph.classification import timeline as system_timeline
from aims_graph.errors import InputError
from aims_graph.law import as_of_date
from aims_graph.reports.annex_iv import FORMATS as ANNEX_IV_FORMATS
from aims_graph.reports.annex_iv import annex_iv as annex_iv_document
from aims_graph.reports.annex_iv import render as render_annex_iv
from aims_graph.reports.pictures import trace_picture
from aims_graph.systems import resolve_system

router = APIRouter(tags=["systems"], dependencies=[ReaderDep])
SystemPath = Annotated[str, PathParam(description="The system: its identifier, IRI or CURIE.")]
AsOfQuery = Annotated[str | None, Query(alias="asOf", description="Read the law as it stands on this date "
                                        "(YYYY-MM-DD, default today; not before 2024-08-01).")]


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


_ANNEX_IV_TYPES = {"json": "application/json", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@router.get("/systems/{system:path}/annex-iv", summary="The system's Annex IV technical documentation, drafted from the graph",
            responses={200: {"content": {media: {} for media in _ANNEX_IV_TYPES.values()}}})
def annex_iv(system: SystemPath, store: StoreDep, as_of: AsOfQuery = None,
             output: Annotated[str, Query(alias="format", description=f"One of {', '.join(ANNEX_IV_FORMATS)}.")] = "json",
             ) -> Response:
    """Each point of Annex IV filled from the graph with its source node, or marked missing with
    the provision that asks for it; a system that is not high-risk gets a document saying so and why."""
    if output not in ANNEX_IV_FORMATS:
        raise InputError(f"unknown format {output!r}: use {', '.join(ANNEX_IV_FORMATS)}")
    on = as_of_date(as_of)
    text = render_annex_iv(annex_iv_document(store, resolve_system(store, system), on), output)
    if output == "json":
        return json_view(json.loads(text))
    return Response(text, media_type=_ANNEX_IV_TYPES[output])


@router.get("/systems/{system:path}/timeline", summary="When each obligation of the system starts to apply, in date order")
def timeline(system: SystemPath, store: StoreDep, as_of: AsOfQuery = None,
             until: Annotated[str | None, Query(description="Only what starts to apply by this date (YYYY-MM-DD).")] = None,
             ) -> Response:
    """The system is classified as of ``asOf``; each entry names the version of the act under
    which the obligation starts to apply ("what must be ready by 2 December 2027?")."""
    on = as_of_date(as_of)
    by = as_of_date(until) if until else None
    iri = resolve_system(store, system, models=True)
    entries = [asdict(e) for e in system_timeline(store, iri, on, by)]
    return json_view({"system": iri, "asOf": on.isoformat(), "until": by.isoformat() if by else None,
                      "timeline": entries})


@router.get("/systems/{system:path}", summary="One system's EU AI Act classification, with its grounds",
            responses={200: {"content": {"application/json": {}, **{m: {} for m in GRAPH_TYPES}}}})
def system(system: SystemPath, request: Request, store: StoreDep, gateway: GatewayDep,
           settings: SettingsDep, as_of: AsOfQuery = None) -> Response:
    """Derived on the fly (nothing is written): the rules' verdict on the stored facts as the
    law stands on ``asOf``. With an RDF ``Accept``, the system's own triples instead."""
    on = as_of_date(as_of)
    iri = resolve_system(store, system)
    rdf = rdf_description(gateway, settings, iri, request.headers.get("accept"))
    if rdf is not None:
        return rdf
    return json_view({"system": iri, "asOf": on.isoformat(),
                      "classification": [c.to_dict() for c in classify(store, iri, write=False, as_of=on)]})
