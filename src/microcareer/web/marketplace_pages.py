"""What the marketplace pages share: reading a posted form, the 403 page, people's names, skill labels."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from microcareer.api.edge_guard import check_form
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.money import Money
from microcareer.errors import InvalidInput, MicrocareerError, NotFound
from microcareer.services import skill_names
from microcareer.services.profiles import visible_skill_labels
from microcareer.web.auth import page_context
from microcareer.web.templating import templates

MAX_FORM_FIELDS = 40


async def read_form(request: Request) -> FormData | str:
    """The posted fields, or why the form could not be read (too large, too many fields, malformed)."""
    try:
        return check_form(await request.form(max_files=0, max_fields=MAX_FORM_FIELDS))
    except HTTPException as exc:
        return f"The form could not be read: {exc.detail}"


def error_field(exc: MicrocareerError) -> str:
    """The form field an error names ("" when none): the page marks it invalid, next to the message."""
    return str(exc.extra.get("field") or "")


def forbidden(request: Request, message: str, back: str) -> HTMLResponse:
    context = page_context(request, heading="Not allowed", message=message, back=back)
    return templates.TemplateResponse(request, "credentials/message.html", context, status_code=403)


def key_of(text: str) -> int | None:
    """A path's numeric id, or None when it is not one (answered as not found)."""
    return int(text) if text.isdigit() and len(text) < 12 else None


def user_names(platform: Platform, user_ids: Iterable[int]) -> dict[int, str]:
    """Display names of the people a page mentions (parties, applicants, candidates)."""
    names: dict[int, str] = {}
    with platform.uow() as uow:
        for user_id in sorted(set(user_ids)):
            user = uow.accounts.get_user(user_id)
            names[user_id] = user.display_name if user is not None else f"user {user_id}"
    return names


def organisation_names(platform: Platform, organisation_ids: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    with platform.uow() as uow:
        for organisation_id in sorted(set(organisation_ids)):
            found = uow.accounts.get_organisation(organisation_id)
            names[organisation_id] = found.name if found is not None else f"organisation {organisation_id}"
    return names


def skill_labels(platform: Platform, actor: Actor, uris: Iterable[str]) -> dict[str, str]:
    """Preferred labels of skills the actor may see; others keep the end of their URI."""
    wanted = list(dict.fromkeys(uris))
    if not wanted:
        return {}
    with platform.uow() as uow:
        labels = visible_skill_labels(uow, actor, wanted)
    return {uri: labels.get(uri, uri.rsplit("/", 1)[-1]) for uri in wanted}


def resolve_skill(platform: Platform, actor: Actor, text: str, field: str) -> str:
    """A skill's URI from its label, key or URI; ``InvalidInput`` naming the field when none matches."""
    try:
        return skill_names.resolve_skill(
            platform.uow(), platform.caches, platform.lexicons, actor=actor, text=text
        ).skill.uri
    except NotFound as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from None


def formatted(amount_minor: int, currency: str) -> str:
    return Money(amount_minor, currency).format()


def major(amount: Money) -> str:
    """The amount as a form shows it: ``12.50`` for EUR 12.50."""
    return amount.format().split(" ", 1)[1]
