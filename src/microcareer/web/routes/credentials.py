"""The public pages of credentials: one issued here, and a form to verify any credential.

``/credentials/{uuid}`` is the address every credential issued here names (``Publication.verify_url``):
anyone, signed in or not, sees the badge, its issuer and achievement, its status and every check of
``verify_issued`` with a VALID / NOT VALID banner; the recipient is shown only as "hashed e-mail" or a
DID. ``badge.json`` (or ``badge.jwt``), ``badge.png`` and ``badge.svg`` download the credential as
signed, bare or baked into an image drawn in code (``web/badge_images.py``).

``/verify`` takes a pasted JSON credential or JWT, or an uploaded file (JSON, JWT, baked PNG or SVG),
and shows the report of ``credential_verification.verify``. Verifying changes nothing, but the form
still carries a token (a short-lived cookie and the same value in the form, as the sign-in form does,
since a visitor may be signed out).
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.admission import run_verification
from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.credentials.baking import MAX_IMAGE_BYTES, bake_png, bake_svg
from microcareer.domain.credentials.records import Achievement, IssuedCredential, Issuer
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.errors import MicrocareerError, NotFound
from microcareer.services import achievements, credential_issuers, credential_issuing, credential_verification
from microcareer.web.auth import page_context, platform_of
from microcareer.web.badge_images import badge_png, badge_svg
from microcareer.web.routes.profiles import not_found
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)
templates.env.filters["concept_key"] = concept_key

MAX_VERIFY_BYTES = MAX_IMAGE_BYTES
VERIFY_CSRF_COOKIE = "mc_verify_csrf"
VERIFY_CSRF_SECONDS = 3600
OUTCOME_MARKS = {"pass": "✓", "fail": "✗", "warn": "!", "skip": "–", "unknown": "?"}
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}
_UUID = re.compile(
    r"^(urn:uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
templates.env.globals["outcome_marks"] = OUTCOME_MARKS


@dataclass(frozen=True)
class CredentialView:
    """An issued credential with its issuer, achievement and a fresh verification report."""

    record: IssuedCredential
    issuer: Issuer | None
    achievement: Achievement | None
    report: VerificationReport

    @property
    def name(self) -> str:
        if self.achievement is not None:
            return self.achievement.definition.name
        return str((self.report.credential or {}).get("name") or "Credential")

    @property
    def evidence(self) -> list[dict[str, str]]:
        """The credential's evidence: narratives, and links only when they are http(s)."""
        items = (self.report.credential or {}).get("evidence")
        shown = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            url = item.get("id")
            shown.append(
                {
                    "name": str(item.get("name") or ""),
                    "narrative": str(item.get("narrative") or ""),
                    "url": url if isinstance(url, str) and url.startswith(("https://", "http://")) else "",
                }
            )
        return shown

    @property
    def results(self) -> list[tuple[str, str]]:
        """The recipient's results (Open Badges 3.0 ``credentialSubject.result``): each result's name,
        as its ``resultDescription`` names it, and its value (an assessment's score)."""
        subject = (self.report.credential or {}).get("credentialSubject")
        found = subject.get("result") if isinstance(subject, dict) else None
        shown = []
        for result in found if isinstance(found, list) else []:
            if isinstance(result, dict) and "value" in result:
                described = str(result.get("resultDescription") or "")
                shown.append(
                    (described.rpartition("#result-")[2].replace("-", " ") or "result", str(result["value"]))
                )
        return shown


@dataclass(frozen=True)
class IssuerShown:
    """Who a verified credential names as its issuer: a name to read, the DID, and its page here."""

    name: str
    did: str
    slug: str | None
    """An issuer of this platform with that DID: its page; None for anyone else."""
    standing: str | None = None
    """An issuer of this platform: its standing here (docs/trust.md); None for anyone else."""
    verified_domain: str | None = None


def issuer_shown(platform: Platform, report: VerificationReport) -> IssuerShown | None:
    """The issuer by name: this platform's record for its DID, else the name the credential gives."""
    if report.issuer is None:
        return None
    local = next((i for i in credential_issuers.list_issuers(platform.uow()) if i.did == report.issuer), None)
    if local is not None:
        return IssuerShown(local.name, local.did, local.slug, local.standing.value, local.verified_domain)
    issuer = (report.credential or {}).get("issuer")
    name = issuer.get("name") if isinstance(issuer, dict) else None
    return IssuerShown(name.strip()[:200] if isinstance(name, str) else "", report.issuer, None)


def _record(platform: Platform, credential_key: str) -> IssuedCredential:
    if not _UUID.match(credential_key):
        raise NotFound(f"no credential {credential_key!r}")
    return credential_issuing.credential_record(platform.uow(), credential_key)


def credential_view(platform: Platform, credential_key: str) -> CredentialView:
    """The credential and its report; ``NotFound`` for an id this platform did not issue."""
    record = _record(platform, credential_key)
    issuer = next(
        (i for i in credential_issuers.list_issuers(platform.uow()) if i.id == record.issuer_id), None
    )
    try:
        achievement: Achievement | None = achievements.get_achievement(platform.uow(), record.achievement_id)
    except NotFound:  # pragma: no cover - a foreign key keeps them together
        achievement = None
    report = credential_verification.verify_issued(
        platform.uow(),
        platform.key_vault,
        credential_id=record.id,
        publication=platform.publication,
        sources=platform.verifier_sources,
        now=platform.clock(),
        status_cache=platform.status_list_cache,
    )
    return CredentialView(record, issuer, achievement, report)


@router.get("/credentials/{credential_key}", response_class=HTMLResponse)
def credential_page(credential_key: str, request: Request, platform: PlatformDep) -> Response:
    try:
        view = credential_view(platform, credential_key)
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(request, view=view, record=view.record, report=view.report)
    return templates.TemplateResponse(request, "credentials/credential.html", context)


def _download(body: str | bytes, media_type: str, filename: str, **headers: str) -> Response:
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers={**disposition, **headers})


def _is_jwt(record: IssuedCredential) -> bool:
    return record.proof_format == "jwt"


@router.get("/credentials/{credential_key}/badge.json", response_class=Response)
def credential_json(credential_key: str, request: Request, platform: PlatformDep) -> Response:
    """The credential exactly as signed (a JWT credential answers at ``badge.jwt``)."""
    try:
        record = _record(platform, credential_key)
    except NotFound as exc:
        return not_found(request, str(exc))
    if _is_jwt(record):
        return not_found(request, f"credential {record.id} is a JWT: download badge.jwt")
    return _download(record.document, "application/json", f"badge-{record.id}.json")


@router.get("/credentials/{credential_key}/badge.jwt", response_class=Response)
def credential_jwt(credential_key: str, request: Request, platform: PlatformDep) -> Response:
    try:
        record = _record(platform, credential_key)
    except NotFound as exc:
        return not_found(request, str(exc))
    if not _is_jwt(record):
        return not_found(request, f"credential {record.id} is JSON: download badge.json")
    return _download(record.document, "application/vc+jwt", f"badge-{record.id}.jwt")


def _badge_name(platform: Platform, record: IssuedCredential) -> str:
    try:
        return achievements.get_achievement(platform.uow(), record.achievement_id).definition.name
    except NotFound:  # pragma: no cover - a foreign key keeps them together
        return "Credential"


@router.get("/credentials/{credential_key}/badge.svg", response_class=Response)
def credential_svg(credential_key: str, request: Request, platform: PlatformDep) -> Response:
    """An SVG badge with the credential baked in (Open Badges 3.0 section 5.3)."""
    try:
        record = _record(platform, credential_key)
        baked = bake_svg(badge_svg(_badge_name(platform, record)), record.document)
    except NotFound as exc:
        return not_found(request, str(exc))
    return _download(baked, "image/svg+xml", f"badge-{record.id}.svg", **SVG_HEADERS)


@router.get("/credentials/{credential_key}/badge.png", response_class=Response)
def credential_png(credential_key: str, request: Request, platform: PlatformDep) -> Response:
    """A plain PNG disc with the credential baked in an ``openbadgecredential`` chunk."""
    try:
        record = _record(platform, credential_key)
    except NotFound as exc:
        return not_found(request, str(exc))
    return _download(bake_png(badge_png(), record.document), "image/png", f"badge-{record.id}.png")


# Verify any credential -------------------------------------------------------------------------


def _verify_page(
    request: Request,
    *,
    text: str = "",
    report: VerificationReport | None = None,
    issuer: IssuerShown | None = None,
    source: str = "",
    error: str | None = None,
    status: int = 200,
    key_only: bool = False,
) -> HTMLResponse:
    kept = request.cookies.get(VERIFY_CSRF_COOKIE, "")
    token = kept if re.fullmatch(r"[A-Za-z0-9_-]{32}", kept) else secrets.token_urlsafe(24)
    context = page_context(
        request,
        verify_token=token,
        text=text,
        report=report,
        issuer=issuer,
        source=source,
        error=error,
        key_only=key_only,
        max_mib=MAX_VERIFY_BYTES // 2**20,
    )
    response = templates.TemplateResponse(request, "credentials/verify.html", context, status_code=status)
    response.set_cookie(
        VERIFY_CSRF_COOKIE,
        token,
        max_age=VERIFY_CSRF_SECONDS,
        path="/verify",
        httponly=True,
        samesite="lax",
        secure=platform_of(request).settings.cookie_secure,
    )
    return response


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request) -> Response:
    return _verify_page(request)


def _token_ok(request: Request, given: Any) -> bool:
    expected = request.cookies.get(VERIFY_CSRF_COOKIE, "")
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected, given)


@router.post("/verify", response_class=HTMLResponse)
async def verify_posted(request: Request, platform: PlatformDep) -> Response:
    """Verify what was pasted, or the uploaded file when one was chosen; the pasted text is kept."""
    try:
        async with request.form(max_files=1, max_fields=10, max_part_size=MAX_VERIFY_BYTES + 1024) as data:
            check_form(data)
            pasted = data.get("credential")
            text = pasted if isinstance(pasted, str) else ""
            key_only = data.get("accept_key_only_issuer") == "on"
            if not _token_ok(request, data.get("csrf_token")):
                error = "This form expired or did not come from this site: please send it again."
                return _verify_page(request, text=text, error=error, status=403)
            upload = data.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                source, content = upload.filename, await upload.read(MAX_VERIFY_BYTES + 1)
            else:
                source, content = "the pasted credential", text.strip().encode("utf-8")
    except HTTPException as exc:  # the form parser's refusal: too large, too many fields, malformed
        return _verify_page(request, error=f"The form could not be read: {exc.detail}", status=400)
    if not content.strip():
        error = "credential: paste a credential (JSON or JWT) or choose a file"
        return _verify_page(request, text=text, error=error, status=422)
    if len(content) > MAX_VERIFY_BYTES:
        error = f"credential: {source} is over the {MAX_VERIFY_BYTES // 2**20} MiB limit"
        return _verify_page(request, text=text, error=error, status=413)
    try:  # in a verification slot (503/429 with Retry-After when none comes free)
        verifying = partial(_verify, platform, content, key_only)
        report, issuer = await run_verification(request, platform, verifying)
    except MicrocareerError as exc:
        response = _verify_page(request, text=text, error=f"{source}: {exc}", status=exc.status)
        retry_after = exc.extra.get("retry_after")
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response
    return _verify_page(request, text=text, report=report, issuer=issuer, source=source, key_only=key_only)


def _verify(
    platform: Platform, content: bytes, key_only: bool = False
) -> tuple[VerificationReport, IssuerShown | None]:
    report = credential_verification.verify(
        platform.uow(),
        platform.key_vault,
        raw=content,
        publication=platform.publication,
        sources=platform.verifier_sources,
        now=platform.clock(),
        status_cache=platform.status_list_cache,
        accept_key_only_issuer=key_only,
    )
    return report, issuer_shown(platform, report)
