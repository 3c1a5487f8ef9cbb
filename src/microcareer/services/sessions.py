"""Signing in: checking a password, and web sessions carried by a cookie.

These calls establish who the actor is, so they come before the gate (``services/access.py``) rather
than through it: a session only ever acts for the user whose password opened it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from microcareer.domain.access_tokens import WebSession, new_session_token, token_hash
from microcareer.domain.account_rules import PASSWORD_MAX_LENGTH, normalise_email
from microcareer.domain.accounts import User
from microcareer.errors import InvalidInput, NotAuthenticated
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


def log_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    passwords: PasswordHasher,
    clock: Clock,
    session_hours: int,
) -> IssuedSession:
    """Check the password and start a web session for that user."""
    user = authenticate(uow, email=email, password=password, passwords=passwords)
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
        session = uow.accounts.session_by_hash(token_hash(token))
        if session is None or not session.is_usable(clock()):
            raise NotAuthenticated("the session has expired or ended: sign in again")
        user = uow.accounts.get_user(session.user_id)
        if user is None or not user.is_active:
            raise NotAuthenticated("the session has expired or ended: sign in again")
        return identity_of(uow.accounts, user)


def end_session(uow: UnitOfWork, *, token: str, clock: Clock) -> None:
    """Sign out: the session's cookie stops working at once. Unknown tokens are ignored."""
    with uow:
        session = uow.accounts.session_by_hash(token_hash(token))
        if session is not None:
            uow.accounts.revoke_session(session.id, at=clock())
            uow.commit()
