"""Pathway planning time: catalogues of 100, 1,000 and 10,000 steps, gaps of 5 to 40 skills, the exact
method (SciPy milp / HiGHS) and the greedy one side by side in one run, with greedy's measured gap to the
optimum.

Each case is planned on ``--seeds`` synthetic instances (``domain/pathways/synthetic.py``: steps teach
1-4 skills from a pool, a fifth need a skill another step teaches, a tenth are paid micro-jobs), in the
balanced mode at 10 hours a week, without a budget (so the exact optimum is the reference for every
greedy plan). Timed: ``make_plan`` whole (model, solve, order, week-by-week schedule), once per
instance and method, interleaved (exact, greedy, exact, ...). Reported per case: median and max
seconds of each method, the time ratio, greedy's measured gap (objective / optimum - 1: median and
max), the H(d) factor of Chvátal's bound and whether it applied, and the gap certified against the
linear relaxation. Aim: exact under 1 s (median) for 1,000 steps and 20 skills.

Results: a Rich table, and JSON in bench/results/pathways-<date>.json with the command that made it.
Run: ``python -m bench.bench_pathways [--seeds N] [--quick]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import report_file
from microcareer.domain.pathways.plan import Method, make_plan
from microcareer.domain.pathways.problem import PlanRequest
from microcareer.domain.pathways.synthetic import random_instance

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SIZES = (100, 1_000, 10_000)
GAPS = (5, 10, 20, 40)
AIM_SECONDS = 1.0


def _case(steps: int, needs: int, seeds: int) -> dict[str, object]:
    exact_s: list[float] = []
    greedy_s: list[float] = []
    gaps: list[float] = []
    certified: list[float] = []
    factors: list[float] = []
    applies = 0
    optimal = 0
    candidates: list[int] = []
    for seed in range(seeds):
        inst = random_instance(1000 * steps + 10 * needs + seed, steps=steps, needs=needs)
        request = PlanRequest(needs=inst.needs, held=inst.held, hours_per_week=10.0)
        started = time.perf_counter()
        exact = make_plan(request, inst.steps, method=Method.EXACT, time_limit=120.0)
        exact_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        greedy = make_plan(request, inst.steps, method=Method.GREEDY, certify_greedy=False)
        greedy_s.append(time.perf_counter() - started)
        certified_plan = make_plan(request, inst.steps, method=Method.GREEDY, certify_greedy=True)
        optimal += exact.optimal
        candidates.append(exact.candidates)
        gaps.append(greedy.objective / exact.objective - 1 if exact.objective else 0.0)
        bound = certified_plan.bound
        assert bound is not None
        factors.append(bound.factor)
        applies += bound.applies
        if bound.certified_gap is not None:
            certified.append(bound.certified_gap)
    return {
        "steps": steps,
        "gap_skills": needs,
        "instances": seeds,
        "relevant_steps_median": statistics.median(candidates),
        "exact_optimal": optimal,
        "exact_s_median": round(statistics.median(exact_s), 4),
        "exact_s_max": round(max(exact_s), 4),
        "greedy_s_median": round(statistics.median(greedy_s), 4),
        "greedy_s_max": round(max(greedy_s), 4),
        "exact_over_greedy_time": round(statistics.median(exact_s) / statistics.median(greedy_s), 2),
        "greedy_gap_median": round(statistics.median(gaps), 4),
        "greedy_gap_max": round(max(gaps), 4),
        "h_d_factor_max": round(max(factors), 4),
        "h_d_bound_applied": applies,
        "lp_certified_gap_max": round(max(certified), 4) if certified else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="Instances per case (default 5).")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 steps, 2 instances.")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv if argv is not None else [])
    sizes = SIZES[:2] if args.quick else SIZES
    seeds = 2 if args.quick else args.seeds
    began = time.perf_counter()
    cases = [_case(steps, needs, seeds) for steps in sizes for needs in GAPS]
    aim = next(c for c in cases if c["steps"] == 1_000 and c["gap_skills"] == 20)
    table = Table(
        title="pathway planning: exact (milp/HiGHS) vs greedy, seconds per plan", title_justify="left"
    )
    for column in (
        "steps",
        "skills",
        "exact med",
        "exact max",
        "greedy med",
        "ratio",
        "gap med",
        "gap max",
        "H(d)",
    ):
        table.add_column(column, justify="right")
    for c in cases:
        table.add_row(
            str(c["steps"]),
            str(c["gap_skills"]),
            f"{c['exact_s_median']:.3f}",
            f"{c['exact_s_max']:.3f}",
            f"{c['greedy_s_median']:.3f}",
            f"{c['exact_over_greedy_time']:.1f}x",
            f"{c['greedy_gap_median']:.1%}",
            f"{c['greedy_gap_max']:.1%}",
            f"{c['h_d_factor_max']:.2f}",
        )
    console = Console()
    console.print(table)
    met = float(str(aim["exact_s_median"])) < AIM_SECONDS
    console.print(
        f"aim: exact, 1,000 steps, 20 skills, median {aim['exact_s_median']} s (< {AIM_SECONDS} s: {met})"
    )
    report = {
        **report_file.header("pathways", "bench.bench_pathways", argv),
        "settings": {"hours_per_week": 10, "mode": "balanced", "budget": None, "seeds": seeds},
        "aim": {"steps": 1_000, "gap_skills": 20, "exact_s_median_under": AIM_SECONDS, "met": met},
        "cases": cases,
        "elapsed_s": round(time.perf_counter() - began, 1),
    }
    target = report_file.write(report, args.out or RESULTS / f"pathways-{dt.date.today().isoformat()}.json")
    console.print(f"written {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")


if __name__ == "__main__":
    main(sys.argv[1:])
