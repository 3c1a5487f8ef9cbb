"""The geometry of the pages' small charts, drawn by the templates as inline SVG (no script, no library).

Coordinates are in a ``viewBox`` of ``WIDTH`` units across; the SVG scales to the page's width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.domain.marketplace.dashboard import MonthIncome, WeekLoad
from microcareer.domain.marketplace.money import EXPONENTS, Money
from microcareer.domain.profiles.gap import FitBreakdown
from microcareer.domain.profiles.shape import BROAD_AT, DEEP_AT, AreaDepth

WIDTH = 600.0
ROW_HEIGHT = 22.0
LABEL_SHARE = 0.45
"""The part of the depth chart's width that holds the area names."""
LABEL_GAP = 6.0
"""Between a name's end and its bar."""
CHAR_UNITS = 6.6
"""A generous width of one character of the chart's 12 px sans-serif text, in viewBox units."""
LINE_HEIGHT = 13.0
BAR_HEIGHT = 14.0
LABEL_CHARS = int((WIDTH * LABEL_SHARE - LABEL_GAP) // CHAR_UNITS)
"""The longest line of a name that fits left of the bars: longer names wrap onto a second line."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a stacked bar: its name (a CSS class too), share of the whole, and where it lies."""

    name: str
    share: float
    x: float
    width: float


def fit_segments(breakdown: FitBreakdown) -> tuple[Segment, ...]:
    """Covered, partly covered (through related skills) and missing weight, as shares of the target."""
    total = breakdown.total_weight
    if total <= 0:
        return ()
    covered = breakdown.covered_weight / total
    partial = breakdown.partial_weight / total
    missing = max(0.0, 1.0 - covered - partial)
    segments: list[Segment] = []
    x = 0.0
    for name, share in (("covered", covered), ("partial", partial), ("missing", missing)):
        width = share * WIDTH
        segments.append(Segment(name, round(share, 4), round(x, 3), round(width, 3)))
        x += width
    return tuple(segments)


@dataclass(frozen=True, slots=True)
class DepthBar:
    label: str
    depth: float
    y: float
    """The top of the bar's row."""
    width: float
    level: str
    """"deep", "broad" (at least one solid skill) or "thin"."""
    skills: tuple[str, ...]
    lines: tuple[str, ...] = ()
    """The name as drawn: one or two lines that fit left of the bars (the whole name is its title)."""
    height: float = ROW_HEIGHT

    @property
    def bar_y(self) -> float:
        return round(self.y + self.height / 2 - BAR_HEIGHT / 2, 3)

    @property
    def text_y(self) -> float:
        """The baseline of the name's first line."""
        return round(self.y + self.height / 2 + 4 - (len(self.lines) - 1) * LINE_HEIGHT / 2, 3)

    @property
    def figure_y(self) -> float:
        return round(self.y + self.height / 2 + 4, 3)


def label_lines(label: str, limit: int = LABEL_CHARS) -> tuple[str, ...]:
    """A name in at most two lines of ``limit`` characters, cut at spaces; what is left over ends "…"."""
    lines = textwrap.wrap(label, width=limit, max_lines=2, placeholder=" …")
    return tuple(lines) or ("",)


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    value: float
    x: float


@dataclass(frozen=True, slots=True)
class DepthChart:
    """Bars of depth per area, on a scale from 0 to ``scale``, with the deep and broad lines marked."""

    bars: tuple[DepthBar, ...]
    thresholds: tuple[Threshold, ...]
    scale: float
    left: float
    """Where the bars start (the names sit to their left)."""
    height: float
    row_height: float = ROW_HEIGHT


def depth_chart(areas: Sequence[AreaDepth], *, limit: int = 12) -> DepthChart:
    """The deepest ``limit`` areas as bars; the scale reaches past the deep line so it always shows."""
    shown = list(areas)[:limit]
    scale = max([DEEP_AT * 1.2, *(a.depth for a in shown)])
    left = WIDTH * LABEL_SHARE
    span = WIDTH - left - 30.0  # room for the last bar's figure

    def x_of(value: float) -> float:
        return round(left + span * value / scale, 3)

    bars: list[DepthBar] = []
    y = ROW_HEIGHT  # the first row leaves room for the thresholds' names
    for area in shown:
        lines = label_lines(area.label)
        row = ROW_HEIGHT + (len(lines) - 1) * LINE_HEIGHT
        bars.append(
            DepthBar(
                label=area.label,
                depth=area.depth,
                y=round(y, 3),
                width=round(x_of(area.depth) - left, 3),
                level="deep" if area.depth >= DEEP_AT else "broad" if area.depth >= BROAD_AT else "thin",
                skills=area.skills,
                lines=lines,
                height=row,
            )
        )
        y += row
    thresholds = (Threshold("broad", BROAD_AT, x_of(BROAD_AT)), Threshold("deep", DEEP_AT, x_of(DEEP_AT)))
    height = y + 6.0
    return DepthChart(tuple(bars), thresholds, round(scale, 3), left, round(height, 3))


COLUMN_CHART_HEIGHT = 170.0
COLUMN_TOP = 16.0
"""Room above the tallest column for its figure."""
COLUMN_BOTTOM = 22.0
"""Room under the baseline for the column labels."""
COLUMN_GAP_SHARE = 0.3
"""The part of each column's slot left empty between columns."""


@dataclass(frozen=True, slots=True)
class Column:
    """One vertical bar: its label under the baseline, its value, and its rectangle."""

    label: str
    value: float
    figure: str
    """The value as the page writes it above the bar."""
    x: float
    y: float
    width: float
    height: float
    kind: str
    """A CSS class: "income", "empty" (nothing in it), "over" (past the threshold), "current", "planned"."""


@dataclass(frozen=True, slots=True)
class Level:
    """A horizontal line across a column chart (the workload threshold)."""

    name: str
    value: float
    y: float


@dataclass(frozen=True, slots=True)
class ColumnChart:
    """Columns on one scale from 0 (the baseline) to ``scale`` (the top), with an optional level line."""

    columns: tuple[Column, ...]
    scale: float
    baseline: float
    height: float
    level: Level | None = None


def _columns(values: Sequence[tuple[str, float, str, str]], level: tuple[str, float] | None) -> ColumnChart:
    """Lay ``(label, value, figure, kind)`` out left to right; negative values draw as empty columns."""
    peak = max([0.0, *(value for _, value, _, _ in values)])
    if level is not None:
        peak = max(peak, level[1] * 1.15)
    scale = peak if peak > 0 else 1.0
    baseline = COLUMN_CHART_HEIGHT - COLUMN_BOTTOM
    span = baseline - COLUMN_TOP
    slot = WIDTH / max(1, len(values))
    width = slot * (1 - COLUMN_GAP_SHARE)

    def y_of(value: float) -> float:
        return round(baseline - span * max(0.0, value) / scale, 3)

    columns = tuple(
        Column(
            label=label,
            value=value,
            figure=figure,
            x=round(index * slot + (slot - width) / 2, 3),
            y=y_of(value),
            width=round(width, 3),
            height=round(baseline - y_of(value), 3),
            kind=kind if value > 0 else "empty",
        )
        for index, (label, value, figure, kind) in enumerate(values)
    )
    line = Level(level[0], level[1], y_of(level[1])) if level is not None else None
    return ColumnChart(columns, round(scale, 3), baseline, COLUMN_CHART_HEIGHT, line)


def income_chart(months: Sequence[MonthIncome], currency: str) -> ColumnChart:
    """A column per month of income, in the currency's major units (``EUR 12.50`` is 12.5)."""
    unit = 10 ** EXPONENTS.get(currency, 2)
    return _columns(
        [
            (m.label, m.amount_minor / unit, Money(m.amount_minor, currency).format(), "income")
            for m in months
        ],
        None,
    )


def hours_chart(weeks: Sequence[WeekLoad], threshold_hours: float) -> ColumnChart:
    """A column per ISO week of hours (logged plus planned), with the threshold as a line; a week past
    it is "over", the current week "current", weeks ahead "planned"."""

    def kind(week: WeekLoad) -> str:
        if week.total_hours > threshold_hours:
            return "over"
        return "current" if week.position == 0 else "planned" if week.position > 0 else "hours"

    return _columns(
        [(w.label, w.total_hours, f"{w.total_hours:g} h", kind(w)) for w in weeks],
        ("limit", threshold_hours),
    )
