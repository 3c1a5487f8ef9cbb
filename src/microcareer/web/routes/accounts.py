"""Sign in and sign out pages. Both forms carry a CSRF token.

Signing in is guarded by a double-submit token (a short-lived cookie and the same value in the form),
so another site cannot sign a visitor into an account of its choosing; signing out by the session's
own CSRF token (``web/auth.py``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microcareer.api.client_address import client_address
from microcareer.api.prefix_router import PrefixRouter
from microcareer.domain.accounts import Actor, Role
from microcareer.errors import InvalidInput, NotAuthenticated, PermissionDenied, TooManyAttempts
from microcareer.services import sessions, users
from microcareer.services.sessions import SESSION_COOKIE
from microcareer.web.auth import current_identity, form_csrf_ok, page_context, platform_of
from microcareer.web.devices import remember_device
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "mc_login_csrf"
LOGIN_CSRF_SECONDS = 3600
SIGNUP_CSRF_COOKIE = "mc_signup_csrf"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (``//evil``, ``/\\evil``, ``https://...``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(
    request: Request,
    *,
    next_url: str,
    error: str | None,
    status: int,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    settings = platform_of(request).settings
    login_csrf = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "login.html",
        page_context(
            request,
            next_url=next_url,
            error=error,
            login_csrf=login_csrf,
            signup_open=settings.allow_signup,
        ),
        status_code=status,
        headers=headers,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        login_csrf,
        max_age=LOGIN_CSRF_SECONDS,
        path="/login",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    if current_identity(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_url=safe_next(next), error=None, status=200)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    target = safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        error = "The sign-in form expired. Please try again."
        return _login_page(request, next_url=target, error=error, status=403)
    platform = platform_of(request)
    try:
        issued = sessions.log_in(
            platform.uow(),
            email=email,
            password=password,
            passwords=platform.passwords,
            clock=platform.clock,
            session_hours=platform.settings.session_hours,
            client_address=client_address(request, platform.settings),
            policy=platform.settings.sign_in_policy(),
        )
    except TooManyAttempts as exc:
        error = str(exc).capitalize() + "."
        headers = {"Retry-After": str(exc.retry_after)}
        return _login_page(request, next_url=target, error=error, status=429, headers=headers)
    except NotAuthenticated as exc:
        return _login_page(request, next_url=target, error=str(exc).capitalize() + ".", status=400)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=platform.settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=platform.settings.cookie_secure,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    remember_device(request, response, platform, issued.user.id)  # a collusion signal: docs/trust.md
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and not form_csrf_ok(request, csrf_token):
        return HTMLResponse("<p>That sign-out form did not come from this site.</p>", status_code=403)
    platform = platform_of(request)
    if token:
        sessions.end_session(platform.uow(), token=token, clock=platform.clock)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=platform.settings.cookie_secure
    )
    return response


def _signup_page(
    request: Request,
    *,
    status: int,
    error: str | None = None,
    field: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    settings = platform_of(request).settings
    signup_csrf = secrets.token_urlsafe(24)
    context = page_context(
        request,
        error=error,
        field=field,
        form=form or {"email": "", "display_name": "", "role": "professional"},
        done=done,
        closed=not settings.allow_signup,
        signup_csrf=signup_csrf,
    )
    response = templates.TemplateResponse(request, "signup.html", context, status_code=status)
    response.set_cookie(
        SIGNUP_CSRF_COOKIE,
        signup_csrf,
        max_age=LOGIN_CSRF_SECONDS,
        path="/signup",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    if current_identity(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _signup_page(request, status=200)


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    email: Annotated[str, Form(max_length=400)] = "",
    display_name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    role: Annotated[str, Form(max_length=40)] = Role.PROFESSIONAL.value,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The same page for a new e-mail and one that has an account (``users.sign_up``)."""
    form = {"email": email, "display_name": display_name, "role": role}
    expected = request.cookies.get(SIGNUP_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        error = "The sign-up form expired. Please try again."
        return _signup_page(request, status=403, error=error, form=form)
    if current_identity(request) is not None:
        return RedirectResponse("/", status_code=303)
    platform = platform_of(request)
    try:
        outcome = users.sign_up(
            platform.uow(),
            actor=Actor.anonymous(),
            email=email,
            display_name=display_name,
            password=password,
            roles=[role],
            passwords=platform.passwords,
            clock=platform.clock,
            allow_signup=platform.settings.allow_signup,
            client_address=client_address(request, platform.settings),
            policy=platform.settings.sign_in_policy(),
        )
    except TooManyAttempts as exc:
        message = str(exc)
        response = _signup_page(request, status=429, error=message[0].upper() + message[1:] + ".", form=form)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except InvalidInput as exc:
        field = exc.extra.get("field")
        message = str(exc)
        return _signup_page(
            request,
            status=422,
            error=message[0].upper() + message[1:],
            field=field if isinstance(field, str) else None,
            form=form,
        )
    except PermissionDenied as exc:
        message = str(exc)
        return _signup_page(request, status=403, error=message[0].upper() + message[1:], form=form)
    response = _signup_page(request, status=200, done=outcome.message)
    response.delete_cookie(SIGNUP_CSRF_COOKIE, path="/signup")
    return response
