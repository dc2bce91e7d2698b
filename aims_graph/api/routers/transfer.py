"""``/export`` and ``/import``: RDF out of and into the store, and spreadsheet uploads.

An import is one atomic write: the whole body is parsed before anything is stored, so
a malformed file changes nothing.  ``/import`` takes RDF (by ``Content-Type``) or a
register template (``.xlsx`` or ``.csv``, as the multipart field ``file``); the
spreadsheet library checks every row and answers every defect at once (400 with the
list), writing nothing then.  Every import tells the live conformance state what it
touches (the subjects of the RDF body; for a spreadsheet, the subjects of its graph
before and after) before it is acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload

from aims_graph.rdf import io as rdf_io
from aims_graph.errors import InputError
from aims_graph.spreadsheet import ImportConflict, SpreadsheetRejected, import_spreadsheet, import_target
from aims_graph.store import DEFAULT_DATA_GRAPH, Store
from aims_graph.serving.tokens import Role
from aims_graph.validation.live import LiveConformance
from aims_graph.api.deps import LiveDep, SettingsDep, StoreDep
from aims_graph.rdf.unknown_terms import enforce
from aims_graph.api.guard import check_graph_write
from aims_graph.api.routers.graph_store import API_OVERRIDE, AllowUnknownTermsParam
from aims_graph.api.security import EditorRole, ReaderDep
from aims_graph.api.views import graph_iri, json_view

router = APIRouter(tags=["import and export"])
_MULTIPART = "multipart/form-data"
_RDF_TYPES = {f.media_type: f for f in rdf_io.FORMATS.values()}
_IMPORT_BODY = {"requestBody": {"required": True, "content": {
    **{media: {"schema": {"type": "string"}} for media in _RDF_TYPES},
    _MULTIPART: {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "An .xlsx workbook or a .csv sheet."}}}},
}}}


@router.get("/export", summary="The whole dataset (quad formats) or one graph", dependencies=[ReaderDep],
            response_class=Response,
            responses={200: {"content": {f.media_type: {} for f in rdf_io.FORMATS.values()}}})
def export(
    store: StoreDep,
    output: Annotated[str, Query(alias="format", description=f"One of {', '.join(rdf_io.FORMATS)}.")] = "nquads",
    graph: Annotated[str | None, Query(description="Only this named graph.")] = None,
) -> Response:
    rdf_format = rdf_io.format_named(output)
    try:
        data = store.dump(rdf_format, graph_iri(graph) if graph else None)
    except ValueError as error:
        raise InputError(str(error)) from error
    return Response(data, media_type=rdf_format.media_type)


@router.post("/import", summary="Import RDF or a filled register template (.xlsx/.csv), atomically",
             openapi_extra=_IMPORT_BODY)
async def import_data(
    request: Request, store: StoreDep, live: LiveDep, role: EditorRole, settings: SettingsDep,
    graph: Annotated[str | None, Query(description="Target graph (default: the data graph for RDF triples, "
                                                   "one graph per file name for a spreadsheet).")] = None,
    kind: Annotated[str | None, Query(description="Sheet kind of a CSV register, when its file name does not say.")] = None,
    org: Annotated[str, Query(description="Spreadsheet: id of the organisation, used in data IRIs.")] = "org",
    base: Annotated[str | None, Query(description="Spreadsheet: base of data IRIs "
                                                  "(default https://w3id.org/aims-graph/data/<org>).")] = None,
    replace: Annotated[bool, Query(description="Spreadsheet: replace the graph even when another import "
                                               "(file, organisation or base) or other data wrote it.")] = False,
    allow_unknown_terms: AllowUnknownTermsParam = False,
) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    target = graph_iri(graph) if graph else None
    if media == _MULTIPART:
        upload = (await request.form()).get("file")
        if not isinstance(upload, StarletteUpload):
            raise HTTPException(400, {"error": "missing file", "detail": "send the spreadsheet as the form field 'file'"})
        name, data = upload.filename or "upload", await upload.read()
        sheet = _Sheet(data, name, kind, org, base, replace)
        return await run_in_threadpool(_import_sheet, store, live, role, sheet, target)
    if media not in _RDF_TYPES:
        raise HTTPException(415, {"error": "unsupported media type",
                                  "detail": f"send RDF ({', '.join(_RDF_TYPES)}) or {_MULTIPART} with a 'file'"})
    data = await request.body()
    return await run_in_threadpool(_import_rdf, store, live, role, data, _RDF_TYPES[media], target,
                                   settings.max_quads_per_write, allow_unknown_terms)


def _import_rdf(store: Store, live: LiveConformance, role: Role, data: bytes, rdf_format: ox.RdfFormat,
                graph: str | None, max_quads: int, allow_unknown_terms: bool) -> Response:
    # Every quad's graph is checked, after parsing the whole body: ``?graph`` only says
    # where the triples that name no graph go.
    target = graph or DEFAULT_DATA_GRAPH
    body = rdf_io.survey(data, rdf_format, target, "request body", max_quads)
    check_graph_write(body.graphs, role)
    warnings = enforce(body.unknown_terms, "request body", allow=allow_unknown_terms, override=API_OVERRIDE)
    with live.writing(store) as change:
        change.body(data, rdf_format, target)
        rdf_io.load_bytes(store, data, rdf_format, graph=target, source="request body")
    # The quads the body carries (counting the store before and after would scan a large
    # store twice per import, and could time out after the write succeeded).
    answer: dict[str, object] = {"quads": body.quads, "graph": target, "graphs": sorted(body.graphs)}
    if warnings:
        answer["warnings"] = warnings
    return json_view(answer)


@dataclass(frozen=True)
class _Sheet:
    """An uploaded spreadsheet and the import's parameters."""

    data: bytes
    name: str
    kind: str | None
    org: str
    base: str | None
    replace: bool


def _import_sheet(store: Store, live: LiveConformance, role: Role, sheet: _Sheet, graph: str | None) -> Response:
    if graph is not None:
        check_graph_write([graph], role)  # before the library looks at it: a refusal is 403
    # The same rules as the CLI's import: one library function names the target.
    target = import_target(sheet.name, org=sheet.org, base=sheet.base, graph=graph).graph
    check_graph_write([target], role)
    with live.writing(store) as change:
        change.graph_before(target)
        try:
            report = import_spreadsheet(store, sheet.data, filename=sheet.name, kind=sheet.kind, graph=graph,
                                        org=sheet.org, base=sheet.base, replace=sheet.replace)
        except SpreadsheetRejected as rejected:
            raise HTTPException(400, {"error": "spreadsheet rejected",
                                      "detail": rejected.report.to_dict()}) from rejected
        except ImportConflict as conflict:
            raise HTTPException(409, {"error": "import conflict", "detail": str(conflict)}) from conflict
        finally:
            change.graph_after(target)
    return json_view(report.to_dict())
