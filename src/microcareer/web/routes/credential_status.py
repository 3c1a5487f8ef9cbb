"""Revoking, suspending and reinstating an issued credential from its issuer's page, with a confirmation.

The issued list links "Revoke…" and "Suspend…" to ``/issuers/{slug}/credentials/{uuid}/{action}``, a
page that says what will happen (revoking is final) and whom it concerns, with the reason to give and
the one button that does it. That works without JavaScript. ``POST /issuers/{slug}/credentials/status``
changes the status only when the form says ``confirm=yes``; revoke or suspend without it is sent to
the confirmation page, the reason kept. Reinstating needs no confirmation (it undoes a suspension).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import achievements, credential_issuers, credential_issuing
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.issuing import can_manage, forbidden, issuer_action
from microcareer.web.routes.profiles import not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

STATUS_ACTIONS = ("revoke", "suspend", "reinstate")
CONFIRMED_ACTIONS = ("revoke", "suspend")
"""What takes a confirmation step: revoking is final, suspending stops the credential verifying."""
MAX_REASON = 500
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _status_url(slug: str, credential_id: str, action: str, reason: str) -> str:
    query = f"?{urlencode({'reason': reason})}" if reason else ""
    return f"/issuers/{slug}/credentials/{credential_id}/{action}{query}"


def _change_status(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    action = field_of(data, "action")
    if action not in STATUS_ACTIONS:
        raise InvalidInput(f"action: one of {', '.join(STATUS_ACTIONS)}", field="action")
    credential_id = field_of(data, "credential")
    issuer = credential_issuers.find_issuer(platform.uow(), slug)
    record = credential_issuing.credential_record(platform.uow(), credential_id)
    if record.issuer_id != issuer.id:
        raise NotFound(f"issuer {slug!r} issued no credential {credential_id}")
    reason = field_of(data, "reason").strip()[:MAX_REASON]
    if action in CONFIRMED_ACTIONS and field_of(data, "confirm") != "yes":
        return _status_url(slug, record.id, action, reason)
    credential_issuing.change_status(
        platform.uow(),
        actor=actor,
        credential_id=record.id,
        action=action,  # type: ignore[arg-type]  # checked against STATUS_ACTIONS above
        reason=reason,
        now=platform.clock(),
    )
    return f"/issuers/{slug}#credential-{record.id}"


@router.post("/issuers/{slug}/credentials/status", response_class=HTMLResponse)
async def change_status(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    return await issuer_action(request, platform, actor, slug, "issued", _change_status)


@router.get("/issuers/{slug}/credentials/{credential_key}/{action}", response_class=HTMLResponse)
def confirm_status_page(
    slug: str,
    credential_key: str,
    action: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    reason: Annotated[str, Query(max_length=MAX_REASON)] = "",
) -> Response:
    """What revoking (or suspending) this credential does, and the button that does it."""
    if current_identity(request) is None:
        return to_login(f"/issuers/{slug}/credentials/{credential_key}/{action}")
    if action not in CONFIRMED_ACTIONS or not _UUID.fullmatch(credential_key):
        return not_found(request, f"no page {request.url.path!r}")
    try:
        issuer = credential_issuers.find_issuer(platform.uow(), slug)
        record = credential_issuing.credential_record(platform.uow(), credential_key)
        if record.issuer_id != issuer.id:
            raise NotFound(f"issuer {slug!r} issued no credential {credential_key}")
        achievement = achievements.get_achievement(platform.uow(), record.achievement_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    if not can_manage(actor, issuer):
        return forbidden(
            request,
            "you may not do this: only the issuer's managers change a credential's status",
            f"/issuers/{slug}",
        )
    context = page_context(
        request,
        issuer=issuer,
        record=record,
        achievement_name=achievement.definition.name,
        action=action,
        reason=reason,
        suspendable=record.status_purpose == "suspension",
    )
    return templates.TemplateResponse(request, "credentials/confirm_status.html", context)
