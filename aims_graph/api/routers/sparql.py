"""``/sparql``: the SPARQL 1.1 Protocol for queries, with content negotiation.

GET with ``?query=``, POST form-encoded (``query=``) or POST ``application/sparql-query``;
``default-graph-uri`` and ``named-graph-uri`` are passed on.  Without them the default
graph is the union of all graphs.  Updates go to ``/update``.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aims_graph.sparql import ParsedRequest
from aims_graph.store.base import ResultFormat
from aims_graph.api.deps import GatewayDep, SettingsDep
from aims_graph.api.gateway import SparqlGateway
from aims_graph.api.guard import check_remote_targets, parsed_sparql
from aims_graph.api.limits import check_rows
from aims_graph.api.negotiation import GRAPH_TYPES, SOLUTION_TYPES, NotAcceptable, choose
from aims_graph.api.protocol import body_schema, protocol_text
from aims_graph.api.security import ReaderDep
from aims_graph.api.settings import Settings

router = APIRouter(tags=["sparql"], dependencies=[ReaderDep])

DIRECT = "application/sparql-query"
_DATASET = ("default-graph-uri", "named-graph-uri")
_ANSWERS = {
    200: {"description": "The answer in the negotiated format.", "content": {
        **{media: {} for media in SOLUTION_TYPES}, **{media: {} for media in GRAPH_TYPES}}},
}


def media_for(request: ParsedRequest, accept: str | None) -> tuple[str, ResultFormat]:
    """Check the request is a query and pick the answer's media type from Accept."""
    if request.is_update:
        raise HTTPException(400, {"error": "update on the query endpoint",
                                  "detail": "SPARQL updates go to POST /update"})
    graph_answer = request.form in {"CONSTRUCT", "DESCRIBE"}
    offered: dict[str, ResultFormat] = GRAPH_TYPES if graph_answer else SOLUTION_TYPES  # type: ignore[assignment]
    default = "text/turtle" if graph_answer else "application/sparql-results+json"
    try:
        media = choose(accept, offered, default)
    except NotAcceptable as error:
        raise HTTPException(406, {"error": "not acceptable", "detail": str(error)}) from error
    return media, offered[media]


def run_query(gateway: SparqlGateway, settings: Settings, text: str, accept: str | None,
              dataset: dict[str, list[str]]) -> Response:
    request = parsed_sparql(text, settings.sparql_limits)
    media, result_format = media_for(request, accept)
    check_remote_targets(request, settings.service_allowlist)
    body = gateway.query(request.text, result_format.media_type, dataset)
    check_rows(body, result_format, settings.max_result_rows)
    return Response(body, media_type=media)


def rdf_description(gateway: SparqlGateway, settings: Settings, iri: str, accept: str | None) -> Response | None:
    """The resource's triples (a DESCRIBE) when the client prefers RDF to JSON; else None.

    This is how the JSON views offer "RDF on request" without a second implementation.
    """
    offered = {"application/json": None, **GRAPH_TYPES}
    try:
        wants_rdf = choose(accept, offered, "application/json") != "application/json"
    except NotAcceptable:
        return None
    return run_query(gateway, settings, f"DESCRIBE {ox.NamedNode(iri)}", accept, {}) if wants_rdf else None


def _dataset(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: values[name] for name in _DATASET if values.get(name)}


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", responses=_ANSWERS)
def sparql_get(
    request: Request,
    gateway: GatewayDep,
    settings: SettingsDep,
    query: Annotated[str | None, Query(description="The SPARQL query.")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
) -> Response:
    if not query:
        raise HTTPException(400, {"error": "missing query", "detail": "give the query as ?query=..."})
    dataset = _dataset({"default-graph-uri": default_graph_uri or [],
                        "named-graph-uri": named_graph_uri or []})
    return run_query(gateway, settings, query, request.headers.get("accept"), dataset)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 Protocol query (POST, form-encoded or application/sparql-query)",
    responses=_ANSWERS,
    openapi_extra=body_schema(DIRECT, "query", **{
        name: {"type": "array", "items": {"type": "string"}} for name in _DATASET}),
)
async def sparql_post(request: Request, gateway: GatewayDep, settings: SettingsDep) -> Response:
    text, form = await protocol_text(request, DIRECT, "query")
    params = {name: request.query_params.getlist(name) + [str(v) for v in (form.getlist(name) if form else [])]
              for name in _DATASET}
    return await run_in_threadpool(run_query, gateway, settings, text,
                                   request.headers.get("accept"), _dataset(params))
