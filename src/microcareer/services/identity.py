"""Who a signed-in user is, as an ``Actor``: their roles and organisation memberships."""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.domain.accounts import Actor, User
from microcareer.services.ports import AccountRepository


@dataclass(frozen=True, slots=True)
class Identity:
    """A signed-in user and the actor their requests act as."""

    user: User
    actor: Actor


def identity_of(accounts: AccountRepository, user: User) -> Identity:
    actor = Actor(user_id=user.id, roles=user.roles, memberships=accounts.memberships_of(user.id))
    return Identity(user=user, actor=actor)
