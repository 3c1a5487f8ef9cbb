"""Micro-jobs: post a draft, edit it, publish, cancel; read and list the jobs an actor may see.

Who sees a job (``domain.marketplace.jobs.may_see``): drafts only their poster (and whoever may manage
the job: the admins of its organisation, platform admins); internal jobs only members of their
organisation. Anyone else is told there is no such job (404), so an internal job's existence does not
leak to other organisations.

Skills proposed from the brief (``propose_skills``) follow one rule: skills the extractor found with a
confidence of at least ``REQUIRED_CONFIDENCE`` (a word-for-word preferred or alternative label) are
proposed as required, at most ``REQUIRED_MAX`` of them, the rest as nice-to-have; when none is that
sure, the single best is required (a job needs one). The poster confirms by posting.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import replace
from datetime import datetime

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.extraction.mentions import DocumentSkill
from microcareer.domain.marketplace.applications import ApplicationState
from microcareer.domain.marketplace.jobs import SKILLS_MAX, JobState, MicroJob, may_see, transition
from microcareer.domain.marketplace.records import StoredJob
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed, visible_organisations
from microcareer.services.extraction import ExtractionRequest, extract_text, extractor_cache
from microcareer.services.ports import LexiconStore, UnitOfWork
from microcareer.services.profiles import visible_skill_labels

REQUIRED_CONFIDENCE = 0.85
REQUIRED_MAX = 8
LIST_LIMIT_MAX = 200
PENDING_APPLICATIONS = (ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED)


def job_resource(poster_user_id: int, job: MicroJob) -> Resource:
    return Resource(owner_user_id=poster_user_id, organisation_id=job.organisation_id)


def may_view(actor: Actor, poster_user_id: int, job: MicroJob) -> bool:
    """``may_see``, or the actor may manage the job (an organisation admin sees its drafts)."""
    is_admin = actor.has_role(Role.PLATFORM_ADMIN)
    if may_see(job, actor.organisation_ids, actor.user_id, poster_user_id, is_admin):
        return True
    return actor.is_authenticated and is_allowed(actor, Action.JOB_MANAGE, job_resource(poster_user_id, job))


def visible_job(uow: UnitOfWork, actor: Actor, job_id: int) -> StoredJob:
    """The stored job if the actor may see it; else 404 (inside an open unit of work)."""
    stored = uow.marketplace.get_job(job_id)
    if stored is None or not may_view(actor, stored.poster_user_id, stored.job):
        raise NotFound(f"no job {job_id}", job_id=job_id)
    return stored


def managed_job(uow: UnitOfWork, actor: Actor, job_id: int) -> StoredJob:
    """The stored job if the actor may manage it; 403 if they only see it, 404 if not even that."""
    stored = visible_job(uow, actor, job_id)
    authorize(actor, Action.JOB_MANAGE, job_resource(stored.poster_user_id, stored.job))
    return stored


def signed_in_user(actor: Actor, what: str) -> int:
    """The actor's user id; 401 signed out, 422 for the system actor (``what`` needs a person)."""
    if actor.user_id is None:
        if not actor.is_authenticated:
            raise NotAuthenticated(f"sign in to {what}")
        raise InvalidInput(f"{what}: needs a user, not the system actor", field="actor")
    return actor.user_id


def _check_skills(uow: UnitOfWork, actor: Actor, job: MicroJob) -> None:
    """Every skill is a taxonomy skill the actor may see (an organisation's own skills: its members)."""
    labels = visible_skill_labels(uow, actor, [*job.required_skills, *job.nice_skills])
    for field_name, uris in (("required_skills", job.required_skills), ("nice_skills", job.nice_skills)):
        for index, uri in enumerate(uris):
            if uri not in labels:
                raise InvalidInput(
                    f"{field_name}[{index}]: {uri} is not a skill of the taxonomy", field=field_name
                )


def _check_organisation(uow: UnitOfWork, job: MicroJob) -> None:
    if job.organisation_id is not None and uow.accounts.get_organisation(job.organisation_id) is None:
        raise NotFound(f"no organisation {job.organisation_id}", field="organisation_id")


def _check_dates(job: MicroJob, now: datetime) -> None:
    if job.end is not None and job.end < now.date():
        raise InvalidInput(
            f"end: {job.end.isoformat()} is in the past (today is {now.date().isoformat()})", field="end"
        )


def add_draft(uow: UnitOfWork, actor: Actor, job: MicroJob, now: datetime) -> StoredJob:
    """``post_job`` inside a unit of work the caller opened and commits (a sponsored idea's jobs)."""
    authorize(actor, Action.JOB_POST, Resource(organisation_id=job.organisation_id))
    poster = signed_in_user(actor, "post a job")
    draft = replace(job, state=JobState.DRAFT)
    draft.validate()
    _check_organisation(uow, draft)
    _check_skills(uow, actor, draft)
    return uow.marketplace.add_job(poster, draft, at=now)


def post_job(uow: UnitOfWork, *, actor: Actor, job: MicroJob, now: datetime) -> StoredJob:
    """Save a new job as a draft: clients on the open market, an organisation's admins for it."""
    authorize(actor, Action.JOB_POST, Resource(organisation_id=job.organisation_id))
    with uow:
        stored = add_draft(uow, actor, job, now)
        uow.commit()
    return stored


def _has_live_applications(uow: UnitOfWork, job_id: int) -> bool:
    return any(
        a.state in (*PENDING_APPLICATIONS, ApplicationState.ACCEPTED)
        for a in uow.marketplace.applications_for_job(job_id)
    )


def update_job(uow: UnitOfWork, *, actor: Actor, job_id: int, job: MicroJob, now: datetime) -> StoredJob:
    """Replace a draft or an open job (none accepted yet); its state stays as it is.

    Audience and organisation change only while the job is a draft; once applications came in, the
    budget's currency stays too (proposals were made in it).
    """
    with uow:
        stored = managed_job(uow, actor, job_id)
        state = stored.job.state
        if state not in (JobState.DRAFT, JobState.OPEN):
            raise Conflict(f"job: it is {state.value}; only draft and open jobs can be edited")
        applications = uow.marketplace.applications_for_job(job_id)
        if any(a.state is ApplicationState.ACCEPTED for a in applications):
            raise Conflict("job: an application was accepted; it can no longer be edited")
        changed = replace(job, state=state)
        before = stored.job
        if state is JobState.OPEN and (
            changed.audience is not before.audience or changed.organisation_id != before.organisation_id
        ):
            raise Conflict("audience: a published job keeps its audience and organisation")
        if changed.organisation_id != before.organisation_id:
            authorize(actor, Action.JOB_POST, Resource(organisation_id=changed.organisation_id))
        live = [a for a in applications if a.state in PENDING_APPLICATIONS]
        if live and changed.budget.amount.currency != before.budget.amount.currency:
            raise Conflict(
                f"budget: {len(live)} application(s) were made in {before.budget.amount.currency}; "
                "the currency stays"
            )
        changed.validate()
        if state is JobState.OPEN:
            _check_dates(changed, now)
        _check_organisation(uow, changed)
        _check_skills(uow, actor, changed)
        uow.marketplace.update_job(job_id, changed, at=now)
        uow.commit()
    return replace(stored, job=changed, updated_at=now)


def publish_job(uow: UnitOfWork, *, actor: Actor, job_id: int, now: datetime) -> StoredJob:
    """Draft → open, checked again as it stands now (skills still in the taxonomy, end not past)."""
    with uow:
        published = publish_in(uow, actor, managed_job(uow, actor, job_id), now)
        uow.commit()
    return published


def publish_in(uow: UnitOfWork, actor: Actor, stored: StoredJob, now: datetime) -> StoredJob:
    """``publish_job`` inside a unit of work the caller opened and commits."""
    target = transition(stored.job.state, JobState.OPEN)
    stored.job.validate()
    _check_dates(stored.job, now)
    _check_skills(uow, actor, stored.job)
    uow.marketplace.set_job_state(stored.id, target, at=now)
    return replace(stored, job=replace(stored.job, state=target), updated_at=now)


def cancel_job(uow: UnitOfWork, *, actor: Actor, job_id: int, now: datetime) -> StoredJob:
    """Draft or open → cancelled; pending applications are declined. A job in progress ends with its
    contract instead."""
    with uow:
        stored = managed_job(uow, actor, job_id)
        state = stored.job.state
        if state is JobState.IN_PROGRESS:
            raise Conflict("job: it is in_progress; end its contract instead of cancelling the job")
        target = transition(state, JobState.CANCELLED)
        for application in uow.marketplace.applications_for_job(job_id):
            if application.state in PENDING_APPLICATIONS:
                uow.marketplace.set_application_state(application.id, ApplicationState.DECLINED, at=now)
        uow.marketplace.set_job_state(job_id, target, at=now)
        uow.commit()
    return replace(stored, job=replace(stored.job, state=target), updated_at=now)


def get_job(uow: UnitOfWork, *, actor: Actor, job_id: int) -> StoredJob:
    with uow:
        return visible_job(uow, actor, job_id)


def list_jobs(
    uow: UnitOfWork,
    *,
    actor: Actor,
    skills: Sequence[str] = (),
    organisation: int | None = None,
    mine: bool = False,
    states: Sequence[JobState] = (JobState.OPEN,),
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[StoredJob], int]:
    """The jobs the actor may see, newest change first, and how many there are in all.

    ``skills``: jobs asking for any of them; ``organisation``: that organisation's jobs; ``mine``: the
    actor's own postings (drafts included when ``states`` names them).
    """
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise InvalidInput(f"limit: 1 to {LIST_LIMIT_MAX}, not {limit}", field="limit")
    if offset < 0:
        raise InvalidInput(f"offset: not below 0, not {offset}", field="offset")
    if not states:
        raise InvalidInput("states: give at least one state", field="states")
    poster = signed_in_user(actor, "list your own jobs") if mine else None
    with uow:
        return uow.marketplace.list_jobs(
            states=list(dict.fromkeys(states)),
            visible_orgs=visible_organisations(actor),
            viewer_id=actor.user_id,
            poster_id=poster,
            organisation_id=organisation,
            skills=list(dict.fromkeys(skills)),
            limit=limit,
            offset=offset,
        )


def propose_skills(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    brief: str,
) -> tuple[tuple[DocumentSkill, ...], tuple[DocumentSkill, ...]]:
    """(required, nice-to-have) skills the extractor finds in a brief, by the rule in the module doc."""
    if not brief.strip():
        raise InvalidInput("brief: required", field="brief")
    extractor = extractor_cache(caches).get(uow, lexicons)
    found = extract_text(extractor, actor=actor, doc_id="brief", text=brief, request=ExtractionRequest())
    with uow:
        labels = visible_skill_labels(uow, actor, [s.uri for s in found.skills])
    skills = [s for s in found.skills if s.uri in labels]  # best first, as the extractor ranks them
    required = [s for s in skills if s.confidence >= REQUIRED_CONFIDENCE][:REQUIRED_MAX]
    if not required and skills:
        required = skills[:1]
    chosen = {s.uri for s in required}
    nice = [s for s in skills if s.uri not in chosen][:SKILLS_MAX]
    return tuple(required), tuple(nice)
