"""Creating, reading and listing users and setting their roles; sign-up when the platform allows it."""

from __future__ import annotations

from collections.abc import Iterable

from microcareer.domain.account_rules import (
    SIGN_UP_ROLES,
    check_password,
    clean_name,
    clean_roles,
    normalise_email,
)
from microcareer.domain.accounts import Actor, Role, User
from microcareer.errors import Conflict, NotFound, PermissionDenied
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.ports import Clock, PasswordHasher, UnitOfWork


def create_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    email: str,
    display_name: str,
    password: str,
    roles: Iterable[Role | str],
    passwords: PasswordHasher,
    clock: Clock,
    allow_signup: bool,
) -> User:
    """A platform admin (or the system) creates any account; anyone signed out may sign up, if allowed.

    Sign-up is limited to the professional and client roles.
    """
    wanted = clean_roles(roles)
    if not is_allowed(actor, Action.USER_CREATE):
        authorize(actor, Action.USER_SIGN_UP)
        if not allow_signup:
            raise PermissionDenied("sign-up is closed on this platform: ask an administrator for an account")
        if not wanted <= SIGN_UP_ROLES:
            allowed = " or ".join(sorted((r.value for r in SIGN_UP_ROLES), reverse=True))
            raise PermissionDenied(f"roles: sign-up may only choose {allowed}")
    address = normalise_email(email)
    name = clean_name(display_name)
    check_password(password, email=address)
    with uow:
        if uow.accounts.get_user_by_email(address) is not None:
            raise Conflict(f"a user with email {address} exists already", field="email")
        user = uow.accounts.add_user(
            email=address,
            display_name=name,
            password_hash=passwords.hash(password),
            roles=wanted,
            created_at=clock(),
        )
        uow.commit()
    return user


def get_user(uow: UnitOfWork, *, actor: Actor, user_id: int) -> User:
    """One user: yourself, or anyone for a platform admin."""
    authorize(actor, Action.USER_READ, Resource(owner_user_id=user_id))
    with uow:
        user = uow.accounts.get_user(user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def find_user_by_email(uow: UnitOfWork, *, actor: Actor, email: str) -> User:
    """Look a user up by email (administration: platform admins and the CLI)."""
    authorize(actor, Action.USER_LIST)
    address = normalise_email(email)
    with uow:
        user = uow.accounts.get_user_by_email(address)
    if user is None:
        raise NotFound(f"no user with email {address}")
    return user


def list_users(uow: UnitOfWork, *, actor: Actor, offset: int, limit: int) -> tuple[list[User], int]:
    """A page of users in creation order, and how many there are."""
    authorize(actor, Action.USER_LIST)
    with uow:
        return uow.accounts.list_users(offset=offset, limit=limit)


def set_roles(uow: UnitOfWork, *, actor: Actor, user_id: int, roles: Iterable[Role | str]) -> User:
    """Replace a user's platform roles (platform admins only)."""
    authorize(actor, Action.USER_SET_ROLES, Resource(owner_user_id=user_id))
    wanted = clean_roles(roles)
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user with id {user_id}")
        uow.accounts.set_roles(user_id, wanted)
        user = uow.accounts.get_user(user_id)
        uow.commit()
    assert user is not None
    return user
