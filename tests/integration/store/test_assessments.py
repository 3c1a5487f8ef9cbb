"""Skill assessments on both stores: a question set drawn from a bank, timed by the server, scored at
once, its pass dated evidence and a credential with the score; a work sample scored by its reviewer;
a micro-job requiring an assessment; the limits (attempts, cool-down, late submissions)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.assessments.attempts import AttemptState
from microcareer.domain.assessments.items import Answer
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import (
    assessment_attempts,
    assessment_hiring,
    job_applications,
    profiles,
)
from microcareer.services.assessment_attempts import Issuing
from tests.integration.assessment_helpers import NOW, AssessmentWorld, make_assessment_world, post_open_job
from tests.integration.taxonomy_helpers import PYTHON


@pytest.fixture
def world(taxonomy_platform: Platform) -> AssessmentWorld:
    return make_assessment_world(taxonomy_platform)


def _issuing(platform: Platform) -> Issuing:
    return Issuing(platform.key_vault, platform.publication)


def test_a_question_set_is_drawn_timed_scored_and_a_pass_is_evidence_and_a_credential(
    taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    first = assessment_attempts.start(
        platform.uow(),
        actor=world.candidate,
        assessment_id=world.question_set_id,
        now=NOW,
        rng=random.Random(1),
    )
    assert first.state is AttemptState.IN_PROGRESS
    assert first.attempt.deadline == NOW + timedelta(minutes=20)
    assert len(first.questions) == 3
    assert set(first.attempt.item_ids) <= set(world.item_ids)
    assert first.seconds_left == 20 * 60
    again = assessment_attempts.start(
        platform.uow(),
        actor=world.candidate,
        assessment_id=world.question_set_id,
        now=NOW + timedelta(minutes=1),
    )
    assert again.id == first.id  # an open attempt is resumed, not doubled
    with pytest.raises(NotFound):
        assessment_attempts.get(platform.uow(), actor=world.other, attempt_id=first.id, now=NOW)
    unknown = next(i for i in world.item_ids if i not in first.attempt.item_ids)
    with pytest.raises(InvalidInput, match="not part of this attempt") as bad:
        assessment_attempts.submit(
            platform.uow(),
            None,
            actor=world.candidate,
            attempt_id=first.id,
            answers={unknown: Answer(text="x")},
            now=NOW,
        )
    assert bad.value.extra["field"] == f"answers.{unknown}"
    wrong = {i: Answer(text="no") for i in first.attempt.item_ids}
    failed = assessment_attempts.submit(
        platform.uow(), _issuing(platform), actor=world.candidate, attempt_id=first.id, answers=wrong, now=NOW
    )
    assert failed.state is AttemptState.FAILED
    assert failed.attempt.percent == 0
    with pytest.raises(Conflict, match="next attempt may start"):
        assessment_attempts.start(
            platform.uow(),
            actor=world.candidate,
            assessment_id=world.question_set_id,
            now=NOW + timedelta(hours=1),
        )
    later = NOW + timedelta(days=2)
    second = assessment_attempts.start(
        platform.uow(),
        actor=world.candidate,
        assessment_id=world.question_set_id,
        now=later,
        rng=random.Random(7),
    )
    assert second.attempt.item_ids != first.attempt.item_ids  # another draw
    passed = assessment_attempts.submit(
        platform.uow(),
        _issuing(platform),
        actor=world.candidate,
        attempt_id=second.id,
        answers=world.right_answers(second.attempt.item_ids),
        now=later + timedelta(minutes=5),
    )
    assert passed.state is AttemptState.PASSED
    assert passed.attempt.percent == 100
    assert passed.attempt.right == frozenset(second.attempt.item_ids)
    view = profiles.get_profile(
        platform.uow(), actor=world.candidate, user_id=world.candidate.user_id or 0, today=later.date()
    )
    held = {s.uri: s for s in view.skills}[PYTHON]
    (evidence,) = [e for e in held.evidence if e.kind is EvidenceKind.ASSESSMENT]
    assert evidence.last_used == later.date()
    assert evidence.rating == 1.0
    assert evidence.weight == 1.0
    assert evidence.source == f"assessment:{world.question_set_id}/attempt:{second.id}"
    assert passed.attempt.credential_id is not None
    with platform.uow() as uow:
        record = uow.credentials.get_credential(passed.attempt.credential_id)
    assert record is not None
    document = json.loads(record.document)
    (result,) = document["credentialSubject"]["result"]
    assert result["value"] == "100"
    assert result["resultDescription"].endswith("#result-score")
    with pytest.raises(Conflict, match="passed this assessment already"):
        assessment_attempts.start(
            platform.uow(),
            actor=world.candidate,
            assessment_id=world.question_set_id,
            now=later + timedelta(days=9),
        )


def test_a_late_submission_is_refused_and_the_attempt_expires(
    taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    started = assessment_attempts.start(
        platform.uow(), actor=world.candidate, assessment_id=world.question_set_id, now=NOW
    )
    with pytest.raises(Conflict, match="time is up"):
        assessment_attempts.submit(
            platform.uow(),
            None,
            actor=world.candidate,
            attempt_id=started.id,
            answers=world.right_answers(started.attempt.item_ids),
            now=NOW + timedelta(minutes=21),
        )
    after = assessment_attempts.get(platform.uow(), actor=world.candidate, attempt_id=started.id, now=NOW)
    assert after.state is AttemptState.EXPIRED
    assert after.attempt.points is None


def test_a_work_sample_is_scored_by_its_reviewer_only(
    taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    with pytest.raises(PermissionDenied, match="may not take it"):
        assessment_attempts.start(
            platform.uow(), actor=world.reviewer, assessment_id=world.work_sample_id, now=NOW
        )
    started = assessment_attempts.start(
        platform.uow(), actor=world.candidate, assessment_id=world.work_sample_id, now=NOW
    )
    assert started.questions == ()
    assert started.attempt.deadline == NOW + timedelta(hours=2)
    with pytest.raises(InvalidInput) as empty:
        assessment_attempts.submit(
            platform.uow(), None, actor=world.candidate, attempt_id=started.id, now=NOW
        )
    assert empty.value.extra["field"] == "work"
    waiting = assessment_attempts.submit(
        platform.uow(),
        None,
        actor=world.candidate,
        attempt_id=started.id,
        work="https://git.example/cara/clean-csv",
        now=NOW + timedelta(minutes=30),
    )
    assert waiting.state is AttemptState.AWAITING_REVIEW
    with pytest.raises(PermissionDenied, match="only the reviewer"):
        assessment_attempts.score(
            platform.uow(), None, actor=world.org_admin, attempt_id=started.id, criteria={"works": 6}, now=NOW
        )
    with pytest.raises(InvalidInput, match="'readable' needs its points"):
        assessment_attempts.score(
            platform.uow(), None, actor=world.reviewer, attempt_id=started.id, criteria={"works": 6}, now=NOW
        )
    with pytest.raises(InvalidInput, match="0 to 4"):
        assessment_attempts.score(
            platform.uow(),
            None,
            actor=world.reviewer,
            attempt_id=started.id,
            criteria={"works": 6, "readable": 5},
            now=NOW,
        )
    scored = assessment_attempts.score(
        platform.uow(),
        None,
        actor=world.reviewer,
        attempt_id=started.id,
        criteria={"works": 5, "readable": 3},
        comment="Works; name the function better.",
        now=NOW + timedelta(hours=3),
    )
    assert scored.state is AttemptState.PASSED
    assert scored.attempt.percent == 80
    view = profiles.get_profile(
        platform.uow(), actor=world.candidate, user_id=world.candidate.user_id or 0, today=NOW.date()
    )
    (evidence,) = [e for s in view.skills for e in s.evidence if e.kind is EvidenceKind.ASSESSMENT]
    assert evidence.weight == 0.6
    assert evidence.rating == 0.8
    with pytest.raises(Conflict):
        assessment_attempts.score(
            platform.uow(),
            None,
            actor=world.reviewer,
            attempt_id=started.id,
            criteria={"works": 6, "readable": 4},
            now=NOW,
        )


def test_a_job_requires_an_assessment_and_its_client_sees_who_passed(
    taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    job_id = post_open_job(platform, world)
    with pytest.raises(PermissionDenied):
        assessment_hiring.require(
            platform.uow(), actor=world.other, job_id=job_id, assessment_ids=[world.question_set_id]
        )
    with pytest.raises(InvalidInput) as bad:
        assessment_hiring.require(platform.uow(), actor=world.client, job_id=job_id, assessment_ids=[999_999])
    assert bad.value.extra["field"] == "assessment_ids"
    assessment_hiring.require(
        platform.uow(), actor=world.client, job_id=job_id, assessment_ids=[world.question_set_id]
    )
    proposal = Proposal(Money(18_000, "EUR"), 8, "I can do it this week.", 10)
    for person in (world.candidate, world.other):
        job_applications.apply(platform.uow(), actor=person, job_id=job_id, proposal=proposal, now=NOW)
    started = assessment_attempts.start(
        platform.uow(), actor=world.candidate, assessment_id=world.question_set_id, now=NOW
    )
    assessment_attempts.submit(
        platform.uow(),
        None,
        actor=world.candidate,
        attempt_id=started.id,
        answers=world.right_answers(started.attempt.item_ids),
        now=NOW,
    )
    seen = assessment_hiring.for_job(platform.uow(), actor=world.client, job_id=job_id)
    assert [r.assessment_id for r in seen.required] == [world.question_set_id]
    assert set(seen.applicants) == {world.candidate.user_id, world.other.user_id}
    assert seen.passed_all(world.candidate.user_id or 0)
    assert not seen.passed_all(world.other.user_id or 0)
    assert seen.passes[world.candidate.user_id or 0][world.question_set_id].passed_on == NOW.date()
    as_other = assessment_hiring.for_job(platform.uow(), actor=world.other, job_id=job_id)
    assert as_other.applicants == {}
    assert as_other.passes == {}
