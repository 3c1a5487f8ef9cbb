"""CPU per request of each endpoint the load benches send, before and after, in turns (issue 17).

Each turn is a subprocess of its own with one checkout's ``src`` first on the path (``--before-src``,
then this checkout's, alternating which goes first): a fresh SQLite database (with ``--store
postgresql``, a private schema in ``--postgres-url``'s database, dropped afterwards) seeded as
``bench.api_speed`` seeds it (the mini ESCO, a client, professionals with API tokens, hourly contracts,
open jobs), the app (``create_app``) called in process through ``httpx.ASGITransport``, and for each
endpoint ``--requests`` requests after a short warm-up, timed in CPU time (``time.process_time``:
every thread of the process, the thread pool and SQLite included, PostgreSQL's server not; the cyclic
garbage collector paused while timing). Endpoints: the reads of the mix (job board, own profile, a
skills search) and the writes (a time entry, an application, a job posted). The client's own cost
(httpx) is in every figure, before and after alike. SQL statements per request are counted too.

Reported: per endpoint, the median over ``--repeats`` of each side's CPU ms per request and the median
of the per-repeat ratios after/before (turns of one repeat run one right after the other).

Run: ``python -m bench.api_endpoint_ab --before-src /tmp/mc-before/src [--repeats 3] [--requests 300]
[--store sqlite|postgresql] [--postgres-url URL]``;
JSON in bench/results/api-endpoint-ab-<date>.json (or ``--out``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import report_file

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
ENDPOINTS = ("jobs", "profile", "skills", "time", "apply", "post")


def measure(requests: int, store_name: str = "sqlite") -> dict[str, float]:
    """This process's figures: CPU ms per request of each endpoint (imports the ``src`` on the path), and
    SQL statements per request (``<endpoint> queries``, counted over the warm-up)."""
    import httpx
    from sqlalchemy import event

    from bench.api_speed import seeded
    from bench.bench_marketplace import application_body, job_body
    from microcareer.asgi import create_app
    from microcareer.domain.marketplace.jobs import BudgetKind

    with seeded(store_name, professionals=6, jobs=requests // 6 + 3) as world:
        platform, store, contracts, today = world.platform, world.store, world.contracts, world.today
        pros = store.professionals
        applications = iter(world.applications)
        n = itertools.count()

        async def run() -> dict[str, float]:
            app = create_app(platform)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:

                async def get(path: str, **params: str) -> None:
                    pro = pros[next(n) % len(pros)]
                    answer = await http.get(path, params=params, headers=store.headers(pro))
                    if answer.status_code != 200:
                        raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")

                async def post(path: str, user: int, body: dict[str, Any], expected: int) -> None:
                    answer = await http.post(path, headers=store.headers(user), json=body)
                    if answer.status_code != expected:
                        raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")

                async def time_entry() -> None:
                    contract_id, pro = contracts[next(n) % len(contracts)]
                    body = {"day": today, "minutes": 1, "note": "bench"}
                    await post(f"/api/v1/contracts/{contract_id}/time", pro, body, 201)

                async def apply() -> None:
                    job_id, pro = next(applications)
                    await post(f"/api/v1/jobs/{job_id}/applications", pro, application_body(), 201)

                async def post_job() -> None:
                    body = job_body(store.next_title("Endpoint job"), BudgetKind.FIXED)
                    await post("/api/v1/jobs", store.client, body, 201)

                calls: dict[str, Callable[[], Awaitable[None]]] = {
                    "jobs": lambda: get("/api/v1/jobs"),
                    "profile": lambda: get("/api/v1/profiles/me"),
                    "skills": lambda: get("/api/v1/skills", q="python"),
                    "time": time_entry,
                    "apply": apply,
                    "post": post_job,
                }
                figures: dict[str, float] = {}
                statements: list[str] = []

                def count(*args: object) -> None:
                    statements.append(str(args[2]))

                for name in ENDPOINTS:
                    await calls[name]()
                    statements.clear()
                    event.listen(platform.engine, "before_cursor_execute", count)
                    try:
                        for _ in range(4):
                            await calls[name]()
                    finally:
                        event.remove(platform.engine, "before_cursor_execute", count)
                    figures[f"{name} queries"] = len(statements) / 4
                    gc.collect()
                    gc.disable()
                    try:
                        start = time.process_time()
                        for _ in range(requests):
                            await calls[name]()
                        figures[name] = (time.process_time() - start) / requests * 1000
                    finally:
                        gc.enable()
                return figures

        return asyncio.run(run())


def turn(src: Path, requests: int, store: str, postgres_url: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{REPO}"}
    env.pop("MICROCAREER_DATABASE_URL", None)
    if store == "postgresql":
        env["MICROCAREER_DATABASE_URL"] = postgres_url  # a private schema in it, dropped afterwards
    command = [
        *(sys.executable, "-m", "bench.api_endpoint_ab", "--worker"),
        *("--requests", str(requests), "--store", store),
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{src}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--before-src", help="the src/ folder of the code before")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint and turn")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("MICROCAREER_DATABASE_URL", ""),
        help="with --store postgresql: the database to make a private schema in",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv if argv is not None else [])
    if args.worker:
        print(json.dumps(measure(args.requests, args.store)))
        return
    if not args.before_src or not (Path(args.before_src) / "microcareer").is_dir():
        parser.error("--before-src: the src/ folder of a checkout of the code before")
    started = time.perf_counter()
    sides = {"before": Path(args.before_src).resolve(), "after": REPO / "src"}
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    loads: list[float] = []
    for n in range(args.repeats):
        order = ["before", "after"] if n % 2 == 0 else ["after", "before"]
        for side in order:
            runs[side].append(turn(sides[side], args.requests, args.store, args.postgres_url))
            loads.append(round(os.getloadavg()[0], 2))
            print(f"#{n} {side}: " + ", ".join(f"{k} {v:.3f}" for k, v in runs[side][-1].items()), flush=True)
    summary: dict[str, dict[str, float]] = {
        name: {
            "before_cpu_ms": round(statistics.median(r[name] for r in runs["before"]), 3),
            "after_cpu_ms": round(statistics.median(r[name] for r in runs["after"]), 3),
            "ratio_after_before_median": round(
                statistics.median(
                    a[name] / b[name] for b, a in zip(runs["before"], runs["after"], strict=True)
                ),
                2,
            ),
        }
        for name in ENDPOINTS
    }
    for name in ENDPOINTS:
        for side in ("before", "after"):
            summary[name][f"{side}_queries"] = statistics.median(r[f"{name} queries"] for r in runs[side])
    for kind, names in (("reads", ENDPOINTS[:3]), ("writes", ENDPOINTS[3:])):
        summary[kind] = {
            side: round(statistics.mean(summary[name][f"{side}_cpu_ms"] for name in names), 3)
            for side in ("before", "after")
        }
        summary[kind]["ratio"] = round(summary[kind]["after"] / summary[kind]["before"], 2)
    report = {
        **report_file.header(
            "api-endpoint-ab",
            "bench.api_endpoint_ab",
            argv if argv is not None else [],
            load_average_1m_per_turn=loads,
        ),
        "settings": {
            "repeats": args.repeats,
            "requests": args.requests,
            "store": args.store,
            "before_src": args.before_src,
        },
        "summary": summary,
        "runs": {
            side: [{k: round(v, 3) for k, v in r.items()} for r in items] for side, items in runs.items()
        },
        "notes": [
            "CPU ms per request in process (httpx.ASGITransport, SQLite), client included; reads/writes: "
            "the mean of their endpoints' medians",
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    for name, s in summary.items():
        print(f"{name:8} " + ", ".join(f"{k} {v}" for k, v in s.items()))
    target = report_file.write(
        report, args.out or RESULTS / f"api-endpoint-ab-{dt.date.today().isoformat()}.json"
    )
    print(f"results: {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
