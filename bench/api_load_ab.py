"""Before and after, back to back (issue 17): ``bench_mixed_load`` reads alone and writes alone, on
SQLite and PostgreSQL, against the server as it was and as it is now, in interleaved runs.

Variants, each a ``bench_mixed_load`` run in a subprocess of its own (fresh database, fresh server):

- ``before``: the code of ``--before-src`` (a checkout of the commit before the change, e.g.
  ``git worktree add --detach /tmp/mc-before 8eb21d1``) served as it was then: uvicorn with its
  pure-Python HTTP parser and asyncio's loop (``--http h11 --loop asyncio``), one process;
- ``after-1``: this checkout, uvicorn's defaults (httptools and uvloop, now dependencies), one process;
- ``after-2``: the same with two worker processes (``serve --workers 2``).

Every run uses the same client (the light one, ``--client raw``) and the same bench code (this
checkout's). For each store and mix the variants run in turn, ``--repeats`` times, rotating which goes
first, so a burst of other work on a shared machine lands on all alike; the table gives each
variant's median requests/s and p99 and the median of the per-repeat ratios after/before.

Run: ``python -m bench.api_load_ab --before-src /tmp/mc-before/src [--seconds 20] [--connections 64]
[--repeats 2] [--stores sqlite,postgresql]``; JSON in bench/results/api-load-ab-<date>.json.
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
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import report_file

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
VARIANTS: dict[str, list[str]] = {
    "before": ["--http", "h11", "--loop", "asyncio", "--workers", "1"],
    "after-1": ["--workers", "1"],
    "after-2": ["--workers", "2"],
}
MIXES = ("reads", "writes")
CLASS = {"reads": "read", "writes": "write"}
console = Console()


def run_once(
    variant: str, store: str, mix: str, args: argparse.Namespace, folder: Path, n: int
) -> dict[str, Any]:
    src = Path(args.before_src) if variant == "before" else REPO / "src"
    options = VARIANTS["after-1"] if variant == "before" and args.before_as_now else VARIANTS[variant]
    out = folder / f"{store}-{mix}-{variant}-{n}.json"
    command = [
        sys.executable,
        "-m",
        "bench.bench_mixed_load",
        *("--mix", mix, "--stores", store, "--client", "raw"),
        *("--seconds", str(args.seconds), "--connections", str(args.connections)),
        *options,
        *("--out", str(out)),
    ]
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{REPO}"}
    env.pop("MICROCAREER_DATABASE_URL", None)
    if args.postgres_url:
        command += ["--postgres-url", args.postgres_url]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    result = report["stores"][store]
    figures = result["phases"]["clean"]["classes"][CLASS[mix]]
    return {
        "requests_per_s": figures["requests_per_s"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "errors": figures["errors"],
        "requests": figures["requests"],
        "balanced": result["balanced"],
        "load_average_1m": report["machine"]["load_average_1m"],
    }


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for variant, items in runs.items():
        summary[variant] = {
            "requests_per_s_median": round(statistics.median(r["requests_per_s"] for r in items), 1),
            "p99_ms_median": round(statistics.median(r["p99_ms"] for r in items), 1),
            "errors": sum(r["errors"] for r in items),
            "balanced": all(r["balanced"] for r in items),
        }
        if variant != "before":
            pairs = list(zip(runs["before"], items, strict=True))
            summary[variant]["ratio_requests_per_s_median"] = round(
                statistics.median(a["requests_per_s"] / b["requests_per_s"] for b, a in pairs), 2
            )
            summary[variant]["ratio_p99_median"] = round(
                statistics.median(a["p99_ms"] / b["p99_ms"] for b, a in pairs), 2
            )
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--before-src", required=True, help="the src/ folder of the code before")
    parser.add_argument(
        "--before-as-now",
        action="store_true",
        help="serve the code before as this checkout is served (httptools, uvloop, one process), not as "
        "it was served before issue 17 (h11, asyncio): the code alone differs",
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--mixes", default=",".join(MIXES))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--postgres-url", default="", help="passed on to bench_mixed_load")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv if argv is not None else [])
    if not (Path(args.before_src) / "microcareer").is_dir():
        parser.error(f"--before-src: {args.before_src} holds no microcareer package")
    variants = [v for v in args.variants.split(",") if v]
    if "before" not in variants or set(variants) - set(VARIANTS):
        parser.error(f"--variants: 'before' and any of {', '.join(VARIANTS)}")
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="mc-api-ab-") as tmp:
        for store in [s for s in args.stores.split(",") if s]:
            for mix in [m for m in args.mixes.split(",") if m]:
                runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
                for n in range(args.repeats):
                    order = variants[n % len(variants) :] + variants[: n % len(variants)]
                    for variant in order:
                        runs[variant].append(run_once(variant, store, mix, args, Path(tmp), n))
                        last = runs[variant][-1]
                        console.print(
                            f"{store} {mix} {variant} #{n}: {last['requests_per_s']} req/s, "
                            f"p99 {last['p99_ms']} ms, {last['errors']} errors",
                            highlight=False,
                        )
                results[f"{store}/{mix}"] = {"runs": runs, "summary": summarise(runs)}
    report = {
        **report_file.header("api-load-ab", "bench.api_load_ab", argv if argv is not None else []),
        "settings": {
            "seconds": args.seconds,
            "connections": args.connections,
            "repeats": args.repeats,
            "variants": {
                v: VARIANTS["after-1"] if v == "before" and args.before_as_now else VARIANTS[v]
                for v in variants
            },
            "before_src": args.before_src,
            "client": "raw (bench/raw_http.py)",
        },
        "results": results,
        "notes": [
            "the client, the server and PostgreSQL share this machine's CPUs with whatever else runs "
            "(load average in each run); ratios come from runs done one right after the other",
            "aim (issue 17): reads >= 1,500/s and writes >= 500/s at 64 connections with p99 < 50 ms",
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    show(report)
    target = report_file.write(
        report, args.out or RESULTS / f"api-load-ab-{dt.date.today().isoformat()}.json"
    )
    console.print(f"results: {target}")


def show(report: dict[str, Any]) -> None:
    table = Table(
        title=f"API under load, {report['settings']['connections']} connections, "
        f"{report['settings']['seconds']} s a run, medians of {report['settings']['repeats']}",
        title_justify="left",
    )
    for column in ("store/mix", "variant", "req/s", "p99 ms", "errors", "ledger", "req/s ratio", "p99 ratio"):
        table.add_column(column, justify="left" if column in ("store/mix", "variant", "ledger") else "right")
    for key, result in report["results"].items():
        for variant, s in result["summary"].items():
            table.add_row(
                key,
                variant,
                f"{s['requests_per_s_median']:.0f}",
                f"{s['p99_ms_median']:.0f}",
                str(s["errors"]),
                "balanced" if s["balanced"] else "NOT balanced",
                f"{s['ratio_requests_per_s_median']:.2f}x" if "ratio_requests_per_s_median" in s else "",
                f"{s['ratio_p99_median']:.2f}x" if "ratio_p99_median" in s else "",
            )
    console.print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
