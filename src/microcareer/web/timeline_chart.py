"""A plan's timeline as an inline SVG: one row per step, a bar from its first to its last week (coloured
by kind), the fit after it written at its end; week ticks along the top; the fit week by week as a line
under the bars. Geometry only: the template draws it (``pathways/plan.html``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from microcareer.web.charts import CHAR_UNITS, WIDTH

ROW = 26.0
TOP = 22.0
LEFT = 230.0
RIGHT = 48.0
FIT_BAND = 60.0
LABEL_CHARS = int((LEFT - 8) // CHAR_UNITS)


@dataclass(frozen=True, slots=True)
class TimelineBar:
    label: str
    title: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    fit: str
    weeks: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class TimelineChart:
    bars: tuple[TimelineBar, ...]
    ticks: tuple[Tick, ...]
    fit_points: str
    """The fit after each week, as an SVG polyline's points (0 at the band's bottom, 1 at its top)."""
    fit_top: float
    fit_bottom: float
    width: float
    height: float
    left: float


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def timeline_chart(steps: Sequence[Mapping[str, Any]], weeks: Sequence[Mapping[str, Any]]) -> TimelineChart:
    total = max(1, len(weeks), *(int(s["end_week"]) for s in steps)) if steps else max(1, len(weeks))
    span = WIDTH - LEFT - RIGHT
    per_week = span / total
    bars = []
    for row, step in enumerate(steps):
        start, end = int(step["start_week"]), int(step["end_week"])
        bars.append(
            TimelineBar(
                label=_short(str(step["title"])),
                title=f"{step['title']}: weeks {start}-{end}, {step['hours']:g} h, {step['cost']['text']}",
                kind=str(step["kind"]),
                x=round(LEFT + (start - 1) * per_week, 2),
                y=round(TOP + row * ROW + 4, 2),
                width=round(max(3.0, (end - start + 1) * per_week), 2),
                height=ROW - 8,
                fit=f"{float(step['fit_after']):.2f}",
                weeks=f"week {start}" if start == end else f"weeks {start}-{end}",
            )
        )
    every = max(1, round(total / 12))
    ticks = tuple(
        Tick(round(LEFT + (w - 0.5) * per_week, 2), str(w))
        for w in range(1, total + 1)
        if (w - 1) % every == 0
    )
    fit_top = TOP + len(steps) * ROW + 12
    fit_bottom = fit_top + FIT_BAND - 16
    points = " ".join(
        f"{round(LEFT + (int(w['week']) - 0.5) * per_week, 2)},"
        f"{round(fit_bottom - (fit_bottom - fit_top) * float(w['fit']), 2)}"
        for w in weeks
    )
    return TimelineChart(
        bars=tuple(bars),
        ticks=ticks,
        fit_points=points,
        fit_top=round(fit_top, 2),
        fit_bottom=round(fit_bottom, 2),
        width=WIDTH,
        height=round(fit_top + FIT_BAND, 2),
        left=LEFT,
    )
