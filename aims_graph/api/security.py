"""Who may do what: bearer tokens and their roles, as FastAPI dependencies.

* Writes (update, Graph Store writes, import) need an editor or admin token.  With no
  token configured the service is read-only and every write answers 403 with the
  command that creates one.
* Reads are open, unless ``AIMS_GRAPH_REQUIRE_READ_TOKEN=1``: then any valid token.
* A token that is presented but unknown is refused (401) even where none is needed,
  so that a client with a revoked or mistyped token learns it at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aims_graph.serving.tokens import TOKENS_ENV, Role, TokenFile
from aims_graph.api.deps import SettingsDep

_bearer = HTTPBearer(auto_error=False, description="A token from `aims-graph token create`.")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="aims-graph"'}


def get_tokens(request: Request) -> TokenFile:
    return request.app.state.tokens


TokensDep = Annotated[TokenFile, Depends(get_tokens)]


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, {"error": "unauthorised", "detail": detail}, headers=_CHALLENGE)


def presented_role(credentials: BearerDep, tokens: TokensDep) -> Role | None:
    """The role of the presented token; None when no token is presented."""
    if credentials is None:
        return None
    role = tokens.role_of(credentials.credentials)
    if role is None:
        raise _unauthorised("the bearer token is not valid (unknown or revoked)")
    return role


PresentedRole = Annotated[Role | None, Depends(presented_role)]


def require_reader(role: PresentedRole, settings: SettingsDep) -> Role | None:
    if settings.require_read_token and role is None:
        raise _unauthorised("this server requires a token for every request: send "
                            "'Authorization: Bearer <token>' (aims-graph token create --role reader)")
    return role


def require_editor(role: PresentedRole, tokens: TokensDep, settings: SettingsDep) -> Role:
    if not tokens.configured():
        how = (f"`aims-graph --store {settings.store} token create --role editor`" if tokens.path
               else f"`aims-graph token create --role editor` with {TOKENS_ENV} set for both")
        raise HTTPException(403, {
            "error": "read-only server",
            "detail": f"no access token is configured, so this server accepts no writes; create one "
                      f"with {how} and send it as 'Authorization: Bearer <token>'",
        })
    if role is None:
        raise _unauthorised("writing needs an editor or admin token: send 'Authorization: Bearer <token>'")
    if role < Role.EDITOR:
        raise HTTPException(403, {"error": "forbidden",
                                  "detail": f"a {role.label} token may not write; an editor or admin token may"})
    return role


ReaderDep = Depends(require_reader)
EditorRole = Annotated[Role, Depends(require_editor)]
