"""The plan's timeline chart: a bar per step where its weeks are, the fit line inside its band."""

from __future__ import annotations

from typing import Any

from microcareer.web.timeline_chart import LEFT, RIGHT, timeline_chart


def _step(title: str, start: int, end: int, fit: float) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "course",
        "start_week": start,
        "end_week": end,
        "hours": 10.0,
        "cost": {"text": "EUR 0.00"},
        "fit_after": fit,
    }


def test_bars_sit_on_their_weeks_and_the_fit_line_in_its_band() -> None:
    steps = [_step("A", 1, 2, 0.4), _step("B" * 80, 3, 4, 0.9)]
    weeks = [{"week": w, "fit": f} for w, f in ((1, 0.2), (2, 0.4), (3, 0.4), (4, 0.9))]
    chart = timeline_chart(steps, weeks)
    first, second = chart.bars
    assert first.x == LEFT
    assert first.width == second.width
    assert second.x == first.x + first.width
    assert second.x + second.width <= chart.width - RIGHT + 1e-6
    assert second.label.endswith("…")
    assert first.fit == "0.40"
    ys = [float(point.split(",")[1]) for point in chart.fit_points.split()]
    assert all(chart.fit_top <= y <= chart.fit_bottom for y in ys)
    assert ys[-1] < ys[0]  # the fit rises: the line goes up the page
