"""The /api/v1 application: routers, OpenAPI, problem-details errors."""

from __future__ import annotations

from fastapi import FastAPI

from microcareer.api import problems
from microcareer.api.routes import PUBLISHED_ROUTERS, ROUTERS

API_PREFIX = "/api/v1"


def include_api(app: FastAPI) -> None:
    # Each router is included at the app's level with the prefix, not under one /api/v1 router: FastAPI
    # matches an included router by matching all of its routes, then matches them again to dispatch, so
    # one more level of nesting matched every API route twice more on every request (issue 17). Each is
    # a PrefixRouter: a path none of its routes can match is turned away without trying them.
    for router in ROUTERS:
        router.include_in(app, API_PREFIX)
    for router in PUBLISHED_ROUTERS:  # at the root, before the web pages: credentials link to them
        router.include_in(app)
    problems.install(app)
