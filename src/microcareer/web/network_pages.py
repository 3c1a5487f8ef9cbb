"""What the network's pages share: the signed-in person, a posted form checked (size, CSRF) and the
action run, then back to the page; a refusal shown as a page that says what was wrong, with its status."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.errors import MicrocareerError
from microcareer.web.auth import current_identity, form_csrf_ok, page_context
from microcareer.web.marketplace_pages import read_form
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, to_login
from microcareer.web.templating import templates

Action = Callable[[FormData, int], str | None]
"""Runs the posted action for the signed-in user's id; returns where to go next (None: back)."""


def refusal(request: Request, message: str, back: str, status: int) -> HTMLResponse:
    context = page_context(request, heading="This could not be done", message=message, back=back)
    return templates.TemplateResponse(request, "credentials/message.html", context, status_code=status)


def number(text: str) -> int | None:
    value = text.strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def skill_texts(text: str) -> list[str]:
    """Skills typed in one field, separated by commas or new lines."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()][:20]


async def act(request: Request, back: str, action: Action) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login(back, request)
    data = await read_form(request)
    if isinstance(data, str):
        return refusal(request, data, back, 400)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return refusal(request, CSRF_ERROR, back, 403)
    try:
        target = await run_in_threadpool(action, data, identity.user.id)
    except MicrocareerError as exc:
        return refusal(request, str(exc), back, exc.status)
    return RedirectResponse(target or back, status_code=303)
