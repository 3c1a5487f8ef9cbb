"""Personal access tokens for the API: create (shown once), list, revoke, and resolve to an actor."""

from __future__ import annotations

from datetime import datetime, timedelta

from microcareer.domain.access_tokens import (
    ApiToken,
    IssuedToken,
    clean_token_name,
    looks_like_api_token,
    new_api_token,
    shown_prefix,
    token_hash,
)
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.identity import Identity, identity_of
from microcareer.services.ports import Clock, UnitOfWork
from microcareer.services.token_cache import TokenIdentities

# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_EXPIRY_DAYS = 3650
DEFAULT_EXPIRY_DAYS = 90
BAD_TOKEN = "the bearer token is unknown, expired or revoked"  # noqa: S105 - a message, not a secret


def create_token(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    name: str,
    clock: Clock,
    expires_days: int | None = None,
    default_days: int = DEFAULT_EXPIRY_DAYS,
) -> IssuedToken:
    """A new token for ``user_id``; its plaintext is in the result and nowhere else, ever.

    Every token expires: after ``expires_days``, or ``default_days`` (the setting
    ``MICROCAREER_TOKEN_DEFAULT_DAYS``) when none is given."""
    authorize(actor, Action.TOKEN_MANAGE, Resource(owner_user_id=user_id))
    cleaned = clean_token_name(name)
    days = default_days if expires_days is None else expires_days
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidInput(
            f"expires_days: must be between 1 and {MAX_EXPIRY_DAYS} (left out: {default_days})",
            field="expires_days",
        )
    plaintext = new_api_token()
    now = clock()
    expires_at: datetime = now + timedelta(days=days)
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user with id {user_id}")
        token = uow.accounts.add_token(
            user_id=user_id,
            name=cleaned,
            prefix=shown_prefix(plaintext),
            token_hash=token_hash(plaintext),
            created_at=now,
            expires_at=expires_at,
        )
        uow.commit()
    return IssuedToken(plaintext=plaintext, token=token)


def list_tokens(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[ApiToken]:
    """A user's tokens, revoked and expired ones included (never their plaintext or hash)."""
    authorize(actor, Action.TOKEN_MANAGE, Resource(owner_user_id=user_id))
    with uow:
        return uow.accounts.tokens_of(user_id)


def revoke_token(uow: UnitOfWork, *, actor: Actor, token_id: int, clock: Clock) -> ApiToken:
    """Revoke a token at once; someone else's token is reported as not found, not as forbidden.

    This process forgets what it remembered of every token at once; other server processes take the
    token for at most their few seconds (``services/token_cache.py``)."""
    authorize(actor, Action.TOKEN_MANAGE, Resource(owner_user_id=actor.user_id))
    with uow:
        token = uow.accounts.get_token(token_id)
        if token is None or not is_allowed(actor, Action.TOKEN_MANAGE, Resource(owner_user_id=token.user_id)):
            raise NotFound(f"no token with id {token_id}")
        uow.accounts.revoke_token(token_id, at=clock())
        revoked = uow.accounts.get_token(token_id)
        uow.commit()
    assert revoked is not None
    return revoked


def identify_token(
    uow: UnitOfWork, *, token: str, clock: Clock, cache: TokenIdentities | None = None
) -> Identity:
    """The user and actor a bearer token acts for; NotAuthenticated if it is unknown, expired or revoked.

    With a ``cache``, what the store said is remembered for its few seconds (keyed by the token's hash)
    and the store is not read again meanwhile; the token's expiry is still checked every time."""
    if not looks_like_api_token(token):
        raise NotAuthenticated(BAD_TOKEN)
    now = clock()
    hashed = token_hash(token)
    seen = 0
    if cache is not None:
        remembered = cache.get(hashed, now=now)
        if remembered is not None:
            return remembered
        seen = cache.changes()  # before reading: a change committed meanwhile makes this entry lapse
    with uow:
        held = uow.accounts.token_holder(hashed)  # the token, its user and their roles: one read
        if held is None or not held[0].is_usable(now) or not held[1].is_active:
            raise NotAuthenticated(BAD_TOKEN)
        found, user = held
        identity = identity_of(uow.accounts, user)
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            uow.accounts.touch_token(found.id, at=now)
            uow.commit()
    if cache is not None:
        cache.remember(hashed, identity, expires_at=found.expires_at, changes=seen)
    return identity


def remembered_identity(cache: TokenIdentities, *, token: str, clock: Clock) -> Identity | None:
    """What ``cache`` remembers ``token`` acting for (still unexpired), without reading the store; None
    when it remembers nothing (then ``identify_token`` asks the store)."""
    if not looks_like_api_token(token):
        return None
    return cache.get(token_hash(token), now=clock())


def actor_for_token(
    uow: UnitOfWork, *, token: str, clock: Clock, cache: TokenIdentities | None = None
) -> Actor:
    return identify_token(uow, token=token, clock=clock, cache=cache).actor
