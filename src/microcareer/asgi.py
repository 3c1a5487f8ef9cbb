"""``create_app()``: the API and the web pages on one FastAPI app (``uvicorn --factory``)."""

from __future__ import annotations

from fastapi import FastAPI

from microcareer import __version__
from microcareer.api.app import include_api
from microcareer.bootstrap import Platform, bootstrap
from microcareer.web.app import include_web


def create_app(platform: Platform | None = None) -> FastAPI:
    platform = platform or bootstrap()
    app = FastAPI(
        title="microcareer",
        version=__version__,
        description="Microcompetencies, microcredentials and micro-jobs on the ESCO skills graph.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.platform = platform
    include_api(app)
    include_web(app)
    return app
