"""Issuer pages: the public list and profiles, and the forms of an issuer's managers.

``/issuers`` lists every issuer (public) with a form to create one for users with the issuer role;
``/issuers/{slug}`` shows its profile and achievements to anyone, and to its managers (the owner, the
organisation's admins, platform admins) its keys with a rotate form, a form to define an achievement,
and the credentials it issued, each with whom it went to (as entered) and links to revoke or suspend it
(``credential_status.py``: a confirmation page first).
``/achievements/{id}/page`` is the achievement in HTML (``/achievements/{id}`` is the published JSON,
``api/routes/published.py``), with the forms to issue it to one recipient or to a CSV batch; a batch
with any bad row issues nothing and shows every bad row (line, column, message).

Every form carries the session's CSRF token; a signed-out visitor is sent to sign in, and someone who
may not manage the issuer gets a 403 page from the service's refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from microcareer.api.deps import PlatformDep
from microcareer.api.edge_guard import check_form
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import BatchRejected, parse_issue_csv
from microcareer.domain.credentials.open_badges import ACHIEVEMENT_TYPES
from microcareer.domain.credentials.records import Achievement, IssuedCredential, Issuer, IssuerKey
from microcareer.errors import InvalidInput, MicrocareerError, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import (
    achievements,
    credential_issuers,
    credential_issuing,
    issuer_standing,
    market_credentials,
    skill_names,
)
from microcareer.services.access import Action, Resource, is_allowed
from microcareer.services.credential_issuing import PROOF_FORMATS
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_credentials import IssuerSignal
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.credential_forms import (
    AchievementForm,
    IssueForm,
    IssuerForm,
    proof_format_of,
    result_names,
)
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login, user_id_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

PAGE_SIZE = 50
MAX_CSV_BYTES = 2 * 1024 * 1024


def forbidden(request: Request, message: str, back: str) -> HTMLResponse:
    context = page_context(request, heading="Not allowed", message=message, back=back)
    return templates.TemplateResponse(request, "credentials/message.html", context, status_code=403)


def can_manage(actor: Actor, issuer: Issuer) -> bool:
    return is_allowed(actor, Action.ISSUER_MANAGE, credential_issuers.issuer_resource(issuer))


def can_create(actor: Actor) -> bool:
    return actor.is_authenticated and is_allowed(actor, Action.ISSUER_CREATE, Resource())


async def _form(request: Request) -> FormData | str:
    """The posted form, or why it could not be read."""
    try:
        return check_form(await request.form(max_files=0, max_fields=60))
    except HTTPException as exc:
        return f"The form could not be read: {exc.detail}"


# The list of issuers and creating one ---------------------------------------------------------


def _issuers_page(
    request: Request, platform: Platform, actor: Actor, form: IssuerForm, error: str | None, status: int
) -> HTMLResponse:
    context = page_context(
        request,
        issuers=credential_issuers.list_issuers(platform.uow()),
        can_create=can_create(actor),
        form=form,
        error=error,
    )
    return templates.TemplateResponse(request, "credentials/issuers.html", context, status_code=status)


@router.get("/issuers", response_class=HTMLResponse)
def issuers_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _issuers_page(request, platform, actor, IssuerForm(), None, 200)


@router.post("/issuers", response_class=HTMLResponse)
async def create_issuer(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/issuers")
    data = await _form(request)
    if isinstance(data, str):
        return await run_in_threadpool(_issuers_page, request, platform, actor, IssuerForm(), data, 400)
    return await run_in_threadpool(_create_issuer, request, platform, actor, data)


def _create_issuer(request: Request, platform: Platform, actor: Actor, data: FormData) -> Response:
    form = IssuerForm.of(data)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _issuers_page(request, platform, actor, form, CSRF_ERROR, 403)
    try:
        issuer = credential_issuers.create_issuer(
            platform.uow(),
            platform.key_vault,
            actor=actor,
            name=form.name,
            url=form.url,
            email=form.email,
            description=form.description,
            public_url=platform.settings.public_url,
            now=platform.clock(),
        )
    except (PermissionDenied, NotAuthenticated) as exc:
        return forbidden(request, f"{exc}: creating an issuer needs the issuer role", "/issuers")
    except MicrocareerError as exc:
        return _issuers_page(request, platform, actor, form, str(exc), exc.status)
    return RedirectResponse(f"/issuers/{issuer.slug}", status_code=303)


# An issuer's page and its managers' forms -----------------------------------------------------


@dataclass(frozen=True)
class IssuerForms:
    """The manager's forms on the issuer page, and what went wrong in one of them."""

    achievement: AchievementForm = field(default_factory=AchievementForm)
    section: str = ""
    """Which form the error belongs to: "achievement", "keys", "issued", "trust", "revoke-batch" or "" (the
    page)."""
    error: str | None = None
    notice: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    """A rejected CSV's bad rows (line, column, message): the bulk revocation's."""


def render_issuer_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    forms: IssuerForms,
    *,
    offset: int = 0,
    status: int = 200,
) -> HTMLResponse:
    try:
        issuer = credential_issuers.find_issuer(platform.uow(), slug)
    except NotFound as exc:
        return not_found(request, str(exc))
    listed = achievements.list_achievements(platform.uow(), slug)
    manager = can_manage(actor, issuer)
    challenge = issuer_standing.domain_challenge(platform.uow(), actor=actor, slug=slug) if manager else None
    keys: list[IssuerKey] = []
    issued: list[IssuedCredential] = []
    total = 0
    if manager:
        keys = credential_issuers.issuer_keys(platform.uow(), slug)
        issued, total = credential_issuing.issued_by(
            platform.uow(), actor=actor, issuer_slug=slug, limit=PAGE_SIZE, offset=offset
        )
    context = page_context(
        request,
        issuer=issuer,
        achievements=listed,
        names={a.id: a.definition.name for a in listed},
        manager=manager,
        approver=is_allowed(actor, Action.ISSUER_APPROVE),
        challenge=challenge,
        keys=keys,
        issued=issued,
        total=total,
        offset=offset,
        page_size=PAGE_SIZE,
        forms=forms,
        achievement_types=sorted(ACHIEVEMENT_TYPES),
        signal=_signal(platform, actor, slug),
    )
    return templates.TemplateResponse(request, "credentials/issuer.html", context, status_code=status)


def _signal(platform: Platform, actor: Actor, slug: str) -> IssuerSignal | None:
    """The issuer's checkable quality parts, for signed-in readers (market data is theirs to read)."""
    if not actor.is_authenticated:
        return None
    return market_credentials.issuer_signal(
        platform.uow(), graph_cache(platform.caches), actor=actor, slug=slug, now=platform.clock()
    )


@router.get("/issuers/{slug}", response_class=HTMLResponse)
def issuer_page(
    slug: str,
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    batch: Annotated[int | None, Query(ge=1)] = None,
    revoked: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    notice = f"{batch} credentials issued." if batch is not None else None
    if revoked is not None:
        notice = f"{revoked} credential{'' if revoked == 1 else 's'} revoked."
    return render_issuer_page(request, platform, actor, slug, IssuerForms(notice=notice), offset=offset)


IssuerAction = Callable[[Platform, Actor, str, FormData], str]


async def issuer_action(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    section: str,
    act: IssuerAction,
    *,
    by_managers: bool = True,
) -> Response:
    """Run a manager's form: redirect back to the page when it worked, else show the page with the error."""
    if current_identity(request) is None:
        return to_login(f"/issuers/{slug}")
    data = await _form(request)
    if isinstance(data, str):
        forms = IssuerForms(section=section, error=data)
        return await run_in_threadpool(render_issuer_page, request, platform, actor, slug, forms, status=400)
    return await run_in_threadpool(
        _run_issuer_action, request, platform, actor, slug, section, act, data, by_managers
    )


def _run_issuer_action(
    request: Request,
    platform: Platform,
    actor: Actor,
    slug: str,
    section: str,
    act: IssuerAction,
    data: FormData,
    by_managers: bool = True,
) -> Response:
    """``by_managers``: only the issuer's managers (else the service decides: approval, for admins)."""
    achievement = AchievementForm.of(data) if section == "achievement" else AchievementForm()
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        forms = IssuerForms(achievement=achievement, section=section, error=CSRF_ERROR)
        return render_issuer_page(request, platform, actor, slug, forms, status=403)
    try:
        issuer = credential_issuers.find_issuer(platform.uow(), slug)
        if by_managers and not can_manage(actor, issuer):
            raise PermissionDenied("you may not do this (issuer.manage)")
        target = act(platform, actor, slug, data)
    except NotFound as exc:
        return not_found(request, str(exc))
    except (PermissionDenied, NotAuthenticated) as exc:
        who = "the issuer's managers" if by_managers else "platform admins"
        return forbidden(request, f"{exc}: only {who} can do this", f"/issuers/{slug}")
    except MicrocareerError as exc:
        forms = IssuerForms(achievement=achievement, section=section, error=str(exc))
        return render_issuer_page(request, platform, actor, slug, forms, status=exc.status)
    return RedirectResponse(target, status_code=303)


def _define(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    form = AchievementForm.of(data)

    def resolve(text: str) -> str:
        return skill_names.resolve_skill(
            platform.uow(), platform.caches, platform.lexicons, actor=actor, text=text
        ).skill.uri

    achievement = achievements.define_achievement(
        platform.uow(),
        actor=actor,
        issuer_slug=slug,
        definition=form.definition(resolve),
        now=platform.clock(),
    )
    return f"/achievements/{achievement.id}/page"


def _rotate(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    credential_issuers.rotate_key(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        slug=slug,
        withdraw_previous=bool(field_of(data, "withdraw_previous")),
        now=platform.clock(),
    )
    return f"/issuers/{slug}#keys"


@router.post("/issuers/{slug}/achievements", response_class=HTMLResponse)
async def define_achievement(
    slug: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    return await issuer_action(request, platform, actor, slug, "achievement", _define)


@router.post("/issuers/{slug}/keys/rotate", response_class=HTMLResponse)
async def rotate_key(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    return await issuer_action(request, platform, actor, slug, "keys", _rotate)


def _approval(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    change = (
        issuer_standing.approve_issuer
        if field_of(data, "approve") == "1"
        else issuer_standing.withdraw_approval
    )
    change(platform.uow(), actor=actor, slug=slug, now=platform.clock())
    return f"/issuers/{slug}#trust"


def _start_domain_proof(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    issuer_standing.start_domain_proof(
        platform.uow(), actor=actor, slug=slug, domain=field_of(data, "domain")
    )
    return f"/issuers/{slug}#trust"


def _verify_domain(platform: Platform, actor: Actor, slug: str, data: FormData) -> str:
    issuer_standing.verify_domain(
        platform.uow(), platform.domain_proof_fetcher, actor=actor, slug=slug, now=platform.clock()
    )
    return f"/issuers/{slug}#trust"


@router.post("/issuers/{slug}/approval", response_class=HTMLResponse)
async def approval(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """A platform admin approves the issuer (``approve=1``) or withdraws its approval (``approve=0``)."""
    return await issuer_action(request, platform, actor, slug, "trust", _approval, by_managers=False)


@router.post("/issuers/{slug}/domain", response_class=HTMLResponse)
async def start_domain_proof(
    slug: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    return await issuer_action(request, platform, actor, slug, "trust", _start_domain_proof)


@router.post("/issuers/{slug}/domain/verify", response_class=HTMLResponse)
async def verify_domain(slug: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    return await issuer_action(request, platform, actor, slug, "trust", _verify_domain)


# An achievement's page, and issuing it -------------------------------------------------------


@dataclass(frozen=True)
class Issuing:
    """The issue forms as filled, and what went wrong: a message, and a batch's bad rows."""

    form: IssueForm = field(default_factory=IssueForm)
    section: str = ""
    """"one" or "batch"."""
    error: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    batch_format: str = "eddsa-rdfc-2022"


def _achievement_of(platform: Platform, key: str) -> tuple[Achievement, Issuer]:
    achievement_id = user_id_of(key)
    if achievement_id is None:
        raise NotFound(f"no achievement {key!r}")
    achievement = achievements.get_achievement(platform.uow(), achievement_id)
    issuer = next(i for i in credential_issuers.list_issuers(platform.uow()) if i.id == achievement.issuer_id)
    return achievement, issuer


def _achievement_page(
    request: Request, platform: Platform, actor: Actor, key: str, issuing: Issuing, status: int = 200
) -> HTMLResponse:
    try:
        achievement, issuer = _achievement_of(platform, key)
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(
        request,
        achievement=achievement,
        definition=achievement.definition,
        issuer=issuer,
        manager=can_manage(actor, issuer),
        issuing=issuing,
        proof_formats=PROOF_FORMATS,
        result_names=result_names(achievement.definition.results),
        value=market_credentials.credential_value(
            platform.uow(), graph_cache(platform.caches), actor=actor, achievement_id=achievement.id
        )
        if actor.is_authenticated
        else None,
    )
    return templates.TemplateResponse(request, "credentials/achievement.html", context, status_code=status)


@router.get("/achievements/{key}/page", response_class=HTMLResponse)
def achievement_page(key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _achievement_page(request, platform, actor, key, Issuing())


def _manager_check(
    request: Request, platform: Platform, actor: Actor, key: str
) -> tuple[Achievement, Issuer] | Response:
    """The achievement when the actor may issue it; else its 404 or 403 page (before reading a file)."""
    try:
        achievement, issuer = _achievement_of(platform, key)
    except NotFound as exc:
        return not_found(request, str(exc))
    if not can_manage(actor, issuer):
        message = "you may not do this: only the issuer's managers issue its achievements"
        return forbidden(request, message, f"/achievements/{key}/page")
    return achievement, issuer


@router.post("/achievements/{key}/issue", response_class=HTMLResponse)
async def issue_one(key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/achievements/{key}/page")
    found = await run_in_threadpool(_manager_check, request, platform, actor, key)
    if isinstance(found, Response):
        return found
    data = await _form(request)
    if isinstance(data, str):
        issuing = Issuing(section="one", error=data)
        return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, 400)
    return await run_in_threadpool(_issue_one, request, platform, actor, key, found[0], data)


def _issue_one(
    request: Request, platform: Platform, actor: Actor, key: str, achievement: Achievement, data: FormData
) -> Response:
    form = IssueForm.of(data, result_names(achievement.definition.results))
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _achievement_page(request, platform, actor, key, Issuing(form, "one", CSRF_ERROR), 403)
    try:
        (record,) = credential_issuing.issue_credentials(
            platform.uow(),
            platform.key_vault,
            actor=actor,
            achievement_id=achievement.id,
            requests=[form.request()],
            proof_format=proof_format_of(form.proof_format),
            publication=platform.publication,
            now=platform.clock(),
        )
    except (PermissionDenied, NotAuthenticated) as exc:
        return forbidden(request, str(exc), f"/achievements/{key}/page")
    except MicrocareerError as exc:
        issuing = Issuing(form=form, section="one", error=str(exc))
        return _achievement_page(request, platform, actor, key, issuing, exc.status)
    return RedirectResponse(f"/credentials/{record.id}", status_code=303)


@router.post("/achievements/{key}/issue-batch", response_class=HTMLResponse)
async def issue_batch(key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """Issue to every row of an uploaded CSV, or to none: the bad rows are listed."""
    if current_identity(request) is None:
        return to_login(f"/achievements/{key}/page")
    found = await run_in_threadpool(_manager_check, request, platform, actor, key)
    if isinstance(found, Response):
        return found
    achievement, issuer = found
    try:
        async with request.form(max_files=1, max_fields=5) as data:
            check_form(data)
            chosen = field_of(data, "format") or "eddsa-rdfc-2022"
            if not form_csrf_ok(request, field_of(data, "csrf_token")):
                issuing = Issuing(section="batch", error=CSRF_ERROR, batch_format=chosen)
                return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, 403)
            upload = data.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                issuing = Issuing(section="batch", error="file: choose a CSV file", batch_format=chosen)
                return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, 422)
            source, content = upload.filename, await upload.read(MAX_CSV_BYTES + 1)
    except HTTPException as exc:
        issuing = Issuing(section="batch", error=f"The form could not be read: {exc.detail}")
        return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, 400)
    try:
        count = await run_in_threadpool(_issue_batch, platform, actor, achievement, source, content, chosen)
    except BatchRejected as rejected:
        rows = list(rejected.extra.get("rows", []))
        issuing = Issuing(section="batch", error=str(rejected), rows=rows, batch_format=chosen)
        return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, 422)
    except (PermissionDenied, NotAuthenticated) as exc:
        return forbidden(request, str(exc), f"/achievements/{key}/page")
    except MicrocareerError as exc:
        issuing = Issuing(section="batch", error=str(exc), batch_format=chosen)
        return await run_in_threadpool(_achievement_page, request, platform, actor, key, issuing, exc.status)
    return RedirectResponse(f"/issuers/{issuer.slug}?batch={count}#issued", status_code=303)


def _issue_batch(
    platform: Platform, actor: Actor, achievement: Achievement, source: str, content: bytes, chosen: str
) -> int:
    if len(content) > MAX_CSV_BYTES:
        raise InvalidInput(f"file: {source} is over the {MAX_CSV_BYTES // 2**20} MiB limit", field="file")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"file: {source} is not UTF-8 text", field="file") from None
    requests = parse_issue_csv(text, source=source, result_names=result_names(achievement.definition.results))
    issued = credential_issuing.issue_credentials(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        achievement_id=achievement.id,
        requests=requests,
        proof_format=proof_format_of(chosen),
        publication=platform.publication,
        now=platform.clock(),
        source=source,
    )
    return len(issued)
