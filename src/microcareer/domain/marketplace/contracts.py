"""Contracts made by accepting an application: milestones for fixed work, time entries for hourly work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from microcareer.domain.marketplace._transitions import step
from microcareer.domain.marketplace.money import Money, times_minutes
from microcareer.errors import Conflict, InvalidInput, PermissionDenied

MILESTONE_TITLE_MAX = 120
NOTE_MAX = 500
MINUTES_PER_DAY = 1440


class ContractKind(StrEnum):
    FIXED = "fixed"  # paid by milestones
    HOURLY = "hourly"  # paid by time entries at a rate, within a weekly limit


class ContractState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DISPUTED = "disputed"  # funds stay in escrow until a platform admin resolves it
    CANCELLED = "cancelled"


CONTRACT_TRANSITIONS: Mapping[ContractState, frozenset[ContractState]] = MappingProxyType(
    {
        ContractState.ACTIVE: frozenset(
            {ContractState.COMPLETED, ContractState.DISPUTED, ContractState.CANCELLED}
        ),
        # a resolved dispute goes on, ends the work, or cancels it
        ContractState.DISPUTED: frozenset(
            {ContractState.ACTIVE, ContractState.COMPLETED, ContractState.CANCELLED}
        ),
        ContractState.COMPLETED: frozenset(),
        ContractState.CANCELLED: frozenset(),
    }
)


def transition_contract(current: ContractState, target: ContractState) -> ContractState:
    return step(CONTRACT_TRANSITIONS, current, target, "contract")


class MilestoneState(StrEnum):
    PENDING = "pending"
    FUNDED = "funded"  # the client's money is in escrow
    SUBMITTED = "submitted"  # the professional says it is done
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"  # escrow released to the professional
    REFUNDED = "refunded"  # escrow returned to the client, on cancelling


MILESTONE_TRANSITIONS: Mapping[MilestoneState, frozenset[MilestoneState]] = MappingProxyType(
    {
        MilestoneState.PENDING: frozenset({MilestoneState.FUNDED}),
        MilestoneState.FUNDED: frozenset({MilestoneState.SUBMITTED, MilestoneState.REFUNDED}),
        MilestoneState.SUBMITTED: frozenset({MilestoneState.CHANGES_REQUESTED, MilestoneState.APPROVED}),
        MilestoneState.CHANGES_REQUESTED: frozenset({MilestoneState.SUBMITTED, MilestoneState.REFUNDED}),
        MilestoneState.APPROVED: frozenset(),
        MilestoneState.REFUNDED: frozenset(),
    }
)


def transition_milestone(current: MilestoneState, target: MilestoneState) -> MilestoneState:
    return step(MILESTONE_TRANSITIONS, current, target, "milestone")


class MilestoneAction(StrEnum):
    FUND = "fund"
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    REFUND = "refund"


ACTION_TARGETS: Mapping[MilestoneAction, MilestoneState] = MappingProxyType(
    {
        MilestoneAction.FUND: MilestoneState.FUNDED,
        MilestoneAction.SUBMIT: MilestoneState.SUBMITTED,
        MilestoneAction.REQUEST_CHANGES: MilestoneState.CHANGES_REQUESTED,
        MilestoneAction.APPROVE: MilestoneState.APPROVED,
        MilestoneAction.REFUND: MilestoneState.REFUNDED,
    }
)


def apply_milestone_action(current: MilestoneState, action: MilestoneAction) -> MilestoneState:
    """The state ``action`` leads to from ``current``; ``Conflict`` where it does not apply."""
    return transition_milestone(current, ACTION_TARGETS[action])


def check_not_self(actor_id: int, party_id: int, what: str) -> None:
    """``PermissionDenied`` when the actor is the party who may not do ``what`` ("approve your own work")."""
    if actor_id == party_id:
        raise PermissionDenied(f"you cannot {what}", actor_id=actor_id)


_NOT_BY_PROFESSIONAL: Mapping[MilestoneAction, str] = MappingProxyType(
    {
        MilestoneAction.FUND: "fund your own work",
        MilestoneAction.REQUEST_CHANGES: "request changes to your own work",
        MilestoneAction.APPROVE: "approve your own work",
        MilestoneAction.REFUND: "refund your own work",
    }
)


def check_milestone_actor(
    action: MilestoneAction, actor_id: int, client_id: int, professional_id: int
) -> None:
    """The professional never funds, approves, requests changes or refunds; the client never submits."""
    if action is MilestoneAction.SUBMIT:
        check_not_self(actor_id, client_id, "submit work as the client")
    else:
        check_not_self(actor_id, professional_id, _NOT_BY_PROFESSIONAL[action])


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    amount: Money
    due: date
    progress: int = 0
    """Percent done, 0 to 100, as the professional reports it."""

    def validate(self) -> None:
        if not self.title.strip():
            raise InvalidInput("title: required", field="title")
        if len(self.title) > MILESTONE_TITLE_MAX:
            raise InvalidInput(f"title: at most {MILESTONE_TITLE_MAX} characters", field="title")
        if not self.amount.is_positive:
            raise InvalidInput(f"amount: above 0, not {self.amount}", field="amount")
        if not 0 <= self.progress <= 100:
            raise InvalidInput(f"progress: 0 to 100, not {self.progress}", field="progress")


def _check_note(note: str) -> None:
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"note: at most {NOTE_MAX} characters", field="note")


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """Minutes worked on one day; make it with ``from_span`` or ``from_duration``, which validate."""

    day: date
    minutes: int
    note: str = ""

    def validate(self, today: date) -> None:
        if not 1 <= self.minutes <= MINUTES_PER_DAY:
            raise InvalidInput(f"minutes: 1 to {MINUTES_PER_DAY}, not {self.minutes}", field="minutes")
        if self.day > today:
            raise InvalidInput(
                f"day: {self.day.isoformat()} is in the future (today is {today.isoformat()})", field="day"
            )
        _check_note(self.note)

    @classmethod
    def from_duration(cls, day: date, minutes: int, note: str, today: date) -> TimeEntry:
        entry = cls(day, minutes, note)
        entry.validate(today)
        return entry

    @classmethod
    def from_span(cls, start: datetime, end: datetime, note: str, today: date) -> TimeEntry:
        """From start and end (both naive or both aware), to the nearest minute, on the start's day."""
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise InvalidInput("end: start and end must both have a time zone, or neither", field="end")
        if end <= start:
            raise InvalidInput(
                f"end: {end.isoformat()} is not after the start {start.isoformat()}", field="end"
            )
        if end.date() > today:
            raise InvalidInput(
                f"end: {end.isoformat()} is in the future (today is {today.isoformat()})", field="end"
            )
        seconds = int((end - start).total_seconds())
        entry = cls(start.date(), (seconds + 30) // 60, note)
        entry.validate(today)
        return entry


def check_within_contract(day: date, started: date, ended: date | None) -> None:
    """Time is logged only on days the contract ran: from the day it was made to the day it ended."""
    if day < started or (ended is not None and day > ended):
        until = ended.isoformat() if ended is not None else "today"
        raise InvalidInput(
            f"day: {day.isoformat()} is outside the contract's dates ({started.isoformat()} to {until})",
            field="day",
        )


def week_of(day: date) -> tuple[int, int]:
    """The ISO year and week (Monday first) a day falls in: weekly limits count by it."""
    iso = day.isocalendar()
    return iso.year, iso.week


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " h"


def check_weekly_limit(existing_minutes_in_week: int, new_minutes: int, limit_hours: float) -> None:
    """The week's entries plus the new one stay within the contract's weekly limit."""
    if not limit_hours > 0:
        raise InvalidInput(f"limit_hours: above 0, not {limit_hours}", field="limit_hours")
    total = existing_minutes_in_week + new_minutes
    if total > limit_hours * 60:
        raise Conflict(
            f"weekly limit: {_hours(existing_minutes_in_week)} used + {_hours(new_minutes)} new"
            f" = {_hours(total)}, over the limit of {limit_hours:g} h",
            used_minutes=existing_minutes_in_week,
            new_minutes=new_minutes,
            limit_hours=limit_hours,
        )


def hourly_charge(minutes: int, rate: Money) -> Money:
    """What ``minutes`` cost at ``rate`` per hour, half-up to the minor unit."""
    return times_minutes(rate, minutes)
