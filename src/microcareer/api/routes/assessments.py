"""/api/v1/assessments: skill assessments, their item banks and attempts; /api/v1/assessment-attempts
to submit, score and read an attempt; /api/v1/jobs/{job_id}/assessments for hiring with assessments.

Published assessments are read by anyone signed in; drafts, the bank (with its answers) and every
attempt by their authors; an attempt by its candidate, the authors and the named reviewer (404 to
others). An attempt's questions never carry what scores them.
"""

from __future__ import annotations

from fastapi import Response, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.routes.network import skill_uri
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.assessments import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentUpdate,
    AttemptPublic,
    ItemBody,
    ItemPublic,
    JobAssessmentsBody,
    JobAssessmentsPublic,
    ScoreBody,
    SubmitBody,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.definitions import AssessmentState, Owner
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import assessment_attempts, assessment_hiring, assessments
from microcareer.services.assessment_attempts import Issuing

router = PrefixRouter(tags=["assessments"], route_class=OneHopRoute)


def issuing_for(platform: Platform) -> Issuing:
    """What a pass needs to issue its credential (every door passes the same)."""
    return Issuing(platform.key_vault, platform.publication)


def _skills(platform: Platform, actor: Actor, texts: list[str]) -> list[str]:
    """The skills' URIs; one that names no skill is a 422 naming ``skills`` (not a 404 of the page)."""
    try:
        return [skill_uri(platform, actor, text) for text in texts]
    except NotFound as exc:
        raise InvalidInput(f"skills: {exc}", field="skills") from None


@router.get("/assessments", response_model=list[AssessmentPublic], summary="Published assessments and yours")
def list_assessments(platform: PlatformDep, actor: ActorDep) -> list[AssessmentPublic]:
    return [AssessmentPublic.of(v) for v in assessments.catalogue(platform.uow(), actor=actor)]


@router.post(
    "/assessments",
    response_model=AssessmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Set an assessment (a draft)",
)
def create_assessment(body: AssessmentCreate, platform: PlatformDep, actor: ActorDep) -> AssessmentPublic:
    """For an issuer you manage (``issuer_id``) or an organisation you administer (``organisation_id``)."""
    owner = Owner(issuer_id=body.issuer_id, organisation_id=body.organisation_id)
    made = assessments.create(
        platform.uow(),
        actor=actor,
        owner=owner,
        assessment=body.to_assessment(body.kind, _skills(platform, actor, body.skills)),
        now=platform.clock(),
    )
    return AssessmentPublic.of(assessments.get(platform.uow(), actor=actor, assessment_id=made.id))


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic, summary="An assessment")
def get_assessment(assessment_id: RowId, platform: PlatformDep, actor: ActorDep) -> AssessmentPublic:
    return AssessmentPublic.of(assessments.get(platform.uow(), actor=actor, assessment_id=assessment_id))


@router.put("/assessments/{assessment_id}", response_model=AssessmentPublic, summary="Change an assessment")
def update_assessment(
    assessment_id: RowId, body: AssessmentUpdate, platform: PlatformDep, actor: ActorDep
) -> AssessmentPublic:
    """Its settings (the kind stays), and its state: publish it, close it."""
    current = assessments.get(platform.uow(), actor=actor, assessment_id=assessment_id)
    kind = current.stored.assessment.kind
    assessments.update(
        platform.uow(),
        actor=actor,
        assessment_id=assessment_id,
        assessment=body.to_assessment(kind, _skills(platform, actor, body.skills)),
        state=AssessmentState(body.state) if body.state else None,
        now=platform.clock(),
    )
    return AssessmentPublic.of(assessments.get(platform.uow(), actor=actor, assessment_id=assessment_id))


@router.get(
    "/assessments/{assessment_id}/items", response_model=list[ItemPublic], summary="The bank, with answers"
)
def list_items(assessment_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[ItemPublic]:
    """For the assessment's authors only."""
    found = assessments.bank(platform.uow(), actor=actor, assessment_id=assessment_id)
    return [ItemPublic.of(i, item) for i, item in found.items()]


@router.post(
    "/assessments/{assessment_id}/items",
    response_model=ItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add an item to the bank",
)
def add_item(assessment_id: RowId, body: ItemBody, platform: PlatformDep, actor: ActorDep) -> ItemPublic:
    item = body.to_item()
    item_id = assessments.add_item(
        platform.uow(), actor=actor, assessment_id=assessment_id, item=item, now=platform.clock()
    )
    return ItemPublic.of(item_id, item)


@router.put(
    "/assessments/{assessment_id}/items/{item_id}", response_model=ItemPublic, summary="Replace an item"
)
def replace_item(
    assessment_id: RowId, item_id: RowId, body: ItemBody, platform: PlatformDep, actor: ActorDep
) -> ItemPublic:
    item = body.to_item()
    assessments.edit_item(
        platform.uow(), actor=actor, assessment_id=assessment_id, item_id=item_id, item=item
    )
    return ItemPublic.of(item_id, item)


@router.delete(
    "/assessments/{assessment_id}/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take an item out of the bank",
)
def remove_item(assessment_id: RowId, item_id: RowId, platform: PlatformDep, actor: ActorDep) -> Response:
    assessments.edit_item(
        platform.uow(), actor=actor, assessment_id=assessment_id, item_id=item_id, item=None
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/assessments/{assessment_id}/attempts",
    response_model=AttemptPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Start an attempt (or resume the open one)",
)
def start_attempt(assessment_id: RowId, platform: PlatformDep, actor: ActorDep) -> AttemptPublic:
    """Items are drawn from the bank for this attempt; its deadline is fixed now, by the server."""
    view = assessment_attempts.start(
        platform.uow(), actor=actor, assessment_id=assessment_id, now=platform.clock()
    )
    return AttemptPublic.of(view)


@router.get(
    "/assessments/{assessment_id}/attempts",
    response_model=list[AttemptPublic],
    summary="Every attempt at an assessment",
)
def list_attempts(assessment_id: RowId, platform: PlatformDep, actor: ActorDep) -> list[AttemptPublic]:
    """For its authors and its reviewer."""
    found = assessment_attempts.for_assessment(
        platform.uow(), actor=actor, assessment_id=assessment_id, now=platform.clock()
    )
    return [AttemptPublic.of(v) for v in found]


@router.get("/assessment-attempts/{attempt_id}", response_model=AttemptPublic, summary="An attempt")
def get_attempt(attempt_id: RowId, platform: PlatformDep, actor: ActorDep) -> AttemptPublic:
    return AttemptPublic.of(
        assessment_attempts.get(platform.uow(), actor=actor, attempt_id=attempt_id, now=platform.clock())
    )


@router.post(
    "/assessment-attempts/{attempt_id}/submit", response_model=AttemptPublic, summary="Submit an attempt"
)
def submit_attempt(
    attempt_id: RowId, body: SubmitBody, platform: PlatformDep, actor: ActorDep
) -> AttemptPublic:
    """Before its deadline (409 after it). A question set is scored at once; a pass goes on your profile
    and, when the assessment leads to an achievement, a credential with the score reaches your wallet."""
    view = assessment_attempts.submit(
        platform.uow(),
        issuing_for(platform),
        actor=actor,
        attempt_id=attempt_id,
        answers={a.item_id: a.to_answer() for a in body.answers},
        work=body.work,
        now=platform.clock(),
    )
    return AttemptPublic.of(view)


@router.post(
    "/assessment-attempts/{attempt_id}/score", response_model=AttemptPublic, summary="Score a work sample"
)
def score_attempt(
    attempt_id: RowId, body: ScoreBody, platform: PlatformDep, actor: ActorDep
) -> AttemptPublic:
    """By the reviewer the assessment names: points for every criterion of the rubric."""
    view = assessment_attempts.score(
        platform.uow(),
        issuing_for(platform),
        actor=actor,
        attempt_id=attempt_id,
        criteria={c.name: c.points for c in body.criteria},
        comment=body.comment,
        now=platform.clock(),
    )
    return AttemptPublic.of(view)


@router.get(
    "/jobs/{job_id}/assessments",
    response_model=JobAssessmentsPublic,
    summary="A job's required assessments and who passed",
)
def job_assessments(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> JobAssessmentsPublic:
    """The job's managers see every applicant's passes; anyone else who sees the job, their own."""
    found = assessment_hiring.for_job(platform.uow(), actor=actor, job_id=job_id)
    return JobAssessmentsPublic.of(found, actor.user_id)


@router.put(
    "/jobs/{job_id}/assessments", response_model=JobAssessmentsPublic, summary="Require assessments for a job"
)
def require_assessments(
    job_id: RowId, body: JobAssessmentsBody, platform: PlatformDep, actor: ActorDep
) -> JobAssessmentsPublic:
    found = assessment_hiring.require(
        platform.uow(), actor=actor, job_id=job_id, assessment_ids=body.assessment_ids
    )
    return JobAssessmentsPublic.of(found, actor.user_id)
