"""The geometry of the pages' small charts, drawn by the templates as inline SVG (no script, no library).

Coordinates are in a ``viewBox`` of ``WIDTH`` units across; the SVG scales to the page's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microcareer.domain.profiles.gap import FitBreakdown
from microcareer.domain.profiles.shape import BROAD_AT, DEEP_AT, AreaDepth

WIDTH = 600.0
ROW_HEIGHT = 22.0
LABEL_SHARE = 0.4
"""The part of the depth chart's width that holds the area names."""


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
    width: float
    level: str
    """"deep", "broad" (at least one solid skill) or "thin"."""
    skills: tuple[str, ...]


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

    bars = tuple(
        DepthBar(
            label=area.label,
            depth=area.depth,
            y=round(index * ROW_HEIGHT + ROW_HEIGHT, 3),
            width=round(x_of(area.depth) - left, 3),
            level="deep" if area.depth >= DEEP_AT else "broad" if area.depth >= BROAD_AT else "thin",
            skills=area.skills,
        )
        for index, area in enumerate(shown)
    )
    thresholds = (Threshold("broad", BROAD_AT, x_of(BROAD_AT)), Threshold("deep", DEEP_AT, x_of(DEEP_AT)))
    height = (len(bars) + 1) * ROW_HEIGHT + 6.0
    return DepthChart(bars, thresholds, round(scale, 3), left, height)
