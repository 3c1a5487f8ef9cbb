"""Small factories for account service tests on the fakes."""

from __future__ import annotations

from microcareer.domain.accounts import Actor, Role, User
from microcareer.services.identity import identity_of
from microcareer.services.users import create_user
from tests.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork

PASSWORD = "correct horse battery"


def make_user(
    uow: FakeUnitOfWork,
    email: str,
    *roles: Role,
    hasher: FakePasswordHasher | None = None,
    clock: FakeClock | None = None,
) -> User:
    return create_user(
        uow,
        actor=Actor.system(),
        email=email,
        display_name=email.split("@")[0].title(),
        password=PASSWORD,
        roles=roles or (Role.PROFESSIONAL,),
        passwords=hasher or FakePasswordHasher(),
        clock=clock or FakeClock(),
        allow_signup=False,
    )


def actor_of(uow: FakeUnitOfWork, user: User) -> Actor:
    with uow:
        return identity_of(uow.accounts, user).actor
