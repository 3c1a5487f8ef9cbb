"""The geometry of the profile pages' charts: shares that add up, bars on one scale, thresholds marked."""

from __future__ import annotations

from itertools import pairwise

import pytest

from microcareer.domain.profiles.gap import FitBreakdown
from microcareer.domain.profiles.shape import BROAD_AT, DEEP_AT, AreaDepth
from microcareer.web.charts import CHAR_UNITS, LABEL_GAP, WIDTH, depth_chart, fit_segments, label_lines


def test_fit_segments_split_the_width_into_covered_partial_and_missing() -> None:
    segments = fit_segments(FitBreakdown(1, 2, 3, covered_weight=1.5, partial_weight=0.75, total_weight=6.0))
    assert [s.name for s in segments] == ["covered", "partial", "missing"]
    assert [s.share for s in segments] == [0.25, 0.125, 0.625]
    assert segments[0].x == 0
    for before, after in pairwise(segments):
        assert after.x == pytest.approx(before.x + before.width)
    assert sum(s.width for s in segments) == pytest.approx(WIDTH)


def test_a_target_without_skills_has_no_fit_segments() -> None:
    assert fit_segments(FitBreakdown(0, 0, 0, 0.0, 0.0, 0.0)) == ()


def test_depth_bars_share_one_scale_with_the_deep_and_broad_lines() -> None:
    areas = [AreaDepth("a", "ICT", 3.0, ("Python", "SQL")), AreaDepth("b", "Languages", 0.2, ("Dutch",))]
    chart = depth_chart(areas)
    deep, thin = chart.bars
    assert (deep.level, thin.level) == ("deep", "thin")
    assert thin.width / deep.width == pytest.approx(0.2 / 3.0, rel=1e-3)
    broad_line, deep_line = chart.thresholds
    assert (broad_line.value, deep_line.value) == (BROAD_AT, DEEP_AT)
    assert chart.left < broad_line.x < deep_line.x < chart.left + deep.width
    assert deep.y < thin.y < chart.height


def test_a_shallow_profile_still_shows_the_deep_line_and_only_the_deepest_areas() -> None:
    areas = [AreaDepth(str(i), f"area {i}", 0.6, ()) for i in range(20)]
    chart = depth_chart(areas, limit=5)
    assert len(chart.bars) == 5
    assert {bar.level for bar in chart.bars} == {"broad"}
    assert chart.thresholds[-1].x < WIDTH
    assert chart.scale > DEEP_AT


def test_long_area_names_wrap_onto_two_lines_that_fit_left_of_the_bars() -> None:
    names = [
        "information and communication technologies (ICT)",  # ESCO's long area names were cut off
        "communication, collaboration and creativity",
        "working with computers",
        "a" * 100,
    ]
    chart = depth_chart([AreaDepth(str(i), name, 3.0 - i / 2, ()) for i, name in enumerate(names)])
    room = chart.left - LABEL_GAP
    for bar in chart.bars:
        assert 1 <= len(bar.lines) <= 2
        assert all(len(line) * CHAR_UNITS <= room for line in bar.lines), bar.lines
        assert bar.text_y - 12 >= bar.y  # the first line's top is inside the row
        assert bar.text_y + (len(bar.lines) - 1) * 13 <= bar.y + bar.height  # and the last line's baseline
    long_name, _, short, endless = chart.bars
    assert " ".join(long_name.lines) == names[0]  # nothing lost: two whole lines
    assert short.lines == ("working with computers",)
    assert endless.lines[-1].endswith("…")
    assert short.height < long_name.height
    assert chart.bars[-1].y + chart.bars[-1].height < chart.height
    for above, below in pairwise(chart.bars):
        assert below.y == pytest.approx(above.y + above.height)  # rows never overlap


def test_label_lines_cut_at_spaces() -> None:
    assert label_lines("manage ICT virtualisation environments", 20) == ("manage ICT", "virtualisation …")
