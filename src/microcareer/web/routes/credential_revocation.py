"""Revoking many credentials at once from the issuer's page: upload a CSV, see what it revokes, confirm.

``POST /issuers/{slug}/credentials/revoke-batch`` reads the uploaded CSV (credential ids, e-mails or
DIDs, and reasons: ``domain/credentials/revoke_rows``) and changes nothing: a file with any bad row
shows the issuer page with every bad row (line, column, message); a good one shows the confirmation
page, listing each credential it would revoke, with the one button that does it. That button posts
the same CSV to ``…/revoke-batch/confirm`` with ``confirm=yes``, which revokes all of them or (if
something changed in between) none, showing the rows again. Only the issuer's managers get past
either step; it works without JavaScript.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.errors import (
    Conflict,
    InvalidInput,
    MicrocareerError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from microcareer.services import achievements, credential_issuers, credential_revocation
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.issuing import MAX_CSV_BYTES, IssuerForms, forbidden, render_issuer_page
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

SECTION = "revoke-batch"
MAX_SOURCE = 200
LISTED = 200
"""At most this many credentials are listed on the confirmation page (all are counted)."""


def _page(request: Request, platform: Platform, actor: Actor, slug: str, error: str, status: int) -> Response:
    return render_issuer_page(
        request, platform, actor, slug, IssuerForms(section=SECTION, error=error), status=status
    )


def _decode(source: str, content: bytes) -> str:
    if len(content) > MAX_CSV_BYTES:
        raise InvalidInput(f"file: {source} is over the {MAX_CSV_BYTES // 2**20} MiB limit", field="file")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"file: {source} is not UTF-8 text", field="file") from None


def _refused(
    request: Request, platform: Platform, actor: Actor, slug: str, error: MicrocareerError
) -> Response:
    """The page for a refusal: the rows of a rejected file, a 403, a 404, or the message."""
    if isinstance(error, BatchRejected):
        rows = list(error.extra.get("rows", []))
        forms = IssuerForms(section=SECTION, error=str(error), rows=rows)
        return render_issuer_page(request, platform, actor, slug, forms, status=422)
    if isinstance(error, NotFound):
        return not_found(request, str(error))
    if isinstance(error, (PermissionDenied, NotAuthenticated)):
        return forbidden(
            request, f"{error}: only the issuer's managers revoke its credentials", f"/issuers/{slug}"
        )
    return _page(request, platform, actor, slug, str(error), error.status)


def _confirmation(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    source: str,
    content: bytes,
    changed: str | None = None,
) -> Response:
    try:
        text = _decode(source, content)
        planned = credential_revocation.plan_csv(
            platform.uow(), actor=actor, issuer_slug=slug, text=text, source=source
        )
        issuer = credential_issuers.find_issuer(platform.uow(), slug)
        names = {a.id: a.definition.name for a in achievements.list_achievements(platform.uow(), slug)}
    except MicrocareerError as error:
        return _refused(request, platform, actor, slug, error)
    context = page_context(
        request,
        issuer=issuer,
        planned=planned[:LISTED],
        count=len(planned),
        names=names,
        csv_text=text,
        source=source,
        expect=",".join(record.id for record in planned),
        changed=changed,
    )
    status = 409 if changed else 200
    return templates.TemplateResponse(
        request, "credentials/confirm_revoke_batch.html", context, status_code=status
    )


@router.post("/issuers/{slug}/credentials/revoke-batch", response_class=HTMLResponse)
async def revoke_batch(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Read the uploaded CSV and show what it would revoke (or its bad rows); nothing changes yet."""
    if current_identity(request) is None:
        return to_login(f"/issuers/{slug}")
    try:
        async with request.form(max_files=1, max_fields=5) as data:
            check_form(data)
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                return await run_in_threadpool(_page, request, platform, actor, slug, CSRF_ERROR, 403)
            upload = data.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                error = "file: choose a CSV file"
                return await run_in_threadpool(_page, request, platform, actor, slug, error, 422)
            source, content = upload.filename[:MAX_SOURCE], await upload.read(MAX_CSV_BYTES + 1)
    except HTTPException as exc:
        error = f"The form could not be read: {exc.detail}"
        return await run_in_threadpool(_page, request, platform, actor, slug, error, 400)
    return await run_in_threadpool(_confirmation, request, platform, actor, slug, source, content)


def _revoke(
    request: Request, platform: Platform, actor: Actor, slug: str, source: str, text: str, expect: list[str]
) -> Response:
    try:
        revoked = credential_revocation.revoke_csv(
            platform.uow(),
            actor=actor,
            issuer_slug=slug,
            text=text,
            source=source,
            now=platform.clock(),
            expect=expect,
        )
    except Conflict as changed:  # the list names other credentials than confirmed: confirm again
        return _confirmation(request, platform, actor, slug, source, text.encode("utf-8"), str(changed))
    except MicrocareerError as error:
        return _refused(request, platform, actor, slug, error)
    return RedirectResponse(f"/issuers/{slug}?revoked={len(revoked)}#issued", status_code=303)


@router.post("/issuers/{slug}/credentials/revoke-batch/confirm", response_class=HTMLResponse)
async def confirm_revoke_batch(
    slug: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """Revoke what the confirmed CSV names: all, or none with the rows shown again."""
    if current_identity(request) is None:
        return to_login(f"/issuers/{slug}")
    try:
        async with request.form(max_files=0, max_fields=8, max_part_size=MAX_CSV_BYTES + 1) as data:
            check_form(data)
            csrf_ok = form_csrf_ok(request, field_of(data, "csrf_token"))
            confirmed = field_of(data, "confirm") == "yes"
            posted = data.get("csv")  # whole (field_of cuts long text): what was confirmed, no less
            text = posted if isinstance(posted, str) else ""
            listed = data.get("expect")
            expect = [i for i in listed.split(",") if i] if isinstance(listed, str) else []
            source = field_of(data, "source")[:MAX_SOURCE] or "the CSV file"
    except HTTPException as exc:
        error = f"The form could not be read: {exc.detail}"
        return await run_in_threadpool(_page, request, platform, actor, slug, error, 400)
    if not csrf_ok:
        return await run_in_threadpool(_page, request, platform, actor, slug, CSRF_ERROR, 403)
    content = text.encode("utf-8")
    if not confirmed:
        return await run_in_threadpool(_confirmation, request, platform, actor, slug, source, content)
    return await run_in_threadpool(_revoke, request, platform, actor, slug, source, text, expect)
