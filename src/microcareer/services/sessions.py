"""Signing in: checking a password, and web sessions carried by a cookie.

These calls establish who the actor is, so they come before the gate (``services/access.py``) rather
than through it: a session only ever acts for the user whose password opened it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from microcareer.domain.access_tokens import WebSession, new_session_token, token_hash
from microcareer.domain.account_rules import PASSWORD_MAX_LENGTH, normalise_email
from microcareer.domain.accounts import Actor, User
from microcareer.domain.sign_in_throttle import ThrottleKey, ThrottlePolicy, ThrottleScope
from microcareer.errors import InvalidInput, NotAuthenticated
from microcareer.services import throttle
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.identity import Identity, identity_of
from microcareer.services.ports import Clock, PasswordHasher, UnitOfWork

SESSION_COOKIE = "mc_session"
WRONG_CREDENTIALS = "the email or password is wrong"


@dataclass(frozen=True, slots=True)
class IssuedSession:
    """A new session: ``token`` goes into the cookie once and is stored only as its SHA-256."""

    token: str
    session: WebSession
    user: User


def authenticate(uow: UnitOfWork, *, email: str, password: str, passwords: PasswordHasher) -> User:
    """The user with this email and password; one error for unknown email, wrong password or inactive."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        raise NotAuthenticated(WRONG_CREDENTIALS) from None
    if len(password) > PASSWORD_MAX_LENGTH:
        raise NotAuthenticated(WRONG_CREDENTIALS)
    with uow:
        user = uow.accounts.get_user_by_email(address)
        stored = uow.accounts.password_hash_of(user.id) if user is not None else None
        if user is None or stored is None:
            passwords.hash(password)  # spend the same time as a real check, so timing tells nothing
            raise NotAuthenticated(WRONG_CREDENTIALS)
        if not passwords.verify(stored, password) or not user.is_active:
            raise NotAuthenticated(WRONG_CREDENTIALS)
        if passwords.needs_rehash(stored):
            uow.accounts.set_password_hash(user.id, passwords.hash(password))
            uow.commit()
    return user


def throttle_keys(email: str, client_address: str | None) -> list[ThrottleKey]:
    """The counts a sign-in attempt touches: its account (the e-mail as typed, normalised where it
    can be; an unknown one counts like a known one) and, when known, the client's address."""
    try:
        account = normalise_email(email)
    except InvalidInput:
        account = " ".join(email.split()).lower()[:400]
    keys = [ThrottleKey.of(ThrottleScope.ACCOUNT, account)]
    if client_address:
        keys.append(ThrottleKey.of(ThrottleScope.ADDRESS, client_address))
    return keys


SIGN_IN_LOCKED = "too many failed sign-ins for this account or from this address"


def unlock_sign_in(
    uow: UnitOfWork, *, actor: Actor, email: str | None = None, address: str | None = None
) -> list[str]:
    """Lift the sign-in lock of an e-mail, of a client address, or both, and forget their failures
    (platform admins and the operator): the owner of an account a stranger keeps locked signs in at
    once. Returns what was cleared, in words. The e-mail is normalised as sign-in normalises it; the
    address is checked to be one."""
    authorize(actor, Action.USER_UNLOCK, Resource())
    keys: list[tuple[str, ThrottleKey]] = []
    if email is not None and email.strip():
        account = throttle_keys(email, None)[0]
        keys.append((f"the account {' '.join(email.split()).lower()}", account))
    if address is not None and address.strip():
        given = address.strip()
        try:
            parsed = ipaddress.ip_address(given)
        except ValueError:
            raise InvalidInput(f"address: {given!r} is not an IP address", field="address") from None
        keys.append((f"the address {parsed}", ThrottleKey.of(ThrottleScope.ADDRESS, str(parsed))))
    if not keys:
        raise InvalidInput("give an e-mail or an address to unlock", field="email")
    with uow:
        for _, key in keys:
            uow.accounts.clear_sign_in_failures(key)
        uow.commit()
    return [words for words, _ in keys]


def sign_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    passwords: PasswordHasher,
    clock: Clock,
    client_address: str | None,
    policy: ThrottlePolicy,
) -> User:
    """``authenticate`` behind the throttle: a locked account or address is refused before any
    password is checked (``TooManyAttempts``), a failure is counted and may lock, a success clears
    the account's count. Unknown e-mails are counted and locked like real ones."""
    keys = throttle_keys(email, client_address)
    now = clock()
    locked = throttle.locked_until(uow, keys, now=now, policy=policy)
    if locked is not None:
        raise throttle.too_many(locked, now, SIGN_IN_LOCKED)
    try:
        user = authenticate(uow, email=email, password=password, passwords=passwords)
    except NotAuthenticated:
        locked = throttle.count_attempt(uow, keys, now=now, policy=policy)
        if locked is not None:
            raise throttle.too_many(locked, now, SIGN_IN_LOCKED) from None
        raise
    with uow:
        uow.accounts.clear_sign_in_failures(keys[0])
        uow.commit()
    return user


def log_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    passwords: PasswordHasher,
    clock: Clock,
    session_hours: int,
    client_address: str | None = None,
    policy: ThrottlePolicy | None = None,
) -> IssuedSession:
    """Check the password (throttled: ``sign_in``) and start a web session for that user."""
    user = sign_in(
        uow,
        email=email,
        password=password,
        passwords=passwords,
        clock=clock,
        client_address=client_address,
        policy=policy or ThrottlePolicy(),
    )
    return start_session(uow, user=user, clock=clock, session_hours=session_hours)


def start_session(uow: UnitOfWork, *, user: User, clock: Clock, session_hours: int) -> IssuedSession:
    """A new session for an authenticated user, valid for ``session_hours``."""
    token = new_session_token()
    now = clock()
    with uow:
        session = uow.accounts.add_session(
            user_id=user.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(hours=session_hours),
        )
        uow.commit()
    return IssuedSession(token=token, session=session, user=user)


def identify_session(uow: UnitOfWork, *, token: str, clock: Clock) -> Identity:
    """The user and actor of a session cookie; NotAuthenticated if unknown, expired, ended or inactive."""
    with uow:
        held = uow.accounts.session_holder(token_hash(token))  # the session, its user and roles: one read
        if held is None or not held[0].is_usable(clock()) or not held[1].is_active:
            raise NotAuthenticated("the session has expired or ended: sign in again")
        return identity_of(uow.accounts, held[1])


def end_session(uow: UnitOfWork, *, token: str, clock: Clock) -> None:
    """Sign out: the session's cookie stops working at once. Unknown tokens are ignored."""
    with uow:
        session = uow.accounts.session_by_hash(token_hash(token))
        if session is not None:
            uow.accounts.revoke_session(session.id, at=clock())
            uow.commit()
