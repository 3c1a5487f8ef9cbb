"""Errors as RFC 9457 problem details: one table from error class to response, one handler each kind.

No stack trace leaves the server: anything unexpected becomes a logged 500 problem with no detail.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from microcareer.errors import MicrocareerError

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://microcareer.dev/problems/"
log = logging.getLogger("microcareer.api")


def problem(status: int, code: str, title: str, detail: str, instance: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status in (429, 503) and isinstance(extra.get("retry_after"), int):
        headers = {"Retry-After": str(extra["retry_after"])}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _microcareer_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MicrocareerError)
    return problem(exc.status, exc.code, exc.title, exc.detail, request.url.path, **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors) or "invalid request"
    return problem(422, "invalid_input", "Invalid input", detail, request.url.path, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated", 413: "body_too_large"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    title = code.replace("_", " ").capitalize()
    return problem(exc.status_code, code, title, str(exc.detail), request.url.path)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "internal",
        "Internal error",
        "an unexpected error occurred; it has been logged",
        request.url.path,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(MicrocareerError, _microcareer_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
