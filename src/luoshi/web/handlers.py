"""Errors as JSON ``{"error", "detail"}`` under /api/, as friendly pages everywhere else."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi.errors import (
    DatabaseLockedError,
    DatabaseUnavailableError,
    ExtractionError,
    InputError,
    LuoshiError,
    NotFoundError,
)
from luoshi.web.security import SECURITY_HEADERS
from luoshi.web.templating import templates

log = logging.getLogger("luoshi.web")


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_response(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
    error = HTTPStatus(status).phrase.lower() if status in HTTPStatus._value2member_map_ else "error"
    if wants_json(request):
        return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "error": error, "detail": detail if isinstance(detail, str) else None},
        status_code=status,
        headers=headers,
    )


def describe_validation(exc: RequestValidationError) -> str:
    """One line per wrong parameter, e.g. ``query.limit: Input should be ≤ 500``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def status_of(exc: LuoshiError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InputError | ExtractionError):
        return 422
    if isinstance(exc, DatabaseUnavailableError | DatabaseLockedError):
        return 503
    return 500


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, describe_validation(exc))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # A bug: the traceback goes to the server log (Starlette re-raises it after this),
        # the client gets the same JSON or page shape as every other error.
        # This response is sent by Starlette's outermost middleware, outside SecurityHeaders.
        return error_response(
            request, 500, "unexpected server error; the details are in the server log", dict(SECURITY_HEADERS)
        )

    @app.exception_handler(LuoshiError)
    async def luoshi_error(request: Request, exc: LuoshiError) -> Response:
        status = status_of(exc)
        if status >= 500:
            log.error("%s", exc)
        return error_response(request, status, str(exc))
