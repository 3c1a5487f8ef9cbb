"""Dependencies as named aliases, so routes read like prose: ``platform: PlatformDep, actor: ActorDep``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_actor(request: Request, platform: PlatformDep) -> Actor:
    """Who is calling: from a bearer token, else a session cookie, else anonymous."""
    from microcareer.api.auth import resolve_actor

    return resolve_actor(request, platform)


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


PageDep = Annotated[PageParams, Depends()]
