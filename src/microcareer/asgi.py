"""``create_app()``: the API and the web pages on one FastAPI app (``uvicorn --factory``)."""

from __future__ import annotations

import gc
import inspect
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from microcareer import __version__
from microcareer.api import fast_params
from microcareer.api.app import include_api
from microcareer.api.edge_guard import guard_input
from microcareer.bootstrap import Platform, bootstrap
from microcareer.web.api_docs import include_api_docs
from microcareer.web.app import include_web
from microcareer.web.body_limit import BodySizeLimit
from microcareer.web.error_pages import error_page, wants_page
from microcareer.web.security_headers import SecurityHeaders

log = logging.getLogger(__name__)

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"


def create_app(platform: Platform | None = None) -> FastAPI:
    platform = platform or bootstrap()
    ready = platform
    fast_params.install()  # request parameters read from plans made once (api/fast_params.py)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_sweep_ingest_jobs, ready)
        freeze = ready.settings.gc_freeze
        # matching's candidate index is built or loaded in the background, and its change log pruned:
        # start-up does not wait, and queries take the store path until it is ready
        keeper = ready.start_matching_keeper(warmed=freeze_heap if freeze else None)
        if freeze:
            freeze_heap()  # the app and what start-up loaded; the indexes once warmed, again (above)
        yield
        if keeper is not None:
            keeper.set()
        ready.close_documents()  # the document reader processes end with the app

    app = FastAPI(
        lifespan=lifespan,
        title="microcareer",
        version=__version__,
        description="Microcompetencies, microcredentials and micro-jobs on the ESCO skills graph.",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served by include_api_docs from local files, not a CDN
        redoc_url=None,  # ReDoc loads from a CDN: not served
        dependencies=[Depends(guard_input)],  # no NUL, lone surrogate or >64-bit integer reaches a route
    )
    app.state.platform = platform
    include_api(app)
    include_api_docs(app, docs_url=DOCS_URL, openapi_url=OPENAPI_URL)
    include_web(app)
    _http_errors_as_pages(app)
    app.add_middleware(
        BodySizeLimit,
        max_body_bytes=platform.settings.max_body_bytes,
        max_upload_body_bytes=platform.settings.max_upload_body_bytes,
    )
    app.add_middleware(SecurityHeaders)  # outermost: a refused body's answer gets the headers too
    return app


def freeze_heap() -> None:
    """Collect, then move every object alive into Python's permanent generation (``gc.freeze``): a full
    collection walks every tracked object of the process, the app's modules, caches and indexes included
    (170-220 ms of CPU each at about 283,000 objects in a bench server, docs/api-speed.md), and it lands
    inside whichever request allocated last. Frozen objects are never walked again: one that becomes
    garbage is still freed by reference counting, but not if it is in a reference cycle (kept for the
    process's life). Objects made later are collected as before. ``MICROCAREER_GC_FREEZE`` turns it off."""
    started = time.perf_counter()
    gc.collect()  # cyclic garbage frozen would never be freed
    gc.freeze()
    log.info(
        "gc: %d objects frozen in %.0f ms", gc.get_freeze_count(), (time.perf_counter() - started) * 1000
    )


def _sweep_ingest_jobs(platform: Platform) -> None:
    """Background ingests left running by a process that is gone (an earlier run of this server on this
    host, or one whose heartbeat is stale) stored as interrupted with the reason, before serving."""
    if platform.engine is None:  # a unit of work given from outside: nothing of ours to sweep
        return
    from microcareer.services import market_ingest_jobs

    try:
        market_ingest_jobs.sweep(platform.uow(), now=platform.clock())
    except Exception:  # a schema not migrated yet, a database not up: serving says so, not this
        log.warning("background ingest jobs not swept at start-up", exc_info=True)


def _http_errors_as_pages(app: FastAPI) -> None:
    """An unknown address opened in a browser answers a page of the site; the API keeps its problems."""
    api_handler = app.exception_handlers[StarletteHTTPException]

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException) and wants_page(request):
            return error_page(request, exc)
        answer = api_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(StarletteHTTPException, http_error)

    validation_handler = app.exception_handlers[RequestValidationError]

    async def invalid_input(request: Request, exc: Exception) -> Response:
        if isinstance(exc, RequestValidationError) and wants_page(request):
            where = "; ".join(
                f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
                for err in exc.errors()
            )
            return error_page(
                request, StarletteHTTPException(422, f"This form could not be taken ({where}).")
            )
        answer = validation_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(RequestValidationError, invalid_input)
