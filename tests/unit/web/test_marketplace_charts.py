"""The dashboard's column charts: one column per month or week, on one scale, the limit line placed."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from microcareer.domain.marketplace.dashboard import MonthIncome, WeekLoad
from microcareer.web.charts import COLUMN_TOP, WIDTH, hours_chart, income_chart


def months(amounts: list[int]) -> list[MonthIncome]:
    return [MonthIncome(2026, index + 1, amount) for index, amount in enumerate(amounts)]


def weeks(totals: list[float]) -> list[WeekLoad]:
    monday = date(2026, 11, 2)
    return [
        WeekLoad(2026, 45 + i, monday + timedelta(weeks=i), i - 2, logged_hours=total, planned_hours=0.0)
        for i, total in enumerate(totals)
    ]


def test_income_columns_share_one_scale_in_major_units() -> None:
    chart = income_chart(months([0, 50_000, 100_000, 25_000]), "EUR")
    assert len(chart.columns) == 4
    empty, half, full, quarter = chart.columns
    assert (empty.kind, half.kind) == ("empty", "income")
    assert empty.height == 0
    assert chart.scale == 1000.0  # EUR 1000.00 is the tallest month
    assert full.y == COLUMN_TOP
    assert half.height == pytest.approx(full.height / 2)
    assert quarter.height == pytest.approx(full.height / 4)
    assert full.figure == "EUR 1000.00"
    assert [c.label for c in chart.columns] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    for before, after in pairwise(chart.columns):
        assert after.x > before.x + before.width  # a gap between columns
    assert chart.columns[-1].x + chart.columns[-1].width < WIDTH
    assert chart.level is None


def test_a_currency_without_decimals_and_a_negative_month() -> None:
    chart = income_chart(months([1500, -200]), "JPY")
    assert chart.scale == 1500.0
    assert chart.columns[1].height == 0
    assert chart.columns[1].kind == "empty"


def test_no_income_still_draws_a_flat_chart() -> None:
    chart = income_chart(months([0] * 12), "EUR")
    assert len(chart.columns) == 12
    assert {c.height for c in chart.columns} == {0}
    assert chart.scale == 1.0


def test_hours_columns_mark_the_weeks_past_the_limit_and_draw_its_line() -> None:
    chart = hours_chart(weeks([10, 20, 45, 30, 0]), 40)
    assert [c.kind for c in chart.columns] == ["hours", "hours", "over", "planned", "empty"]
    assert chart.level is not None
    assert chart.level.value == 40
    over = chart.columns[2]
    assert over.y < chart.level.y < chart.baseline  # the tall week reaches past the line
    assert chart.columns[1].y > chart.level.y
    assert chart.scale == 46.0  # the line sits below the top even when no week is as high


def test_the_limit_line_shows_when_every_week_is_light() -> None:
    chart = hours_chart(weeks([1, 2, 0, 0, 0]), 40)
    assert chart.level is not None
    assert COLUMN_TOP <= chart.level.y < chart.baseline
    assert chart.columns[2].kind == "empty"
    assert "over" not in {c.kind for c in chart.columns}
