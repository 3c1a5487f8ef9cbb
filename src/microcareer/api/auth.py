"""Who is calling the API: a bearer token, else the session cookie, else anonymous.

* ``Authorization: Bearer mcp_...``: a personal access token. A token that is unknown, expired or
  revoked is a 401 problem, never a silent fall back to anonymous, so scripts fail loudly.
* Cookie ``mc_session``: the web session. A stale cookie is simply no session (anonymous).

CSRF. A cookie rides along on cross-site requests; a bearer token does not. So an unsafe request
(POST, PUT, PATCH, DELETE) authenticated by the cookie must carry ``X-CSRF-Token``, equal to the
HMAC-SHA256 of the session token under ``secret_key`` (returned by ``POST /api/v1/sessions`` and
``GET /api/v1/sessions/current``, rendered into web pages). We chose a session-bound HMAC over a
bare marker header such as ``X-Requested-With``: a custom header alone would already need a CORS
pre-flight (which we never grant), but the HMAC also holds if a permissive CORS policy, a proxy or a
browser bug ever lets a header through, and it costs the server no storage. ``SameSite=Lax`` on the
cookie is a second, independent fence.
"""

from __future__ import annotations

from fastapi import Request

from microcareer.bootstrap import Platform
from microcareer.domain.access_tokens import csrf_matches
from microcareer.domain.accounts import Actor
from microcareer.errors import NotAuthenticated, PermissionDenied
from microcareer.services.identity import Identity
from microcareer.services.sessions import SESSION_COOKIE, identify_session
from microcareer.services.tokens import actor_for_token, remembered_identity

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; a malformed header is a 401."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise NotAuthenticated("the Authorization header must read 'Bearer <token>'")
    return credentials.strip()


def session_identity(request: Request, platform: Platform) -> tuple[str, Identity] | None:
    """The session cookie's token and identity, or None when there is no usable session."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return token, identify_session(platform.uow(), token=token, clock=platform.clock)
    except NotAuthenticated:
        return None


def check_csrf(request: Request, session_token: str, platform: Platform) -> None:
    if request.method in SAFE_METHODS:
        return
    secret = platform.settings.secret_key.get_secret_value()
    if not csrf_matches(request.headers.get(CSRF_HEADER), session_token, secret):
        raise PermissionDenied(
            f"a request signed in by cookie must carry the {CSRF_HEADER} header of its session "
            "(see POST /api/v1/sessions); scripts should use a bearer token instead"
        )


def remembered_actor(request: Request, platform: Platform) -> Actor | None:
    """The actor of the request's bearer token when this process remembers it (no store read), else
    None (no token, or one to look up: ``resolve_actor``)."""
    token = bearer_token(request)
    if token is None:
        return None
    identity = remembered_identity(platform.token_identities, token=token, clock=platform.clock)
    return None if identity is None else identity.actor


def resolve_actor(request: Request, platform: Platform) -> Actor:
    token = bearer_token(request)
    if token is not None:
        return actor_for_token(
            platform.uow(), token=token, clock=platform.clock, cache=platform.token_identities
        )
    found = session_identity(request, platform)
    if found is None:
        return Actor.anonymous()
    session_token, identity = found
    check_csrf(request, session_token, platform)
    return identity.actor
