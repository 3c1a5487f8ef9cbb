"""``OneHopRoute``: a plain ``def`` endpoint of the API runs in the thread pool once per request.

FastAPI runs a ``def`` endpoint in its thread pool and then, back on the event loop, hops to the pool
a second time to validate the endpoint's answer against its response model. Each hop hands the GIL
between threads (13-20% of a simple read's server time under load, issue 17). This route class wraps
a ``def`` endpoint in an ``async def`` that runs it in the pool (``run_in_threadpool``, as FastAPI
does), so FastAPI sees a coroutine and validates the answer on the loop: one hop instead of two. The
endpoint's signature, dependencies and behaviour are the same (``functools.wraps``: FastAPI reads the
wrapped function's parameters and annotations).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def in_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` as a coroutine function that runs it in the thread pool."""

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint) and inspect.isfunction(endpoint):
            endpoint = in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)
