"""The rules of an attempt: whether one may start, which items it draws, its deadline, its score.

Time is the server's: the deadline is fixed when the attempt starts and a submission after it is
refused. An attempt left open past its deadline is expired and counts against the limit.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from microcareer.domain.assessments.definitions import Assessment, Criterion
from microcareer.domain.assessments.items import Answer, Item
from microcareer.errors import Conflict, InvalidInput

GRACE = timedelta(seconds=2)
"""A submission sent as the clock runs out still counts (the request's own transit)."""


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"
    PASSED = "passed"
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    assessment_id: int
    candidate_id: int
    started_at: datetime
    deadline: datetime
    item_ids: tuple[int, ...]
    state: AttemptState
    answers: Mapping[int, Answer] = field(default_factory=dict)
    work: str = ""
    """A work sample's submission: the text or a link to it."""
    submitted_at: datetime | None = None
    points: int | None = None
    total: int | None = None
    right: frozenset[int] = frozenset()
    """The drawn items answered right (shown to the candidate after submitting, without the answers)."""
    criterion_points: Mapping[str, int] = field(default_factory=dict)
    review_comment: str = ""
    reviewer_id: int | None = None
    scored_at: datetime | None = None
    credential_id: str | None = None

    def state_at(self, now: datetime) -> AttemptState:
        if self.state is AttemptState.IN_PROGRESS and now > self.deadline + GRACE:
            return AttemptState.EXPIRED
        return self.state

    @property
    def percent(self) -> int | None:
        if self.points is None or not self.total:
            return None
        return round(100 * self.points / self.total)


def check_may_start(assessment: Assessment, earlier: Sequence[Attempt], now: datetime) -> None:
    """409 when the attempts are used up or the cool-down since the last one has not passed."""
    if any(a.state is AttemptState.PASSED for a in earlier):
        raise Conflict("you passed this assessment already")
    if len(earlier) >= assessment.max_attempts:
        raise Conflict(f"all {assessment.max_attempts} attempts are used")
    if earlier:
        last = max(earlier, key=lambda a: a.started_at)
        ended = min(last.submitted_at or last.deadline, last.deadline)
        ready = ended + timedelta(hours=assessment.cooldown_hours)
        if now < ready:
            raise Conflict(f"the next attempt may start at {ready.isoformat(timespec='minutes')}")


def draw(bank: Sequence[int], count: int, rng: random.Random) -> tuple[int, ...]:
    """``count`` items of the bank in a random order (all of it when it holds fewer)."""
    if not bank:
        raise Conflict("the assessment has no items yet")
    return tuple(rng.sample(list(bank), min(count, len(bank))))


def check_in_time(attempt: Attempt, now: datetime) -> None:
    if attempt.state is not AttemptState.IN_PROGRESS:
        raise Conflict(f"attempt {attempt.id} is {attempt.state.value}, not in progress")
    if now > attempt.deadline + GRACE:
        raise Conflict(f"time is up: attempt {attempt.id} closed at {attempt.deadline.isoformat()}")


@dataclass(frozen=True, slots=True)
class Scored:
    points: int
    total: int
    right: frozenset[int]


def score_items(items: Mapping[int, Item], drawn: Sequence[int], answers: Mapping[int, Answer]) -> Scored:
    """Points of the items answered right, out of all drawn; an unanswered item scores nothing."""
    extra = sorted(set(answers) - set(drawn))
    if extra:
        raise InvalidInput(
            f"answers: item {extra[0]} is not part of this attempt", field=f"answers.{extra[0]}"
        )
    right = frozenset(i for i in drawn if i in answers and items[i].is_right(answers[i]))
    return Scored(
        points=sum(items[i].points for i in right), total=sum(items[i].points for i in drawn), right=right
    )


def score_rubric(rubric: Sequence[Criterion], given: Mapping[str, int]) -> Scored:
    """The reviewer's points for each criterion (each from 0 to its most), out of the rubric's total."""
    names = {c.name for c in rubric}
    unknown = sorted(set(given) - names)
    if unknown:
        raise InvalidInput(f"criteria: {unknown[0]!r} is not in the rubric", field="criteria")
    for criterion in rubric:
        if criterion.name not in given:
            raise InvalidInput(f"criteria: {criterion.name!r} needs its points", field="criteria")
        if not 0 <= given[criterion.name] <= criterion.points:
            raise InvalidInput(
                f"criteria: {criterion.name!r} gives 0 to {criterion.points} points", field="criteria"
            )
    return Scored(points=sum(given.values()), total=sum(c.points for c in rubric), right=frozenset())


def passes(scored: Scored, pass_percent: int) -> bool:
    return scored.total > 0 and 100 * scored.points >= pass_percent * scored.total
