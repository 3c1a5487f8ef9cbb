"""Contracts: contract and milestone state tables, who may act, milestones, time entries and weekly limits."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from microcareer.domain.marketplace.contracts import (
    CONTRACT_TRANSITIONS,
    MILESTONE_TRANSITIONS,
    ContractState,
    Milestone,
    MilestoneAction,
    MilestoneState,
    TimeEntry,
    apply_milestone_action,
    check_milestone_actor,
    check_not_self,
    check_weekly_limit,
    hourly_charge,
    transition_contract,
    transition_milestone,
    week_of,
)
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput, PermissionDenied

C = ContractState
M = MilestoneState
CONTRACT_ALLOWED = {
    (C.ACTIVE, C.COMPLETED),
    (C.ACTIVE, C.DISPUTED),
    (C.ACTIVE, C.CANCELLED),
    (C.DISPUTED, C.ACTIVE),
    (C.DISPUTED, C.COMPLETED),
    (C.DISPUTED, C.CANCELLED),
}
MILESTONE_ALLOWED = {
    (M.PENDING, M.FUNDED),
    (M.FUNDED, M.SUBMITTED),
    (M.FUNDED, M.REFUNDED),
    (M.SUBMITTED, M.CHANGES_REQUESTED),
    (M.SUBMITTED, M.APPROVED),
    (M.CHANGES_REQUESTED, M.SUBMITTED),
    (M.CHANGES_REQUESTED, M.REFUNDED),
}
TODAY = date(2026, 11, 23)


def test_tables_list_exactly_the_allowed_transitions() -> None:
    contract = {(a, b) for a, targets in CONTRACT_TRANSITIONS.items() for b in targets}
    milestone = {(a, b) for a, targets in MILESTONE_TRANSITIONS.items() for b in targets}
    assert contract == CONTRACT_ALLOWED
    assert milestone == MILESTONE_ALLOWED
    assert set(CONTRACT_TRANSITIONS) == set(ContractState)
    assert set(MILESTONE_TRANSITIONS) == set(MilestoneState)


@pytest.mark.parametrize(("current", "target"), sorted(CONTRACT_ALLOWED))
def test_allowed_contract_transitions(current: ContractState, target: ContractState) -> None:
    assert transition_contract(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a in ContractState for b in ContractState if (a, b) not in CONTRACT_ALLOWED],
)
def test_refused_contract_transitions(current: ContractState, target: ContractState) -> None:
    with pytest.raises(Conflict, match=f"contract: cannot go from {current.value} to {target.value}"):
        transition_contract(current, target)


@pytest.mark.parametrize(("current", "target"), sorted(MILESTONE_ALLOWED))
def test_allowed_milestone_transitions(current: MilestoneState, target: MilestoneState) -> None:
    assert transition_milestone(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a in MilestoneState for b in MilestoneState if (a, b) not in MILESTONE_ALLOWED],
)
def test_refused_milestone_transitions(current: MilestoneState, target: MilestoneState) -> None:
    with pytest.raises(Conflict, match=f"milestone: cannot go from {current.value} to {target.value}"):
        transition_milestone(current, target)


@pytest.mark.parametrize(
    ("current", "action", "result"),
    [
        (M.PENDING, MilestoneAction.FUND, M.FUNDED),
        (M.FUNDED, MilestoneAction.SUBMIT, M.SUBMITTED),
        (M.CHANGES_REQUESTED, MilestoneAction.SUBMIT, M.SUBMITTED),
        (M.SUBMITTED, MilestoneAction.REQUEST_CHANGES, M.CHANGES_REQUESTED),
        (M.SUBMITTED, MilestoneAction.APPROVE, M.APPROVED),
        (M.FUNDED, MilestoneAction.REFUND, M.REFUNDED),
        (M.CHANGES_REQUESTED, MilestoneAction.REFUND, M.REFUNDED),
    ],
)
def test_milestone_actions(current: MilestoneState, action: MilestoneAction, result: MilestoneState) -> None:
    assert apply_milestone_action(current, action) is result


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (M.PENDING, MilestoneAction.SUBMIT),  # not funded yet
        (M.FUNDED, MilestoneAction.APPROVE),  # nothing submitted
        (M.SUBMITTED, MilestoneAction.REFUND),  # submitted work is approved or sent back first
        (M.APPROVED, MilestoneAction.REFUND),  # released money is not refunded
        (M.REFUNDED, MilestoneAction.FUND),
        (M.FUNDED, MilestoneAction.FUND),
    ],
)
def test_milestone_actions_out_of_turn(current: MilestoneState, action: MilestoneAction) -> None:
    with pytest.raises(Conflict, match=f"from {current.value}"):
        apply_milestone_action(current, action)


CLIENT, PROFESSIONAL, ADMIN = 1, 2, 3


@pytest.mark.parametrize("action", [a for a in MilestoneAction if a is not MilestoneAction.SUBMIT])
def test_the_professional_never_funds_approves_or_refunds(action: MilestoneAction) -> None:
    check_milestone_actor(action, CLIENT, CLIENT, PROFESSIONAL)
    with pytest.raises(PermissionDenied, match="your own work"):
        check_milestone_actor(action, PROFESSIONAL, CLIENT, PROFESSIONAL)


def test_the_client_never_submits() -> None:
    check_milestone_actor(MilestoneAction.SUBMIT, PROFESSIONAL, CLIENT, PROFESSIONAL)
    with pytest.raises(PermissionDenied, match="submit work as the client"):
        check_milestone_actor(MilestoneAction.SUBMIT, CLIENT, CLIENT, PROFESSIONAL)


def test_check_not_self() -> None:
    check_not_self(ADMIN, PROFESSIONAL, "approve your own work")
    with pytest.raises(PermissionDenied, match="you cannot approve your own work") as caught:
        check_not_self(PROFESSIONAL, PROFESSIONAL, "approve your own work")
    assert caught.value.extra == {"actor_id": PROFESSIONAL}


def milestone(**changes: object) -> Milestone:
    base = Milestone("First draft", Money(20000, "EUR"), date(2026, 12, 10), progress=40)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_milestone_validates() -> None:
    milestone().validate()
    milestone(progress=0).validate()
    milestone(progress=100).validate()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": " "}, "title", "title: required"),
        ({"title": "x" * 121}, "title", "at most 120"),
        ({"amount": Money(0, "EUR")}, "amount", "amount: above 0, not EUR 0.00"),
        ({"progress": -1}, "progress", "progress: 0 to 100, not -1"),
        ({"progress": 101}, "progress", "not 101"),
    ],
)
def test_milestone_refusals(changes: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        milestone(**changes).validate()
    assert caught.value.extra["field"] == field


def test_time_entry_from_a_duration() -> None:
    entry = TimeEntry.from_duration(TODAY, 90, "schema review", TODAY)
    assert entry == TimeEntry(TODAY, 90, "schema review")
    assert TimeEntry.from_duration(TODAY, 1440, "", TODAY).minutes == 1440


@pytest.mark.parametrize(
    ("day", "minutes", "note", "field", "message"),
    [
        (TODAY, 0, "", "minutes", "minutes: 1 to 1440, not 0"),
        (TODAY, 1441, "", "minutes", "not 1441"),
        (TODAY + timedelta(days=1), 60, "", "day", "day: 2026-11-24 is in the future"),
        (TODAY, 60, "x" * 501, "note", "note: at most 500"),
    ],
)
def test_time_entry_from_a_duration_refusals(
    day: date, minutes: int, note: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        TimeEntry.from_duration(day, minutes, note, TODAY)
    assert caught.value.extra["field"] == field


def test_time_entry_from_a_span() -> None:
    entry = TimeEntry.from_span(datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 11, 15), "", TODAY)
    assert (entry.day, entry.minutes) == (date(2026, 11, 20), 135)
    # rounded to the nearest minute, half up
    assert (
        TimeEntry.from_span(datetime(2026, 11, 20, 9), datetime(2026, 11, 20, 9, 1, 29), "", TODAY).minutes
        == 1
    )
    assert (
        TimeEntry.from_span(datetime(2026, 11, 20, 9), datetime(2026, 11, 20, 9, 1, 30), "", TODAY).minutes
        == 2
    )
    # across midnight: counted on the day it started
    night = TimeEntry.from_span(datetime(2026, 11, 20, 23), datetime(2026, 11, 21, 1), "", TODAY)
    assert (night.day, night.minutes) == (date(2026, 11, 20), 120)
    # aware datetimes in different zones
    paris = timezone(timedelta(hours=1))
    aware = TimeEntry.from_span(
        datetime(2026, 11, 20, 10, tzinfo=paris), datetime(2026, 11, 20, 10, tzinfo=UTC), "", TODAY
    )
    assert aware.minutes == 60
    # ending later today is fine
    assert TimeEntry.from_span(datetime(2026, 11, 23, 22), datetime(2026, 11, 23, 23), "", TODAY).day == TODAY


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 10), "is not after the start"),
        (datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 9), "is not after the start"),
        (datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 10, 0, 20), "minutes: 1 to 1440, not 0"),
        (datetime(2026, 11, 20, 0), datetime(2026, 11, 21, 0, 1), "not 1441"),
        (datetime(2026, 11, 23, 23), datetime(2026, 11, 24, 1), "end: 2026-11-24T01:00:00 is in the future"),
        (
            datetime(2026, 11, 20, 9),
            datetime(2026, 11, 20, 10, tzinfo=UTC),
            "both have a time zone, or neither",
        ),
    ],
)
def test_time_entry_from_a_span_refusals(start: datetime, end: datetime, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        TimeEntry.from_span(start, end, "", TODAY)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 11, 23), (2026, 48)),  # a Monday
        (date(2026, 11, 29), (2026, 48)),  # its Sunday
        (date(2026, 11, 30), (2026, 49)),
        (date(2027, 1, 1), (2026, 53)),  # a Friday in 2026's ISO week 53
        (date(2024, 12, 30), (2025, 1)),  # a Monday in 2025's first ISO week
    ],
)
def test_week_of(day: date, week: tuple[int, int]) -> None:
    assert week_of(day) == week


def test_weekly_limit() -> None:
    check_weekly_limit(35 * 60, 5 * 60, 40)  # exactly at the limit
    check_weekly_limit(0, 90, 1.5)
    with pytest.raises(Conflict) as caught:
        check_weekly_limit(38 * 60 + 30, 120, 40)
    assert str(caught.value) == "weekly limit: 38.5 h used + 2 h new = 40.5 h, over the limit of 40 h"
    assert caught.value.extra == {"used_minutes": 2310, "new_minutes": 120, "limit_hours": 40}
    with pytest.raises(Conflict, match=r"0\.25 h used \+ 1.33 h new = 1.58 h, over the limit of 1.5 h"):
        check_weekly_limit(15, 80, 1.5)
    with pytest.raises(InvalidInput, match="limit_hours: above 0"):
        check_weekly_limit(0, 10, 0)


def test_hourly_charge() -> None:
    assert hourly_charge(135, Money(4000, "EUR")) == Money(9000, "EUR")  # 2.25 h at EUR 40
    assert hourly_charge(1, Money(4000, "EUR")) == Money(67, "EUR")  # 66.67 → 67
    assert hourly_charge(50, Money(3000, "JPY")) == Money(2500, "JPY")
