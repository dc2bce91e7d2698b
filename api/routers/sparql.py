"""``/sparql``: the SPARQL 1.1 Protocol for queries, with content negotiation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aims_graph.sparql_text import is_update, query_form
from api.deps import StoreDep
from api.negotiation import GRAPH_TYPES, SOLUTION_TYPES, NotAcceptable, choose

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"


def run_query(store: StoreDep, text: str, accept: str | None) -> Response:
    if is_update(text):
        raise HTTPException(400, {"error": "update on the query endpoint",
                                  "detail": "SPARQL updates go to POST /update"})
    form = query_form(text)
    if form is None:
        raise HTTPException(400, {"error": "not a query",
                                  "detail": "expected SELECT, ASK, CONSTRUCT or DESCRIBE"})
    offered = GRAPH_TYPES if form in {"CONSTRUCT", "DESCRIBE"} else SOLUTION_TYPES
    default = "text/turtle" if offered is GRAPH_TYPES else "application/sparql-results+json"
    try:
        media = choose(accept, offered, default)
    except NotAcceptable as error:
        raise HTTPException(406, {"error": "not acceptable", "detail": str(error)}) from error
    body = store.query_to_bytes(text, offered[media])
    return Response(body, media_type=media)


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)")
def sparql_get(
    request: Request,
    store: StoreDep,
    query: Annotated[str, Query(description="The SPARQL query.")],
) -> Response:
    return run_query(store, query, request.headers.get("accept"))


@router.post(
    "/sparql",
    summary="SPARQL 1.1 Protocol query (POST, form-encoded or application/sparql-query)",
    openapi_extra={"requestBody": {"content": {
        _DIRECT: {"schema": {"type": "string"}},
        _FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}},
                           "required": ["query"]}},
    }}},
)
async def sparql_post(request: Request, store: StoreDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == _DIRECT:
        text = (await request.body()).decode("utf-8", errors="strict")
    elif content_type == _FORM:
        form = await request.form()
        text = form.get("query")
        if not isinstance(text, str):
            raise HTTPException(400, {"error": "missing query",
                                      "detail": "the form has no 'query' field"})
    else:
        raise HTTPException(415, {"error": "unsupported media type",
                                  "detail": f"send {_DIRECT} or {_FORM}"})
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(run_query, store, text, request.headers.get("accept"))
