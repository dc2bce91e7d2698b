"""Every error leaves the service as JSON ``{"error": ..., "detail": ...}``, never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from aims_graph.errors import InputError, NotFoundError
from aims_graph.store import StoreError

log = logging.getLogger("aims_graph.api")


def error_response(status: int, error: str, detail: object = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, (dict, list)) else str(exc.detail)
        name = detail.get("error") if isinstance(detail, dict) else None
        if isinstance(detail, dict):
            return error_response(exc.status_code, name or "error", detail.get("detail"))
        return error_response(exc.status_code, _title(exc.status_code), detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid request", _jsonable(exc.errors()))

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return error_response(400, "bad input", str(exc))

    @app.exception_handler(SyntaxError)
    async def bad_syntax(_: Request, exc: SyntaxError) -> JSONResponse:
        return error_response(400, "syntax error", str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, "not found", str(exc))

    @app.exception_handler(StoreError)
    async def store_unavailable(_: Request, exc: StoreError) -> JSONResponse:
        return error_response(503, "store unavailable", str(exc))

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
