"""Dependencies as named aliases, so routes read like prose: ``platform: PlatformDep, actor: ActorDep``.

They are ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, a hop from the event
loop to a thread and back per dependency per request (13-20% of a simple read's time under load, issue
17). These only read the request, so they run on the loop; the actor asks the store in the thread pool
only when this process does not remember the bearer token (``services/token_cache.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor


async def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


async def get_actor(request: Request, platform: PlatformDep) -> Actor:
    """Who is calling: from a bearer token, else a session cookie, else anonymous."""
    from microcareer.api.auth import remembered_actor, resolve_actor

    remembered = remembered_actor(request, platform)
    if remembered is not None:
        return remembered
    return await run_in_threadpool(resolve_actor, request, platform)


ActorDep = Annotated[Actor, Depends(get_actor)]


class PageParams:
    def __init__(
        self,
        request: Request,
        limit: Annotated[int, Query(ge=1, description="Items per page.")] = 20,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
    ) -> None:
        maximum: int = request.app.state.platform.settings.page_size_max
        self.limit = min(limit, maximum)
        self.offset = offset


async def page_params(
    request: Request,
    limit: Annotated[int, Query(ge=1, description="Items per page.")] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(request, limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]
