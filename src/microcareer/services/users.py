"""Creating, reading and listing users and setting their roles; sign-up when the platform allows it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from microcareer.domain.account_rules import (
    SIGN_UP_ROLES,
    check_password,
    clean_name,
    clean_roles,
    normalise_email,
)
from microcareer.domain.accounts import Actor, Role, User
from microcareer.domain.confusables import imitates
from microcareer.domain.sign_in_throttle import ThrottleKey, ThrottlePolicy, ThrottleScope
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import throttle
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.ports import AccountRepository, Clock, PasswordHasher, UnitOfWork

SIGN_UP_ACCEPTED = (
    "Sign-up received. If no account used this e-mail address yet, yours is ready: sign in with the "
    "address and password you chose. If one did, nothing was changed: sign in with that account's password."
)


SIGN_UPS_LOCKED = "too many sign-ups from this address"


@dataclass(frozen=True, slots=True)
class SignUpOutcome:
    """What a sign-up did. The person signing up is told the same either way (``SIGN_UP_ACCEPTED``),
    so sign-up never tells whether an e-mail address has an account; only the caller's own code (and
    its logs for the operator) see ``created``."""

    created: User | None

    @property
    def message(self) -> str:
        return SIGN_UP_ACCEPTED


def check_no_imitation(accounts: AccountRepository, *, email: str, display_name: str) -> None:
    """Refuse an e-mail or display name that looks like an existing account's but is spelled with
    other characters (Unicode confusables: ``domain/confusables.py``); the same name twice is fine."""
    for other in accounts.users_looking_like(email=email, display_name=display_name):
        if imitates(email, other.email):
            raise InvalidInput(
                "email: looks like the address of an existing account but is spelled with other "
                "characters (look-alike letters from another script): use your own address",
                field="email",
            )
        if imitates(display_name, other.display_name):
            raise InvalidInput(
                f"display_name: {display_name!r} looks like the name of an existing account but is "
                "spelled with other characters (look-alike letters from another script): write it "
                "in the letters you normally use",
                field="display_name",
            )


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
        check_no_imitation(uow.accounts, email=address, display_name=name)
        user = uow.accounts.add_user(
            email=address,
            display_name=name,
            password_hash=passwords.hash(password),
            roles=wanted,
            created_at=clock(),
        )
        uow.commit()
    return user


def sign_up(
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
    client_address: str | None = None,
    policy: ThrottlePolicy | None = None,
) -> SignUpOutcome:
    """Sign up, signed out, without telling whether the e-mail has an account.

    Input is checked as for ``create_user`` (answers that depend only on what was typed); an address
    that has an account already leaves it untouched and answers as a new one would, after hashing the
    password anyway so the time taken tells nothing either. There is no mailer to tell the owner.
    Sign-ups are counted per client address: past ``policy.sign_ups_per_address`` in its window the
    address waits (``TooManyAttempts``), which bounds how many e-mails one client can try.
    """
    authorize(actor, Action.USER_SIGN_UP)
    if not allow_signup:
        raise PermissionDenied("sign-up is closed on this platform: ask an administrator for an account")
    limits = policy or ThrottlePolicy()
    keys = [ThrottleKey.of(ThrottleScope.SIGN_UP, client_address)] if client_address else []
    now = clock()
    locked = throttle.locked_until(uow, keys, now=now, policy=limits) if keys else None
    if locked is not None:
        raise throttle.too_many(locked, now, SIGN_UPS_LOCKED)
    wanted = clean_roles(roles)
    if not wanted <= SIGN_UP_ROLES:
        allowed = " or ".join(sorted((r.value for r in SIGN_UP_ROLES), reverse=True))
        raise PermissionDenied(f"roles: sign-up may only choose {allowed}")
    address = normalise_email(email)
    name = clean_name(display_name)
    check_password(password, email=address)
    password_hash = passwords.hash(password)
    if keys:
        throttle.count_attempt(uow, keys, now=now, policy=limits)
    try:
        with uow:
            if uow.accounts.get_user_by_email(address) is not None:
                return SignUpOutcome(created=None)
            check_no_imitation(uow.accounts, email=address, display_name=name)
            user = uow.accounts.add_user(
                email=address,
                display_name=name,
                password_hash=password_hash,
                roles=wanted,
                created_at=clock(),
            )
            uow.commit()
    except Conflict:
        return SignUpOutcome(created=None)  # the same address signed up at the same moment
    return SignUpOutcome(created=user)


def may_create_users(actor: Actor) -> bool:
    """Platform admins (and the system) create accounts; everyone else signs up."""
    return is_allowed(actor, Action.USER_CREATE)


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
