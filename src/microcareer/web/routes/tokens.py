"""``/tokens``: the signed-in person's API tokens: make one (shown once), see when each expires, revoke.

The same services as the API's ``/api/v1/tokens`` and the CLI's ``tokens``: a new token lives for the
days asked, or ``MICROCAREER_TOKEN_DEFAULT_DAYS`` left empty; every token expires. Every form carries
the session's CSRF token; another person's token answers 404 as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.bootstrap import Platform
from microcareer.domain.access_tokens import IssuedToken
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import tokens
from microcareer.services.tokens import MAX_EXPIRY_DAYS
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.routes.profiles import CSRF_ERROR, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def _render(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    *,
    issued: IssuedToken | None = None,
    error: str | None = None,
    field: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = tokens.list_tokens(platform.uow(), actor=actor, user_id=user_id)
    context = page_context(
        request,
        tokens=found,
        now=platform.clock(),
        issued=issued,
        error=error,
        field=field,
        form=form or {"name": "", "expires_days": ""},
        default_days=platform.settings.token_default_days,
        max_days=MAX_EXPIRY_DAYS,
    )
    return templates.TemplateResponse(request, "tokens.html", context, status_code=status)


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/tokens")
    return _render(request, platform, actor, identity.user.id)


@router.post("/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    name: Annotated[str, Form(max_length=400)] = "",
    expires_days: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/tokens")
    user_id = identity.user.id
    form = {"name": name, "expires_days": expires_days}
    if not form_csrf_ok(request, csrf_token):
        return _render(request, platform, actor, user_id, error=CSRF_ERROR, form=form, status=403)
    try:
        days = int(expires_days) if expires_days.strip() else None
    except ValueError:
        error = f"expires_days: {expires_days[:20]!r} is not a whole number of days"
        return _render(
            request, platform, actor, user_id, error=error, field="expires_days", form=form, status=422
        )
    try:
        issued = tokens.create_token(
            platform.uow(),
            actor=actor,
            user_id=user_id,
            name=name,
            expires_days=days,
            default_days=platform.settings.token_default_days,
            clock=platform.clock,
        )
    except InvalidInput as exc:
        field = exc.extra.get("field")
        return _render(
            request,
            platform,
            actor,
            user_id,
            error=str(exc),
            field=field if isinstance(field, str) else None,
            form=form,
            status=422,
        )
    return _render(request, platform, actor, user_id, issued=issued)


@router.post("/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request,
    token_id: RowId,
    platform: PlatformDep,
    actor: WebActorDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/tokens")
    if not form_csrf_ok(request, csrf_token):
        return _render(request, platform, actor, identity.user.id, error=CSRF_ERROR, status=403)
    try:
        tokens.revoke_token(platform.uow(), actor=actor, token_id=token_id, clock=platform.clock)
    except NotFound as exc:
        return _render(request, platform, actor, identity.user.id, error=str(exc), status=404)
    return RedirectResponse("/tokens", status_code=303)
