"""The job board, posting a job, a job's page with applying and the poster's decisions, my
applications, and managers' approvals of internal gigs.

``/jobs`` lists the open jobs the reader may see (internal ones only for members of their
organisation), searched by words (``services/search``: misspellings forgiven, best match first) and by
a skill's label, key or URI, narrowed by facets (organisation, audience, remote or on site, place,
budget kind) whose counts link to the narrower search, or filtered to the reader's own postings.
``/jobs/new`` is the post form: "Propose skills" fills the skill lists from the brief
(``micro_jobs.propose_skills``; with htmx only that part of the page is replaced), "Save draft" and
"Publish" post the job. ``/jobs/{id}`` shows a job as ``micro_jobs.get_job`` lets the reader see it
(404 otherwise: another organisation's internal job looks like no job at all), the apply form, and for
whoever manages the job its applications with shortlist, decline and accept (milestones, or a weekly
limit for hourly work). ``/jobs/{id}/gap`` is the signed-in reader's gap to the job's skills.

Every form carries the session's CSRF token; a form that fails shows its page again with the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState
from microcareer.domain.marketplace.jobs import Audience, BudgetKind, JobState
from microcareer.domain.marketplace.records import StoredApplication, StoredJob
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE
from microcareer.domain.search import QUERY_MAX, JobFilters
from microcareer.errors import InvalidInput, MicrocareerError, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import (
    gap_analysis,
    job_applications,
    matching,
    micro_jobs,
    profiles,
    referrals,
    search,
    skill_names,
)
from microcareer.services.access import Action, is_allowed
from microcareer.services.job_applications import AcceptTerms
from microcareer.services.skill_names import UnknownSkillName
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.charts import fit_segments
from microcareer.web.confirmation import Confirmation, confirmation_page, confirmed
from microcareer.web.job_forms import MILESTONE_ROWS, ApplyForm, JobForm, MilestoneRows, number
from microcareer.web.marketplace_pages import (
    error_field,
    forbidden,
    key_of,
    organisation_names,
    read_form,
    resolve_skill,
    skill_labels,
    user_names,
)
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.assessments import job_panel as assessment_panel
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

PAGE_SIZE = 25
CANDIDATES = 10
"""Candidates shown on the job page of whoever manages it (``services/matching.people_for_job``)."""
SUGGESTIONS = 8
LIVE_STATES = (JobState.DRAFT, JobState.OPEN, JobState.IN_PROGRESS, JobState.CLOSED, JobState.CANCELLED)


def _admin_organisations(platform: Platform, actor: Actor) -> dict[int, str]:
    """The organisations the actor may post internal jobs for, by name."""
    ids = [org for org, role in actor.memberships.items() if role is OrgRole.ADMIN]
    return organisation_names(platform, ids)


# the job board ---------------------------------------------------------------------------------


@router.get("/jobs", response_class=HTMLResponse)
def job_board(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    skill: Annotated[str, Query(max_length=500)] = "",
    mine: Annotated[bool, Query()] = False,
    organisation: Annotated[int | None, Query(ge=1, le=10**11)] = None,
    audience: Annotated[Literal["", "open", "internal"], Query()] = "",
    remote: Annotated[Literal["", "true", "false"], Query()] = "",
    place: Annotated[str, Query(max_length=200)] = "",
    budget_kind: Annotated[Literal["", "fixed", "hourly"], Query()] = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Response:
    """The open jobs the reader may see, searched by words (typos forgiven) and narrowed by facets
    (a select left at "any" sends an empty value)."""
    if mine and current_identity(request) is None:
        return to_login("/jobs?mine=true")
    error = None
    suggestions: list[Any] = []
    skills: list[str] = []
    status = 200
    if skill.strip():
        try:
            found = skill_names.resolve_skill(
                platform.uow(), platform.caches, platform.lexicons, actor=actor, text=skill
            )
            skills = [found.skill.uri]
        except UnknownSkillName as exc:
            error, status = str(exc), 404
            suggestions = list(exc.candidates[:SUGGESTIONS])
        except (NotFound, InvalidInput) as exc:
            error, status = str(exc), exc.status
    page = search.JobSearchPage([], 0)
    filters = JobFilters(
        skills=tuple(skills),
        organisation_id=organisation,
        audience=Audience(audience) if audience else None,
        remote=remote == "true" if remote else None,
        place=place,
        budget_kind=BudgetKind(budget_kind) if budget_kind else None,
    )
    if error is None:
        page = search.search_jobs(
            platform.uow(),
            actor=actor,
            q=q,
            filters=filters,
            mine=mine,
            states=LIVE_STATES if mine else (JobState.OPEN,),
            limit=PAGE_SIZE,
            offset=offset,
            recent=platform.recent_reads,
        )
    jobs = page.jobs
    params = {
        "q": q,
        "skill": skill,
        "mine": "true" if mine else "",
        "organisation": organisation or "",
        "audience": audience,
        "remote": remote,
        "place": place,
        "budget_kind": budget_kind,
    }
    facet_orgs = [int(c.value) for c in page.facets.of("organisation")]
    facet_skills = [c.value for c in page.facets.of("skills")]
    context = page_context(
        request,
        jobs=jobs,
        total=page.total,
        offset=offset,
        page_size=PAGE_SIZE,
        q=q,
        skill=skill,
        mine=mine,
        organisation=organisation,
        organisations=organisation_names(platform, actor.organisation_ids),
        all_organisations=organisation_names(
            platform, [*facet_orgs, *(j.job.organisation_id for j in jobs if j.job.organisation_id)]
        ),
        labels=skill_labels(
            platform, actor, [*facet_skills, *(u for j in jobs for u in j.job.required_skills)]
        ),
        facets=page.facets,
        widened=page.widened if page.total else {},
        params={k: v for k, v in params.items() if v != ""},
        filters=filters,
        error=error,
        suggestions=suggestions,
    )
    return templates.TemplateResponse(request, "jobs/board.html", context, status_code=status)


# posting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposed:
    """Skills the extractor found in the brief, shown with their labels beside the lists."""

    required: tuple[tuple[str, str, float], ...] = ()
    nice: tuple[tuple[str, str, float], ...] = ()


def _new_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    form: JobForm,
    *,
    error: str | None = None,
    proposed: Proposed | None = None,
    status: int = 200,
    error_field: str = "",
) -> HTMLResponse:
    context = page_context(
        request,
        form=form,
        error=error,
        error_field=error_field,
        proposed=proposed,
        organisations=_admin_organisations(platform, actor),
        is_client=actor.has_role(Role.CLIENT) or actor.has_role(Role.PLATFORM_ADMIN),
        kinds=[k.value for k in BudgetKind],
    )
    return templates.TemplateResponse(request, "jobs/new.html", context, status_code=status)


@router.get("/jobs/new", response_class=HTMLResponse)
def new_job_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/jobs/new")
    return _new_page(request, platform, actor, JobForm())


@router.post("/jobs/new", response_class=HTMLResponse)
async def post_job(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """``action``: ``propose`` (fill the skills from the brief), ``draft`` or ``publish``."""
    if current_identity(request) is None:
        return to_login("/jobs/new", request)
    data = await read_form(request)
    if isinstance(data, str):
        return await run_in_threadpool(_new_page, request, platform, actor, JobForm(), error=data, status=400)
    return await run_in_threadpool(_post_job, request, platform, actor, data)


def _skill_line(platform: Platform, actor: Actor, uri: str, label: str) -> str:
    """A proposed skill as the skills box shows it: its label, which a person can read and check, when
    the label names that skill back; its URI otherwise (a label two skills share)."""
    try:
        return label if resolve_skill(platform, actor, label, "skills") == uri else uri
    except InvalidInput:
        return uri


def _post_job(request: Request, platform: Platform, actor: Actor, data: FormData) -> Response:
    form = JobForm.of(data)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _new_page(request, platform, actor, form, error=CSRF_ERROR, status=403)
    action = field_of(data, "action")
    try:
        if action == "propose":
            required, nice = micro_jobs.propose_skills(
                platform.uow(), platform.caches, platform.lexicons, actor=actor, brief=form.brief
            )
            proposed = Proposed(
                tuple((s.uri, s.label, s.confidence) for s in required),
                tuple((s.uri, s.label, s.confidence) for s in nice),
            )
            filled = JobForm(
                **{
                    **form.__dict__,
                    "required": "\n".join(_skill_line(platform, actor, s.uri, s.label) for s in required),
                    "nice": "\n".join(_skill_line(platform, actor, s.uri, s.label) for s in nice),
                }
            )
            return _new_page(request, platform, actor, filled, proposed=proposed)
        job = form.job(lambda text, name: resolve_skill(platform, actor, text, name))
        now = platform.clock()
        stored = micro_jobs.post_job(platform.uow(), actor=actor, job=job, now=now)
        if action == "publish":
            micro_jobs.publish_job(platform.uow(), actor=actor, job_id=stored.id, now=now)
    except (PermissionDenied, NotAuthenticated) as exc:
        message = f"{exc}: open-market jobs are posted by clients, internal ones by the organisation's admins"
        return _new_page(request, platform, actor, form, error=message, status=403)
    except MicrocareerError as exc:
        return _new_page(
            request, platform, actor, form, error=str(exc), error_field=error_field(exc), status=exc.status
        )
    return RedirectResponse(f"/jobs/{stored.id}", status_code=303)


# a job's page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobForms:
    apply: ApplyForm = field(default_factory=ApplyForm)
    milestones: MilestoneRows = field(default_factory=MilestoneRows)
    weekly_limit: str = ""
    section: str = ""
    """Where the error belongs: "apply", "manage", "application-{id}" or "" (the page)."""
    error: str | None = None
    field: str = ""
    """The field the error names, when it names one (marked invalid next to it)."""


def _job_page(
    request: Request, platform: Platform, actor: Actor, job_id: int, forms: JobForms, status: int = 200
) -> HTMLResponse:
    try:
        stored = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
    except NotFound as exc:
        return not_found(request, str(exc))
    job = stored.job
    manager = actor.is_authenticated and is_allowed(
        actor, Action.JOB_MANAGE, micro_jobs.job_resource(stored.poster_user_id, job)
    )
    applications: list[StoredApplication] = []
    referred: list[referrals.ReferralView] = []
    if manager:
        applications = job_applications.list_for_job(platform.uow(), actor=actor, job_id=job_id)
        referred = referrals.for_job(platform.uow(), actor=actor, job_id=job_id)
    mine = None
    if actor.user_id is not None and actor.user_id != stored.poster_user_id:
        mine = next(
            (a for a in job_applications.my_applications(platform.uow(), actor=actor) if a.job_id == job_id),
            None,
        )
    candidates = None
    if manager and job.state in (JobState.DRAFT, JobState.OPEN):
        candidates = matching.people_for_job(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            job_id=job_id,
            today=today_of(platform),
            limit=CANDIDATES,
            policy=platform.evidence_policy,
            index=platform.candidate_index,
        )
    people = [stored.poster_user_id, *(a.applicant_user_id for a in applications)]
    shown = [p.user_id for p in candidates.people] if candidates else []
    context = page_context(
        request,
        stored=stored,
        job=job,
        manager=manager,
        applications=applications,
        referred=referred,
        mine=mine,
        names=user_names(platform, people),
        linkable=profiles.readable_profiles(platform.uow(), actor=actor, user_ids=people),
        candidates=candidates,
        linkable_candidates=profiles.readable_profiles(platform.uow(), actor=actor, user_ids=shown),
        organisations=organisation_names(platform, [job.organisation_id] if job.organisation_id else []),
        labels=skill_labels(platform, actor, [*job.required_skills, *job.nice_skills]),
        forms=forms,
        rows=MILESTONE_ROWS,
        pending=(ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED),
        approval_needed=ApprovalState.PENDING,
        **assessment_panel(platform, actor, job_id, manager),
    )
    return templates.TemplateResponse(request, "jobs/job.html", context, status_code=status)


@router.get("/jobs/{job_key}", response_class=HTMLResponse)
def job_page(job_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    job_id = key_of(job_key)
    if job_id is None:
        return not_found(request, f"no job {job_key!r}")
    return _job_page(request, platform, actor, job_id, JobForms())


@router.get("/jobs/{job_key}/gap", response_class=HTMLResponse)
def job_gap_page(job_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """The signed-in reader's profile against the job's skills (required ones essential)."""
    identity = current_identity(request)
    if identity is None:
        return to_login(f"/jobs/{job_key}/gap")
    job_id = key_of(job_key)
    if job_id is None:
        return not_found(request, f"no job {job_key!r}")
    try:
        stored = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
        report = gap_analysis.gap_to_job(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=identity.user.id,
            job_id=job_id,
            today=today_of(platform),
            policy=platform.evidence_policy,
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    context = page_context(
        request,
        stored=stored,
        report=report,
        segments=fit_segments(report.gap.breakdown),
        essential=ESSENTIAL_IMPORTANCE,
    )
    return templates.TemplateResponse(request, "jobs/gap.html", context)


JobAction = Callable[[Platform, Actor, int, FormData], str]


def _apply(platform: Platform, actor: Actor, job_id: int, data: FormData) -> str:
    stored = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
    proposal = ApplyForm.of(data).proposal(stored.job.budget.amount.currency)
    job_applications.apply(
        platform.uow(), actor=actor, job_id=job_id, proposal=proposal, now=platform.clock()
    )
    return f"/jobs/{job_id}#my-application"


def _publish(platform: Platform, actor: Actor, job_id: int, data: FormData) -> str:
    micro_jobs.publish_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    return f"/jobs/{job_id}"


def _cancel(platform: Platform, actor: Actor, job_id: int, data: FormData) -> str:
    micro_jobs.cancel_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    return f"/jobs/{job_id}"


_JOB_ACTIONS: dict[str, tuple[str, JobAction]] = {
    "apply": ("apply", _apply),
    "publish": ("manage", _publish),
    "cancel": ("manage", _cancel),
}
# Steps that cannot be undone go through a confirmation page first (web/confirmation.py).
_CONFIRM = {
    "cancel": Confirmation(
        "Cancel this job?",
        "The job closes for good: it leaves the job board, and none of its applications can be accepted.",
        "Yes, cancel the job",
    ),
    "decline": Confirmation(
        "Decline this application?",
        "The applicant sees it declined; a declined application cannot be shortlisted or accepted again.",
        "Yes, decline it",
    ),
    "withdraw": Confirmation(
        "Withdraw your application?",
        "The job's poster no longer sees it, and it cannot be sent again.",
        "Yes, withdraw it",
    ),
}


@router.post("/jobs/{job_key}/{action}", response_class=HTMLResponse)
async def job_action(
    job_key: str, action: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """``apply`` (a proposal), ``publish`` or ``cancel`` (whoever manages the job)."""
    if current_identity(request) is None:
        return to_login(f"/jobs/{job_key}")
    job_id = key_of(job_key)
    if job_id is None or action not in _JOB_ACTIONS:
        return not_found(request, f"no job page {request.url.path!r}")
    section, act = _JOB_ACTIONS[action]
    data = await read_form(request)
    if isinstance(data, str):
        forms = JobForms(section=section, error=data)
        return await run_in_threadpool(_job_page, request, platform, actor, job_id, forms, 400)
    return await run_in_threadpool(
        _run_job_action, request, platform, actor, job_id, section, act, data, _CONFIRM.get(action)
    )


def _run_job_action(
    request: Request,
    platform: Platform,
    actor: Actor,
    job_id: int,
    section: str,
    act: JobAction,
    data: FormData,
    confirm: Confirmation | None = None,
) -> Response:
    forms = JobForms(apply=ApplyForm.of(data) if section == "apply" else ApplyForm(), section=section)
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _job_page(
            request, platform, actor, job_id, JobForms(**{**forms.__dict__, "error": CSRF_ERROR}), 403
        )
    if confirm is not None and not confirmed(data):
        return confirmation_page(request, confirm, data, back=f"/jobs/{job_id}#{section}")
    try:
        target = act(platform, actor, job_id, data)
    except NotFound as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        failed = JobForms(**{**forms.__dict__, "error": str(exc), "field": error_field(exc)})
        return _job_page(request, platform, actor, job_id, failed, exc.status)
    return RedirectResponse(target, status_code=303)


# deciding on applications ----------------------------------------------------------------------


ApplicationAction = Callable[[Platform, Actor, int, FormData], None]


def _shortlist(platform: Platform, actor: Actor, application_id: int, data: FormData) -> None:
    job_applications.shortlist(
        platform.uow(), actor=actor, application_id=application_id, now=platform.clock()
    )


def _decline(platform: Platform, actor: Actor, application_id: int, data: FormData) -> None:
    job_applications.decline(platform.uow(), actor=actor, application_id=application_id, now=platform.clock())


def _withdraw(platform: Platform, actor: Actor, application_id: int, data: FormData) -> None:
    job_applications.withdraw(
        platform.uow(), actor=actor, application_id=application_id, now=platform.clock()
    )


def _approve(platform: Platform, actor: Actor, application_id: int, data: FormData) -> None:
    job_applications.decide_approval(
        platform.uow(), actor=actor, application_id=application_id, approve=True, now=platform.clock()
    )


def _refuse(platform: Platform, actor: Actor, application_id: int, data: FormData) -> None:
    job_applications.decide_approval(
        platform.uow(), actor=actor, application_id=application_id, approve=False, now=platform.clock()
    )


def _accept_terms(job: StoredJob, data: FormData) -> AcceptTerms:
    if job.job.budget.kind is BudgetKind.HOURLY:
        limit = field_of(data, "weekly_limit").strip()
        return AcceptTerms(weekly_limit_hours=number(limit, "weekly_limit_hours") if limit else None)
    return AcceptTerms(milestones=MilestoneRows.of(data).milestones(job.job.budget.amount.currency))


_APPLICATION_ACTIONS: dict[str, ApplicationAction] = {
    "shortlist": _shortlist,
    "decline": _decline,
    "withdraw": _withdraw,
    "approve": _approve,
    "refuse": _refuse,
}


@router.post("/applications/{application_key}/{action}", response_class=HTMLResponse)
async def application_action(
    application_key: str, action: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """``shortlist``, ``decline``, ``accept`` (the job's managers; the form names the job), ``withdraw``
    (the applicant), ``approve`` or ``refuse`` (the applicant's manager)."""
    if current_identity(request) is None:
        return to_login("/applications")
    application_id = key_of(application_key)
    if application_id is None or (action not in _APPLICATION_ACTIONS and action != "accept"):
        return not_found(request, f"no application page {request.url.path!r}")
    data = await read_form(request)
    if isinstance(data, str):
        return forbidden(request, data, "/applications")
    return await run_in_threadpool(
        _run_application_action, request, platform, actor, application_id, action, data
    )


def _run_application_action(
    request: Request, platform: Platform, actor: Actor, application_id: int, action: str, data: FormData
) -> Response:
    job_id = key_of(field_of(data, "job")) or 0
    back = {"withdraw": "/applications", "approve": "/approvals", "refuse": "/approvals"}.get(
        action, f"/jobs/{job_id}#application-{application_id}"
    )
    on_job_page = back.startswith("/jobs/")
    section = f"application-{application_id}"
    forms = JobForms(
        milestones=MilestoneRows.of(data), weekly_limit=field_of(data, "weekly_limit"), section=section
    )
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        if on_job_page and job_id:
            failed = JobForms(**{**forms.__dict__, "error": CSRF_ERROR})
            return _job_page(request, platform, actor, job_id, failed, 403)
        return forbidden(request, CSRF_ERROR, back)
    confirm = _CONFIRM.get(action)
    if confirm is not None and not confirmed(data):
        return confirmation_page(request, confirm, data, back=back)
    try:
        if action == "accept":
            job = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
            contract = job_applications.accept(
                platform.uow(),
                actor=actor,
                application_id=application_id,
                terms=_accept_terms(job, data),
                fee_bp=platform.settings.marketplace_fee_basis_points,
                now=platform.clock(),
            )
            return RedirectResponse(f"/contracts/{contract.id}", status_code=303)
        _APPLICATION_ACTIONS[action](platform, actor, application_id, data)
    except NotFound as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        if on_job_page and job_id:
            failed = JobForms(**{**forms.__dict__, "error": str(exc), "field": error_field(exc)})
            return _job_page(request, platform, actor, job_id, failed, exc.status)
        if action == "withdraw":
            return _applications_page(request, platform, actor, error=str(exc), status=exc.status)
        return _approvals_page(request, platform, actor, error=str(exc), status=exc.status)
    return RedirectResponse(back, status_code=303)


# my applications, and approvals ----------------------------------------------------------------


def _job_titles(platform: Platform, actor: Actor, job_ids: list[int]) -> dict[int, StoredJob]:
    found: dict[int, StoredJob] = {}
    for job_id in dict.fromkeys(job_ids):
        try:
            found[job_id] = micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id)
        except NotFound:
            continue
    return found


def _applications_page(
    request: Request, platform: Platform, actor: Actor, *, error: str | None = None, status: int = 200
) -> HTMLResponse:
    applications = job_applications.my_applications(platform.uow(), actor=actor)
    context = page_context(
        request,
        applications=applications,
        jobs=_job_titles(platform, actor, [a.job_id for a in applications]),
        pending=(ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED),
        error=error,
    )
    return templates.TemplateResponse(request, "jobs/applications.html", context, status_code=status)


@router.get("/applications", response_class=HTMLResponse)
def applications_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/applications")
    return _applications_page(request, platform, actor)


def waiting_approvals(platform: Platform, actor: Actor) -> list[tuple[StoredJob, StoredApplication]]:
    """Internal gigs waiting for the actor: as an employee's designated manager, or as an admin of the
    job's organisation (platform admins: every organisation's)."""
    return job_applications.waiting_for_approval(platform.uow(), actor=actor)


def _approvals_page(
    request: Request, platform: Platform, actor: Actor, *, error: str | None = None, status: int = 200
) -> HTMLResponse:
    waiting = waiting_approvals(platform, actor)
    context = page_context(
        request,
        waiting=waiting,
        names=user_names(platform, [a.applicant_user_id for _, a in waiting]),
        organisations=organisation_names(platform, [j.job.organisation_id or 0 for j, _ in waiting]),
        error=error,
    )
    return templates.TemplateResponse(request, "jobs/approvals.html", context, status_code=status)


@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/approvals")
    return _approvals_page(request, platform, actor)
