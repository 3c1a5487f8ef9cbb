"""Applying to a micro-job: proposals, application and manager-approval states, and the rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from microcareer.domain.marketplace._transitions import step
from microcareer.domain.marketplace.jobs import HOURS_MAX, HOURS_MIN, Audience, Budget, BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput, PermissionDenied

MESSAGE_MAX = 5000
HOURS_PER_WEEK_MAX = 168.0
_EPSILON = 1e-9


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


APPLICATION_TRANSITIONS: Mapping[ApplicationState, frozenset[ApplicationState]] = MappingProxyType(
    {
        ApplicationState.SUBMITTED: frozenset(
            {
                ApplicationState.SHORTLISTED,
                ApplicationState.ACCEPTED,
                ApplicationState.DECLINED,
                ApplicationState.WITHDRAWN,
            }
        ),
        ApplicationState.SHORTLISTED: frozenset(
            {ApplicationState.ACCEPTED, ApplicationState.DECLINED, ApplicationState.WITHDRAWN}
        ),
        ApplicationState.ACCEPTED: frozenset(),
        ApplicationState.DECLINED: frozenset(),
        ApplicationState.WITHDRAWN: frozenset(),
    }
)


def transition_application(current: ApplicationState, target: ApplicationState) -> ApplicationState:
    return step(APPLICATION_TRANSITIONS, current, target, "application")


class ApprovalState(StrEnum):
    """The applicant's manager's say on an internal job; open-market applications need none."""

    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


APPROVAL_TRANSITIONS: Mapping[ApprovalState, frozenset[ApprovalState]] = MappingProxyType(
    {
        ApprovalState.NOT_NEEDED: frozenset(),
        ApprovalState.PENDING: frozenset({ApprovalState.APPROVED, ApprovalState.REFUSED}),
        ApprovalState.APPROVED: frozenset(),
        ApprovalState.REFUSED: frozenset(),
    }
)


def transition_approval(current: ApprovalState, target: ApprovalState) -> ApprovalState:
    return step(APPROVAL_TRANSITIONS, current, target, "approval")


def initial_approval(audience: Audience) -> ApprovalState:
    """Internal jobs wait for the manager; open-market ones need no approval."""
    return ApprovalState.PENDING if audience is Audience.INTERNAL else ApprovalState.NOT_NEEDED


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the applicant offers: a rate (per hour, or the total for a fixed job), hours and a message."""

    rate: Money
    hours: int
    message: str
    hours_per_week: float

    def validate(self, budget: Budget) -> None:
        if self.rate.currency != budget.amount.currency:
            raise InvalidInput(
                f"rate: in {self.rate.currency}, but the job's budget is in {budget.amount.currency}",
                field="rate",
            )
        if not self.rate.is_positive:
            what = "rate per hour" if budget.kind is BudgetKind.HOURLY else "total price"
            raise InvalidInput(f"rate: the {what} must be above 0, not {self.rate}", field="rate")
        if not HOURS_MIN <= self.hours <= HOURS_MAX:
            raise InvalidInput(f"hours: {HOURS_MIN} to {HOURS_MAX}, not {self.hours}", field="hours")
        if not self.message.strip():
            raise InvalidInput("message: required", field="message")
        if len(self.message) > MESSAGE_MAX:
            raise InvalidInput(f"message: at most {MESSAGE_MAX} characters", field="message")
        if not (math.isfinite(self.hours_per_week) and 0 < self.hours_per_week <= HOURS_PER_WEEK_MAX):
            raise InvalidInput(
                f"hours_per_week: above 0 and at most {HOURS_PER_WEEK_MAX:g}, not {self.hours_per_week}",
                field="hours_per_week",
            )

    def price(self, kind: BudgetKind) -> Money:
        """The whole price: the rate itself for a fixed job, rate x hours for an hourly one."""
        if kind is BudgetKind.FIXED:
            return self.rate
        return Money(self.rate.amount * self.hours, self.rate.currency)


def check_can_apply(job_state: JobState, applicant_id: int, poster_id: int, already_applied: bool) -> None:
    """No applying to a job that is not open, to your own job, or twice."""
    if job_state is not JobState.OPEN:
        raise Conflict(f"job: it is {job_state.value}; only open jobs take applications")
    if applicant_id == poster_id:
        raise PermissionDenied("job: you cannot apply to your own job")
    if already_applied:
        raise Conflict("job: you have already applied to it")


def check_can_accept(application: ApplicationState, approval: ApprovalState) -> None:
    """Only a submitted or shortlisted application is accepted, and an internal one once approved."""
    if application not in (ApplicationState.SUBMITTED, ApplicationState.SHORTLISTED):
        raise Conflict(f"application: it is {application.value}; cannot accept it")
    if approval is ApprovalState.PENDING:
        raise Conflict("application: waits for the applicant's manager to approve it")
    if approval is ApprovalState.REFUSED:
        raise Conflict("application: the applicant's manager refused it")


def _hours(value: float) -> str:
    return f"{value:.1f} h"


def check_internal_cap(
    active_internal_hours_per_week: float,
    new_hours_per_week: float,
    contracted_hours_per_week: float,
    cap_share: float,
) -> None:
    """Internal gigs together stay within ``cap_share`` of the contracted week (0.2 of 40 h = 8 h)."""
    if not (math.isfinite(contracted_hours_per_week) and contracted_hours_per_week > 0):
        raise InvalidInput(
            f"contracted_hours_per_week: above 0, not {contracted_hours_per_week}",
            field="contracted_hours_per_week",
        )
    if not (math.isfinite(cap_share) and 0 <= cap_share <= 1):
        raise InvalidInput(f"cap_share: 0 to 1, not {cap_share}", field="cap_share")
    for name, value in (
        ("active_internal_hours_per_week", active_internal_hours_per_week),
        ("new_hours_per_week", new_hours_per_week),
    ):
        if not (math.isfinite(value) and value >= 0):
            raise InvalidInput(f"{name}: not below 0, not {value}", field=name)
    cap = contracted_hours_per_week * cap_share
    total = active_internal_hours_per_week + new_hours_per_week
    if total > cap + _EPSILON:
        raise Conflict(
            f"internal cap: {_hours(active_internal_hours_per_week)} a week already in internal gigs"
            f" + {_hours(new_hours_per_week)} = {_hours(total)}, over the cap of {cap_share * 100:g}%"
            f" of {_hours(contracted_hours_per_week)} = {_hours(cap)}",
            used=active_internal_hours_per_week,
            asked=new_hours_per_week,
            cap=cap,
        )
