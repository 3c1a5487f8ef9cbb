"""The person a command acts as (``--user EMAIL``): the platform, their actor (roles and memberships)
and their user id, so that every command of the network, mentoring, portfolio, ideas and offers groups
opens them the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor
from microcareer.cli.profiles import user_id_of
from microcareer.domain.accounts import Actor
from microcareer.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Acting:
    platform: Platform
    actor: Actor
    user_id: int

    def uow(self) -> UnitOfWork:
        return self.platform.uow()

    def person(self, email: str) -> int:
        """Another person's user id, by e-mail."""
        return user_id_of(self.platform, email)

    def now(self) -> datetime:
        return self.platform.clock()


T = TypeVar("T")


@contextmanager
def acting_as(user: str) -> Iterator[Acting]:
    with open_platform() as platform:
        yield Acting(platform, acting_actor(platform, user), user_id_of(platform, user))


def run_as(user: str, run: Callable[[Platform, Actor], T]) -> T:
    """One service call as the person ``--user`` names: the platform opened, their actor looked up."""
    with open_platform() as platform:
        return run(platform, acting_actor(platform, user))
