"""``/queries``: the named competency questions, one OpenAPI entry per query.

The routes are generated from the catalogue's headers (``aims_graph.named_queries``):
each declared parameter becomes a typed query-string parameter in the OpenAPI
document.  Values are bound as RDF terms by the library, never pasted into the text.
The bound query runs through the SPARQL gateway, so it has the same timeout and limits
as ``/sparql``; ``Accept`` picks plain JSON rows (default) or a SPARQL results format.
"""

from __future__ import annotations

from typing import Callable

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from aims_graph.named_queries import NamedQuery, bound_sparql, describe, get_query, list_queries, param_json_schema
from aims_graph.named_queries.results import answer_from
from aims_graph.api.deps import LookupDep, SettingsDep
from aims_graph.api.gateway import GatewayReader
from aims_graph.api.limits import check_rows
from aims_graph.api.negotiation import SOLUTION_TYPES, NotAcceptable, choose
from aims_graph.api.security import ReaderDep
from aims_graph.api.settings import Settings
from aims_graph.api.views import json_view

router = APIRouter(tags=["named queries"], dependencies=[ReaderDep])
_PLAIN = "application/json"
_OFFERED = {_PLAIN: None, **{m: f for m, f in SOLUTION_TYPES.items() if m != _PLAIN}}


@router.get("/queries", summary="The named queries, with their typed parameters")
def catalogue() -> Response:
    return json_view([describe(query) for query in list_queries()])


def answer(lookups: GatewayReader, settings: Settings, name: str,
           params: dict[str, str], accept: str | None) -> Response:
    """Run one named query and answer in the negotiated format."""
    try:
        media = choose(accept, _OFFERED, _PLAIN)
    except NotAcceptable as error:
        raise HTTPException(406, {"error": "not acceptable", "detail": str(error)}) from error
    text = bound_sparql(lookups, name, params)
    result_format = SOLUTION_TYPES.get(media, ox.QueryResultsFormat.JSON)
    body = lookups.gateway.query(text, result_format.media_type, {})
    check_rows(body, result_format, settings.max_result_rows)
    if media != _PLAIN:
        return Response(body, media_type=media)
    return json_view(_plain(name, body))


def _plain(name: str, body: bytes) -> dict[str, object]:
    # The parsed solutions stay inside this function (they must die on this thread).
    return answer_from(name, ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)).to_json()


def _endpoint(query: NamedQuery) -> Callable[..., Response]:
    def run_named_query(request: Request, lookups: LookupDep, settings: SettingsDep) -> Response:
        return answer(lookups, settings, query.name, dict(request.query_params),
                      request.headers.get("accept"))

    run_named_query.__name__ = "query_" + query.name.replace("-", "_")
    return run_named_query


def _parameters(query: NamedQuery) -> list[dict[str, object]]:
    return [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
             "schema": param_json_schema(p)} for p in query.params]


for _query in list_queries():
    router.add_api_route(
        f"/queries/{_query.name}", _endpoint(_query), methods=["GET"], summary=_query.summary,
        description=_query.description or _query.summary,
        openapi_extra={"parameters": _parameters(_query)},
        responses={200: {"content": {m: {} for m in _OFFERED}}},
    )


@router.get("/queries/{name}", include_in_schema=False)
def any_query(name: str, request: Request, lookups: LookupDep, settings: SettingsDep) -> Response:
    """Registered after the named queries' own routes, so in practice it answers the names
    that are not in the catalogue: with a 404 whose message lists those that are."""
    return answer(lookups, settings, get_query(name).name, dict(request.query_params),
                  request.headers.get("accept"))
