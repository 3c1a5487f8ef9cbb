"""Referrals (issue 21): recommend one of one's connections for an open micro-job; the job's poster
(and its organisation's admins) see who referred whom; a referral whose candidate completed the job's
contract counts for the referrer.

One refers only an accepted connection, nobody blocked either way, for a job both may see (an
internal gig: both in its organisation), never the poster. A job one may not see is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractState
from microcareer.domain.marketplace.jobs import JobState, may_see
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.network.referrals import Referral, check_note
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, authorize_or_hide
from microcareer.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ReferralView:
    referral: Referral
    job_title: str
    referrer_name: str
    candidate_name: str
    outcome: str
    """``open``, ``applied``, ``hired``, ``completed`` (counts for the referrer) or ``not hired``."""

    @property
    def counts(self) -> bool:
        return self.outcome == "completed"


def _name(uow: UnitOfWork, user_id: int) -> str:
    user = uow.accounts.get_user(user_id)
    return user.display_name if user is not None else f"user {user_id}"


def _sees(uow: UnitOfWork, user_id: int, job: StoredJob) -> bool:
    user = uow.accounts.get_user(user_id)
    if user is None:
        return False
    orgs = frozenset(uow.accounts.memberships_of(user_id))
    return may_see(job.job, orgs, user_id, job.poster_user_id, Role.PLATFORM_ADMIN in user.roles)


def _outcome(uow: UnitOfWork, referral: Referral, job: StoredJob) -> str:
    contract = uow.marketplace.contract_for_job(referral.job_id)
    if contract is not None:
        if contract.professional_user_id != referral.candidate_id:
            return "not hired"
        return "completed" if contract.state is ContractState.COMPLETED else "hired"
    if uow.marketplace.application_of(referral.job_id, referral.candidate_id) is not None:
        return "applied"
    return "open" if job.job.state is JobState.OPEN else "not hired"


def _view(uow: UnitOfWork, referral: Referral) -> ReferralView:
    job = uow.marketplace.get_job(referral.job_id)
    assert job is not None
    return ReferralView(
        referral,
        job.job.title,
        _name(uow, referral.referrer_id),
        _name(uow, referral.candidate_id),
        _outcome(uow, referral, job),
    )


def refer(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    job_id: int,
    candidate_id: int,
    note: str,
    now: datetime,
) -> ReferralView:
    authorize(actor, Action.REFERRAL_MAKE, Resource(owner_user_id=user_id))
    text = check_note(note)
    with uow:
        job = uow.marketplace.get_job(job_id)
        if job is None or not _sees(uow, user_id, job):
            raise NotFound(f"no micro-job {job_id}")
        if job.job.state is not JobState.OPEN:
            raise Conflict(f"micro-job {job_id} is {job.job.state.value}: only open jobs take referrals")
        connection = uow.network.connection_between(user_id, candidate_id)
        connected = connection is not None and connection.state.value == "accepted"
        if not connected or uow.network.blocks_between(user_id, candidate_id):
            raise InvalidInput(
                f"candidate: user {candidate_id} is not one of your connections", field="candidate"
            )
        if candidate_id == job.poster_user_id:
            raise InvalidInput("candidate: the job's poster cannot be referred for it", field="candidate")
        if not _sees(uow, candidate_id, job):
            raise InvalidInput(
                "candidate: this job is internal to an organisation they are not in", field="candidate"
            )
        if any(
            r.referrer_id == user_id and r.candidate_id == candidate_id
            for r in uow.network.referrals_for_job(job_id)
        ):
            raise Conflict(f"you referred user {candidate_id} for this job already")
        made = uow.network.add_referral(job_id, user_id, candidate_id, text, at=now)
        uow.commit()
        return _view(uow, made)


def for_job(uow: UnitOfWork, *, actor: Actor, job_id: int) -> list[ReferralView]:
    """Who referred whom for the job: its poster, its organisation's admins, platform admins."""
    with uow:
        job = uow.marketplace.get_job(job_id)
        if job is None:
            raise NotFound(f"no micro-job {job_id}")
        authorize_or_hide(
            actor,
            Action.JOB_MANAGE,
            Resource(owner_user_id=job.poster_user_id, organisation_id=job.job.organisation_id),
            f"micro-job {job_id}",
        )
        return [_view(uow, r) for r in uow.network.referrals_for_job(job_id)]


def made_by(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[ReferralView]:
    """One's referrals with how each went; those that ended in a completed contract count."""
    authorize(actor, Action.REFERRAL_MAKE, Resource(owner_user_id=user_id))
    with uow:
        return [_view(uow, r) for r in uow.network.referrals_by(user_id)]


JOBS_MAX = 200


def to_my_jobs(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[ReferralView]:
    """Who referred whom for the jobs the person posted (their latest ``JOBS_MAX``), newest job first."""
    authorize(actor, Action.JOB_MANAGE, Resource(owner_user_id=user_id))
    with uow:
        jobs, _ = uow.marketplace.list_jobs(
            states=list(JobState),
            visible_orgs=None,
            viewer_id=user_id,
            poster_id=user_id,
            limit=JOBS_MAX,
            offset=0,
        )
        return [_view(uow, r) for job in jobs for r in uow.network.referrals_for_job(job.id)]
