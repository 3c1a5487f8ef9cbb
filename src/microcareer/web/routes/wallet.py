"""The signed-in person's wallet: their credentials, imports, what they show, and a CLR download.

``/wallet`` lists every entry (issued here, or imported) with its state (for one issued here, its
status now) and its issuer's standing; a pending one (issued to this person by someone else) has
accept and decline buttons, an accepted one a form to show or hide it on the profile and a remove
button, which asks first on a confirmation page; ``/wallet/import`` verifies an uploaded file
(``services/wallet.import_credential``) and shows its report, or why it was refused;
``/wallet/{entry}/verify`` checks an entry again. ``/wallet/clr.json`` downloads a signed CLR 2.0 of
the public (``?scope=public``) or all JSON-LD entries. Every form carries the session's CSRF token;
another person's entry answers 404 as one that does not exist.

The profile page shows the public entries (``wallet.public_wallet``) in its "Credentials" section.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.admission import run_verification
from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.records import WalletEntry
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.errors import InvalidInput, MicrocareerError, NotFound, PermissionDenied
from microcareer.services import wallet
from microcareer.services.credential_verification import verify
from microcareer.services.wallet import MAX_IMPORT_BYTES
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.confirmation import Confirmation, confirmation_page, confirmed
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

ACCEPTED = ".json,.jwt,.txt,.png,.svg"


def _render(
    request: Request,
    platform: Platform,
    actor: Actor,
    *,
    user_id: int,
    report: VerificationReport | None = None,
    imported: WalletEntry | None = None,
    source: str = "",
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    items = wallet.wallet(platform.uow(), actor=actor, user_id=user_id)
    context = page_context(
        request,
        items=items,
        report=report,
        imported=imported,
        source=source,
        error=error,
        accepted=ACCEPTED,
        max_mib=MAX_IMPORT_BYTES // 2**20,
    )
    return templates.TemplateResponse(request, "credentials/wallet.html", context, status_code=status)


@router.get("/wallet", response_class=HTMLResponse)
def wallet_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/wallet")
    return _render(request, platform, actor, user_id=identity.user.id)


@router.post("/wallet/import", response_class=HTMLResponse)
async def import_file(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Verify the uploaded credential and add it; the page shows the report, or why it was refused."""
    identity = current_identity(request)
    if identity is None:
        return to_login("/wallet")
    user_id = identity.user.id
    try:
        async with request.form(max_files=1, max_fields=5) as data:
            check_form(data)
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                return await run_in_threadpool(_answer, request, platform, actor, user_id, CSRF_ERROR, 403)
            upload = data.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                error = "file: choose a credential file to import"
                return await run_in_threadpool(_answer, request, platform, actor, user_id, error, 422)
            source, content = upload.filename, await upload.read(MAX_IMPORT_BYTES + 1)
    except HTTPException as exc:  # the form parser's refusal: too large, too many fields, malformed
        error = f"The form could not be read: {exc.detail}"
        return await run_in_threadpool(_answer, request, platform, actor, user_id, error, 400)
    try:  # verified in a verification slot (503/429 with Retry-After when none comes free)
        imported = await run_verification(
            request, platform, partial(_import, platform, actor, user_id, source, content)
        )
    except MicrocareerError as exc:
        response = await run_in_threadpool(_answer, request, platform, actor, user_id, str(exc), exc.status)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    entry, report = imported
    shown = partial(_render, request, platform, actor, user_id=user_id, report=report, imported=entry)
    return await run_in_threadpool(shown, source=source)


def _answer(
    request: Request, platform: Platform, actor: Actor, user_id: int, error: str, status: int
) -> HTMLResponse:
    return _render(request, platform, actor, user_id=user_id, error=error, status=status)


def _import(
    platform: Platform, actor: Actor, user_id: int, source: str, content: bytes
) -> tuple[WalletEntry, VerificationReport | None]:
    return wallet.import_credential(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        user_id=user_id,
        data=content,
        source=source,
        publication=platform.publication,
        sources=platform.verifier_sources,
        now=platform.clock(),
    )


def _entry_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


@router.post("/wallet/{entry_key}/{action}", response_class=HTMLResponse)
async def change_entry(
    entry_key: str, action: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """``public`` (show or hide: the ``public`` field, 1 or 0), ``accept`` or ``decline`` (a pending
    credential), or ``remove`` (any credential, after a confirmation page)."""
    identity = current_identity(request)
    if identity is None:
        return to_login("/wallet")
    entry_id = _entry_id(entry_key)
    if entry_id is None or action not in ("public", "remove", "accept", "decline"):
        return not_found(request, f"no wallet page {request.url.path!r}")
    try:
        data = check_form(await request.form(max_files=0, max_fields=5))
    except HTTPException as exc:
        error = f"The form could not be read: {exc.detail}"
        return await run_in_threadpool(_answer, request, platform, actor, identity.user.id, error, 400)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return await run_in_threadpool(_answer, request, platform, actor, identity.user.id, CSRF_ERROR, 403)
    if action == "remove" and not confirmed(data):
        asked = await run_in_threadpool(
            _ask_to_remove, request, platform, actor, identity.user.id, entry_id, data
        )
        if asked is not None:
            return asked
    show = field_of(data, "public") == "1"
    return await run_in_threadpool(
        _change, request, platform, actor, identity.user.id, entry_id, action, show
    )


def _ask_to_remove(
    request: Request, platform: Platform, actor: Actor, user_id: int, entry_id: int, data: FormData
) -> Response | None:
    """The confirmation page for removing one's own entry; another person's entry is not found, as
    everywhere in the wallet."""
    try:
        item = wallet.wallet_entry(platform.uow(), actor=actor, entry_id=entry_id)
    except NotFound:
        item = None
    if item is None or item.entry.user_id != user_id:
        return not_found(request, f"no wallet entry {entry_id}")
    again = (
        "ask its issuer to issue it again" if item.entry.issued_id is not None else "import its file again"
    )
    confirmation = Confirmation(
        f"Remove “{item.entry.title}” from your wallet?",
        "It leaves your wallet and your profile, with the skill evidence it gave; "
        f"to have it again, {again}.",
        "Yes, remove it",
    )
    return confirmation_page(request, confirmation, data, back=f"/wallet#entry-{entry_id}")


def _change(
    request: Request,
    platform: Platform,
    actor: Actor,
    user_id: int,
    entry_id: int,
    action: str,
    show: bool,
) -> Response:
    try:
        if action == "public":
            wallet.set_public(platform.uow(), actor=actor, entry_id=entry_id, public=show)
        elif action == "accept":
            wallet.accept_entry(platform.uow(), actor=actor, entry_id=entry_id)
        elif action == "decline":
            wallet.decline_entry(platform.uow(), actor=actor, entry_id=entry_id)
        else:
            wallet.remove_entry(platform.uow(), actor=actor, entry_id=entry_id)
    except (NotFound, PermissionDenied):  # another person's entry is not there, as far as anyone can tell
        return not_found(request, f"no wallet entry {entry_id}")
    except MicrocareerError as exc:
        return _answer(request, platform, actor, user_id, str(exc), exc.status)
    kept = action in ("public", "accept")
    return RedirectResponse(f"/wallet#entry-{entry_id}" if kept else "/wallet", status_code=303)


@router.get("/wallet/{entry_key}/verify", response_class=HTMLResponse)
async def verify_entry(
    entry_key: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """Check an entry again now (its owner, or anyone for a public entry), in a verification slot."""
    entry_id = _entry_id(entry_key)
    if entry_id is None:
        return await run_in_threadpool(not_found, request, f"no wallet entry {entry_key!r}")
    try:
        item = await run_in_threadpool(wallet.wallet_entry, platform.uow(), actor=actor, entry_id=entry_id)
    except NotFound as exc:
        return await run_in_threadpool(not_found, request, str(exc))
    report = None
    if item.entry.source_format != "ob2":  # it may name another issuer's did:web or status list
        checking = partial(
            verify,
            platform.uow(),
            platform.key_vault,
            raw=item.entry.document,
            publication=platform.publication,
            sources=platform.verifier_sources,
            now=platform.clock(),
            status_cache=platform.status_list_cache,
        )
        try:
            report = await run_verification(request, platform, checking)
        except MicrocareerError as exc:
            return await run_in_threadpool(_not_checked, request, item, exc)
    context = await run_in_threadpool(page_context, request, item=item, entry=item.entry, report=report)
    return templates.TemplateResponse(request, "credentials/wallet_entry.html", context)


def _not_checked(request: Request, item: wallet.WalletItem, exc: MicrocareerError) -> Response:
    """The entry's page saying why it could not be checked now (no verification slot came free)."""
    error = f"This credential could not be checked now: {exc}"
    context = page_context(request, item=item, entry=item.entry, report=None, error=error)
    response = templates.TemplateResponse(
        request, "credentials/wallet_entry.html", context, status_code=exc.status
    )
    retry_after = exc.extra.get("retry_after")
    if isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/wallet/clr.json", response_class=Response)
def clr_download(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    scope: Annotated[Literal["public", "all"], Query()] = "all",
) -> Response:
    """A signed CLR 2.0 of the JSON-LD credentials: all of them, or only those shown on the profile."""
    identity = current_identity(request)
    if identity is None:
        return to_login("/wallet")
    user_id = identity.user.id
    entry_ids = None
    if scope == "public":
        items = wallet.wallet(platform.uow(), actor=actor, user_id=user_id)
        entry_ids = [i.entry.id for i in items if i.entry.public and i.entry.source_format == "json"]
    try:
        if entry_ids == []:
            raise InvalidInput(
                "scope: no public JSON-LD credential in this wallet: show one first", field="scope"
            )
        clr = wallet.export_clr(
            platform.uow(),
            platform.key_vault,
            actor=actor,
            user_id=user_id,
            entry_ids=entry_ids,
            publication=platform.publication,
            now=platform.clock(),
        )
    except MicrocareerError as exc:
        return _answer(request, platform, actor, user_id, str(exc), exc.status)
    body = json.dumps(clr, ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": f'attachment; filename="learner-record-{scope}.json"'}
    return Response(body, media_type="application/json", headers=headers)
