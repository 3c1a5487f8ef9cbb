from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcareer.domain.marketplace.dashboard import (
    MonthIncome,
    PlannedWork,
    UpcomingMilestone,
    WeekLoad,
    monthly_income,
    runway,
    upcoming_milestones,
    volatility,
    weekly_hours,
    workload_warning,
)
from microcareer.errors import InvalidInput

TODAY = date(2026, 11, 25)  # a Wednesday, ISO week 2026-W48


# ---- monthly_income --------------------------------------------------------------------------------


def test_monthly_income_sums_by_month_with_zero_months_oldest_first() -> None:
    credits = [
        (date(2026, 11, 2), 10_000),
        (date(2026, 11, 20), 5_000),
        (date(2026, 9, 30), 7_500),
        (date(2026, 8, 1), 99_999),  # before the range
        (date(2026, 12, 1), 99_999),  # after today's month
    ]
    assert monthly_income(credits, 3, TODAY) == [
        MonthIncome(2026, 9, 7_500),
        MonthIncome(2026, 10, 0),
        MonthIncome(2026, 11, 15_000),
    ]


def test_monthly_income_crosses_the_year_and_nets_reversals() -> None:
    credits = [(date(2025, 12, 31), 4_000), (date(2026, 1, 1), 3_000), (date(2026, 1, 5), -1_000)]
    months = monthly_income(credits, 3, date(2026, 2, 10))
    assert [(m.label, m.amount_minor) for m in months] == [
        ("2025-12", 4_000),
        ("2026-01", 2_000),
        ("2026-02", 0),
    ]


def test_monthly_income_without_credits_is_all_zero() -> None:
    assert [m.amount_minor for m in monthly_income([], 12, TODAY)] == [0] * 12
    with pytest.raises(InvalidInput, match="months"):
        monthly_income([], 0, TODAY)


# ---- volatility ------------------------------------------------------------------------------------


def test_steady_income() -> None:
    result = volatility([100_000, 105_000, 95_000, 100_000, 102_000, 98_000])
    assert result.level == "steady"
    assert result.coefficient_of_variation is not None
    assert result.coefficient_of_variation < 0.25
    assert result.worst_drop_percent == 10  # 105_000 -> 95_000
    assert result.zero_months == 0
    assert result.reading.startswith("steady: monthly income swings by 3% around its average over 6 months")


def test_uneven_and_volatile_income() -> None:
    uneven = volatility([100_000, 60_000, 140_000, 100_000])
    assert uneven.coefficient_of_variation == pytest.approx(0.283, abs=1e-3)
    assert uneven.level == "uneven"
    volatile = volatility([200_000, 0, 50_000, 0, 150_000, 20_000])
    assert volatile.level == "volatile"
    assert volatile.worst_drop_percent == 100
    assert volatile.zero_months == 2
    assert volatile.reading.endswith("; worst fall 100% in one month; 2 months without income")


def test_volatility_reads_only_the_last_12_months() -> None:
    result = volatility([0] * 6 + [100_000] * 12)
    assert result.months == 12
    assert result.coefficient_of_variation == 0.0
    assert result.zero_months == 0
    assert result.worst_drop_percent == 0
    assert result.level == "steady"


def test_volatility_edge_cases() -> None:
    empty = volatility([])
    assert (empty.months, empty.coefficient_of_variation, empty.level) == (0, None, None)
    assert empty.worst_drop_percent is None
    assert empty.reading == "no income history yet"
    nothing = volatility([0, 0, 0, 0])
    assert nothing.coefficient_of_variation is None
    assert nothing.zero_months == 4
    assert nothing.worst_drop_percent is None
    assert nothing.reading == "no income in the last 4 months"
    one = volatility([50_000])
    assert one.coefficient_of_variation == 0.0
    assert one.level is None
    assert one.reading == "too early to tell: 1 month of income so far"


def test_worst_drop_rounds_half_up_in_integers() -> None:
    assert volatility([200, 199, 199]).worst_drop_percent == 1  # 0.5% rounds up
    assert volatility([3, 2, 2]).worst_drop_percent == 33


# ---- runway ----------------------------------------------------------------------------------------


def test_runway_counts_cash_and_escrow() -> None:
    result = runway(300_000, 100_000, 120_000)
    assert result.months == 4.2
    assert result.cash_months == 3.0
    assert result.explanation == (
        "4.2 months at current spending: 3.0 from cash, the rest from money held in escrow for you"
        " and due within 90 days"
    )
    assert runway(300_000, 100_000, 0).explanation == "3.0 months at current spending"


def test_runway_edge_cases() -> None:
    free = runway(100_000, 0, 0)
    assert free.months is None
    assert "no spending" in free.explanation
    debt = runway(-500_000, 100_000, 200_000)
    assert debt.months == 0.0
    assert debt.cash_months == 0.0
    assert runway(1, 30, 0).months == 0.0
    assert runway(1, 20, 0).months == 0.1  # 0.05 rounds half up
    with pytest.raises(InvalidInput, match="monthly_spending_minor"):
        runway(0, -1, 0)
    with pytest.raises(InvalidInput, match="expected_minor_next_90_days"):
        runway(0, 1, -1)


# ---- weekly_hours / workload_warning ---------------------------------------------------------------


def test_weekly_hours_covers_past_weeks_this_week_and_next() -> None:
    loads = weekly_hours([], [], TODAY)
    assert [(w.label, w.position) for w in loads] == [
        ("2026-W45", -3),
        ("2026-W46", -2),
        ("2026-W47", -1),
        ("2026-W48", 0),
        ("2026-W49", 1),
    ]
    assert loads[3].monday == date(2026, 11, 23)
    assert all(w.total_hours == 0 for w in loads)


def test_weekly_hours_logs_minutes_as_hours() -> None:
    entries = [
        (date(2026, 11, 23), 90),
        (date(2026, 11, 24), 30),
        (date(2026, 11, 16), 480),
        (date(2026, 1, 1), 60),
    ]
    loads = {w.position: w for w in weekly_hours(entries, [], TODAY)}
    assert loads[0].logged_hours == 2.0
    assert loads[-1].logged_hours == 8.0
    assert sum(w.logged_hours for w in loads.values()) == 10.0


def test_a_plan_spanning_weeks_is_spread_over_working_days_from_today_on() -> None:
    # Wed 25 Nov to Tue 8 Dec: 10 working days, 40 hours -> 4 h a day.
    plan = PlannedWork(date(2026, 11, 25), date(2026, 12, 8), 40.0)
    loads = {w.position: w for w in weekly_hours([], [plan], TODAY, weeks=2, ahead=2)}
    assert loads[0].planned_hours == 12.0  # Wed, Thu, Fri
    assert loads[1].planned_hours == 20.0
    assert loads[2].planned_hours == 8.0  # Mon, Tue; the rest of the plan is outside the range
    # Days before today are left to what was logged.
    started = PlannedWork(date(2026, 11, 23), date(2026, 11, 27), 10.0)
    this_week = weekly_hours([(date(2026, 11, 23), 120)], [started], TODAY)[3]
    assert (this_week.logged_hours, this_week.planned_hours, this_week.total_hours) == (2.0, 6.0, 8.0)


def test_a_weekend_only_plan_uses_its_days() -> None:
    plan = PlannedWork(date(2026, 11, 28), date(2026, 11, 29), 6.0)
    assert plan.hours_per_day() == {date(2026, 11, 28): 3.0, date(2026, 11, 29): 3.0}


def test_weekly_hours_refuses_bad_input() -> None:
    with pytest.raises(InvalidInput, match="end"):
        PlannedWork(date(2026, 11, 28), date(2026, 11, 27), 1.0)
    with pytest.raises(InvalidInput, match="hours"):
        PlannedWork(date(2026, 11, 28), date(2026, 11, 28), -1.0)
    with pytest.raises(InvalidInput, match="minutes"):
        weekly_hours([(TODAY, -5)], [], TODAY)
    with pytest.raises(InvalidInput, match="weeks"):
        weekly_hours([], [], TODAY, weeks=0)


def load(position: int, logged: float, planned: float = 0.0) -> WeekLoad:
    monday = date(2026, 11, 23) + timedelta(weeks=position)
    iso = monday.isocalendar()
    return WeekLoad(iso.year, iso.week, monday, position, logged, planned)


def test_workload_warning_says_by_how_much() -> None:
    loads = [load(-1, 70.0), load(0, 30.0, 22.5), load(1, 0.0, 40.0)]
    assert (
        workload_warning(loads, 40)
        == "workload above your limit of 40 h a week: this week 52.5 h, 12.5 h over"
    )
    both = [load(0, 41.0), load(1, 0.0, 45.25)]
    assert workload_warning(both, 40) == (
        "workload above your limit of 40 h a week: this week 41 h, 1 h over; next week 45.25 h, 5.25 h over"
    )


def test_no_warning_at_or_under_the_threshold_or_for_past_weeks() -> None:
    assert workload_warning([load(-1, 80.0), load(0, 40.0), load(1, 10.0)], 40) is None
    assert workload_warning([], 40) is None
    with pytest.raises(InvalidInput, match="threshold_hours"):
        workload_warning([], 0)


# ---- upcoming_milestones ---------------------------------------------------------------------------


def milestone(contract_id: int, title: str, due: date, state: str = "pending") -> UpcomingMilestone:
    return UpcomingMilestone(contract_id, title, due, 25_000, "EUR", state)


def test_upcoming_milestones_sorted_by_due_with_overdue_flagged() -> None:
    items = [
        milestone(2, "Design", TODAY + timedelta(days=5)),
        milestone(1, "Draft", TODAY - timedelta(days=2)),
        milestone(3, "Launch", TODAY + timedelta(days=31)),  # too far off
        milestone(4, "Paid", TODAY - timedelta(days=10), state="released"),  # done, not overdue
        milestone(5, "Review", TODAY),
        milestone(6, "Test", TODAY + timedelta(days=1)),
        milestone(7, "Old", TODAY - timedelta(days=90), state="submitted"),
    ]
    due = upcoming_milestones(items, TODAY)
    assert [d.milestone.title for d in due] == ["Old", "Draft", "Review", "Test", "Design"]
    assert [d.overdue for d in due] == [True, True, False, False, False]
    assert [d.when for d in due] == [
        "overdue by 90 days",
        "overdue by 2 days",
        "due today",
        "due tomorrow",
        "due in 5 days",
    ]
    assert upcoming_milestones(items, TODAY, days=31)[-1].milestone.title == "Launch"
    all_states = upcoming_milestones(items, TODAY, closed_states=frozenset())
    assert [d.milestone.title for d in all_states][:3] == ["Old", "Paid", "Draft"]


def test_upcoming_milestones_edge_cases() -> None:
    assert upcoming_milestones([], TODAY) == []
    one_day_late = upcoming_milestones([milestone(1, "A", TODAY - timedelta(days=1))], TODAY, days=0)
    assert one_day_late[0].when == "overdue by 1 day"
    with pytest.raises(InvalidInput, match="days"):
        upcoming_milestones([], TODAY, days=-1)
