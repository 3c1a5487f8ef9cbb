"""The /api/v1 application: routers, OpenAPI, problem-details errors."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from microcareer.api import problems
from microcareer.api.routes import PUBLISHED_ROUTERS, ROUTERS

API_PREFIX = "/api/v1"


def include_api(app: FastAPI) -> None:
    api = APIRouter(prefix=API_PREFIX)
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
    for router in PUBLISHED_ROUTERS:  # at the root, before the web pages: credentials link to them
        app.include_router(router)
    problems.install(app)
