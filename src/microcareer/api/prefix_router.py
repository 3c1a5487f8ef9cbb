"""``PrefixRouter``: an ``APIRouter`` that turns away a path none of its routes can match without
trying them one by one.

FastAPI finds a request's route by asking each router included in the app, in turn, to match the path;
a router answers by matching every one of its routes (a regular expression each, with a write and a
restore of scope keys around each). A request for ``/api/v1/contracts/7/time`` was matched against
every route of the 22 routers before ``contracts``, and a web page's path against every API route (216)
(issue 17: routing took about a sixth of a time entry's server CPU).

A route's path regex begins with its literal part (the text before its first ``{`` parameter), so a
path that starts with none of a router's literal parts matches none of its routes, not even partly (a
405). This router keeps those literal parts, with the prefix it was included under in front, and
answers "no match" when the path starts with none of them; otherwise it matches as FastAPI does.
What is matched, in which order, and the OpenAPI document are unchanged.

Include it with ``include_in`` (which records the prefix); included any other way, or holding a route
with no plain path, it matches as a plain ``APIRouter``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope


class PrefixRouter(APIRouter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._included_under: list[str] = []
        self._heads: tuple[str, ...] | None = None  # None: not worked out yet
        self._heads_of = -1  # the number of routes the heads were worked out from

    def include_in(self, app: FastAPI, prefix: str = "") -> None:
        """``app.include_router(self, prefix=prefix)``, noting the prefix for the quick refusal."""
        app.include_router(self, prefix=prefix)
        self._included_under.append(prefix)
        self._heads = None

    def heads(self) -> tuple[str, ...] | None:
        """The literal beginnings of this router's paths as included, shortest first, none of them an
        extension of another; None when they cannot be known (then every path is tried)."""
        if self._heads is not None and self._heads_of == len(self.routes):
            return self._heads or None
        literals: list[str] = []
        for route in self.routes:
            path = getattr(route, "path", None)
            if not isinstance(path, str) or not self._included_under:
                literals = []
                break
            literals.extend(prefix + path.partition("{")[0] for prefix in self._included_under)
        heads: list[str] = []
        for literal in sorted(set(literals), key=len):
            if not any(literal.startswith(head) for head in heads):
                heads.append(literal)
        self._heads, self._heads_of = tuple(heads), len(self.routes)
        return self._heads or None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        heads = self.heads()
        if heads is not None and scope.get("type") in ("http", "websocket"):
            path = get_route_path(scope)
            if not path.startswith(heads):
                return Match.NONE, {}
        return super().matches(scope)
