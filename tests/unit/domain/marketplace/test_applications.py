"""Applications: state tables, proposals against the job's budget, the rules for applying and accepting."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from microcareer.domain.marketplace.applications import (
    APPLICATION_TRANSITIONS,
    APPROVAL_TRANSITIONS,
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
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput, PermissionDenied

A = ApplicationState
APPLICATION_ALLOWED = {
    (A.SUBMITTED, A.SHORTLISTED),
    (A.SUBMITTED, A.ACCEPTED),
    (A.SUBMITTED, A.DECLINED),
    (A.SUBMITTED, A.WITHDRAWN),
    (A.SHORTLISTED, A.ACCEPTED),
    (A.SHORTLISTED, A.DECLINED),
    (A.SHORTLISTED, A.WITHDRAWN),
}
APPROVAL_ALLOWED = {
    (ApprovalState.PENDING, ApprovalState.APPROVED),
    (ApprovalState.PENDING, ApprovalState.REFUSED),
}


def _pairs(table: Any) -> set[tuple[Any, Any]]:
    return {(current, target) for current, targets in table.items() for target in targets}


def test_tables_list_exactly_the_allowed_transitions() -> None:
    assert _pairs(APPLICATION_TRANSITIONS) == APPLICATION_ALLOWED
    assert set(APPLICATION_TRANSITIONS) == set(ApplicationState)
    assert _pairs(APPROVAL_TRANSITIONS) == APPROVAL_ALLOWED
    assert set(APPROVAL_TRANSITIONS) == set(ApprovalState)


@pytest.mark.parametrize(("current", "target"), sorted(APPLICATION_ALLOWED))
def test_allowed_application_transitions(current: ApplicationState, target: ApplicationState) -> None:
    assert transition_application(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (A.ACCEPTED, A.WITHDRAWN),
        (A.ACCEPTED, A.DECLINED),
        (A.DECLINED, A.ACCEPTED),
        (A.WITHDRAWN, A.SUBMITTED),
        (A.SHORTLISTED, A.SUBMITTED),
        (A.SUBMITTED, A.SUBMITTED),
        (A.DECLINED, A.SHORTLISTED),
    ],
)
def test_refused_application_transitions(current: ApplicationState, target: ApplicationState) -> None:
    with pytest.raises(Conflict, match=f"application: cannot go from {current.value} to {target.value}"):
        transition_application(current, target)


@pytest.mark.parametrize(("current", "target"), sorted(APPROVAL_ALLOWED))
def test_allowed_approval_transitions(current: ApprovalState, target: ApprovalState) -> None:
    assert transition_approval(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (ApprovalState.NOT_NEEDED, ApprovalState.APPROVED),
        (ApprovalState.REFUSED, ApprovalState.APPROVED),
        (ApprovalState.APPROVED, ApprovalState.REFUSED),
        (ApprovalState.APPROVED, ApprovalState.PENDING),
    ],
)
def test_refused_approval_transitions(current: ApprovalState, target: ApprovalState) -> None:
    with pytest.raises(Conflict, match=f"approval: cannot go from {current.value} to {target.value}"):
        transition_approval(current, target)


def test_initial_approval() -> None:
    assert initial_approval(Audience.INTERNAL) is ApprovalState.PENDING
    assert initial_approval(Audience.OPEN) is ApprovalState.NOT_NEEDED


HOURLY = Budget(BudgetKind.HOURLY, Money(5000, "EUR"))
FIXED = Budget(BudgetKind.FIXED, Money(80000, "EUR"))


def proposal(**changes: Any) -> Proposal:
    base = Proposal(rate=Money(4500, "EUR"), hours=10, message="I have done this twice.", hours_per_week=5.0)
    return dataclasses.replace(base, **changes)


def test_good_proposals_validate_and_price() -> None:
    proposal().validate(HOURLY)
    proposal(rate=Money(75000, "EUR")).validate(FIXED)
    proposal(hours_per_week=168.0, hours=2000).validate(HOURLY)
    assert proposal().price(BudgetKind.HOURLY) == Money(45000, "EUR")  # 10 h at EUR 45.00
    assert proposal(rate=Money(75000, "EUR")).price(BudgetKind.FIXED) == Money(75000, "EUR")


@pytest.mark.parametrize(
    ("changes", "budget", "field", "message"),
    [
        ({"rate": Money(4500, "USD")}, HOURLY, "rate", "rate: in USD, but the job's budget is in EUR"),
        ({"rate": Money(0, "EUR")}, HOURLY, "rate", "rate per hour must be above 0"),
        ({"rate": Money(-1, "EUR")}, FIXED, "rate", "total price must be above 0"),
        ({"hours": 0}, HOURLY, "hours", "hours: 1 to 2000, not 0"),
        ({"hours": 2001}, FIXED, "hours", "not 2001"),
        ({"message": "   "}, HOURLY, "message", "message: required"),
        ({"message": "x" * 5001}, HOURLY, "message", "at most 5000"),
        ({"hours_per_week": 0.0}, HOURLY, "hours_per_week", "above 0 and at most 168"),
        ({"hours_per_week": 168.5}, HOURLY, "hours_per_week", "not 168.5"),
        ({"hours_per_week": float("nan")}, HOURLY, "hours_per_week", "not nan"),
    ],
)
def test_proposal_refusals(changes: dict[str, Any], budget: Budget, field: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        proposal(**changes).validate(budget)
    assert caught.value.extra["field"] == field


def test_applying_to_an_open_job_of_someone_else_once() -> None:
    check_can_apply(JobState.OPEN, applicant_id=2, poster_id=1, already_applied=False)


@pytest.mark.parametrize("state", [s for s in JobState if s is not JobState.OPEN])
def test_no_applying_to_a_job_that_is_not_open(state: JobState) -> None:
    with pytest.raises(Conflict, match=f"job: it is {state.value}; only open jobs take applications"):
        check_can_apply(state, applicant_id=2, poster_id=1, already_applied=False)


def test_no_applying_to_your_own_job_or_twice() -> None:
    with pytest.raises(PermissionDenied, match="your own job"):
        check_can_apply(JobState.OPEN, applicant_id=1, poster_id=1, already_applied=False)
    with pytest.raises(Conflict, match="already applied"):
        check_can_apply(JobState.OPEN, applicant_id=2, poster_id=1, already_applied=True)


@pytest.mark.parametrize("application", [A.SUBMITTED, A.SHORTLISTED])
@pytest.mark.parametrize("approval", [ApprovalState.NOT_NEEDED, ApprovalState.APPROVED])
def test_accepting(application: ApplicationState, approval: ApprovalState) -> None:
    check_can_accept(application, approval)


@pytest.mark.parametrize(
    ("application", "approval", "message"),
    [
        (A.SUBMITTED, ApprovalState.PENDING, "waits for the applicant's manager"),
        (A.SHORTLISTED, ApprovalState.REFUSED, "manager refused it"),
        (A.WITHDRAWN, ApprovalState.NOT_NEEDED, "it is withdrawn; cannot accept it"),
        (A.DECLINED, ApprovalState.APPROVED, "it is declined"),
        (A.ACCEPTED, ApprovalState.NOT_NEEDED, "it is accepted"),
    ],
)
def test_accepting_is_refused(application: ApplicationState, approval: ApprovalState, message: str) -> None:
    with pytest.raises(Conflict, match=message):
        check_can_accept(application, approval)


def test_internal_cap_allows_up_to_the_share() -> None:
    check_internal_cap(6.0, 2.0, 40.0, 0.2)  # exactly 8 h of 40 h
    check_internal_cap(0.0, 0.0, 40.0, 0.0)
    check_internal_cap(20.0, 9.0, 100.0, 0.29)  # 0.29 * 100 is 28.999999999999996 in floats: still 29


def test_internal_cap_refusal_says_the_numbers() -> None:
    with pytest.raises(Conflict) as caught:
        check_internal_cap(6.0, 4.0, 40.0, 0.2)
    assert str(caught.value) == (
        "internal cap: 6.0 h a week already in internal gigs + 4.0 h = 10.0 h,"
        " over the cap of 20% of 40.0 h = 8.0 h"
    )
    assert caught.value.extra == {"used": 6.0, "asked": 4.0, "cap": 8.0}
    with pytest.raises(Conflict, match=r"12\.5% of 32\.0 h = 4\.0 h"):
        check_internal_cap(0.0, 4.5, 32.0, 0.125)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0.0, 1.0, 0.0, 0.2), "contracted_hours_per_week"),
        ((0.0, 1.0, float("inf"), 0.2), "contracted_hours_per_week"),
        ((0.0, 1.0, 40.0, 1.5), "cap_share"),
        ((0.0, 1.0, 40.0, -0.1), "cap_share"),
        ((-1.0, 1.0, 40.0, 0.2), "active_internal_hours_per_week"),
        ((0.0, -1.0, 40.0, 0.2), "new_hours_per_week"),
    ],
)
def test_internal_cap_refuses_bad_numbers(args: tuple[float, float, float, float], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_internal_cap(*args)
    assert caught.value.extra["field"] == field
