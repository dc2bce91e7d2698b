"""``/context.jsonld``: the JSON-LD context that turns the REST views' JSON into RDF.

Each JSON view links here (``Link: <...>; rel="http://www.w3.org/ns/json-ld#context"``).
Every key maps into the namespace of view fields ``https://w3id.org/aims-graph/api#``
(the shape of an answer, not ontology terms: a row of ``/systems`` is a node whose
``api:system`` is the system).  Fields that hold IRIs are typed ``@id`` so that a
JSON-LD processor reads them as nodes of the graph.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from aims_graph.api.views import CONTEXT_PATH

router = APIRouter(tags=["health"])

VIEW = "https://w3id.org/aims-graph/api#"
# Fields whose values are IRIs of things in the graph: typed @id so they become nodes.
_NODE_FIELDS = ("system", "owner", "stage", "item", "other", "otherScheme", "concept", "category",
                "graph", "statement_of_applicability", "requirement", "focus", "shape")
CONTEXT = {
    "@context": {
        "@version": 1.1,
        "@vocab": VIEW,
        "iri": "@id",
        **{name: {"@type": "@id"} for name in _NODE_FIELDS},
        "rows": {"@container": "@list"},
        "variables": {"@container": "@list"},
    }
}


@router.get(CONTEXT_PATH, summary="The JSON-LD context of the JSON views",
            response_class=JSONResponse, responses={200: {"content": {"application/ld+json": {}}}})
def context() -> JSONResponse:
    return JSONResponse(CONTEXT, media_type="application/ld+json")
