"""Hiring with assessments (issue 22): a micro-job lists the assessments it requires; its managers see
which applicants passed each (when, with what score); an applicant sees their own standing.

Setting the list is managing the job (``JOB_MANAGE``); only published assessments can be required.
Reading it follows the job's visibility (404 where the job is hidden).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.attempts import Attempt
from microcareer.domain.assessments.definitions import AssessmentState
from microcareer.errors import InvalidInput
from microcareer.services.access import Action, is_allowed
from microcareer.services.micro_jobs import job_resource, managed_job, visible_job
from microcareer.services.ports import UnitOfWork

MAX_REQUIRED = 5


@dataclass(frozen=True, slots=True)
class Requirement:
    assessment_id: int
    title: str


@dataclass(frozen=True, slots=True)
class Pass:
    assessment_id: int
    candidate_id: int
    percent: int
    passed_on: date


@dataclass(frozen=True, slots=True)
class JobAssessments:
    job_id: int
    required: tuple[Requirement, ...]
    applicants: dict[int, str] = field(default_factory=dict)
    """The job's applicants by id, with their names (for its managers; empty for others)."""
    passes: dict[int, dict[int, Pass]] = field(default_factory=dict)
    """Applicant id -> assessment id -> their pass (managers see all applicants; others only themselves)."""

    def passed_all(self, candidate_id: int) -> bool:
        return all(r.assessment_id in self.passes.get(candidate_id, {}) for r in self.required)


def _passes(attempts: Sequence[Attempt]) -> dict[int, dict[int, Pass]]:
    found: dict[int, dict[int, Pass]] = {}
    for attempt in attempts:
        if attempt.scored_at is None or attempt.percent is None:
            continue
        found.setdefault(attempt.candidate_id, {})[attempt.assessment_id] = Pass(
            attempt.assessment_id, attempt.candidate_id, attempt.percent, attempt.scored_at.date()
        )
    return found


def require(uow: UnitOfWork, *, actor: Actor, job_id: int, assessment_ids: Sequence[int]) -> JobAssessments:
    """Replace the job's required assessments (an empty list requires none)."""
    if len(set(assessment_ids)) > MAX_REQUIRED:
        raise InvalidInput(f"assessment_ids: at most {MAX_REQUIRED} assessments", field="assessment_ids")
    with uow:
        managed_job(uow, actor, job_id)
        for assessment_id in assessment_ids:
            stored = uow.assessments.get(assessment_id)
            if stored is None or stored.state is not AssessmentState.PUBLISHED:
                raise InvalidInput(
                    f"assessment_ids: {assessment_id} is not a published assessment", field="assessment_ids"
                )
        uow.assessments.set_job_requirements(job_id, assessment_ids)
        uow.commit()
    return for_job(uow, actor=actor, job_id=job_id)


def for_job(uow: UnitOfWork, *, actor: Actor, job_id: int) -> JobAssessments:
    with uow:
        job = visible_job(uow, actor, job_id)
        required = []
        for assessment_id in uow.assessments.job_requirements(job_id):
            stored = uow.assessments.get(assessment_id)
            if stored is not None:
                required.append(Requirement(assessment_id, stored.assessment.title))
        ids = [r.assessment_id for r in required]
        manager = actor.is_authenticated and is_allowed(
            actor, Action.JOB_MANAGE, job_resource(job.poster_user_id, job.job)
        )
        applicants: dict[int, str] = {}
        if manager:
            for application in uow.marketplace.applications_for_job(job_id):
                user = uow.accounts.get_user(application.applicant_user_id)
                applicants[application.applicant_user_id] = user.display_name if user else ""
            people = list(applicants)
        else:
            people = [actor.user_id] if actor.user_id is not None else []
        return JobAssessments(
            job_id, tuple(required), applicants, _passes(uow.assessments.passed(ids, people))
        )
