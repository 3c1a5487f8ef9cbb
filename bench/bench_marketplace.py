"""Marketplace throughput through the API on SQLite and PostgreSQL, and the ledger under concurrent load.

Each store gets a fresh database (SQLite: a temporary file; PostgreSQL: a private schema in the
database ``MICROCAREER_DATABASE_URL`` names, dropped afterwards) and its own server: uvicorn in a
subprocess serving ``microcareer.asgi:create_app`` (one process, access log off). Users, API tokens
and the jobs and contracts a measure needs are made through the services, untimed. Then an
``httpx.AsyncClient`` in this process sends a fixed number of requests at a fixed concurrency:

- post: a client creates a micro-job and publishes it (two requests per job);
- apply: distinct professionals apply to open jobs (one request each);
- time: professionals log time on several hourly contracts (one entry per request).

Each measure reports requests per second (requests over the batch's wall time) and p50/p95/p99
latency per request, medians over ``--rounds`` rounds, and counts answers other than 2xx by status.
The stores take turns within a round (which goes first alternates), so a burst of other work lands on
both alike; the table sets PostgreSQL against SQLite from the same run.

Then the ledger under load, per store: concurrent time entries and week approvals on hourly
contracts, and duplicate fund, submit and approve requests on the milestones of fixed contracts
(lost races answer 409; a 500 never should), some contracts cancelled afterwards so escrow is
refunded. ``GET /api/v1/ledger/check`` must then say every currency sums to zero and no escrow is
negative, and each contract's ledger must satisfy released + fees = funded - refunded - escrow, its
figures matching the states its milestones and time entries ended in.

Client, server and PostgreSQL share the machine's cores: the figures compare the stores within one
run on one machine; they are not a capacity figure.

Results: a Rich table, and JSON in bench/results/marketplace-<date>.json.
Run: ``python -m bench.bench_marketplace [--rounds N] [--scale X] [--concurrency N] [--stores ...]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from bench import report_file
from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.adapters.passwords import Argon2PasswordHasher
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.contracts import Milestone, MilestoneState
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.services import contracts, job_applications, micro_jobs, tokens, users
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate
from microcareer.store.engine import build_engine

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
MINI_ESCO = REPO / "tests" / "data" / "esco" / "mini_en"
SKILL = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"  # Python, in mini ESCO
CURRENCY = "EUR"
HOURLY_RATE = 6000  # EUR 60.00 an hour: EUR 1.00 a minute, so every week's charge is exact
ENTRY_MINUTES = 15
WEEKLY_LIMIT_HOURS = 168.0
FIXED_PRICE = 50000
MILESTONE_AMOUNTS = (10001, 12345, 9999, 7777, 4321)  # odd amounts: fees round
PASSWORD = "bench password, never used to sign in"  # noqa: S105 - the bench users' password
FAST_HASHER = Argon2PasswordHasher(time_cost=1, memory_kib=8)
STORES = ("sqlite", "postgresql")
MEASURES = ("post", "apply", "time")
# Requests per measure and round, and the shape of the ledger load, at --scale 1.
SIZES = {
    "post_jobs": 100,  # two requests each
    "apply": 200,
    "time": 200,
    "professionals": 20,
    "hourly_contracts": 8,
    "ledger_hourly": 4,
    "ledger_entries": 24,  # per hourly contract
    "ledger_week_approvals": 6,  # per hourly contract, racing the entries
    "ledger_fixed": 6,
}
console = Console()


# the API as the bench calls it


def job_body(title: str, kind: BudgetKind) -> dict[str, Any]:
    amount = HOURLY_RATE if kind is BudgetKind.HOURLY else FIXED_PRICE
    return {
        "title": title,
        "brief": "A small, well-defined piece of Python work for the marketplace benchmark.",
        "required_skills": [SKILL],
        "budget": {"kind": kind.value, "amount": amount, "currency": CURRENCY},
        "expected_hours": 10,
        "remote": True,
        "audience": Audience.OPEN.value,
    }


def application_body() -> dict[str, Any]:
    return {
        "rate": {"amount": FIXED_PRICE, "currency": CURRENCY},
        "hours": 10,
        "hours_per_week": 5,
        "message": "I can do this.",
    }


def time_body(day: dt.date) -> dict[str, Any]:
    return {"day": day.isoformat(), "minutes": ENTRY_MINUTES, "note": "bench"}


def approve_week_path(contract_id: int, day: dt.date) -> tuple[str, dict[str, Any] | None]:
    year, week, _ = day.isocalendar()
    return f"/api/v1/contracts/{contract_id}/weeks/{year}-W{week:02d}/approve", None


def milestone_path(contract_id: int, milestone_id: int, action: str) -> str:
    return f"/api/v1/contracts/{contract_id}/milestones/{milestone_id}/{action}"


def milestone_body(action: str) -> dict[str, Any] | None:
    return {"progress": 100, "note": "done"} if action == "submit" else None


def cancel_path(contract_id: int) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/contracts/{contract_id}/cancel", {"reason": "bench: ends with escrow refunded"}


def created_id(response: httpx.Response) -> int:
    body = response.json()
    value = body["id"]
    assert isinstance(value, int)
    return value


# stores and servers


@dataclass
class Store:
    """One fresh database, the platform the bench sets it up through, and its server's address."""

    name: str
    url: str
    platform: Platform
    base_url: str = ""
    client: int = 0
    admin: int = 0
    professionals: list[int] = field(default_factory=list)
    tokens: dict[int, str] = field(default_factory=dict)
    counter: int = 0

    def headers(self, user_id: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user_id]}"}

    def actor(self, user_id: int) -> Actor:
        role = Role.CLIENT if user_id == self.client else Role.PROFESSIONAL
        return Actor(user_id=user_id, roles=frozenset({role}))

    def next_title(self, what: str) -> str:
        self.counter += 1
        return f"{what} {self.counter}"


def postgres_skip_reason() -> str | None:
    url = os.environ.get("MICROCAREER_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return "MICROCAREER_DATABASE_URL names no PostgreSQL database (set postgresql+psycopg://...)"
    try:
        engine = build_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at MICROCAREER_DATABASE_URL cannot be reached: {type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def database(name: str) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file in a temporary folder, or a private PostgreSQL schema."""
    if name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="mc-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            engine = build_engine(url)
            migrate.upgrade(engine)
            engine.dispose()
            yield url
        return
    base = os.environ["MICROCAREER_DATABASE_URL"]
    schema = f"mc_bench_{uuid.uuid4().hex[:12]}"
    admin = build_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    try:
        engine = build_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert isinstance(port, int)
        return port


@contextlib.contextmanager
def server(url: str, log: Path) -> Iterator[str]:
    """uvicorn serving ``create_app`` on ``url``'s database in a subprocess; yields its base URL."""
    with server_process(url, log) as (base, _process):
        yield base


def keep_alive_seconds() -> int:
    """``serve``'s keep-alive; uvicorn's own 5 s for code from before ``MICROCAREER_KEEP_ALIVE_SECONDS``
    (``api_load_ab --before-src`` runs the bench with an older package on the path)."""
    return int(getattr(Settings(), "keep_alive_seconds", 5))


@contextlib.contextmanager
def server_process(
    url: str,
    log: Path,
    env: dict[str, str] | None = None,
    workers: int = 1,
    uvicorn_options: list[str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``server`` with more settings (``env``: extra MICROCAREER_* variables), ``workers`` uvicorn
    worker processes and more uvicorn options (``--http h11``, ``--loop asyncio``: the server as it ran
    before httptools and uvloop were installed; ``--timeout-keep-alive 5``: uvicorn's own default, as
    ``serve`` ran before ``MICROCAREER_KEEP_ALIVE_SECONDS``); yields the base URL and the server's
    process (its RSS is read from /proc)."""
    port = free_port()
    env = {
        **os.environ,
        "MICROCAREER_DATABASE_URL": url,
        "MICROCAREER_ENVIRONMENT": "development",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "microcareer.asgi:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        *(["--workers", str(workers)] if workers > 1 else []),
        # as `serve` runs it (a later --timeout-keep-alive in uvicorn_options wins)
        *["--timeout-keep-alive", str(keep_alive_seconds())],
        *(uvicorn_options or []),
    ]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(base, process, log)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /api/v1/health within {timeout_s:.0f} s")


def seed_users(store: Store, professionals: int) -> None:
    """A client, a platform admin and the professionals, each with an API token, through the services."""
    platform = store.platform
    import_taxonomy(
        platform.uow(),
        actor=Actor.system(),
        source=EscoCsvDirectory(MINI_ESCO, version="mini"),
        progress=NoProgress(),
    )

    def user(email: str, role: Role) -> int:
        made = users.create_user(
            platform.uow(),
            actor=Actor.system(),
            email=email,
            display_name=email.split("@")[0].title(),
            password=PASSWORD,
            roles=[role],
            passwords=FAST_HASHER,
            clock=platform.clock,
            allow_signup=False,
        )
        issued = tokens.create_token(
            platform.uow(), actor=Actor.system(), user_id=made.id, name="bench", clock=platform.clock
        )
        store.tokens[made.id] = issued.plaintext
        return made.id

    store.client = user("client@bench.test", Role.CLIENT)
    store.admin = user("admin@bench.test", Role.PLATFORM_ADMIN)
    store.professionals = [user(f"pro{i}@bench.test", Role.PROFESSIONAL) for i in range(professionals)]


# set-up through the services (untimed)


def open_job(store: Store, kind: BudgetKind) -> int:
    platform = store.platform
    body = job_body(store.next_title("Bench job"), kind)
    job = MicroJob(
        title=body["title"],
        brief=body["brief"],
        required_skills=(SKILL,),
        nice_skills=(),
        budget=Budget(kind, Money(body["budget"]["amount"], CURRENCY)),
        expected_hours=body["expected_hours"],
        start=None,
        end=None,
        remote=True,
        place="",
        audience=Audience.OPEN,
        organisation_id=None,
    )
    actor = store.actor(store.client)
    stored = micro_jobs.post_job(platform.uow(), actor=actor, job=job, now=platform.clock())
    micro_jobs.publish_job(platform.uow(), actor=actor, job_id=stored.id, now=platform.clock())
    return stored.id


def contract_for(store: Store, kind: BudgetKind, professional: int) -> int:
    """An active contract between the client and ``professional``: hourly, or fixed with milestones."""
    platform = store.platform
    job_id = open_job(store, kind)
    rate = HOURLY_RATE if kind is BudgetKind.HOURLY else sum(MILESTONE_AMOUNTS)
    proposal = Proposal(rate=Money(rate, CURRENCY), hours=10, message="bench", hours_per_week=5)
    application = job_applications.apply(
        platform.uow(),
        actor=store.actor(professional),
        job_id=job_id,
        proposal=proposal,
        now=platform.clock(),
    )
    today = platform.clock().date()
    if kind is BudgetKind.HOURLY:
        terms = job_applications.AcceptTerms(weekly_limit_hours=WEEKLY_LIMIT_HOURS)
    else:
        due = today + dt.timedelta(days=30)
        terms = job_applications.AcceptTerms(
            milestones=tuple(
                Milestone(f"Part {i + 1}", Money(amount, CURRENCY), due)
                for i, amount in enumerate(MILESTONE_AMOUNTS)
            )
        )
    contract = job_applications.accept(
        platform.uow(),
        actor=store.actor(store.client),
        application_id=application.id,
        terms=terms,
        fee_bp=platform.settings.marketplace_fee_basis_points,
        now=platform.clock(),
    )
    return contract.id


# load


@dataclass(frozen=True, slots=True)
class Sample:
    kind: str
    status: int  # 0: no answer (a transport error)
    ms: float
    busy: bool = False  # a 409 that says the contract's lock was not free in time ("busy, try again")


@dataclass
class Client:
    """An ``httpx.AsyncClient`` whose requests wait on a semaphore: at most ``concurrency`` in flight."""

    http: httpx.AsyncClient
    gate: asyncio.Semaphore
    samples: list[Sample] = field(default_factory=list)

    async def call(
        self, kind: str, method: str, path: str, headers: dict[str, str], body: Any = None
    ) -> httpx.Response | None:
        async with self.gate:
            start = time.perf_counter_ns()
            try:
                response = await self.http.request(method, path, headers=headers, json=body)
            except httpx.HTTPError:
                self.samples.append(Sample(kind, 0, (time.perf_counter_ns() - start) / 1e6))
                return None
            ms = (time.perf_counter_ns() - start) / 1e6
            busy = response.status_code == 409 and "busy" in response.text
            self.samples.append(Sample(kind, response.status_code, ms, busy))
            return response


Op = Callable[[Client], Awaitable[object]]


async def run_ops(base_url: str, ops: Sequence[Op], concurrency: int) -> tuple[list[Sample], float]:
    """Run every op (each makes one or more requests) at once, at most ``concurrency`` requests in
    flight: the samples and the wall time in seconds."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        client = Client(http, asyncio.Semaphore(concurrency))
        start = time.perf_counter()
        await asyncio.gather(*(op(client) for op in ops))
        return client.samples, time.perf_counter() - start


def post_ops(store: Store, count: int) -> list[Op]:
    headers = store.headers(store.client)

    def op(title: str) -> Op:
        async def go(client: Client) -> None:
            created = await client.call(
                "post", "POST", "/api/v1/jobs", headers, job_body(title, BudgetKind.FIXED)
            )
            if created is not None and created.status_code == 201:
                job_id = created_id(created)
                await client.call("post", "POST", f"/api/v1/jobs/{job_id}/publish", headers)

        return go

    return [op(store.next_title("Posted job")) for _ in range(count)]


def apply_ops(store: Store, count: int) -> list[Op]:
    pros = store.professionals
    jobs = [open_job(store, BudgetKind.FIXED) for _ in range(math.ceil(count / len(pros)))]
    pairs = [(job, pro) for job in jobs for pro in pros][:count]

    def op(job_id: int, pro: int) -> Op:
        async def go(client: Client) -> None:
            path = f"/api/v1/jobs/{job_id}/applications"
            await client.call("apply", "POST", path, store.headers(pro), application_body())

        return go

    return [op(job, pro) for job, pro in pairs]


def time_ops(store: Store, count: int, contracts_n: int) -> list[Op]:
    pros = store.professionals
    made = [
        (contract_for(store, BudgetKind.HOURLY, pros[i % len(pros)]), pros[i % len(pros)])
        for i in range(contracts_n)
    ]
    today = store.platform.clock().date()

    def op(contract_id: int, pro: int) -> Op:
        async def go(client: Client) -> None:
            path = f"/api/v1/contracts/{contract_id}/time"
            await client.call("time", "POST", path, store.headers(pro), time_body(today))

        return go

    return [op(*made[i % len(made)]) for i in range(count)]


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def round_figures(samples: list[Sample], wall_s: float) -> dict[str, Any]:
    ms = [s.ms for s in samples]
    return {
        "requests": len(samples),
        "requests_per_s": round(len(samples) / wall_s, 1) if wall_s > 0 else 0.0,
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "not_2xx": dict(sorted(Counter(str(s.status) for s in samples if not 200 <= s.status < 300).items())),
    }


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    errors: Counter[str] = Counter()
    for figures in rounds:
        errors.update(figures["not_2xx"])
    return {
        "rounds": len(rounds),
        "requests_per_round": rounds[0]["requests"],
        **{
            key: round(statistics.median(r[key] for r in rounds), 2)
            for key in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")
        },
        "not_2xx": dict(sorted(errors.items())),
        "per_round": rounds,
    }


def measure_round(store: Store, sizes: dict[str, int], concurrency: int) -> dict[str, dict[str, Any]]:
    """One round of the three measures on one store: set-up untimed, then each batch timed."""
    batches = {
        "post": post_ops(store, sizes["post_jobs"]),
        "apply": apply_ops(store, sizes["apply"]),
        "time": time_ops(store, sizes["time"], sizes["hourly_contracts"]),
    }
    out = {}
    for name, ops in batches.items():
        samples, wall = asyncio.run(run_ops(store.base_url, ops, concurrency))
        out[name] = round_figures(samples, wall)
    return out


# the ledger under concurrent load


def ledger_load(store: Store, sizes: dict[str, int], concurrency: int) -> dict[str, Any]:
    """Racing time entries, week approvals and milestone steps, then the checks; see the module doc."""
    pros = store.professionals
    client_headers = store.headers(store.client)
    hourly = [
        contract_for(store, BudgetKind.HOURLY, pros[i % len(pros)]) for i in range(sizes["ledger_hourly"])
    ]
    fixed = [
        contract_for(store, BudgetKind.FIXED, pros[-1 - i % len(pros)]) for i in range(sizes["ledger_fixed"])
    ]
    views = {
        c: contracts.get_contract(store.platform.uow(), actor=Actor.system(), contract_id=c) for c in fixed
    }
    today = store.platform.clock().date()

    def entry(contract_id: int, pro: int) -> Op:
        async def go(client: Client) -> None:
            path = f"/api/v1/contracts/{contract_id}/time"
            await client.call("time", "POST", path, store.headers(pro), time_body(today))

        return go

    def approve_week(contract_id: int, pause_s: float) -> Op:
        async def go(client: Client) -> None:
            await asyncio.sleep(pause_s)
            path, body = approve_week_path(contract_id, today)
            await client.call("approve_week", "POST", path, client_headers, body)

        return go

    def milestone_chain(contract_id: int, milestone_id: int, pro: int, final: bool) -> Op:
        """Fund twice at once; unless ``final``, then submit twice at once and approve twice at once."""
        steps = (
            [("fund", client_headers)]
            if final
            else [
                ("fund", client_headers),
                ("submit", store.headers(pro)),
                ("approve", client_headers),
            ]
        )

        async def go(client: Client) -> None:
            for action, headers in steps:
                path = milestone_path(contract_id, milestone_id, action)
                await asyncio.gather(
                    *(client.call(action, "POST", path, headers, milestone_body(action)) for _ in range(2))
                )

        return go

    groups: list[list[Op]] = []
    for index, contract_id in enumerate(hourly):
        pro = pros[index % len(pros)]
        groups.append([entry(contract_id, pro) for _ in range(sizes["ledger_entries"])])
        groups.append([approve_week(contract_id, 0.02 * n) for n in range(sizes["ledger_week_approvals"])])
    for contract_id, view in views.items():
        pro = view.contract.professional_user_id
        last = len(view.milestones) - 1
        groups.append(
            [milestone_chain(contract_id, m.id, pro, n == last) for n, m in enumerate(view.milestones)]
        )
    # one op of each group in turn, so every kind of request is in flight from the start
    ops = [op for batch in itertools.zip_longest(*groups) for op in batch if op is not None]
    samples, wall = asyncio.run(run_ops(store.base_url, ops, concurrency))

    async def settle(client: Client) -> None:
        """Pay what is left of the week, and cancel every other fixed contract (refunding its escrow)."""
        for contract_id in hourly:
            path, body = approve_week_path(contract_id, today)
            await client.call("final_approve_week", "POST", path, client_headers, body)
        for contract_id in fixed[::2]:
            path, body = cancel_path(contract_id)
            await client.call("cancel", "POST", path, client_headers, body)

    settled, _ = asyncio.run(run_ops(store.base_url, [settle], 1))
    checked = asyncio.run(ledger_check_api(store))
    per_contract = check_contracts(store, hourly, fixed)
    all_samples = samples + settled
    by_kind: dict[str, dict[str, int]] = {}
    for sample in all_samples:
        statuses = by_kind.setdefault(sample.kind, {})
        statuses[str(sample.status)] = statuses.get(str(sample.status), 0) + 1
    server_errors = sum(1 for s in all_samples if s.status >= 500 or s.status == 0)
    unexpected = sum(1 for s in all_samples if 400 <= s.status < 500 and s.status != 409)
    balanced = bool(checked.get("ok")) and not per_contract["problems"]
    return {
        "hourly_contracts": len(hourly),
        "fixed_contracts": len(fixed),
        "requests": len(samples),
        "wall_s": round(wall, 2),
        "status_by_request": {k: dict(sorted(v.items())) for k, v in sorted(by_kind.items())},
        "conflicts_409": sum(1 for s in all_samples if s.status == 409),
        "busy_409": sum(1 for s in all_samples if s.busy),
        "server_errors": server_errors,
        "other_4xx": unexpected,
        "ledger_check": checked,
        "contracts": per_contract,
        "balanced": balanced,
    }


async def ledger_check_api(store: Store) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=store.base_url, timeout=60) as http:
        response = await http.get("/api/v1/ledger/check", headers=store.headers(store.admin))
    if response.status_code != 200:
        return {"ok": False, "status": response.status_code, "problems": [response.text[:500]]}
    body = response.json()
    assert isinstance(body, dict)
    return body


def check_contracts(store: Store, hourly: list[int], fixed: list[int]) -> dict[str, Any]:
    """Each contract's ledger against the identity and against its milestones' and entries' states."""
    problems: list[str] = []
    totals: Counter[str] = Counter()
    states: Counter[str] = Counter()
    uow = store.platform.uow
    for contract_id in [*hourly, *fixed]:
        statement = contracts.ledger_statement(uow(), actor=Actor.system(), contract_id=contract_id)
        view = contracts.get_contract(uow(), actor=Actor.system(), contract_id=contract_id)
        funded, released = statement.funded.amount, statement.released.amount
        fees, refunded, escrow = statement.fees.amount, statement.refunded.amount, statement.escrow.amount
        for key, value in (
            ("funded", funded),
            ("released", released),
            ("fees", fees),
            ("refunded", refunded),
            ("escrow", escrow),
        ):
            totals[key] += value
        if released + fees != funded - refunded - escrow:
            problems.append(
                f"contract {contract_id}: released {released} + fees {fees} != funded {funded} - refunded "
                f"{refunded} - escrow {escrow}"
            )
        if escrow < 0:
            problems.append(f"contract {contract_id}: escrow {escrow} below zero")
        if contract_id in hourly:
            minutes = sum(e.entry.minutes for e in view.time_entries)
            expected = minutes * HOURLY_RATE // 60
            if view.unpaid_minutes or funded != expected or escrow != 0:
                problems.append(
                    f"contract {contract_id}: {minutes} min logged ({view.unpaid_minutes} unpaid): "
                    f"funded {funded}, not {expected}, or escrow {escrow}, not 0"
                )
            totals["entries"] += len(view.time_entries)
            continue
        amount_in: dict[str, int] = Counter()
        for m in view.milestones:
            states[m.state.value] += 1
            amount_in[m.state.value] += m.milestone.amount.amount
        held = sum(amount_in[s.value] for s in contracts.HELD_MILESTONE_STATES)
        approved = amount_in[MilestoneState.APPROVED.value]
        refunds = amount_in[MilestoneState.REFUNDED.value]
        if (released + fees, escrow, refunded, funded) != (
            approved,
            held,
            refunds,
            approved + held + refunds,
        ):
            problems.append(
                f"contract {contract_id}: milestones approved {approved}, held {held}, refunded {refunds}; "
                f"ledger released+fees {released + fees}, escrow {escrow}, refunded {refunded}, "
                f"funded {funded}"
            )
    return {"totals": dict(totals), "milestone_states": dict(sorted(states.items())), "problems": problems}


# the run


def sizes_at(scale: float) -> dict[str, int]:
    out = {name: max(1, round(count * scale)) for name, count in SIZES.items()}
    out["professionals"] = max(2, out["professionals"])
    return out


def show(report: dict[str, Any]) -> None:
    stores = [s for s in STORES if s in report["stores"]]
    ratios = report["ratios_postgresql_over_sqlite"]
    table = Table(
        title=f"marketplace API, concurrency {report['settings']['concurrency']}, "
        f"median of {report['settings']['rounds']} rounds",
        title_justify="left",
    )
    for column in ("measure", "store", "req/s", "p50 ms", "p95 ms", "p99 ms", "not 2xx"):
        table.add_column(column, justify="left" if column in ("measure", "store") else "right")
    for name in MEASURES:
        for store in stores:
            m = report["stores"][store]["measures"][name]
            table.add_row(
                name,
                store,
                f"{m['requests_per_s']:.0f}",
                f"{m['p50_ms']:.1f}",
                f"{m['p95_ms']:.1f}",
                f"{m['p99_ms']:.1f}",
                ", ".join(f"{k}x{v}" for k, v in m["not_2xx"].items()) or "0",
            )
        if name in ratios:
            r = ratios[name]
            table.add_row(
                "",
                "PG/SQLite",
                f"{r['requests_per_s']:.2f}",
                f"{r['p50_ms']:.2f}",
                "",
                f"{r['p99_ms']:.2f}",
                "",
            )
    console.print(table)
    ledger = Table(title="ledger under concurrent load", title_justify="left")
    for column in ("store", "requests", "409", "busy 409", "other 4xx", "5xx", "balanced"):
        ledger.add_column(column, justify="left" if column == "store" else "right")
    for store in stores:
        ld = report["stores"][store]["ledger"]
        ledger.add_row(
            store,
            str(ld["requests"]),
            str(ld["conflicts_409"]),
            str(ld["busy_409"]),
            str(ld["other_4xx"]),
            str(ld["server_errors"]),
            "yes" if ld["balanced"] else "NO",
        )
    console.print(ledger)
    for store in stores:
        ld = report["stores"][store]["ledger"]
        for problem in [*ld["ledger_check"].get("problems", []), *ld["contracts"]["problems"]][:10]:
            console.print(f"{store}: {problem}", highlight=False)
    for note in report["notes"]:
        console.print(note, highlight=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per measure and store")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the requests per round")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated: sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv if argv is not None else [])
    chosen = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(STORES))
    if unknown:
        parser.error(f"--stores: unknown {', '.join(unknown)} (one of {', '.join(STORES)})")
    measured = run(args, chosen)
    report = {
        **report_file.header("marketplace", "bench.bench_marketplace", argv, httpx=httpx.__version__),
        **measured,
    }
    show(report)
    target = report_file.write(
        report, args.out or RESULTS / f"marketplace-{dt.date.today().isoformat()}.json"
    )
    console.print(f"results: {target}")


def run(args: argparse.Namespace, chosen: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    sizes = sizes_at(args.scale)
    skipped: dict[str, str] = {}
    if "postgresql" in chosen:
        reason = postgres_skip_reason()
        if reason is not None:
            skipped["postgresql"] = reason
            chosen = [s for s in chosen if s != "postgresql"]
            console.print(f"postgresql: skipped: {reason}", highlight=False)
    rounds: dict[str, list[dict[str, dict[str, Any]]]] = {name: [] for name in chosen}
    ledgers: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mc-bench-logs-")))
        stores: dict[str, Store] = {}
        for name in chosen:
            url = stack.enter_context(database(name))
            platform = bootstrap(Settings(database_url=url), passwords=FAST_HASHER)
            stack.callback(platform.dispose)
            store = Store(name, url, platform)
            seed_users(store, sizes["professionals"])
            store.base_url = stack.enter_context(server(url, logs / f"{name}.log"))
            stores[name] = store
        warmup = sizes_at(min(args.scale, 0.05))
        for store in stores.values():
            measure_round(store, warmup, args.concurrency)  # first requests load code and fill pools
        for n in range(args.rounds):
            order = list(stores.values()) if n % 2 == 0 else list(reversed(stores.values()))
            for store in order:
                rounds[store.name].append(measure_round(store, sizes, args.concurrency))
        for store in stores.values():
            ledgers[store.name] = ledger_load(store, sizes, args.concurrency)
    report_stores = {
        name: {
            "measures": {m: summarise([r[m] for r in rounds[name]]) for m in MEASURES},
            "ledger": ledgers[name],
        }
        for name in chosen
    }
    ratios = {}
    if {"sqlite", "postgresql"} <= set(chosen):
        for m in MEASURES:
            lite, pg = (report_stores[s]["measures"][m] for s in ("sqlite", "postgresql"))
            ratios[m] = {
                key: round(pg[key] / lite[key], 2) if lite[key] else None
                for key in ("requests_per_s", "p50_ms", "p99_ms")
            }
    notes = [
        "client (httpx, asyncio), server (uvicorn, 1 process) and PostgreSQL share this machine's "
        f"{os.cpu_count()} CPUs, which other work shares too: compare the stores within this run only",
        "post = 2 requests per job (create, publish); latencies are per request; req/s = requests / "
        "wall time of the batch; figures are medians over rounds",
        "ledger: lost races answer 409 and are expected; another 4xx, a 5xx or no answer never should be; "
        "balanced: /api/v1/ledger/check ok (each currency sums to zero, no escrow below zero) and, per "
        "contract, released + fees = funded - refunded - escrow, matching its milestones and time entries",
    ]
    if skipped:
        notes += [f"{name} skipped: {why}" for name, why in skipped.items()]
    return {
        # other work on the machine skews the figures: the load before the run (the header's is after it)
        "load_average_1m_before": load_before,
        "settings": {
            "rounds": args.rounds,
            "scale": args.scale,
            "concurrency": args.concurrency,
            "sizes": sizes,
            "server": "uvicorn microcareer.asgi:create_app --factory, one process, access log off",
            "statistic": "median over rounds",
        },
        "stores": report_stores,
        "skipped": skipped,
        "ratios_postgresql_over_sqlite": ratios,
        "notes": notes,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    main(sys.argv[1:])
