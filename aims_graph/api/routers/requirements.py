"""``/requirements/{scheme}/{notation}``: one provision of a standard and its mappings.

JSON by default: the concept's own header (notation as printed, title, parent, number of
children, provisional number, date of application) plus its crosswalk mappings (the
``concept-mappings`` named query).  ``Accept`` with an RDF type returns the concept's
triples (a DESCRIBE) instead.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aims_graph.knowledge.concepts import concept_header
from aims_graph.named_queries import resolve_concept, run
from aims_graph.api.deps import GatewayDep, SettingsDep, StoreDep
from aims_graph.api.negotiation import GRAPH_TYPES
from aims_graph.api.routers.sparql import rdf_description
from aims_graph.api.security import ReaderDep
from aims_graph.api.views import json_view

router = APIRouter(tags=["requirements"], dependencies=[ReaderDep])
_OFFERED = {"application/json": None, **GRAPH_TYPES}


@router.get("/requirements/{scheme}/{notation:path}",
            summary="One provision (clause, control, article, subcategory) and its crosswalk mappings",
            responses={200: {"content": {m: {} for m in _OFFERED}}})
def requirement(scheme: str, notation: str, request: Request, store: StoreDep, gateway: GatewayDep,
                settings: SettingsDep) -> Response:
    concept = resolve_concept(store, notation, scheme)
    rdf = rdf_description(gateway, settings, concept.value, request.headers.get("accept"))
    if rdf is not None:
        return rdf
    header = concept_header(store, concept.value)
    description = run(store, "concept-mappings", {"concept": concept.value})
    return json_view({"iri": concept.value, "scheme": scheme, "notation": header.notation or notation,
                      "title": header.title, "parent": header.parent, "parentNotation": header.parent_notation,
                      "children": header.children, "notationDerived": header.notation_derived,
                      "appliesFrom": header.applies_from, "mappings": description.to_json()["rows"]})
