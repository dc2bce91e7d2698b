"""``/update``: the SPARQL 1.1 Protocol for updates (editor or admin token).

The text is parsed (``aims_graph.sparql``); the guard decides on the parse, and the
engine is sent the update re-serialised from it, so it runs what was checked.
An update made only of INSERT DATA / DELETE DATA on named graphs tells the live
conformance state exactly which quads it writes (``aims_graph.rdf.update_data``).  Any other
update's effect is not known in advance, only the graphs it may write (from the parse).  When those are all organisation graphs, the live
conformance state re-reads the subjects they held before and hold after the update;
a write to a reference graph, to the default graph or to a graph the text does not
name (``ANY_GRAPH``) makes it rebuild in full at the next ``GET /validate``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aims_graph.sparql import ANY_GRAPH, DEFAULT
from aims_graph.store import Store
from aims_graph.serving.tokens import Role
from aims_graph.rdf.update_data import data_quads
from aims_graph.validation.live import LiveConformance
from aims_graph.api.deps import GatewayDep, LiveDep, SettingsDep, StoreDep
from aims_graph.api.gateway import SparqlGateway
from aims_graph.api.guard import check_graph_write, check_remote_targets, parsed_sparql
from aims_graph.api.protocol import body_schema, protocol_text
from aims_graph.api.security import EditorRole
from aims_graph.api.settings import Settings

router = APIRouter(tags=["sparql"])

DIRECT = "application/sparql-update"


def run_update(gateway: SparqlGateway, settings: Settings, text: str, role: Role,
               store: Store | None = None, live: LiveConformance | None = None) -> Response:
    request = parsed_sparql(text, settings.sparql_limits)
    if not request.is_update:
        raise HTTPException(400, {"error": "query on the update endpoint",
                                  "detail": "SPARQL queries go to /sparql"})
    check_remote_targets(request, settings.service_allowlist)
    written = request.writes
    check_graph_write(written, role)
    if live is None or store is None:
        gateway.update(request.text)
        return Response(status_code=204)
    with live.writing(store) as change:
        # An update that names its quads (INSERT DATA / DELETE DATA on named graphs) is
        # tracked by them; any other by re-reading the graphs it may write.
        quads = data_quads(request) if change.active else None
        if quads is not None:
            change.quads(quads)
            gateway.update(request.text)
            return Response(status_code=204)
        if ANY_GRAPH in written or DEFAULT in written:
            change.everything()
        for graph in sorted(written - {ANY_GRAPH, DEFAULT}):
            change.graph_before(graph)
        try:
            gateway.update(request.text)
        finally:
            for graph in sorted(written - {ANY_GRAPH, DEFAULT}):
                change.graph_after(graph)
    return Response(status_code=204)


@router.post(
    "/update",
    summary="SPARQL 1.1 Protocol update (form-encoded or application/sparql-update)",
    status_code=204,
    openapi_extra=body_schema(DIRECT, "update"),
)
async def sparql_update(request: Request, gateway: GatewayDep, settings: SettingsDep, store: StoreDep,
                        live: LiveDep, role: EditorRole) -> Response:
    text, _ = await protocol_text(request, DIRECT, "update")
    return await run_in_threadpool(run_update, gateway, settings, text, role, store, live)
