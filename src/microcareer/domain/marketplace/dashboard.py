"""The professional's money-and-time picture: income by month and how much it swings, runway, hours per
week with a workload warning, and the milestones coming up.

Plain inputs in, frozen values out, no I/O. Money is integer minor units of one currency (the caller
keeps currencies apart); hours and ratios are floats.

Volatility reads the coefficient of variation (population standard deviation / mean) of the last 12
months: below 0.25 is "steady", from 0.25 to below 0.5 "uneven", 0.5 and above "volatile". Fewer than
three months of history give no reading ("too early to tell").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal

from microcareer.errors import InvalidInput

STEADY_BELOW = 0.25
"""Coefficient of variation under which income is steady."""
VOLATILE_FROM = 0.5
"""Coefficient of variation from which income is volatile; in between it is uneven."""
VOLATILITY_MONTHS = 12
MIN_MONTHS_FOR_READING = 3
WORKING_DAYS = 5
"""Monday to Friday: planned hours spread over these days of the week."""

Level = Literal["steady", "uneven", "volatile"]


# ---- income by month -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthIncome:
    """What came in during one calendar month, in minor units."""

    year: int
    month: int
    amount_minor: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def monthly_income(credits: Iterable[tuple[date, int]], months: int, today: date) -> list[MonthIncome]:
    """Income for the ``months`` calendar months up to and including today's, oldest first.

    ``credits`` are the ledger credits to the professional's account as (day, amount in minor units);
    amounts are summed as given, so a reversal passed as a negative amount nets out. Months without any
    credit are there with 0; credits outside the months asked for are ignored.
    """
    if months < 1:
        raise InvalidInput(f"months must be at least 1, not {months}", field="months")
    first = _month_index(today) - months + 1
    totals = [0] * months
    for day, amount in credits:
        index = _month_index(day) - first
        if 0 <= index < months:
            totals[index] += amount
    return [
        MonthIncome(year=(first + i) // 12, month=(first + i) % 12 + 1, amount_minor=total)
        for i, total in enumerate(totals)
    ]


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


# ---- volatility ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Volatility:
    """How much monthly income swings over the last 12 months (or fewer, when that is all there is)."""

    months: int
    """How many months were read (at most 12)."""
    coefficient_of_variation: float | None
    """Standard deviation / mean; None when the mean is 0 or below (or there are no months)."""
    worst_drop_percent: int | None
    """The largest fall from one month to the next, in percent of the earlier month (100: to nothing);
    0 when income never fell, None when no month with income is followed by another."""
    zero_months: int
    """Months with no income (0 or below)."""
    level: Level | None
    """None when there are fewer than three months, or no income at all."""
    reading: str


def volatility(monthly: Sequence[int]) -> Volatility:
    """Read the swings of ``monthly`` income (minor units, oldest first, as ``monthly_income`` gives)."""
    recent = list(monthly[-VOLATILITY_MONTHS:])
    count = len(recent)
    zero_months = sum(1 for amount in recent if amount <= 0)
    drops = [_percent(before - after, before) for before, after in pairwise(recent) if before > 0]
    worst_drop = max(0, *drops) if drops else None
    mean = sum(recent) / count if count else 0.0
    cv: float | None = None
    if mean > 0:
        variance = sum((amount - mean) ** 2 for amount in recent) / count
        cv = round(math.sqrt(variance) / mean, 3)
    level: Level | None = None
    if count == 0:
        reading = "no income history yet"
    elif cv is None:
        reading = f"no income in the last {_months(count)}"
    elif count < MIN_MONTHS_FOR_READING:
        reading = f"too early to tell: {_months(count)} of income so far"
    else:
        level = "steady" if cv < STEADY_BELOW else "uneven" if cv < VOLATILE_FROM else "volatile"
        reading = (
            f"{level}: monthly income swings by {round(cv * 100)}% around its average over {_months(count)}"
        )
        if worst_drop:
            reading += f"; worst fall {worst_drop}% in one month"
        if zero_months:
            reading += f"; {_months(zero_months)} without income"
    return Volatility(
        months=count,
        coefficient_of_variation=cv,
        worst_drop_percent=worst_drop,
        zero_months=zero_months,
        level=level,
        reading=reading,
    )


def _percent(part: int, whole: int) -> int:
    """``part / whole`` in percent, rounded half up, in integers (``whole`` above 0)."""
    return (200 * part + whole) // (2 * whole)


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


# ---- runway ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Runway:
    """How long the money lasts at the current spending."""

    months: float | None
    """Months of runway, one decimal; None when nothing is spent (it never runs out)."""
    cash_months: float | None
    """The part of ``months`` that cash alone covers."""
    explanation: str


def runway(cash_minor: int, monthly_spending_minor: int, expected_minor_next_90_days: int) -> Runway:
    """Months the person can go on at ``monthly_spending_minor``, counting cash on hand plus the money
    already in escrow for them that is due within 90 days. Cash may be negative (a debt); runway is never
    below 0."""
    if monthly_spending_minor < 0:
        raise InvalidInput(
            f"monthly_spending_minor cannot be negative, not {monthly_spending_minor}",
            field="monthly_spending_minor",
        )
    if expected_minor_next_90_days < 0:
        raise InvalidInput(
            f"expected_minor_next_90_days cannot be negative, not {expected_minor_next_90_days}",
            field="expected_minor_next_90_days",
        )
    if monthly_spending_minor == 0:
        return Runway(None, None, "no spending recorded: runway cannot be worked out")
    available = max(0, cash_minor + expected_minor_next_90_days)
    months = _tenths(available, monthly_spending_minor)
    cash_months = _tenths(max(0, cash_minor), monthly_spending_minor)
    explanation = f"{months:.1f} months at current spending"
    if expected_minor_next_90_days:
        explanation += (
            f": {cash_months:.1f} from cash, the rest from money held in escrow for you"
            " and due within 90 days"
        )
    return Runway(months, cash_months, explanation)


def _tenths(amount: int, per_month: int) -> float:
    """``amount / per_month`` rounded half up to one decimal, worked out in integers."""
    return ((20 * amount + per_month) // (2 * per_month)) / 10


# ---- hours per week --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedWork:
    """A fixed-price contract's expected hours between two days, spread evenly over its working days."""

    start: date
    end: date
    hours: float

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(f"end ({self.end}) is before start ({self.start})", field="end")
        if self.hours < 0:
            raise InvalidInput(f"hours cannot be negative, not {self.hours}", field="hours")

    def hours_per_day(self) -> dict[date, float]:
        """The hours on each day: Monday to Friday only, or every day when the span has no weekday."""
        days = [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]
        working = [day for day in days if day.weekday() < WORKING_DAYS] or days
        return {day: self.hours / len(working) for day in working}


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """Hours in one ISO week: logged ones, plus planned ones from today on."""

    iso_year: int
    iso_week: int
    monday: date
    position: int
    """Weeks from the current one: 0 this week, 1 next week, -1 last week."""
    logged_hours: float
    planned_hours: float

    @property
    def total_hours(self) -> float:
        return round(self.logged_hours + self.planned_hours, 2)

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"


def weekly_hours(
    entries: Iterable[tuple[date, int]],
    planned: Iterable[PlannedWork],
    today: date,
    weeks: int = 4,
    *,
    ahead: int = 1,
) -> list[WeekLoad]:
    """Hours per ISO week: ``weeks`` weeks up to and including the current one, then ``ahead`` more.

    ``entries`` are time entries as (day, minutes) across all contracts. Planned hours count only from
    today on (earlier days show what was logged), so a week's total is what was done plus what is still
    planned; on today itself both count.
    """
    if weeks < 1:
        raise InvalidInput(f"weeks must be at least 1, not {weeks}", field="weeks")
    if ahead < 0:
        raise InvalidInput(f"ahead cannot be negative, not {ahead}", field="ahead")
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    count = weeks + ahead
    logged_minutes = [0] * count
    planned_hours = [0.0] * count
    for day, minutes in entries:
        if minutes < 0:
            raise InvalidInput(
                f"time entry on {day}: minutes cannot be negative, not {minutes}", field="minutes"
            )
        index = (day - first_monday).days // 7
        if 0 <= index < count:
            logged_minutes[index] += minutes
    for work in planned:
        for day, hours in work.hours_per_day().items():
            index = (day - first_monday).days // 7
            if day >= today and 0 <= index < count:
                planned_hours[index] += hours
    loads: list[WeekLoad] = []
    for i in range(count):
        monday = first_monday + timedelta(weeks=i)
        iso = monday.isocalendar()
        loads.append(
            WeekLoad(
                iso_year=iso.year,
                iso_week=iso.week,
                monday=monday,
                position=i - (weeks - 1),
                logged_hours=round(logged_minutes[i] / 60, 2),
                planned_hours=round(planned_hours[i], 2),
            )
        )
    return loads


def workload_warning(loads: Iterable[WeekLoad], threshold_hours: float) -> str | None:
    """A line when this week or next week goes past ``threshold_hours``, saying by how much; else None."""
    if threshold_hours <= 0:
        raise InvalidInput(f"threshold_hours must be above 0, not {threshold_hours}", field="threshold_hours")
    names = {0: "this week", 1: "next week"}
    over = [
        f"{names[load.position]} {_hours(load.total_hours)} h, "
        f"{_hours(load.total_hours - threshold_hours)} h over"
        for load in sorted(loads, key=lambda load: load.position)
        if load.position in names and load.total_hours > threshold_hours
    ]
    if not over:
        return None
    return f"workload above your limit of {_hours(threshold_hours)} h a week: " + "; ".join(over)


def _hours(value: float) -> str:
    """'40', '12.5', '7.25': hours without trailing zeros."""
    return f"{round(value, 2):g}"


# ---- upcoming milestones ---------------------------------------------------------------------------

CLOSED_MILESTONE_STATES: frozenset[str] = frozenset({"approved", "released", "paid", "cancelled", "refunded"})
"""Milestone states with nothing left to deliver: not shown, never overdue."""


@dataclass(frozen=True, slots=True)
class UpcomingMilestone:
    """A milestone of one of the person's contracts, as the dashboard gets it."""

    contract_id: int
    title: str
    due: date
    amount_minor: int
    currency: str
    state: str


@dataclass(frozen=True, slots=True)
class DueMilestone:
    """A milestone to show, with how far off it is."""

    milestone: UpcomingMilestone
    days_left: int
    """Days until due; negative when overdue."""

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def when(self) -> str:
        """'due today', 'due tomorrow', 'due in 5 days', 'overdue by 2 days'."""
        if self.days_left == 0:
            return "due today"
        if self.days_left == 1:
            return "due tomorrow"
        if self.days_left > 1:
            return f"due in {self.days_left} days"
        late = -self.days_left
        return f"overdue by {late} day{'s' if late != 1 else ''}"


def upcoming_milestones(
    milestones: Iterable[UpcomingMilestone],
    today: date,
    days: int = 30,
    *,
    closed_states: frozenset[str] = CLOSED_MILESTONE_STATES,
) -> list[DueMilestone]:
    """Open milestones due within ``days`` from today, and every overdue one, sorted by due date."""
    if days < 0:
        raise InvalidInput(f"days cannot be negative, not {days}", field="days")
    due = [
        DueMilestone(milestone, (milestone.due - today).days)
        for milestone in milestones
        if milestone.state not in closed_states and (milestone.due - today).days <= days
    ]
    return sorted(
        due, key=lambda item: (item.milestone.due, item.milestone.contract_id, item.milestone.title)
    )
