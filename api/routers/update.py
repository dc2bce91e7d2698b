"""``/update``: the SPARQL 1.1 Protocol for updates (editor or admin token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from aims_graph.tokens import Role
from api.deps import GatewayDep, SettingsDep
from api.gateway import SparqlGateway
from api.guard import check_graph_write, check_remote_targets
from api.protocol import body_schema, protocol_text
from api.security import EditorRole
from api.settings import Settings
from api.update_targets import graphs_written

router = APIRouter(tags=["sparql"])

DIRECT = "application/sparql-update"


def run_update(gateway: SparqlGateway, settings: Settings, text: str, role: Role) -> Response:
    check_remote_targets(text, settings.service_allowlist)
    check_graph_write(graphs_written(text), role)
    gateway.update(text)
    return Response(status_code=204)


@router.post(
    "/update",
    summary="SPARQL 1.1 Protocol update (form-encoded or application/sparql-update)",
    status_code=204,
    openapi_extra=body_schema(DIRECT, "update"),
)
async def sparql_update(request: Request, gateway: GatewayDep, settings: SettingsDep,
                        role: EditorRole) -> Response:
    text, _ = await protocol_text(request, DIRECT, "update")
    return await run_in_threadpool(run_update, gateway, settings, text, role)
