"""Liveness and readiness: is the server up, is its database reachable and migrated."""

from __future__ import annotations

from pydantic import BaseModel

from microcareer import __version__
from microcareer.api.deps import PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.errors import NotReady

router = PrefixRouter(tags=["health"], route_class=OneHopRoute)


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health", response_model=HealthPublic, summary="Is the server up and its database ready?")
def health(platform: PlatformDep) -> HealthPublic:
    try:
        platform.ensure_ready()
    except NotReady:
        raise
    except Exception as exc:  # the database cannot be reached at all
        raise NotReady(f"the database cannot be reached: {type(exc).__name__}") from exc
    backend = platform.engine.dialect.name if platform.engine is not None else "none"
    return HealthPublic(status="ok", version=__version__, database=backend)
