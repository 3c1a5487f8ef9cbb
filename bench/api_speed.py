"""The API's CPU cost per request against a plain Starlette app's, in one process (issue 17's guard).

The app (``create_app``, the API and the web, every middleware and dependency) runs in this process on
a SQLite file seeded through the services (the mini ESCO, a client, professionals with API tokens,
open jobs, hourly contracts); ``httpx.ASGITransport`` calls it with no network and no server between.
The baseline is a plain Starlette app with one JSON endpoint called the same way. Rounds alternate:

- baseline: ``--baseline-requests`` calls of the plain endpoint;
- reads: the job board, one's own profile and a skills search, in turn (``--requests`` each round);
- writes: a time entry on an hourly contract, an application to an open job, a job posted and
  published (two requests), in turn (``--requests`` each round).

Each is timed in CPU time (``time.process_time``: every thread of this process, the thread pool and
SQLite included), so what else the machine runs slows neither side; the figure is, per round, the CPU
time per API request over the CPU time per baseline request, and its median over ``--rounds``. A
change that makes a read or a write cost twice as much shows as a ratio twice as large whatever the
machine; ``--quick`` runs in CI (tests/unit/bench/test_api_speed.py fails at twice the committed
ratio). Requests are sent one at a time: this measures the cost of a request, not concurrency (that is
bench_mixed_load's).

Run: ``python -m bench.api_speed [--rounds 15] [--quick]``; JSON in bench/results/api-speed-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import itertools
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import microcareer
from bench import report_file
from bench.bench_marketplace import (
    FAST_HASHER,
    Store,
    application_body,
    contract_for,
    database,
    job_body,
    open_job,
    seed_users,
)
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.marketplace.jobs import BudgetKind

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CLASSES = ("reads", "writes")
QUICK = {"rounds": 7, "requests": 30, "baseline_requests": 150}


async def ping(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def plain_app() -> Starlette:
    """The baseline: what a request costs through Starlette and the transport with no work behind it."""
    return Starlette(routes=[Route("/ping", ping)])


@dataclass
class Traffic:
    """The requests of each class, made from what was seeded; every answer must be the expected one."""

    store: Store
    contracts: list[tuple[int, int]]
    applications: Iterator[tuple[int, int]]
    today: str
    statuses: Counter[str] = field(default_factory=Counter)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    async def read(self, http: httpx.AsyncClient) -> int:
        n = next(self.counter)
        pros = self.store.professionals
        headers = self.store.headers(pros[n % len(pros)])
        which = n % 3
        if which == 0:
            response = await http.get("/api/v1/jobs", headers=headers)
        elif which == 1:
            response = await http.get("/api/v1/profiles/me", headers=headers)
        else:
            response = await http.get("/api/v1/skills", params={"q": "python"}, headers=headers)
        self.check(response, 200, ("jobs", "profile", "skills")[which])
        return 1

    async def write(self, http: httpx.AsyncClient) -> int:
        n = next(self.counter)
        which = n % 3
        if which == 0:
            contract_id, pro = self.contracts[n % len(self.contracts)]
            response = await http.post(
                f"/api/v1/contracts/{contract_id}/time",
                headers=self.store.headers(pro),
                json={"day": self.today, "minutes": 1, "note": "bench"},
            )
            self.check(response, 201, "time")
            return 1
        pair = next(self.applications, None) if which == 1 else None
        if pair is not None:
            job_id, pro = pair
            response = await http.post(
                f"/api/v1/jobs/{job_id}/applications",
                headers=self.store.headers(pro),
                json=application_body(),
            )
            self.check(response, 201, "apply")
            return 1
        headers = self.store.headers(self.store.client)
        body = job_body(self.store.next_title("Speed job"), BudgetKind.FIXED)
        created = await http.post("/api/v1/jobs", headers=headers, json=body)
        self.check(created, 201, "post")
        job_id = int(created.json()["id"])
        published = await http.post(f"/api/v1/jobs/{job_id}/publish", headers=headers)
        self.check(published, 200, "publish")
        self.applications = itertools.chain(
            self.applications, ((job_id, pro) for pro in self.store.professionals)
        )
        return 2

    def check(self, response: httpx.Response, expected: int, kind: str) -> None:
        self.statuses[f"{kind} {response.status_code}"] += 1
        if response.status_code != expected:
            raise RuntimeError(f"{kind}: {response.status_code} {response.text[:300]}")


async def cpu_per_request(batch: Callable[[], Awaitable[int]], requests: int) -> float:
    """CPU seconds per request of ``requests`` requests (a batch may send more than one), with the
    cyclic garbage collector paused: its full passes over this process's large heap would land in one
    batch or another at random (the garbage of each batch is collected after it, untimed)."""
    gc.collect()
    gc.disable()
    try:
        sent = 0
        start = time.process_time()
        while sent < requests:
            sent += await batch()
        return (time.process_time() - start) / sent
    finally:
        gc.enable()


async def measure(
    traffic: Traffic, app: Any, rounds: int, requests: int, baseline_requests: int
) -> dict[str, Any]:
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")
    plain = httpx.AsyncClient(transport=httpx.ASGITransport(app=plain_app()), base_url="http://plain.test")

    async def baseline() -> int:
        response = await plain.get("/ping")
        if response.status_code != 200:
            raise RuntimeError(f"baseline: {response.status_code}")
        return 1

    async with api, plain:
        for _ in range(3):  # warm-up: first requests build caches (the label index, compiled queries)
            await traffic.read(api)
            await traffic.write(api)
            await baseline()
        gc.collect()
        gc.freeze()  # what exists now (the app, its caches) is never scanned again: collections stay short
        per_round: dict[str, list[float]] = {c: [] for c in CLASSES}
        base_ms: list[float] = []
        cost_ms: dict[str, list[float]] = {c: [] for c in CLASSES}
        for _ in range(rounds):
            for cls, batch in (("reads", lambda: traffic.read(api)), ("writes", lambda: traffic.write(api))):
                before = await cpu_per_request(baseline, baseline_requests)
                cost = await cpu_per_request(batch, requests)
                after = await cpu_per_request(baseline, baseline_requests)
                plain_cost = (before + after) / 2
                per_round[cls].append(cost / plain_cost)
                cost_ms[cls].append(cost * 1000)
                base_ms.append(plain_cost * 1000)
    gc.unfreeze()
    return {
        "ratio": {c: round(statistics.median(v), 2) for c, v in per_round.items()},
        "ratios": {c: [round(x, 2) for x in v] for c, v in per_round.items()},
        "cpu_ms_per_request_median": {c: round(statistics.median(v), 3) for c, v in cost_ms.items()},
        "baseline_cpu_ms_per_request_median": round(statistics.median(base_ms), 4),
    }


@dataclass
class Seeded:
    """What ``seeded`` made: the platform, the store's users and tokens, hourly contracts (with their
    professional), (job, professional) pairs that may apply, and today (the platform's clock)."""

    platform: Platform
    store: Store
    contracts: list[tuple[int, int]]
    applications: list[tuple[int, int]]
    today: str


@contextmanager
def seeded(store_name: str, *, professionals: int = 6, jobs: int = 3) -> Iterator[Seeded]:
    """A fresh database of ``store_name`` (SQLite, or a private PostgreSQL schema) seeded through the
    services: the mini ESCO, a client, ``professionals`` with API tokens, four hourly contracts and
    ``jobs`` open fixed-price jobs (this bench's and ``bench.api_endpoint_ab``'s world)."""
    with database(store_name) as url:
        platform = bootstrap(Settings(database_url=url), passwords=FAST_HASHER)
        try:
            store = Store(store_name, url, platform)
            seed_users(store, professionals)
            pros = store.professionals
            contracts = [
                (contract_for(store, BudgetKind.HOURLY, pros[i % len(pros)]), pros[i % len(pros)])
                for i in range(4)
            ]
            opened = [open_job(store, BudgetKind.FIXED) for _ in range(jobs)]
            applications = [(job, pro) for job in opened for pro in pros]
            yield Seeded(platform, store, contracts, applications, platform.clock().date().isoformat())
        finally:
            platform.dispose()


def run(rounds: int, requests: int, baseline_requests: int, professionals: int = 6) -> dict[str, Any]:
    """Seed a fresh SQLite database, then measure; the figures and the answers counted by status."""
    with seeded("sqlite", professionals=professionals) as world:
        traffic = Traffic(world.store, world.contracts, iter(world.applications), world.today)
        figures = asyncio.run(
            measure(traffic, create_app(world.platform), rounds, requests, baseline_requests)
        )
    figures["answers"] = dict(sorted(traffic.statuses.items()))
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=90, help="API requests per class and round")
    parser.add_argument("--baseline-requests", type=int, default=400, help="plain requests per measure")
    parser.add_argument("--quick", action="store_true", help="a short run (CI)")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv if argv is not None else [])
    if args.quick:
        args.rounds, args.requests, args.baseline_requests = QUICK.values()
    started = time.perf_counter()
    figures = run(args.rounds, args.requests, args.baseline_requests)
    report = {
        **report_file.header("api-speed", "bench.api_speed", argv if argv is not None else []),
        "settings": {
            "rounds": args.rounds,
            "requests": args.requests,
            "baseline_requests": args.baseline_requests,
            "store": "sqlite (in this process)",
            "microcareer_from": str(Path(microcareer.__file__).resolve().parents[1]),
        },
        **figures,
        "notes": [
            "ratio: CPU time per API request / CPU time per request of a plain Starlette JSON endpoint, "
            "both through httpx.ASGITransport in this process; median over rounds",
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    print(
        f"API cost per request over a plain Starlette endpoint's (CPU time, median of {args.rounds} rounds): "
        f"reads {figures['ratio']['reads']}x, writes {figures['ratio']['writes']}x "
        f"(reads {figures['cpu_ms_per_request_median']['reads']} ms, writes "
        f"{figures['cpu_ms_per_request_median']['writes']} ms, plain "
        f"{figures['baseline_cpu_ms_per_request_median']} ms a request)"
    )
    if args.out is not None or not args.quick:
        target = report_file.write(
            report, args.out or RESULTS / f"api-speed-{dt.date.today().isoformat()}.json"
        )
        print(f"results: {target}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
