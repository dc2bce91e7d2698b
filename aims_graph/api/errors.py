"""Every error leaves the service as JSON ``{"error": ..., "detail": ...}``, never a traceback."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from aims_graph.errors import InputError, InputTooLarge, NotFoundError
from aims_graph.store import StoreError, StoreTimeout
from aims_graph.api.gateway import QueryFailed, QueryTimeout, ResultTooLarge
from aims_graph.api.internals import Internals
from aims_graph.api.limits import BodyTooLarge

log = logging.getLogger("aims_graph.api")


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: str
    detail: Any = None


_MEANINGS = {
    400: "Bad input: malformed query, body or parameter (the detail says what and where).",
    401: "A token is needed, or the one sent is unknown or revoked.",
    403: "Read-only server, a token whose role may not do this, or a reference graph.",
    404: "No such system, concept, graph or query.",
    406: "No format the client accepts fits this answer.",
    408: "The client sent its request too slowly (headers or body past their deadline).",
    413: "The request body, a value in it, or the answer exceeds the configured limits.",
    415: "The body's media type is not one this operation reads.",
    422: "A parameter has the wrong type.",
    429: "Too many concurrent requests from this client address without a token; retry after the given seconds.",
    502: "The SPARQL engine failed in the middle of its answer (the detail gives its reason).",
    503: "The query timed out, the store is unreachable, or the service is busy with anonymous work.",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": meaning} for status, meaning in _MEANINGS.items()
}


def error_response(status: int, error: str, detail: object = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _redacted(request: Request, detail: object) -> object:
    """``detail`` without the service's internals (see ``aims_graph.api.internals``)."""
    internals: Internals | None = getattr(request.app.state, "internals", None)
    if internals is None:
        return detail
    if isinstance(detail, str):
        return internals.redact(detail)
    if isinstance(detail, dict):
        return {key: _redacted(request, value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_redacted(request, value) for value in detail]
    return detail


# Exceptions whose message is the whole detail: status, error name, extra headers.
_PLAIN_ERRORS: dict[type[Exception], tuple[int, str, dict[str, str] | None]] = {
    InputError: (400, "bad input", None),
    InputTooLarge: (413, "request too large", None),
    SyntaxError: (400, "syntax error", None),
    NotFoundError: (404, "not found", None),
    QueryTimeout: (503, "query timeout", {"Retry-After": "1"}),
    QueryFailed: (502, "query failed", None),
    ResultTooLarge: (413, "result too large", None),
    BodyTooLarge: (413, "request too large", None),
}


def _plain_handler(status: int, error: str, headers: dict[str, str] | None) -> Callable[..., Awaitable[JSONResponse]]:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return error_response(status, error, _redacted(request, str(exc)), headers)

    return handle


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = _redacted(request, exc.detail if isinstance(exc.detail, (dict, list)) else str(exc.detail))
        name = detail.get("error") if isinstance(detail, dict) else None
        if isinstance(detail, dict):
            return error_response(exc.status_code, name or "error", detail.get("detail"), exc.headers)
        return error_response(exc.status_code, _title(exc.status_code), detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid request", _jsonable(exc.errors()))

    for exception, (status, error, headers) in _PLAIN_ERRORS.items():
        app.add_exception_handler(exception, _plain_handler(status, error, headers))

    @app.exception_handler(UnicodeDecodeError)
    async def not_utf8(_: Request, exc: UnicodeDecodeError) -> JSONResponse:
        return error_response(400, "bad input", f"the body is not UTF-8 text: {exc.reason} at byte {exc.start}")

    @app.exception_handler(ClientDisconnect)
    async def client_gone(_: Request, exc: ClientDisconnect) -> JSONResponse:
        # The client left, or was cut off for sending too slowly (aims_graph.api.slow_clients): the
        # answer reaches nobody, and it is no server error worth a traceback.
        log.info("the client disconnected before its request was read")
        return error_response(408, "request timeout", "the client disconnected before its request was read")

    @app.exception_handler(MemoryError)
    async def too_large_to_process(request: Request, exc: MemoryError) -> JSONResponse:
        # pyoxigraph's parsers refuse a single token (IRI, literal, result value) above
        # 16 MiB with MemoryError("Reached the buffer maximal size ..."), before they
        # allocate it; anything else that runs out of memory is refused the same way.
        log.warning("refused as too large to process: %s", exc)
        reason = _redacted(request, str(exc)) or "out of memory"
        return error_response(413, "too large to process",
                              f"a single value (IRI, literal or answer value) is longer than the parser "
                              f"accepts ({reason}); split it or keep large content outside the graph")

    @app.exception_handler(StoreError)
    async def store_unavailable(_: Request, exc: StoreError) -> JSONResponse:
        # The store layer's messages name endpoints and paths (useful on the command
        # line); the service's answer says what happened and logs the rest.
        log.warning("store error: %s", exc)
        if isinstance(exc, StoreTimeout):
            return error_response(503, "query timeout", "the store did not answer within its time limit; "
                                  "narrow the request or retry", {"Retry-After": "1"})
        return error_response(503, "store unavailable", "the SPARQL engine did not answer (it may be "
                              "restarting after a stopped query); retry in a moment", {"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal error", "the server failed; see its log")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"


def _jsonable(errors: object) -> object:
    import json

    return json.loads(json.dumps(errors, default=str))
