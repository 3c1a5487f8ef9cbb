"""bench/bench_credentials.py on two source trees, taking turns, in one run: medians side by side.

The same bench module (this tree's) runs in a fresh process per turn with ``PYTHONPATH`` naming one
tree's ``src`` or the other's (snapshots made with ``git archive``, so the trees stay fixed while the
run lasts), pinned to one CPU by the bench itself, its single-core part only. Turns alternate
(before, after, before, ...) so that load from other work on the machine falls on both alike; each
figure is the median over the turns of each turn's own median (CPU time per operation), and each
turn's rate over raw Ed25519 is taken within that turn.

Run: ``python -m bench.compare_credentials_trees --before REV --after REV [--turns N] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
KEY_MEASURES = (
    "raw Ed25519 verify",
    "raw Ed25519 sign",
    "eddsa-rdfc-2022 verify",
    "eddsa-rdfc-2022 verify, a different credential of the shape each time",
    "eddsa-rdfc-2022 verify, proof configuration not remembered",
    "eddsa-rdfc-2022 sign",
    "eddsa-jcs-2022 verify",
    "eddsa-jcs-2022 sign",
    "eddsa-rdfc-2022 full verify (every check)",
    "canonicalise: RDFC-1.0 (pyld cached + pyoxigraph)",
    "canonicalise: JCS (json fast path)",
)


def snapshot(revision: str, folder: Path) -> Path:
    """``src`` of ``revision`` (a git revision, or ``WORKTREE`` for the files as they are) in ``folder``."""
    folder.mkdir(parents=True)
    if revision == "WORKTREE":
        subprocess.run(["cp", "-r", str(REPO / "src"), str(folder)], check=True)
    else:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", revision, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def one_turn(src: Path, rounds: int, out: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{REPO}"}
    command = [sys.executable, "-m", "bench.bench_credentials", "--rounds", str(rounds)]
    command += ["--verify-batch", "0", "--issue-rows", "0", "--out", str(out)]
    subprocess.run(command, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--before", required=True, help="git revision of the tree before")
    parser.add_argument("--after", default="WORKTREE", help="git revision of the tree after (default: as is)")
    parser.add_argument("--turns", type=int, default=3, help="runs of each tree, alternating")
    parser.add_argument("--rounds", type=int, default=9, help="rounds per run")
    parser.add_argument("--out", type=Path, required=True, help="JSON results file")
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as folder:
        trees = {
            "before": snapshot(args.before, Path(folder) / "before"),
            "after": snapshot(args.after, Path(folder) / "after"),
        }
        for turn in range(args.turns):
            for label in ("before", "after") if turn % 2 == 0 else ("after", "before"):
                runs[label].append(one_turn(trees[label], args.rounds, Path(folder) / f"{label}{turn}.json"))
                print(f"turn {turn} {label} done", file=sys.stderr)
    figures: dict[str, dict[str, Any]] = {}
    for label, results in runs.items():
        measures: dict[str, Any] = {}
        for name in KEY_MEASURES:
            cpu_ms = [result["measures"][name]["median_cpu_ms_per_op"] for result in results]
            measures[name] = {
                "median_cpu_ms_per_op": round(statistics.median(cpu_ms), 4),
                "cpu_ops_per_s": round(1000 / statistics.median(cpu_ms), 1),
                "per_turn_cpu_ms_per_op": cpu_ms,
            }
        ratios = {
            key: round(statistics.median(result["cpu_rate_vs_raw_ed25519"][key] for result in results), 4)
            for key in results[0]["cpu_rate_vs_raw_ed25519"]
        }
        figures[label] = {
            "measures": measures,
            "cpu_rate_vs_raw_ed25519": ratios,
            "load_average_1m": [result["machine"]["load_average_1m"] for result in results],
        }
    before, after = figures["before"]["measures"], figures["after"]["measures"]
    report = {
        "benchmark": "credentials, two source trees taking turns",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench.compare_credentials_trees", *(argv or sys.argv[1:])]),
        "trees": {"before": args.before, "after": args.after},
        "turns": args.turns,
        "rounds_per_turn": args.rounds,
        "statistic": "median over turns of each turn's median CPU ms per operation, pinned to one CPU",
        "machine": runs["after"][0]["machine"],
        "before": figures["before"],
        "after": figures["after"],
        "speedup_after_vs_before_cpu": {
            name: round(before[name]["median_cpu_ms_per_op"] / after[name]["median_cpu_ms_per_op"], 2)
            for name in KEY_MEASURES
        },
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for name in KEY_MEASURES:
        rates = f"{before[name]['cpu_ops_per_s']:>10,.0f} {after[name]['cpu_ops_per_s']:>10,.0f}/CPU-s"
        print(f"{name:75s} {rates} x{report['speedup_after_vs_before_cpu'][name]}")
    for key in ("eddsa-rdfc-2022 verify", "eddsa-jcs-2022 verify", "eddsa-rdfc-2022 sign"):
        print(
            f"{key} x raw: before {figures['before']['cpu_rate_vs_raw_ed25519'][key]} "
            f"after {figures['after']['cpu_rate_vs_raw_ed25519'][key]}"
        )


if __name__ == "__main__":
    main()
