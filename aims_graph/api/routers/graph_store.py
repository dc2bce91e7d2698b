"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol.

``?graph=IRI`` names a graph; ``?default`` names the default data
(``aims_graph.store.default_data``): the organisation's data graph
(``https://w3id.org/aims-graph/graph/data``), where bodies written to ``?default`` go,
together with the unnamed default graph, where SPARQL updates that name no graph land.
``GET ?default`` returns both as one graph and ``DELETE ?default`` empties both, so a
write to "the default graph" through any door can be read and removed here.  ``GET
/store`` with neither returns the whole dataset (TriG or N-Quads).  Writes need an
editor token; reference graphs are written by no request (``aims_graph.api.guard``).  Every write
tells the live conformance state what it touches (the body's subjects, and for PUT and
DELETE the subjects the graph held) before it is acknowledged.
"""

from __future__ import annotations

import logging
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aims_graph.rdf import io as rdf_io
from aims_graph.errors import InputError
from aims_graph.store import DEFAULT_DATA_GRAPH, UNNAMED_GRAPH, Store
from aims_graph.store.default_data import drop_default, has_default, read_default
from aims_graph.serving.tokens import Role
from aims_graph.rdf.unknown_terms import enforce
from aims_graph.api.deps import LiveDep, SettingsDep, StoreDep
from aims_graph.api.guard import check_graph_write
from aims_graph.api.negotiation import GRAPH_TYPES, NotAcceptable, choose
from aims_graph.api.security import EditorRole, ReaderDep
from aims_graph.api.views import graph_iri

router = APIRouter(tags=["graph store"])
_LOG = logging.getLogger(__name__)

_DATASET_TYPES = {m: f for m, f in GRAPH_TYPES.items() if f.supports_datasets}
# One graph's triples: the triple syntaxes, and JSON-LD as long as it names no graph.
_BODY_TYPES = {m: f for m, f in GRAPH_TYPES.items() if not f.supports_datasets or f == ox.RdfFormat.JSON_LD}
GraphParam = Annotated[str | None, Query(description="IRI of the named graph.")]
DefaultParam = Annotated[str | None, Query(description="Present (empty) to name the default data: the data "
                                                      "graph and the unnamed default graph.")]
# What ``?default`` names (a marker: no IRI can be spelt like it).
DEFAULT_DATA = UNNAMED_GRAPH
AllowUnknownTermsParam = Annotated[bool, Query(
    alias="allowUnknownTerms", description="Write even when the body uses aims: terms or reference concepts "
                                           "that aims-graph does not define (a typo, mostly; refused otherwise).")]
API_OVERRIDE = "send ?allowUnknownTerms=true"
_BODY = {"requestBody": {"required": True, "content": {m: {"schema": {"type": "string"}} for m in _BODY_TYPES}}}


Target = str | ox.DefaultGraph


def target_graph(graph: str | None, default: str | None) -> Target | None:
    """The graph IRI a request names (checked), ``DEFAULT_DATA`` for ``?default``, or
    None for the whole dataset."""
    if graph is not None and default is not None:
        raise HTTPException(400, {"error": "ambiguous target", "detail": "give either ?graph= or ?default, not both"})
    if default is not None:
        return DEFAULT_DATA
    return None if graph is None else graph_iri(graph)


def _required(graph: Target | None) -> Target:
    if graph is None:
        raise HTTPException(400, {"error": "missing graph", "detail": "name the graph with ?graph=IRI or ?default"})
    return graph


def _written(target: Target) -> str:
    """The named graph a body sent to ``target`` goes to."""
    return DEFAULT_DATA_GRAPH if isinstance(target, ox.DefaultGraph) else target


def _exists(store: Store, graph: Target) -> bool:
    if isinstance(graph, ox.DefaultGraph):
        return has_default(store)
    return bool(store.query(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"))


def _not_found(graph: Target) -> HTTPException:
    name = "default data" if isinstance(graph, ox.DefaultGraph) else f"graph {graph}"
    return HTTPException(404, {"error": "not found", "detail": f"the store has no {name}"})


def _one_graph(data: bytes, rdf_format: ox.RdfFormat, max_quads: int, allow_unknown_terms: bool) -> None:
    """A Graph Store body carries one graph, within the per-write quad limit, and defines
    no term of the product's namespaces: a JSON-LD body that names graphs is refused,
    since its named graphs would otherwise escape the target (and its write checks)."""
    body = rdf_io.survey(data, rdf_format, None, "request body", max_quads)
    if body.named_graphs:
        raise InputError("request body: a Graph Store body holds one graph's triples; this JSON-LD names "
                         "graphs (use POST /import for a dataset)")
    for warning in enforce(body.unknown_terms, "request body", allow=allow_unknown_terms, override=API_OVERRIDE):
        _LOG.warning("%s", warning)  # a 204 has no body to carry it


def _body_format(request: Request) -> ox.RdfFormat:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in _BODY_TYPES:
        raise HTTPException(415, {"error": "unsupported media type",
                                  "detail": f"send one of {', '.join(_BODY_TYPES)} (one graph's triples)"})
    return _BODY_TYPES[media]


@router.get("/store", summary="Read one graph, or the whole dataset", dependencies=[ReaderDep],
            responses={200: {"content": {m: {} for m in GRAPH_TYPES}}})
def read_graph(request: Request, store: StoreDep, graph: GraphParam = None,
               default: DefaultParam = None) -> Response:
    target = target_graph(graph, default)
    offered = GRAPH_TYPES if target is not None else _DATASET_TYPES
    try:
        media = choose(request.headers.get("accept"), offered, "text/turtle" if target is not None else "application/trig")
    except NotAcceptable as error:
        raise HTTPException(406, {"error": "not acceptable", "detail": str(error)}) from error
    if isinstance(target, ox.DefaultGraph):
        data = read_default(store, offered[media])
        if data is None:
            raise _not_found(target)
        return Response(data, media_type=media)
    if target is not None and not _exists(store, target):
        raise _not_found(target)
    return Response(store.dump(offered[media], target), media_type=media)


async def _checked_write(request: Request, role: Role, graph: str | None,
                         default: str | None) -> tuple[Target, str, ox.RdfFormat, bytes]:
    """What PUT and POST check before reading the body: the target, the graph written, the
    role's right to write it and the body's format; then the body itself."""
    target = _required(target_graph(graph, default))
    written = _written(target)
    check_graph_write([written], role)
    return target, written, _body_format(request), await request.body()


@router.put("/store", summary="Replace a graph's content", status_code=204, openapi_extra=_BODY,
            responses={201: {"description": "The graph was created."}})
async def put_graph(request: Request, store: StoreDep, live: LiveDep, role: EditorRole, settings: SettingsDep,
                    graph: GraphParam = None, default: DefaultParam = None,
                    allow_unknown_terms: AllowUnknownTermsParam = False) -> Response:
    target, written, rdf_format, data = await _checked_write(request, role, graph, default)

    def replace() -> int:
        _one_graph(data, rdf_format, settings.max_quads_per_write, allow_unknown_terms)
        with live.writing(store) as change:
            existed = _exists(store, target)
            change.graph_before(written)
            change.body(data, rdf_format, written)
            try:
                store.replace_graph(written, data, rdf_format)
            except (SyntaxError, ValueError) as error:
                raise InputError(rdf_io.parse_error_message("request body", error)) from error
            if isinstance(target, ox.DefaultGraph):
                store.drop_graph(UNNAMED_GRAPH)  # validation never reads it: nothing to track
        return 204 if existed else 201

    return Response(status_code=await run_in_threadpool(replace))


@router.post("/store", summary="Add triples to a graph", status_code=204, openapi_extra=_BODY,
             responses={201: {"description": "The graph was created."}})
async def post_graph(request: Request, store: StoreDep, live: LiveDep, role: EditorRole, settings: SettingsDep,
                     graph: GraphParam = None, default: DefaultParam = None,
                     allow_unknown_terms: AllowUnknownTermsParam = False) -> Response:
    target, written, rdf_format, data = await _checked_write(request, role, graph, default)

    def add() -> int:
        _one_graph(data, rdf_format, settings.max_quads_per_write, allow_unknown_terms)
        with live.writing(store) as change:
            existed = _exists(store, target)
            change.body(data, rdf_format, written)
            rdf_io.load_bytes(store, data, rdf_format, graph=written, source="request body")
        return 204 if existed else 201

    return Response(status_code=await run_in_threadpool(add))


@router.delete("/store", summary="Delete a graph", status_code=204)
def delete_graph(store: StoreDep, live: LiveDep, role: EditorRole, graph: GraphParam = None,
                 default: DefaultParam = None) -> Response:
    target = _required(target_graph(graph, default))
    check_graph_write([_written(target)], role)
    with live.writing(store) as change:
        if not _exists(store, target):
            raise _not_found(target)
        change.graph_before(_written(target))  # validation never reads the unnamed graph
        if isinstance(target, ox.DefaultGraph):
            drop_default(store)
        else:
            store.drop_graph(target)
    return Response(status_code=204)
