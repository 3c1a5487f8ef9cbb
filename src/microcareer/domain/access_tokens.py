"""Bearer tokens and session tokens: how they are made, shown and stored (only as SHA-256).

A personal access token reads ``mcp_<43 url-safe characters>`` (256 random bits) so secret scanners
and people can recognise it; the store keeps its SHA-256 and a short prefix to tell tokens apart.
Session cookies carry a bare random token; the CSRF token of a session is an HMAC of it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from microcareer.errors import InvalidInput

TOKEN_PREFIX = "mcp_"  # noqa: S105 - the public marker of a token, not a secret
PREFIX_SHOWN = 12
TOKEN_NAME_MAX_LENGTH = 100


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal access token as the store knows it: never its plaintext."""

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def is_usable(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``plaintext`` is shown once and never stored."""

    plaintext: str
    token: ApiToken


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    user_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex of a token: tokens carry 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def shown_prefix(token: str) -> str:
    return token[:PREFIX_SHOWN]


def looks_like_api_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 20 <= len(token) <= 200


def csrf_token_for(session_token: str, secret: str) -> str:
    """The CSRF token bound to one session: HMAC-SHA256 of the session token under the server secret."""
    mac = hmac.new(secret.encode("utf-8"), b"csrf:" + session_token.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()


def csrf_matches(given: str | None, session_token: str, secret: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(given, csrf_token_for(session_token, secret))


def clean_token_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("name: a token needs a name, to tell it apart later", field="name")
    if len(cleaned) > TOKEN_NAME_MAX_LENGTH:
        raise InvalidInput(f"name: must be at most {TOKEN_NAME_MAX_LENGTH} characters", field="name")
    return cleaned
