"""Assessment rules without a store: scoring each kind of item, what a candidate may see, drawing items,
the attempt limits and cool-down, rubric scores and the pass mark."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from microcareer.domain.assessments.attempts import (
    Attempt,
    AttemptState,
    check_in_time,
    check_may_start,
    draw,
    passes,
    score_items,
    score_rubric,
)
from microcareer.domain.assessments.definitions import Assessment, AssessmentKind, Criterion
from microcareer.domain.assessments.items import Answer, Item, ItemKind, normalise
from microcareer.errors import Conflict, InvalidInput

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
SINGLE = Item(ItemKind.SINGLE_CHOICE, "Pick", ("a", "b", "c"), correct=(1,))
MULTI = Item(ItemKind.MULTIPLE_CHOICE, "Pick two", ("a", "b", "c"), correct=(0, 2), points=2)
NUMBER = Item(ItemKind.NUMERIC, "Pi?", value=3.14159, tolerance=0.01)
TEXT = Item(ItemKind.SHORT_TEXT, "Capital of France?", accepted=("Paris", "Paris, France"))


def test_each_kind_of_item_scores_right_and_wrong_answers() -> None:
    assert SINGLE.is_right(Answer(choices=(1,)))
    assert not SINGLE.is_right(Answer(choices=(0,)))
    assert MULTI.is_right(Answer(choices=(2, 0)))
    assert not MULTI.is_right(Answer(choices=(0,)))  # all the right ones
    assert not MULTI.is_right(Answer(choices=(0, 1, 2)))  # and none of the others
    assert NUMBER.is_right(Answer(number=3.15))
    assert not NUMBER.is_right(Answer(number=3.16))
    assert not NUMBER.is_right(Answer(number=float("nan")))
    assert TEXT.is_right(Answer(text="  paRIS. "))
    assert TEXT.is_right(Answer(text="paris,  france"))
    assert not TEXT.is_right(Answer(text=""))
    assert normalise("Ça  VA!") == "ca va"


def test_what_a_candidate_sees_holds_nothing_that_scores() -> None:
    shown = dataclasses.asdict(MULTI.prompt_only(5))
    assert set(shown) == {"id", "kind", "prompt", "options", "points"}


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (Item(ItemKind.SINGLE_CHOICE, "x", ("a", "b"), correct=(0, 1)), "correct"),
        (Item(ItemKind.MULTIPLE_CHOICE, "x", ("a",), correct=(0,)), "options"),
        (Item(ItemKind.SINGLE_CHOICE, "x", ("a", "b"), correct=(2,)), "correct"),
        (Item(ItemKind.NUMERIC, "x"), "value"),
        (Item(ItemKind.NUMERIC, "x", value=1, tolerance=-1), "tolerance"),
        (Item(ItemKind.SHORT_TEXT, "x", accepted=(" ",)), "accepted"),
        (Item(ItemKind.SHORT_TEXT, " ", accepted=("a",)), "prompt"),
        (Item(ItemKind.SHORT_TEXT, "x", accepted=("a",), points=0), "points"),
    ],
)
def test_a_bad_item_is_refused_naming_its_field(item: Item, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        item.validate()
    assert refused.value.extra["field"] == field


def _attempt(number: int, started: datetime, state: AttemptState = AttemptState.FAILED) -> Attempt:
    return Attempt(number, 1, 9, started, started + timedelta(minutes=30), (), state, submitted_at=started)


def test_attempts_are_limited_and_cooled_down() -> None:
    rules = Assessment("T", "", ("s",), max_attempts=2, cooldown_hours=24)
    check_may_start(rules, [], NOW)
    earlier = [_attempt(1, NOW)]
    with pytest.raises(Conflict, match="next attempt may start"):
        check_may_start(rules, earlier, NOW + timedelta(hours=23))
    check_may_start(rules, earlier, NOW + timedelta(hours=24))
    with pytest.raises(Conflict, match="all 2 attempts are used"):
        check_may_start(rules, [*earlier, _attempt(2, NOW + timedelta(days=2))], NOW + timedelta(days=9))
    with pytest.raises(Conflict, match="passed"):
        check_may_start(rules, [_attempt(1, NOW, AttemptState.PASSED)], NOW + timedelta(days=9))


def test_the_deadline_is_the_servers_and_an_open_attempt_expires() -> None:
    open_attempt = _attempt(1, NOW, AttemptState.IN_PROGRESS)
    check_in_time(open_attempt, NOW + timedelta(minutes=30))
    with pytest.raises(Conflict, match="time is up"):
        check_in_time(open_attempt, NOW + timedelta(minutes=31))
    assert open_attempt.state_at(NOW + timedelta(minutes=31)) is AttemptState.EXPIRED


def test_draws_differ_and_scores_count_points_of_right_items() -> None:
    bank = list(range(1, 21))
    draws = {draw(bank, 5, random.Random(seed)) for seed in range(5)}
    assert len(draws) == 5
    assert all(len(set(d)) == 5 and set(d) <= set(bank) for d in draws)
    items = {1: SINGLE, 2: MULTI, 3: NUMBER}
    scored = score_items(items, (1, 2, 3), {1: Answer(choices=(1,)), 2: Answer(choices=(0, 2))})
    assert (scored.points, scored.total, scored.right) == (3, 4, frozenset({1, 2}))
    assert passes(scored, 75)
    assert not passes(scored, 76)


def test_a_rubric_takes_points_for_every_criterion_within_its_most() -> None:
    rubric = (Criterion("works", 6), Criterion("readable", 4))
    assert score_rubric(rubric, {"works": 6, "readable": 1}).points == 7
    for given in ({"works": 6}, {"works": 7, "readable": 0}, {"works": 1, "readable": 1, "fast": 1}):
        with pytest.raises(InvalidInput):
            score_rubric(rubric, given)


def test_a_work_sample_needs_its_task_rubric_and_reviewer() -> None:
    base = Assessment("T", "", ("s",), kind=AssessmentKind.WORK_SAMPLE, task="Do it", reviewer_user_id=3)
    for changed, field in (
        (dataclasses.replace(base, task=""), "task"),
        (base, "rubric"),
        (dataclasses.replace(base, rubric=(Criterion("a", 1),), reviewer_user_id=None), "reviewer"),
        (dataclasses.replace(base, skills=()), "skills"),
        (dataclasses.replace(base, pass_percent=0), "pass_percent"),
    ):
        with pytest.raises(InvalidInput) as refused:
            changed.validate()
        assert refused.value.extra["field"] == field
