"""Applying to micro-jobs: apply, withdraw, shortlist, decline, a manager's approval, and accepting.

Internal jobs (one organisation's members only) need the applicant's manager to approve: the person
``WorkSettings.manager_user_id`` names, or an admin of the job's organisation, never the applicant.
Internal gigs together stay within the organisation's share of the applicant's contracted week,
checked on applying and again on accepting.

Accepting makes the contract in the same transaction as everything it changes: the application is
accepted, the others still pending are declined, the job goes in progress.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.applications import (
    HOURS_PER_WEEK_MAX,
    ApplicationState,
    ApprovalState,
    Proposal,
    check_can_accept,
    check_can_apply,
    check_internal_cap,
    initial_approval,
    transition_application,
    transition_approval,
)
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    Milestone,
    check_not_self,
)
from microcareer.domain.marketplace.jobs import Audience, BudgetKind, JobState, transition
from microcareer.domain.marketplace.money import BASIS_POINTS, Money
from microcareer.domain.marketplace.records import StoredApplication, StoredContract, StoredJob
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.micro_jobs import PENDING_APPLICATIONS, managed_job, may_view, visible_job
from microcareer.services.ports import UnitOfWork

DEFAULT_MILESTONE_TITLE = "Delivery"
DEFAULT_DUE_DAYS = 14


@dataclass(frozen=True, slots=True)
class AcceptTerms:
    """What the contract says beyond the proposal.

    Fixed jobs: ``milestones`` (None: one "Delivery" milestone for the whole price, due at the job's
    end, or ``DEFAULT_DUE_DAYS`` from now when the job gives no end or it has passed); their amounts
    add up to the accepted price. Hourly jobs: ``weekly_limit_hours`` (None: the proposal's hours per
    week) at the proposal's rate.
    """

    milestones: tuple[Milestone, ...] | None = None
    weekly_limit_hours: float | None = None


def _signed_in(actor: Actor, what: str) -> int:
    if actor.user_id is None:
        if not actor.is_authenticated:
            raise NotAuthenticated(f"sign in to {what}")
        raise InvalidInput(f"{what}: needs a user, not the system actor", field="actor")
    return actor.user_id


def _application(uow: UnitOfWork, actor: Actor, application_id: int) -> tuple[StoredApplication, StoredJob]:
    """The application and its job, if the actor may see the job and has a part in the application."""
    application = uow.marketplace.get_application(application_id)
    job = uow.marketplace.get_job(application.job_id) if application is not None else None
    if application is None or job is None or not may_view(actor, job.poster_user_id, job.job):
        raise NotFound(f"no application {application_id}", application_id=application_id)
    return application, job


def _check_cap(uow: UnitOfWork, job: StoredJob, applicant_id: int, hours_per_week: float) -> None:
    organisation_id = job.job.organisation_id
    if job.job.audience is not Audience.INTERNAL or organisation_id is None:
        return
    check_internal_cap(
        uow.marketplace.internal_hours_per_week(applicant_id),
        hours_per_week,
        uow.marketplace.work_settings(applicant_id).contracted_hours_per_week,
        uow.marketplace.internal_cap_share(organisation_id),
    )


def apply(
    uow: UnitOfWork, *, actor: Actor, job_id: int, proposal: Proposal, now: datetime
) -> StoredApplication:
    """Apply to an open job with a proposal; internal jobs start waiting for the manager's approval."""
    authorize(actor, Action.JOB_APPLY)
    applicant = _signed_in(actor, "apply")
    with uow:
        job = visible_job(uow, actor, job_id)
        already = uow.marketplace.application_of(job_id, applicant) is not None
        check_can_apply(job.job.state, applicant, job.poster_user_id, already)
        proposal.validate(job.job.budget)
        _check_cap(uow, job, applicant, proposal.hours_per_week)
        stored = uow.marketplace.add_application(
            job_id, applicant, proposal, approval=initial_approval(job.job.audience), at=now
        )
        uow.commit()
    return stored


def withdraw(uow: UnitOfWork, *, actor: Actor, application_id: int, now: datetime) -> StoredApplication:
    """The applicant takes back a submitted or shortlisted application."""
    with uow:
        application, job = _application(uow, actor, application_id)
        if actor.user_id != application.applicant_user_id:
            if is_allowed(actor, Action.JOB_MANAGE, _resource(job)):
                raise PermissionDenied("application: only the applicant may withdraw it")
            raise NotFound(f"no application {application_id}", application_id=application_id)
        state = transition_application(application.state, ApplicationState.WITHDRAWN)
        uow.marketplace.set_application_state(application_id, state, at=now)
        uow.commit()
    return _with_state(application, state, now)


def _resource(job: StoredJob) -> Resource:
    return Resource(owner_user_id=job.poster_user_id, organisation_id=job.job.organisation_id)


def _with_state(application: StoredApplication, state: ApplicationState, now: datetime) -> StoredApplication:
    return StoredApplication(
        application.id,
        application.job_id,
        application.applicant_user_id,
        application.proposal,
        state,
        application.approval,
        application.approver_user_id,
        application.created_at,
        now,
    )


def list_for_job(uow: UnitOfWork, *, actor: Actor, job_id: int) -> list[StoredApplication]:
    """Every application to the job, oldest first: for whoever manages the job."""
    with uow:
        managed_job(uow, actor, job_id)
        return uow.marketplace.applications_for_job(job_id)


def my_applications(uow: UnitOfWork, *, actor: Actor) -> list[StoredApplication]:
    """The actor's own applications, newest first."""
    applicant = _signed_in(actor, "see your applications")
    with uow:
        return uow.marketplace.applications_by(applicant)


def _manage_application(
    uow: UnitOfWork, actor: Actor, application_id: int
) -> tuple[StoredApplication, StoredJob]:
    application, job = _application(uow, actor, application_id)
    authorize(actor, Action.JOB_MANAGE, _resource(job))
    return application, job


def shortlist(uow: UnitOfWork, *, actor: Actor, application_id: int, now: datetime) -> StoredApplication:
    """Submitted → shortlisted, while the job is open."""
    with uow:
        application, job = _manage_application(uow, actor, application_id)
        if job.job.state is not JobState.OPEN:
            raise Conflict(f"job: it is {job.job.state.value}; shortlisting is for open jobs")
        state = transition_application(application.state, ApplicationState.SHORTLISTED)
        uow.marketplace.set_application_state(application_id, state, at=now)
        uow.commit()
    return _with_state(application, state, now)


def decline(uow: UnitOfWork, *, actor: Actor, application_id: int, now: datetime) -> StoredApplication:
    """Submitted or shortlisted → declined."""
    with uow:
        application, _ = _manage_application(uow, actor, application_id)
        state = transition_application(application.state, ApplicationState.DECLINED)
        uow.marketplace.set_application_state(application_id, state, at=now)
        uow.commit()
    return _with_state(application, state, now)


def waiting_for_approval(uow: UnitOfWork, *, actor: Actor) -> list[tuple[StoredJob, StoredApplication]]:
    """What waits for the actor's yes or no: their employees' internal gigs (as designated manager), and
    every internal gig of the organisations they administer (platform admins: all organisations)."""
    user_id = _signed_in(actor, "see approvals")
    admin_of = [org for org, role in actor.memberships.items() if role is OrgRole.ADMIN]
    organisation_ids = None if actor.has_role(Role.PLATFORM_ADMIN) else admin_of
    with uow:
        waiting = uow.marketplace.pending_approvals(
            organisation_ids=organisation_ids, manager_user_id=user_id
        )
        jobs = {a.job_id: uow.marketplace.get_job(a.job_id) for a in waiting}
    return [
        (job, a) for a in waiting if (job := jobs[a.job_id]) is not None and a.applicant_user_id != user_id
    ]


def decide_approval(
    uow: UnitOfWork, *, actor: Actor, application_id: int, approve: bool, now: datetime
) -> StoredApplication:
    """The manager's yes or no to an employee's internal gig (pending → approved or refused)."""
    user_id = _signed_in(actor, "approve an application")
    with uow:
        application = uow.marketplace.get_application(application_id)
        job = uow.marketplace.get_job(application.job_id) if application is not None else None
        if application is None or job is None:
            raise NotFound(f"no application {application_id}", application_id=application_id)
        check_not_self(user_id, application.applicant_user_id, "approve your own application")
        manager = uow.marketplace.work_settings(application.applicant_user_id).manager_user_id
        is_manager = manager is not None and manager == user_id
        resource = Resource(organisation_id=job.job.organisation_id)
        if not is_manager and not is_allowed(actor, Action.APPLICATION_APPROVE, resource):
            if may_view(actor, job.poster_user_id, job.job):
                raise PermissionDenied(
                    "application: only the applicant's manager or an admin of the organisation may approve it"
                )
            raise NotFound(f"no application {application_id}", application_id=application_id)
        if application.state not in PENDING_APPLICATIONS:
            raise Conflict(f"application: it is {application.state.value}; nothing to approve")
        target = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
        approval = transition_approval(application.approval, target)
        uow.marketplace.set_approval(application_id, approval, approver_user_id=user_id, at=now)
        uow.commit()
    return StoredApplication(
        application.id,
        application.job_id,
        application.applicant_user_id,
        application.proposal,
        application.state,
        approval,
        user_id,
        application.created_at,
        now,
    )


def _milestones(terms: AcceptTerms, job: StoredJob, price: Money, now: datetime) -> tuple[Milestone, ...]:
    if terms.weekly_limit_hours is not None:
        raise InvalidInput(
            "weekly_limit_hours: for hourly jobs; a fixed job is paid by milestones",
            field="weekly_limit_hours",
        )
    today = now.date()
    if terms.milestones is None:
        end = job.job.end
        due = end if end is not None and end >= today else today + timedelta(days=DEFAULT_DUE_DAYS)
        return (Milestone(DEFAULT_MILESTONE_TITLE, price, due),)
    if not terms.milestones:
        raise InvalidInput("milestones: at least one, or none given for one 'Delivery'", field="milestones")
    for index, milestone in enumerate(terms.milestones):
        try:
            milestone.validate()
        except InvalidInput as error:
            raise InvalidInput(f"milestones[{index}].{error.detail}", field="milestones") from None
        if milestone.amount.currency != price.currency:
            raise InvalidInput(
                f"milestones[{index}].amount: in {milestone.amount.currency}, but the price is in "
                f"{price.currency}",
                field="milestones",
            )
        if milestone.due < today:
            raise InvalidInput(
                f"milestones[{index}].due: {milestone.due.isoformat()} is in the past", field="milestones"
            )
    total = sum(m.amount.amount for m in terms.milestones)
    if total != price.amount:
        raise InvalidInput(
            f"milestones: they add up to {Money(total, price.currency)}, but the accepted price is "
            f"{price}; make them add up to it",
            field="milestones",
            total=total,
            price=price.amount,
        )
    return terms.milestones


def _weekly_limit(terms: AcceptTerms, proposal: Proposal) -> float:
    if terms.milestones is not None:
        raise InvalidInput("milestones: for fixed jobs; an hourly job is paid by time", field="milestones")
    limit = proposal.hours_per_week if terms.weekly_limit_hours is None else terms.weekly_limit_hours
    if not (math.isfinite(limit) and 0 < limit <= HOURS_PER_WEEK_MAX):
        raise InvalidInput(
            f"weekly_limit_hours: above 0 and at most {HOURS_PER_WEEK_MAX:g}, not {limit}",
            field="weekly_limit_hours",
        )
    return limit


def accept(
    uow: UnitOfWork,
    *,
    actor: Actor,
    application_id: int,
    terms: AcceptTerms,
    fee_bp: int,
    now: datetime,
) -> StoredContract:
    """Accept an application: the contract (fee 0 for internal jobs), its milestones, the job in
    progress and the other pending applications declined, all in one transaction."""
    user_id = _signed_in(actor, "accept an application")
    if not 0 <= fee_bp <= BASIS_POINTS:
        raise InvalidInput(f"fee_bp: 0 to {BASIS_POINTS} basis points, not {fee_bp}", field="fee_bp")
    with uow:
        found = uow.marketplace.get_application(application_id)
    with uow:
        if found is not None:  # first thing: one accept at a time per applicant, so the cap holds
            uow.marketplace.lock_person(found.applicant_user_id)
        application, job = _manage_application(uow, actor, application_id)
        check_not_self(user_id, application.applicant_user_id, "accept your own application")
        target = transition(job.job.state, JobState.IN_PROGRESS)
        check_can_accept(application.state, application.approval)
        proposal = application.proposal
        kind = ContractKind.FIXED if job.job.budget.kind is BudgetKind.FIXED else ContractKind.HOURLY
        milestones: Sequence[Milestone] = ()
        if kind is ContractKind.FIXED:
            milestones = _milestones(terms, job, proposal.price(BudgetKind.FIXED), now)
            hours_per_week = proposal.hours_per_week
            weekly_limit: float | None = None
        else:
            weekly_limit = _weekly_limit(terms, proposal)
            hours_per_week = weekly_limit
        internal = job.job.audience is Audience.INTERNAL
        _check_cap(uow, job, application.applicant_user_id, hours_per_week)
        contract = uow.marketplace.add_contract(
            StoredContract(
                id=0,
                job_id=job.id,
                application_id=application.id,
                client_user_id=job.poster_user_id,
                professional_user_id=application.applicant_user_id,
                organisation_id=job.job.organisation_id,
                internal=internal,
                kind=kind,
                currency=proposal.rate.currency,
                hourly_rate=proposal.rate if kind is ContractKind.HOURLY else None,
                weekly_limit_hours=weekly_limit,
                hours_per_week=hours_per_week,
                fee_bp=0 if internal else fee_bp,
                state=ContractState.ACTIVE,
                created_at=now,
            )
        )
        for position, milestone in enumerate(milestones, start=1):
            uow.marketplace.add_milestone(contract.id, position, milestone, at=now)
        uow.marketplace.set_application_state(application.id, ApplicationState.ACCEPTED, at=now)
        for other in uow.marketplace.applications_for_job(job.id):
            if other.id != application.id and other.state in PENDING_APPLICATIONS:
                uow.marketplace.set_application_state(other.id, ApplicationState.DECLINED, at=now)
        uow.marketplace.set_job_state(job.id, target, at=now)
        uow.commit()
    return contract
