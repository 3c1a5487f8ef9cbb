"""Signing in and out of the web session (an HttpOnly cookie), from the API."""

from __future__ import annotations

from fastapi import Request, Response, status

from microcareer.api.auth import session_identity
from microcareer.api.client_address import client_address
from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import SessionCreate, SessionPublic, UserPublic
from microcareer.bootstrap import Platform
from microcareer.domain.access_tokens import csrf_token_for
from microcareer.errors import NotAuthenticated
from microcareer.services import sessions
from microcareer.services.sessions import SESSION_COOKIE

router = PrefixRouter(prefix="/sessions", tags=["sessions"], route_class=OneHopRoute)


def set_session_cookie(response: Response, token: str, platform: Platform) -> None:
    settings = platform.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def clear_session_cookie(response: Response, platform: Platform) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=platform.settings.cookie_secure
    )


def _csrf(token: str, platform: Platform) -> str:
    return csrf_token_for(token, platform.settings.secret_key.get_secret_value())


@router.post(
    "",
    response_model=SessionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Sign in (sets a cookie)",
    responses={
        401: {"description": "The e-mail or password is wrong (one answer for both)."},
        429: {"description": "Too many failed sign-ins for the account or address: see Retry-After."},
    },
)
def log_in(body: SessionCreate, request: Request, platform: PlatformDep, response: Response) -> SessionPublic:
    """Check email and password and start a web session; the cookie is HttpOnly and SameSite=Lax.

    Failed sign-ins are counted per e-mail and per client address; past the settings' limits the
    answer is 429 with Retry-After, before any password is checked."""
    issued = sessions.log_in(
        platform.uow(),
        email=body.email,
        password=body.password.get_secret_value(),
        passwords=platform.passwords,
        clock=platform.clock,
        session_hours=platform.settings.session_hours,
        client_address=client_address(request, platform.settings),
        policy=platform.settings.sign_in_policy(),
    )
    set_session_cookie(response, issued.token, platform)
    return SessionPublic(
        user=UserPublic.of(issued.user),
        expires_at=issued.session.expires_at,
        csrf_token=_csrf(issued.token, platform),
    )


@router.get("/current", response_model=SessionPublic, summary="The current web session")
def current(request: Request, platform: PlatformDep) -> SessionPublic:
    found = session_identity(request, platform)
    if found is None:
        raise NotAuthenticated("no web session: sign in with POST /api/v1/sessions")
    token, identity = found
    return SessionPublic(user=UserPublic.of(identity.user), csrf_token=_csrf(token, platform))


@router.delete("/current", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
def log_out(request: Request, platform: PlatformDep, actor: ActorDep) -> Response:
    """End the web session now (needs the X-CSRF-Token header, as every cookie-signed change does)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token is None or actor.user_id is None:
        raise NotAuthenticated("no web session to end")
    sessions.end_session(platform.uow(), token=token, clock=platform.clock)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, platform)
    return response
