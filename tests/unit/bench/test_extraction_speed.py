"""The regression guard of lexical extraction's speed: a quick run of bench/extraction_speed.py.

Lexical extraction and the exact-label matcher run in alternating rounds on the same postings, in
this process, timed in CPU time (``time.process_time``): what else the machine runs slows neither,
and the figure is the median ratio of the two, not a time. It fails only when lexical extraction
falls below half the ratio committed in bench/results (a 2x slowdown against the matcher), far
outside the spread of the rounds (a few per cent; 0.52 to 0.58 at a load average of 10 on 2 cores).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.extraction_speed import (
    QUICK_DOCS,
    QUICK_ROUNDS,
    RESULTS,
    bundled_extractor,
    corpus,
    exact_runner,
    lexical_runner,
    measure,
)
from bench.peers.exact_label_matcher import ExactMatcher
from bench.peers.peer_common import esco_labels

COMMITTED = RESULTS / "extraction-speed-2026-12-05.json"  # update with the bench when it gets faster
SLOWDOWN_ALLOWED = 2.0


def committed_ratio(path: Path = COMMITTED) -> float:
    return float(json.loads(path.read_text(encoding="utf-8"))["ratio"])


@pytest.fixture(scope="module")
def quick_ratio() -> float:
    extractor, matcher = bundled_extractor(), ExactMatcher(esco_labels())
    run = measure(lexical_runner(extractor), exact_runner(matcher), corpus(QUICK_DOCS), QUICK_ROUNDS)
    assert run.lexical_mentions > 0
    assert run.exact_mentions > 0
    return run.ratio


def test_the_committed_figure_is_a_ratio_of_a_full_run() -> None:
    figures = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert figures["command"].startswith("python -m bench.extraction_speed")
    assert 0 < figures["ratio"] < 10
    assert len(figures["ratios"]) == figures["rounds"] >= 5


def test_lexical_extraction_is_no_more_than_2x_slower_against_the_matcher_than_committed(
    quick_ratio: float,
) -> None:
    floor = committed_ratio() / SLOWDOWN_ALLOWED
    assert quick_ratio >= floor, (
        f"lexical extraction runs at {quick_ratio:.3f}x the exact-label matcher's speed (CPU time, "
        f"median of {QUICK_ROUNDS} rounds), under half the committed {committed_ratio():.3f}x: "
        "profile it with `python -m bench.extraction_speed --profile lexical`"
    )
