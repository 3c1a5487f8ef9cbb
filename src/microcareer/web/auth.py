"""Who is looking at a page: the session cookie's user, and the context every page renders with.

Pages use ``page_context(request, ...)`` (fills ``user`` and ``csrf_token`` for ``base.html``) and
``WebActorDep`` (the actor for the services). Pages only read the cookie, never a bearer token: a
browser sends no bearer token, and a stale cookie simply means signed out.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from microcareer.bootstrap import Platform
from microcareer.domain.access_tokens import csrf_matches, csrf_token_for
from microcareer.domain.accounts import Actor
from microcareer.errors import NotAuthenticated
from microcareer.services.identity import Identity
from microcareer.services.organisations import administered_by, joined_by
from microcareer.services.sessions import SESSION_COOKIE, identify_session

_UNSET = object()


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def current_identity(request: Request) -> Identity | None:
    """The signed-in user and actor, looked up once per request."""
    cached = getattr(request.state, "mc_identity", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    identity: Identity | None = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        platform = platform_of(request)
        try:
            identity = identify_session(platform.uow(), token=token, clock=platform.clock)
        except NotAuthenticated:
            identity = None
    request.state.mc_identity = identity
    return identity


def current_actor(request: Request) -> Actor:
    identity = current_identity(request)
    return identity.actor if identity is not None else Actor.anonymous()


WebActorDep = Annotated[Actor, Depends(current_actor)]


def csrf_token(request: Request) -> str | None:
    """The form token of this session (an HMAC of the cookie), or None when signed out."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or current_identity(request) is None:
        return None
    return csrf_token_for(token, platform_of(request).settings.secret_key.get_secret_value())


def form_csrf_ok(request: Request, given: str | None) -> bool:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    return csrf_matches(given, token, platform_of(request).settings.secret_key.get_secret_value())


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every template needs: the request, the signed-in user (or None) and the CSRF token."""
    identity = current_identity(request)
    user = identity.user if identity is not None else None
    uow = platform_of(request).uow
    administered = [] if identity is None else administered_by(uow(), actor=identity.actor)
    joined = [] if identity is None else joined_by(uow(), actor=identity.actor)
    return {
        "request": request,
        "user": user,
        "csrf_token": csrf_token(request),
        "administered_organisations": administered,  # the navigation links their skills pages
        "member_organisations": joined,  # and their idea boards
        **values,
    }
