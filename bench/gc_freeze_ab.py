"""``MICROCAREER_GC_FREEZE`` off and on, back to back (issues 17 and 18): ``bench_mixed_load`` (one mix, one
store) against a server that leaves the garbage collector as Python sets it and one that freezes the heap
after start-up (``asgi.freeze_heap``), in alternating runs, each a fresh database and server.

The server's full (generation 2) collections are counted and timed in CPU (its thread's) by
``bench/gc_probe/sitecustomize.py``, put on the server's ``PYTHONPATH`` for these runs only: all of them
in the load phase (the server's last ``--seconds`` + 2 s: it stops right after the phase) and those of
them that cost 10 ms or more; every one of its life is in the JSON with its time. Beside each run:
requests/s, p50 and p99 of the mix, and the load average before and after.

Run: ``python -m bench.gc_freeze_ab [--mix reads] [--store sqlite] [--seconds 20] [--connections 64]
[--repeats 3]``; JSON in bench/results/gc-freeze-ab-<date>.json.
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

from bench import report_file

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PROBE = REPO / "bench" / "gc_probe"
VARIANTS = {"off": "false", "on": "true"}
CLASS = {"reads": "read", "writes": "write"}
COSTLY_MS = 10.0


def run_once(variant: str, args: argparse.Namespace, folder: Path, n: int) -> dict[str, Any]:
    logs = folder / f"{variant}-{n}"
    logs.mkdir()
    out = logs / "report.json"
    command = [
        sys.executable,
        "-m",
        "bench.bench_mixed_load",
        *("--mix", args.mix, "--stores", args.store, "--client", "raw"),
        *("--seconds", str(args.seconds), "--connections", str(args.connections)),
        *("--out", str(out)),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO), str(PROBE)]),
        "MICROCAREER_GC_FREEZE": VARIANTS[variant],
        "MICROCAREER_BENCH_GC_LOG": str(logs),
    }
    env.pop("MICROCAREER_DATABASE_URL", None)
    load_before = [round(x, 2) for x in os.getloadavg()]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    figures = report["stores"][args.store]["phases"]["clean"]["classes"][CLASS[args.mix]]
    servers = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in logs.glob("gc-*.json")
        if "uvicorn" in " ".join(json.loads(p.read_text(encoding="utf-8"))["argv"])
    ]
    if len(servers) != 1:
        raise RuntimeError(f"expected one server's gc log in {logs}, found {len(servers)}")
    # the server is stopped right after the phase (and a ledger check): the collections of its last
    # --seconds + 2 s of life are the load's
    end = servers[0]["written_at_s"]
    timed = servers[0]["full_collections"]
    full = [ms for t, ms in timed if t >= end - args.seconds - 2]
    costly = [ms for ms in full if ms >= COSTLY_MS]
    return {
        "requests_per_s": figures["requests_per_s"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "errors": figures["errors"],
        "requests": figures["requests"],
        "server_frozen_objects_at_exit": servers[0]["frozen"],
        "server_full_collections": len(full),
        "server_full_collections_cpu_ms_total": round(sum(full), 1),
        "server_full_collections_cpu_ms_max": round(max(full, default=0.0), 1),
        f"server_full_collections_over_{COSTLY_MS:.0f}_ms": len(costly),
        "server_full_collections_all_life": [[round(t, 1), round(ms, 1)] for t, ms in timed],
        "server_life_s": end,
        "load_average_1_5_15_before": load_before,
        "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mix", choices=sorted(CLASS), default="reads")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    order = list(VARIANTS)
    with tempfile.TemporaryDirectory(prefix="mc-gc-ab-") as tmp:
        for n in range(args.repeats):
            for variant in order if n % 2 == 0 else order[::-1]:
                run = run_once(variant, args, Path(tmp), n)
                runs[variant].append(run)
                print(
                    f"{variant} #{n}: {run['requests_per_s']} req/s, p50 {run['p50_ms']} ms, p99 "
                    f"{run['p99_ms']} ms, {run['errors']} errors; server full gcs "
                    f"{run['server_full_collections']} "
                    f"({run['server_full_collections_cpu_ms_total']} ms CPU, "
                    f"max {run['server_full_collections_cpu_ms_max']} ms), frozen "
                    f"{run['server_frozen_objects_at_exit']}; load {run['load_average_1_5_15_before']}",
                    flush=True,
                )
    summary = {
        v: {
            "requests_per_s_median": round(statistics.median(r["requests_per_s"] for r in items), 1),
            "p50_ms_median": round(statistics.median(r["p50_ms"] for r in items), 1),
            "p99_ms_median": round(statistics.median(r["p99_ms"] for r in items), 1),
            "server_full_collections_median": statistics.median(r["server_full_collections"] for r in items),
            "server_full_collections_cpu_ms_total_median": round(
                statistics.median(r["server_full_collections_cpu_ms_total"] for r in items), 1
            ),
            "server_full_collections_cpu_ms_max_median": round(
                statistics.median(r["server_full_collections_cpu_ms_max"] for r in items), 1
            ),
            "errors": sum(r["errors"] for r in items),
        }
        for v, items in runs.items()
    }
    pairs = list(zip(runs["off"], runs["on"], strict=True))
    summary["on_over_off"] = {
        "requests_per_s_median_ratio": round(
            statistics.median(b["requests_per_s"] / a["requests_per_s"] for a, b in pairs), 2
        ),
        "p99_median_ratio": round(statistics.median(b["p99_ms"] / a["p99_ms"] for a, b in pairs), 2),
    }
    report = {
        **report_file.header(
            "gc-freeze-ab", "bench.gc_freeze_ab", argv if argv is not None else sys.argv[1:]
        ),
        "settings": vars(args) | {"out": str(args.out) if args.out else None},
        "runs": runs,
        "summary": summary,
        "notes": [
            "server_full_collections*: those of the load phase (the server's last --seconds + 2 s of life: "
            "it stops right after the phase); server_full_collections_all_life: [seconds since the process "
            "started, CPU ms] of each, start-up's and the freeze's own gc.collect included; CPU time of the "
            "collecting thread",
            "the client, the server and other sessions' work share this machine's 2 cores: compare within "
            "a pair, load average beside each run",
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, indent=2))
    target = report_file.write(
        report, args.out or RESULTS / f"gc-freeze-ab-{dt.date.today().isoformat()}.json"
    )
    print(f"results: {target}")


if __name__ == "__main__":
    main()
