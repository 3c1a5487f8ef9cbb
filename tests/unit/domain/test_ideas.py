"""An idea's rules without a store: what a pitch must hold (each refusal naming its field), one support
each and none for one's own idea, and jobs that stay within the sponsored budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from microcareer.domain.ideas import (
    Idea,
    JoinRequest,
    Outcome,
    Pitch,
    check_budget,
    check_job_fits,
    check_may_join,
    check_may_support,
    hours_left,
    parse_outcome,
)
from microcareer.errors import Conflict, InvalidInput

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
PITCH = Pitch("Expense bot", "Reports take two days.", "Fill them from card exports.", (PYTHON,), 40)
IDEA = Idea(id=1, organisation_id=1, author_user_id=10, pitch=PITCH, created_at=NOW)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"problem": "  short   "}, "problem"),
        ({"proposal": "x" * 5001}, "proposal"),
        ({"skills": ()}, "skills"),
        ({"skills": ("not a uri",)}, "skills"),
        ({"skills": (PYTHON, PYTHON)}, "skills"),
        ({"hours": 0}, "hours"),
    ],
)
def test_a_pitch_names_what_is_wrong(change: dict[str, object], field: str) -> None:
    PITCH.validate()
    with pytest.raises(InvalidInput) as refused:
        replace(PITCH, **change).validate()  # type: ignore[arg-type]
    assert refused.value.extra["field"] == field


def test_colleagues_support_and_join_once_never_their_own_idea() -> None:
    with pytest.raises(Conflict, match="you pitched"):
        check_may_support(IDEA, 10)
    check_may_support(IDEA, 11)
    with pytest.raises(Conflict, match="already"):
        check_may_support(replace(IDEA, supporters=frozenset({11})), 11)
    check_may_join(IDEA, 11, "I know CSV")
    with pytest.raises(Conflict, match="already"):
        check_may_join(replace(IDEA, join_requests=(JoinRequest(11, "", NOW),)), 11, "")
    with pytest.raises(Conflict, match="dropped"):
        check_may_join(replace(IDEA, outcome=Outcome.DROPPED), 11, "")
    with pytest.raises(InvalidInput):
        check_may_join(IDEA, 11, "x" * 1001)
    assert parse_outcome(" Shipped ") is Outcome.SHIPPED
    with pytest.raises(InvalidInput, match="outcome"):
        parse_outcome("maybe")


def test_jobs_stay_within_the_sponsored_budget() -> None:
    with pytest.raises(Conflict, match="not sponsored"):
        check_job_fits(IDEA, [], 1)
    sponsored = replace(IDEA, sponsor_user_id=20, budget_hours=30)
    check_job_fits(sponsored, [20], 10)
    with pytest.raises(InvalidInput, match="above the 10 hours left") as refused:
        check_job_fits(sponsored, [20], 11)
    assert refused.value.extra["field"] == "expected_hours"
    assert hours_left(sponsored, [20, 5]) == 5
    assert hours_left(IDEA, []) == 0
    check_budget(20, 20)
    with pytest.raises(Conflict, match="below the 21 hours"):
        check_budget(20, 21)
    with pytest.raises(InvalidInput, match="budget_hours"):
        check_budget(0, 0)
