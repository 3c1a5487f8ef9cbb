"""Taking assessments: start an attempt (limited, cooled down, timed by the server, items drawn from
the bank), submit it before its deadline, have a work sample scored by its reviewer; a pass becomes
dated ``assessment`` evidence on the profile and, when the assessment leads to an achievement, an
Open Badges 3.0 credential whose ``result`` carries the score.

What scores an item never leaves here before the attempt is submitted, and after it only which drawn
items were right (the bank is reused by later attempts). Authors and the named reviewer may not take
their own assessment (their pass would be trust they gave themselves); the candidate, the authors and
the reviewer see an attempt, nobody else (404).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from microcareer.domain.accounts import Actor
from microcareer.domain.assessments.attempts import (
    Attempt,
    AttemptState,
    Scored,
    check_in_time,
    check_may_start,
    draw,
    passes,
    score_items,
    score_rubric,
)
from microcareer.domain.assessments.definitions import AssessmentKind, AssessmentState, StoredAssessment
from microcareer.domain.assessments.items import Answer, ItemPrompt, check_answer
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.issuer_standing import evidence_terms
from microcareer.domain.credentials.open_badges import EvidenceItem, Recipient
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.errors import Conflict, InvalidInput, MicrocareerError, NotFound, PermissionDenied
from microcareer.services import credential_issuing
from microcareer.services.access import Action, authorize
from microcareer.services.assessments import author_resource, is_reviewer, may_author, readable
from microcareer.services.credential_issuing import Publication
from microcareer.services.credential_ports import KeyVault
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import record_verified_evidence

log = logging.getLogger(__name__)
ORGANISATION_WEIGHT = 0.6
MAX_WORK = 20_000
SCORE_TYPES = ("Percent", "RawScore", "ScaledScore", "RubricScore")
"""Result types a score goes into first (else the achievement's first result carries it)."""


@dataclass(frozen=True, slots=True)
class Issuing:
    """What issuing a credential for a pass needs: the issuers' keys and where documents are published."""

    vault: KeyVault
    publication: Publication


@dataclass(frozen=True, slots=True)
class AttemptView:
    attempt: Attempt
    assessment: StoredAssessment
    state: AttemptState
    """As of now: an attempt left open past its deadline reads as expired."""
    questions: tuple[ItemPrompt, ...]
    seconds_left: int
    candidate_name: str
    may_score: bool
    """The reader is the reviewer and the work sample waits for scoring."""

    @property
    def id(self) -> int:
        return self.attempt.id


def _candidate(actor: Actor) -> int:
    authorize(actor, Action.ASSESSMENT_TAKE)
    if actor.user_id is None:
        raise PermissionDenied("only a person takes an assessment (not the local operator)")
    return actor.user_id


def _view(
    uow: UnitOfWork, actor: Actor, stored: StoredAssessment, attempt: Attempt, now: datetime
) -> AttemptView:
    items = uow.assessments.items_by_id(attempt.item_ids)
    user = uow.accounts.get_user(attempt.candidate_id)
    state = attempt.state_at(now)
    return AttemptView(
        attempt=attempt,
        assessment=stored,
        state=state,
        questions=tuple(items[i].prompt_only(i) for i in attempt.item_ids if i in items),
        seconds_left=max(0, int((attempt.deadline - now).total_seconds()))
        if state is AttemptState.IN_PROGRESS
        else 0,
        candidate_name=user.display_name if user is not None else f"user {attempt.candidate_id}",
        may_score=state is AttemptState.AWAITING_REVIEW and is_reviewer(actor, stored),
    )


def _visible(uow: UnitOfWork, actor: Actor, attempt_id: int) -> tuple[StoredAssessment, Attempt]:
    authorize(actor, Action.ASSESSMENT_TAKE)
    attempt = uow.assessments.get_attempt(attempt_id)
    stored = None if attempt is None else uow.assessments.get(attempt.assessment_id)
    if attempt is None or stored is None:
        raise NotFound(f"no attempt {attempt_id}")
    own = actor.user_id == attempt.candidate_id
    if not (own or may_author(uow, actor, stored) or is_reviewer(actor, stored)):
        raise NotFound(f"no attempt {attempt_id}")
    return stored, attempt


def start(
    uow: UnitOfWork, *, actor: Actor, assessment_id: int, now: datetime, rng: random.Random | None = None
) -> AttemptView:
    """A new attempt (or the one still open): its items drawn at random, its deadline fixed now."""
    candidate = _candidate(actor)
    with uow:
        stored = readable(uow, actor, assessment_id)
        if stored.state is not AssessmentState.PUBLISHED:
            raise Conflict(f"assessment {assessment_id} is {stored.state.value}, not open for attempts")
        if may_author(uow, actor, stored) or is_reviewer(actor, stored):
            raise PermissionDenied("you set or review this assessment: you may not take it yourself")
        earlier = uow.assessments.attempts_of(assessment_id, candidate)
        for attempt in earlier:
            if attempt.state is AttemptState.IN_PROGRESS:
                if attempt.state_at(now) is AttemptState.IN_PROGRESS:
                    return _view(uow, actor, stored, attempt, now)
                uow.assessments.save_attempt(replace(attempt, state=AttemptState.EXPIRED))
        check_may_start(stored.assessment, earlier, now)
        item_ids: tuple[int, ...] = ()
        if stored.assessment.kind is AssessmentKind.QUESTION_SET:
            bank = sorted(uow.assessments.items(assessment_id))
            item_ids = draw(bank, stored.assessment.draw_count, rng or random.SystemRandom())
        deadline = now + timedelta(minutes=stored.assessment.time_limit_minutes)
        attempt = uow.assessments.add_attempt(
            assessment_id, candidate, item_ids, started_at=now, deadline=deadline
        )
        uow.commit()
        return _view(uow, actor, stored, attempt, now)


def get(uow: UnitOfWork, *, actor: Actor, attempt_id: int, now: datetime) -> AttemptView:
    with uow:
        stored, attempt = _visible(uow, actor, attempt_id)
        return _view(uow, actor, stored, attempt, now)


def _check_answers(uow: UnitOfWork, attempt: Attempt, answers: Mapping[int, Answer]) -> None:
    items = uow.assessments.items_by_id(attempt.item_ids)
    for item_id, answer in answers.items():
        where = f"answers.{item_id}"
        if item_id not in attempt.item_ids:
            raise InvalidInput(f"{where}: item {item_id} is not part of this attempt", field=where)
        check_answer(items[item_id].kind, answer, len(items[item_id].options), where)


def _evidence(
    uow: UnitOfWork, stored: StoredAssessment, attempt: Attempt, scored: Scored, now: datetime
) -> None:
    """The pass, dated today, on each of the assessment's skills, weighted by who set it."""
    if stored.owner.issuer_id is not None:
        issuer = uow.credentials.get_issuer(stored.owner.issuer_id)
        assert issuer is not None
        weight, note = evidence_terms(issuer.standing)
    else:
        weight, note = ORGANISATION_WEIGHT, "set by an organisation, not an approved issuer: counts 60%"
    known = uow.taxonomy.skill_refs(list(stored.assessment.skills))
    record_verified_evidence(
        uow,
        attempt.candidate_id,
        [uri for uri in stored.assessment.skills if uri in known],
        Evidence(
            EvidenceKind.ASSESSMENT,
            now.date(),
            source=f"assessment:{stored.id}/attempt:{attempt.id}",
            rating=scored.points / scored.total,
            weight=weight,
            note=note,
        ),
        level=stored.assessment.proficiency,
        raise_level=False,
        now=now,
    )


def _finish(
    uow: UnitOfWork, stored: StoredAssessment, attempt: Attempt, scored: Scored, now: datetime
) -> Attempt:
    passed = passes(scored, stored.assessment.pass_percent)
    done = replace(
        attempt,
        state=AttemptState.PASSED if passed else AttemptState.FAILED,
        points=scored.points,
        total=scored.total,
        right=scored.right,
        scored_at=now,
    )
    uow.assessments.save_attempt(done)
    if passed:
        _evidence(uow, stored, done, scored, now)
    return done


def _issue(
    uow: UnitOfWork, issuing: Issuing | None, stored: StoredAssessment, attempt: Attempt, now: datetime
) -> None:
    """The credential a pass earns, in its own transaction after the pass is recorded (a failure to sign,
    such as an issuer without a key, leaves the pass standing and is logged)."""
    achievement_id = stored.assessment.achievement_id
    if issuing is None or attempt.state is not AttemptState.PASSED or achievement_id is None:
        return
    with uow:
        user = uow.accounts.get_user(attempt.candidate_id)
        achievement = uow.credentials.get_achievement(achievement_id)
    if user is None or achievement is None or not achievement.definition.results:
        return
    results = achievement.definition.results
    result = next((r for r in results if r.result_type in SCORE_TYPES), results[0]).name
    request = IssueRequest(
        recipient=Recipient(email=user.email, name=user.display_name),
        evidence=(
            EvidenceItem(
                narrative=f"Passed the assessment {stored.assessment.title!r} with {attempt.percent}%.",
                name=stored.assessment.title,
            ),
        ),
        results={result: str(attempt.percent)},
    )
    try:
        (issued,) = credential_issuing.issue_credentials(
            uow,
            issuing.vault,
            actor=Actor.system(),
            achievement_id=achievement_id,
            requests=[request],
            publication=issuing.publication,
            now=now,
        )
    except MicrocareerError as error:
        log.warning("assessment %s: no credential for attempt %s: %s", stored.id, attempt.id, error)
        return
    with uow:
        current = uow.assessments.get_attempt(attempt.id)
        assert current is not None
        uow.assessments.save_attempt(replace(current, credential_id=issued.id))
        uow.commit()


def submit(
    uow: UnitOfWork,
    issuing: Issuing | None,
    *,
    actor: Actor,
    attempt_id: int,
    answers: Mapping[int, Answer] | None = None,
    work: str = "",
    now: datetime,
) -> AttemptView:
    """Score a question set at once; a work sample waits for its reviewer. After the deadline: 409, and
    the attempt is closed as expired."""
    candidate = _candidate(actor)
    answers = dict(answers or {})
    late = False
    with uow:
        attempt = uow.assessments.get_attempt(attempt_id, for_update=True)
        if attempt is None or attempt.candidate_id != candidate:
            raise NotFound(f"no attempt {attempt_id}")
        stored = uow.assessments.get(attempt.assessment_id)
        assert stored is not None
        if attempt.state is AttemptState.IN_PROGRESS and attempt.state_at(now) is AttemptState.EXPIRED:
            uow.assessments.save_attempt(replace(attempt, state=AttemptState.EXPIRED))
            uow.commit()
            late = True
        else:
            check_in_time(attempt, now)
            attempt = replace(attempt, submitted_at=now)
            if stored.assessment.kind is AssessmentKind.WORK_SAMPLE:
                if not work.strip() or len(work) > MAX_WORK:
                    raise InvalidInput(
                        f"work: your work or a link to it, 1 to {MAX_WORK} characters", field="work"
                    )
                attempt = replace(attempt, work=work.strip(), state=AttemptState.AWAITING_REVIEW)
                uow.assessments.save_attempt(attempt)
            else:
                _check_answers(uow, attempt, answers)
                items = uow.assessments.items_by_id(attempt.item_ids)
                attempt = replace(attempt, answers=answers)
                attempt = _finish(uow, stored, attempt, score_items(items, attempt.item_ids, answers), now)
            uow.commit()
    if late:
        raise Conflict(
            f"time is up: attempt {attempt_id} closed at {attempt.deadline.isoformat(timespec='seconds')}"
        )
    _issue(uow, issuing, stored, attempt, now)
    return get(uow, actor=actor, attempt_id=attempt_id, now=now)


def score(
    uow: UnitOfWork,
    issuing: Issuing | None,
    *,
    actor: Actor,
    attempt_id: int,
    criteria: Mapping[str, int],
    comment: str = "",
    now: datetime,
) -> AttemptView:
    """The named reviewer scores a submitted work sample against the rubric (once)."""
    if len(comment) > 4_000:
        raise InvalidInput("comment: at most 4000 characters", field="comment")
    with uow:
        stored, attempt = _visible(uow, actor, attempt_id)
        if not is_reviewer(actor, stored):
            raise PermissionDenied("only the reviewer the assessment names scores its work samples")
        if actor.user_id == attempt.candidate_id:
            raise PermissionDenied("you may not score your own attempt")
        if attempt.state is not AttemptState.AWAITING_REVIEW:
            raise Conflict(f"attempt {attempt_id} is {attempt.state_at(now).value}, not waiting for a score")
        scored = score_rubric(stored.assessment.rubric, criteria)
        attempt = replace(
            attempt,
            criterion_points=dict(criteria),
            review_comment=comment.strip(),
            reviewer_id=actor.user_id,
        )
        attempt = _finish(uow, stored, attempt, scored, now)
        uow.commit()
    _issue(uow, issuing, stored, attempt, now)
    return get(uow, actor=actor, attempt_id=attempt_id, now=now)


def for_assessment(uow: UnitOfWork, *, actor: Actor, assessment_id: int, now: datetime) -> list[AttemptView]:
    """Every attempt at the assessment: for its authors and its reviewer."""
    with uow:
        stored = readable(uow, actor, assessment_id)
        if not (may_author(uow, actor, stored) or is_reviewer(actor, stored)):
            authorize(actor, Action.ASSESSMENT_AUTHOR, author_resource(uow, stored.owner)[0])
        return [_view(uow, actor, stored, a, now) for a in uow.assessments.attempts_for(assessment_id)]


def mine(
    uow: UnitOfWork, *, actor: Actor, assessment_id: int | None = None, now: datetime
) -> list[AttemptView]:
    """The actor's own attempts, at one assessment or all."""
    candidate = _candidate(actor)
    with uow:
        found = uow.assessments.candidate_attempts(candidate)
        views = []
        for attempt in found:
            if assessment_id is not None and attempt.assessment_id != assessment_id:
                continue
            stored = uow.assessments.get(attempt.assessment_id)
            assert stored is not None
            views.append(_view(uow, actor, stored, attempt, now))
        return views
