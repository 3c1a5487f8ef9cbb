"""A confirmation step for actions that cannot be undone, without JavaScript.

The destructive button posts its form as usual; without ``confirm=yes`` the route answers with a page
that says what will happen and sends the same fields again, plus ``confirm=yes``, from a red button
(or goes back). Scripts and API clients are not affected: this is the web pages' step only.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from microcareer.web.auth import page_context
from microcareer.web.templating import templates

CONFIRM_FIELD = "confirm"


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says: its title, what will happen, the button, and where "back" goes."""

    title: str
    consequence: str
    button: str


def confirmed(data: FormData) -> bool:
    return data.get(CONFIRM_FIELD) == "yes"


def confirmation_page(
    request: Request, confirmation: Confirmation, data: FormData, *, back: str
) -> HTMLResponse:
    """The page asking to confirm: the form's own fields (not its token: the page has a fresh one)."""
    fields = [
        (name, value)
        for name, value in data.multi_items()
        if isinstance(value, str) and name not in ("csrf_token", CONFIRM_FIELD)
    ]
    context = page_context(
        request, confirmation=confirmation, action=request.url.path, fields=fields, back=back
    )
    return templates.TemplateResponse(request, "confirm.html", context)
