"""The regression guard of the API's cost per request: a quick run of bench/api_speed.py.

The app and a plain Starlette endpoint are called in turn in this process, timed in CPU time, so the
figure is a ratio (CPU per API request over CPU per plain request, median over rounds) that what else
the machine runs hardly moves. It fails only when reads or writes cost more than twice the committed
ratio (a 2x slowdown, the issue's threshold), far outside the spread of the rounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from bench.api_speed import RESULTS

COMMITTED = RESULTS / "api-speed-2026-12-06-x17e.json"  # update with the bench when the API gets faster
SLOWDOWN_ALLOWED = 2.0


def committed() -> dict[str, Any]:
    figures: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return figures


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The quick run in a fresh process of its own: the test run's process has grown by then, and its
    garbage collector's work on thousands of earlier tests' objects would be timed with the API's."""
    out = tmp_path_factory.mktemp("api-speed") / "quick.json"
    subprocess.run([sys.executable, "-m", "bench.api_speed", "--quick", "--out", str(out)], check=True)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def test_the_committed_figures_are_ratios_of_a_full_run() -> None:
    figures = committed()
    assert figures["command"].startswith("python -m bench.api_speed")
    assert "--quick" not in figures["command"]
    for cls in ("reads", "writes"):
        assert 1 < figures["ratio"][cls] < 1000
        assert len(figures["ratios"][cls]) == figures["settings"]["rounds"] >= 10


def test_every_request_of_the_quick_run_was_answered_as_expected(quick: dict[str, Any]) -> None:
    kinds = {key.split()[0] for key in quick["answers"]}
    assert kinds == {"jobs", "profile", "skills", "time", "apply", "post", "publish"}
    assert all(key.split()[1] in ("200", "201") for key in quick["answers"])


@pytest.mark.parametrize("cls", ["reads", "writes"])
def test_the_api_costs_no_more_than_twice_the_committed_ratio(quick: dict[str, Any], cls: str) -> None:
    ceiling = committed()["ratio"][cls] * SLOWDOWN_ALLOWED
    assert quick["ratio"][cls] <= ceiling, (
        f"{cls} cost {quick['ratio'][cls]}x a plain Starlette request (CPU time, median of "
        f"{quick['settings']['rounds']} rounds), over twice the committed {committed()['ratio'][cls]}x: "
        "profile the server under load with `python -m bench.bench_mixed_load --mix "
        f"{cls} --py-spy PREFIX`"
    )
