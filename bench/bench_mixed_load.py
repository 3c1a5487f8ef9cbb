"""The API under a mixed load (issues 15 and 17): reads, writes, verifications and uploads at once,
on SQLite and PostgreSQL, clean and (``--hostile``) with hostile uploads and slow verifications beside.

Per store: a fresh database (SQLite: a temporary file; PostgreSQL: a database of its own,
``bench_load_<hex>``, created on the server ``--postgres-url`` names and dropped afterwards, so the
shared ``test`` database is never touched), users with API tokens, open jobs and hourly contracts made
through the services (untimed, helpers of ``bench_marketplace``), then its server: uvicorn in a
subprocess (``--workers`` processes). ``--connections`` client tasks (httpx, asyncio, one
connection each) then loop for ``--seconds``, each request drawn in turn from a fixed mix:

- read (50%): the job board (``GET /jobs``), one's profile (``GET /profiles/me``), a skills search;
- write (35%): a time entry on an hourly contract, an application to an open job, a job posted and
  published by the client;
- verify (10%): ``POST /credentials/verify`` of a signed Open Badges 3.0 credential (the conformance
  sample in tests/data; it names a key that is not fetched, so no request leaves the machine);
- upload (5%): a small DOCX or PDF (a few paragraphs of a CV) through ``POST /extract/file``.

Per class: requests/s (requests over the phase's wall time), p50/p95/p99, errors (no answer, a 5xx, or
a 4xx the mix never causes; each write's rejections are by status in the JSON). The server's RSS
(with its worker and document reader processes) at the start and at the end of each phase, and
``GET /ledger/check`` as a platform admin afterwards: every currency sums to zero, no escrow below zero.

``--hostile``: after the clean phase, the same mix for the same time on the same server, with 20
tasks sending hostile uploads (the builders of ``bench_hostile_uploads``, at ``--hostile-scale``) and
60 tasks verifying a credential whose key is a did:web on this machine that accepts the connection and
then never answers (the bench server alone allows private addresses and that port). The attacker is
one client as a real one would be: its own address (``127.0.0.2``, another loopback address; the mix
comes from ``127.0.0.1``) and its own account for the uploads (a professional the mix never uses); it
never waits between requests and ignores ``Retry-After``. The table gives the mix's p99 hostile/clean
from the same run; issue 15 asks for at most 2x.

Client, server and PostgreSQL share the machine: figures compare within one run; they are a capacity
figure only on a machine with nothing else running.

Run: ``nice python -m bench.bench_mixed_load [--seconds 600] [--connections 64] [--hostile]
[--stores sqlite,postgresql] [--quick]``; JSON in bench/results/mixed-load-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import make_url, text
from tests.unit.adapters.hostile_documents import text_docx  # on the path: bench_hostile_uploads

from bench import report_file
from bench.bench_hostile_uploads import _rss_mib, cases
from bench.bench_marketplace import (
    FAST_HASHER,
    Store,
    application_body,
    contract_for,
    database,
    job_body,
    keep_alive_seconds,
    ledger_check_api,
    open_job,
    seed_users,
    server_process,
)
from bench.raw_http import RawConnection
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from microcareer.domain.marketplace.jobs import BudgetKind
from microcareer.store import migrate
from microcareer.store.engine import build_engine

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CREDENTIAL = REPO / "tests" / "data" / "ob-v3p0" / "ob-signed-credential.json"
STORES = ("sqlite", "postgresql")
CLASSES = ("read", "write", "verify", "upload")
# one cycle of the mix: 20 requests, 10 reads, 7 writes, 2 verifications, 1 upload
MIXES = {
    "mixed": ["read"] * 10 + ["write"] * 7 + ["verify"] * 2 + ["upload"],
    "reads": ["read"],  # issue 17: reads alone, aim 1,500 req/s at 64 connections
    "writes": ["write"],  # issue 17: writes alone, aim 500 req/s
}
Http = httpx.AsyncClient | RawConnection  # the mix's client: httpx, or the light one (--client raw)
HOSTILE_UPLOADS = 20
HOSTILE_ADDRESS = "127.0.0.2"
SLOW_VERIFICATIONS = 60
CV_LINES = [
    "Backend developer, five years of Python and SQL.",
    "Built REST APIs with FastAPI, tuned PostgreSQL queries and wrote data pipelines.",
    "Statistics, machine learning with scikit-learn, and teaching evening courses.",
]
console = Console()


def small_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` as its text (hand-written objects; readers parse it as any PDF)."""
    stream = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("latin-1")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode(
        "latin-1"
    )
    return bytes(out)


# stores


@contextlib.contextmanager
def fresh_database(name: str, postgres_url: str) -> Iterator[str]:
    """A migrated database: SQLite as ``bench_marketplace`` makes it; PostgreSQL, a database of its own."""
    if name == "sqlite":
        with database("sqlite") as url:
            yield url
        return
    base = make_url(postgres_url)
    dbname = f"bench_load_{uuid.uuid4().hex[:8]}"
    admin = build_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    url = base.set(database=dbname).render_as_string(hide_password=False)
    try:
        engine = build_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


def postgres_reason(postgres_url: str) -> str | None:
    try:
        engine = build_engine(make_url(postgres_url).set(database="postgres").render_as_string(False))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at {postgres_url} cannot be reached: {type(exc).__name__}: {exc}"
    return None


@dataclass
class Seeded:
    """What the mix works on: hourly contracts (with their professional) and open jobs to apply to."""

    contracts: list[tuple[int, int]]
    jobs: list[int]
    applications: Iterator[tuple[int, int]] = field(default_factory=lambda: iter(()))
    full: set[int] = field(default_factory=set)  # contracts whose day is full (1,440 minutes)
    attacker: int = 0  # the hostile uploads' account, which the mix never uses


def seed(store: Store, connections: int, professionals: int) -> Seeded:
    seed_users(store, professionals + 1)
    attacker = store.professionals.pop()
    pros = store.professionals
    contracts = [
        (contract_for(store, BudgetKind.HOURLY, pros[i % len(pros)]), pros[i % len(pros)])
        for i in range(max(8, 2 * connections))
    ]
    jobs = [open_job(store, BudgetKind.FIXED) for _ in range(max(4, connections // 4))]
    return Seeded(contracts, jobs, attacker=attacker)


# the slow did:web host


@contextlib.contextmanager
def silent_host() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts every connection and never answers (a did:web host that is
    slower than any deadline); yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = listener.accept()
                held.append(conn)
            while len(held) > 2000:
                held.pop(0).close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def slow_credential(port: int) -> bytes:
    """The sample credential, claiming to be issued and signed by a did:web on ``port`` of this machine."""
    credential = json.loads(CREDENTIAL.read_text(encoding="utf-8"))
    did = f"did:web:127.0.0.1%3A{port}"
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    credential["issuer"] = {**credential["issuer"], "id": did}
    credential["proof"] = [{**proof, "verificationMethod": f"{did}#key-1"}]
    return json.dumps(credential).encode("utf-8")


# the load


@dataclass(frozen=True, slots=True)
class Hit:
    cls: str
    kind: str
    status: int  # 0: no answer
    ms: float
    error: bool


@dataclass
class Mix:
    """The mix's requests, built from what was seeded; each task walks the mix from its own offset."""

    store: Store
    seeded: Seeded
    documents: list[tuple[str, bytes, str]]
    credential: bytes
    today: str
    classes: list[str]
    counters: Counter[str] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)  # requests that got no answer: why

    def next(self, name: str) -> int:
        self.counters[name] += 1
        return self.counters[name]

    async def request(self, http: Http, cls: str) -> list[Hit]:
        """One request of ``cls`` (a posted job is two: create, publish)."""
        store, n = self.store, self.next(cls)
        pros = store.professionals
        if cls == "read":
            pro = pros[n % len(pros)]
            reads: list[tuple[str, str, dict[str, Any]]] = [
                ("jobs", "/api/v1/jobs", {}),
                ("profile", "/api/v1/profiles/me", {}),
                ("skills", "/api/v1/skills", {"params": {"q": "python"}}),
            ]
            kind, path, kwargs = reads[n % len(reads)]
            method = "GET"
            return [await self.send(http, cls, kind, method, path, store.headers(pro), 200, **kwargs)]
        if cls == "verify":
            return [
                await self.send(
                    http,
                    cls,
                    "verify",
                    "POST",
                    "/api/v1/credentials/verify",
                    {"Content-Type": "application/json"},
                    200,
                    content=self.credential,
                )
            ]
        if cls == "upload":
            name, data, mime = self.documents[n % len(self.documents)]
            return [
                await self.send(
                    http,
                    cls,
                    "upload",
                    "POST",
                    "/api/v1/extract/file",
                    store.headers(pros[n % len(pros)]),
                    200,
                    files={"file": (name, data, mime)},
                    data={"methods": "lexical"},
                )
            ]
        which = n % 3
        if which == 0:
            return await self.time_entry(http)
        if which == 1:
            return await self.application(http)
        return await self.post_job(http)

    async def time_entry(self, http: Http) -> list[Hit]:
        open_ = [c for c in self.seeded.contracts if c[0] not in self.seeded.full]
        if not open_:
            return await self.post_job(http)
        contract_id, pro = open_[self.next("time") % len(open_)]
        hit = await self.send(
            http,
            "write",
            "time",
            "POST",
            f"/api/v1/contracts/{contract_id}/time",
            self.store.headers(pro),
            201,
            json={"day": self.today, "minutes": 1, "note": "bench"},
        )
        if hit.status == 422:  # the day is full: this contract takes no more today (not an error)
            self.seeded.full.add(contract_id)
            return [Hit(hit.cls, hit.kind, hit.status, hit.ms, False)]
        return [hit]

    async def application(self, http: Http) -> list[Hit]:
        pair = next(self.seeded.applications, None)
        if pair is None:
            return await self.post_job(http)
        job_id, pro = pair
        return [
            await self.send(
                http,
                "write",
                "apply",
                "POST",
                f"/api/v1/jobs/{job_id}/applications",
                self.store.headers(pro),
                201,
                json=application_body(),
            )
        ]

    async def post_job(self, http: Http) -> list[Hit]:
        store = self.store
        headers = store.headers(store.client)
        body = job_body(store.next_title("Mixed-load job"), BudgetKind.FIXED)
        created = await self.send(http, "write", "post", "POST", "/api/v1/jobs", headers, 201, json=body)
        if created.status != 201 or created.kind != "post":
            return [created]
        job_id = self.last_id
        published = await self.send(
            http, "write", "publish", "POST", f"/api/v1/jobs/{job_id}/publish", headers, 200
        )
        if published.status == 200:  # each posted job takes applications from every professional
            self.seeded.applications = itertools.chain(
                self.seeded.applications, ((job_id, pro) for pro in store.professionals)
            )
        return [created, published]

    last_id: int = 0

    async def send(
        self,
        http: Http,
        cls: str,
        kind: str,
        method: str,
        path: str,
        headers: dict[str, str],
        expected: int,
        **kwargs: Any,
    ) -> Hit:
        start = time.perf_counter_ns()
        try:
            response = await http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            self.transport_errors[f"{kind}: {type(error).__name__}: {error}"[:200]] += 1
            return Hit(cls, kind, 0, (time.perf_counter_ns() - start) / 1e6, True)
        ms = (time.perf_counter_ns() - start) / 1e6
        if response.status_code == 201 and kind == "post":
            self.last_id = int(response.json()["id"])
        ok = response.status_code in (200, 201, expected)
        return Hit(cls, kind, response.status_code, ms, not ok)


async def drive(
    mix: Mix,
    base_url: str,
    connections: int,
    seconds: float,
    hostile: dict[str, Any] | None,
    raw: bool = False,
) -> tuple[list[Hit], list[Hit], float]:
    """``connections`` tasks walk the mix until ``seconds`` pass; with ``hostile``, its tasks run beside
    them on connections of their own. ``raw``: each task on a ``RawConnection`` of its own instead of
    the shared httpx client (a mix without uploads). The mix's hits, the hostile hits, the wall time."""
    deadline = time.monotonic() + seconds
    hits: list[Hit] = []
    bad: list[Hit] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async def worker(http: Http, offset: int) -> None:
        try:
            for position in itertools.count(offset):
                if time.monotonic() >= deadline:
                    return
                hits.extend(await mix.request(http, mix.classes[position % len(mix.classes)]))
        finally:
            if isinstance(http, RawConnection):
                await http.close()

    async def hostile_upload(http: httpx.AsyncClient, offset: int, files: list[tuple[str, bytes]]) -> None:
        for position in itertools.count(offset):
            if time.monotonic() >= deadline:
                return
            name, data = files[position % len(files)]
            start = time.perf_counter_ns()
            try:
                response = await http.post(
                    "/api/v1/extract/file",
                    headers=mix.store.headers(mix.seeded.attacker),
                    files={"file": (name, data)},
                    data={"methods": "lexical"},
                )
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            bad.append(
                Hit("hostile_upload", name, status, (time.perf_counter_ns() - start) / 1e6, status >= 500)
            )

    async def slow_verify(http: httpx.AsyncClient, body: bytes) -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter_ns()
            try:
                response = await http.post(
                    "/api/v1/credentials/verify", headers={"Content-Type": "application/json"}, content=body
                )
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            bad.append(
                Hit("slow_verify", "verify", status, (time.perf_counter_ns() - start) / 1e6, status != 200)
            )

    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120)
        )
        tasks = [worker(RawConnection(base_url) if raw else http, i * 7) for i in range(connections)]
        if hostile is not None:
            side_limits = httpx.Limits(max_connections=hostile["uploads"] + hostile["verifications"] + 1)
            # the attacker's own address: per-address limits see it as the other client it is
            side_transport = httpx.AsyncHTTPTransport(limits=side_limits, local_address=HOSTILE_ADDRESS)
            side = await stack.enter_async_context(
                httpx.AsyncClient(base_url=base_url, transport=side_transport, timeout=180)
            )
            tasks += [hostile_upload(side, i, hostile["files"]) for i in range(hostile["uploads"])]
            tasks += [slow_verify(side, hostile["credential"]) for _ in range(hostile["verifications"])]
        start = time.perf_counter()
        await asyncio.gather(*tasks)
        return hits, bad, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def summarise(hits: list[Hit], wall: float) -> dict[str, Any]:
    ms = sorted(h.ms for h in hits)
    statuses = Counter(str(h.status) for h in hits)
    return {
        "requests": len(hits),
        "requests_per_s": round(len(hits) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "errors": sum(1 for h in hits if h.error),
        "status": dict(sorted(statuses.items())),
    }


def phase_report(hits: list[Hit], bad: list[Hit], wall: float, rss: dict[str, Any]) -> dict[str, Any]:
    by_class = {c: summarise([h for h in hits if h.cls == c], wall) for c in CLASSES}
    kinds = sorted({h.kind for h in hits})
    report: dict[str, Any] = {
        "wall_s": round(wall, 1),
        "all": summarise(hits, wall),
        "classes": by_class,
        "kinds": {k: summarise([h for h in hits if h.kind == k], wall) for k in kinds},
        "rss_mib": rss,
    }
    if bad:
        report["beside"] = {
            c: summarise([h for h in bad if h.cls == c], wall) for c in ("hostile_upload", "slow_verify")
        }
    return report


def run_store(name: str, url: str, args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    platform = bootstrap(Settings(database_url=url), passwords=FAST_HASHER)
    store = Store(name, url, platform)
    seeded = seed(store, args.connections, args.professionals)
    seeded.applications = iter([(job, pro) for job in seeded.jobs for pro in store.professionals])
    today = platform.clock().date().isoformat()
    docx = text_docx(CV_LINES)
    documents = [
        ("cv.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cv.pdf", small_pdf(CV_LINES), "application/pdf"),
    ]
    mix = Mix(store, seeded, documents, CREDENTIAL.read_bytes(), today, MIXES[args.mix])
    phases: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        port = stack.enter_context(silent_host()) if args.hostile else 0
        env = {"MICROCAREER_CACHE_DIR": str(logs / f"cache-{name}")}
        if args.hostile:  # this server alone may fetch from this machine, on the silent host's port
            env["MICROCAREER_OUTBOUND_ALLOW_PRIVATE_ADDRESSES"] = "true"
            env["MICROCAREER_OUTBOUND_PORTS"] = json.dumps([443, port])
        options = [*(["--http", args.http] if args.http != "auto" else []), "--loop", args.loop]
        if args.keep_alive is not None:
            options += ["--timeout-keep-alive", str(args.keep_alive)]
        base, process = stack.enter_context(
            server_process(url, logs / f"{name}.log", env, args.workers, options)
        )
        store.base_url = base
        # warm-up: first requests load the lexicon, the extractor and the pools
        raw = args.client == "raw" and "upload" not in mix.classes
        asyncio.run(drive(mix, base, min(4, args.connections), min(5.0, args.seconds / 4), None, raw))
        hostile = None
        if args.hostile:
            files = [
                (case["file"][0], case["file"][1]) for _, case in cases(args.hostile_scale) if "file" in case
            ]
            hostile = {
                "files": files,
                "credential": slow_credential(port),
                "uploads": args.hostile_uploads,
                "verifications": args.slow_verifications,
            }
        for phase, beside in [("clean", None), ("hostile", hostile)][: 2 if args.hostile else 1]:
            before = _rss_mib(process.pid)
            profiler = py_spy(args.py_spy, f"{name}-{phase}", process.pid, args.seconds)
            hits, bad, wall = asyncio.run(drive(mix, base, args.connections, args.seconds, beside, raw))
            if profiler is not None:
                profiler.wait()
            after = _rss_mib(process.pid)
            rss = {
                "start": before[0],
                "end": after[0],
                "start_with_children": before[1],
                "end_with_children": after[1],
            }
            phases[phase] = phase_report(hits, bad, wall, rss)
            console.print(f"{name} {phase}: {len(hits)} requests in {wall:.1f} s", highlight=False)
        ledger = asyncio.run(ledger_check_api(store))
    platform.dispose()
    result: dict[str, Any] = {
        "phases": phases,
        "ledger": ledger,
        "balanced": bool(ledger.get("ok")),
        "no_answer": dict(mix.transport_errors.most_common(20)),
    }
    if "hostile" in phases:
        clean, dirty = phases["clean"]["all"], phases["hostile"]["all"]
        result["p99_ratio_hostile_over_clean"] = (
            round(dirty["p99_ms"] / clean["p99_ms"], 2) if clean["p99_ms"] else None
        )
        result["p99_ratio_by_class"] = {
            c: round(phases["hostile"]["classes"][c]["p99_ms"] / phases["clean"]["classes"][c]["p99_ms"], 2)
            if phases["clean"]["classes"][c]["p99_ms"]
            else None
            for c in CLASSES
        }
    return result


def py_spy(prefix: str, label: str, pid: int, seconds: float) -> subprocess.Popen[bytes] | None:
    """With a ``prefix``, py-spy samples the server (and its workers) while they hold the GIL (their
    Python CPU time, not threads waiting) for the phase into
    ``<prefix>-<label>.txt``, collapsed stacks with the time in each line's count."""
    if not prefix:
        return None
    command = [
        str(Path(sys.executable).parent / "py-spy"),
        *("record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--gil", "--format", "raw"),
        *("--duration", str(max(1, int(seconds))), "-o", f"{prefix}-{label}.txt"),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def show(report: dict[str, Any]) -> None:
    settings = report["settings"]
    table = Table(
        title=f"mixed load, {settings['connections']} connections, {settings['seconds']} s per phase, "
        f"{settings['workers']} worker(s)",
        title_justify="left",
    )
    # RSS: the server with its workers and document readers (the JSON has the main process alone too)
    for column in ("store", "phase", "class", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "RSS MiB"):
        table.add_column(column, justify="left" if column in ("store", "phase", "class") else "right")
    for name, result in report["stores"].items():
        for phase, data in result["phases"].items():
            rss = data["rss_mib"]
            for cls in (*CLASSES, "all"):
                m = data["all"] if cls == "all" else data["classes"][cls]
                table.add_row(
                    name,
                    phase,
                    cls,
                    f"{m['requests_per_s']:.0f}",
                    f"{m['p50_ms']:.1f}",
                    f"{m['p95_ms']:.1f}",
                    f"{m['p99_ms']:.1f}",
                    str(m["errors"]),
                    f"{rss['start_with_children']:.0f} -> {rss['end_with_children']:.0f}"
                    if cls == "all"
                    else "",
                )
            for cls, m in data.get("beside", {}).items():
                table.add_row(
                    name,
                    phase,
                    cls,
                    f"{m['requests_per_s']:.1f}",
                    f"{m['p50_ms']:.0f}",
                    "",
                    f"{m['p99_ms']:.0f}",
                    str(m["errors"]),
                    "",
                )
    console.print(table)
    for name, result in report["stores"].items():
        line = (
            f"{name}: ledger {'balanced' if result['balanced'] else 'NOT balanced: ' + str(result['ledger'])}"
        )
        if "p99_ratio_hostile_over_clean" in result:
            line += f"; the mix's p99 hostile/clean {result['p99_ratio_hostile_over_clean']} (aim: <= 2)"
            line += f", by class {result['p99_ratio_by_class']}"
        console.print(line, highlight=False)
    for note in report["notes"]:
        console.print(note, highlight=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=600, help="length of each phase")
    parser.add_argument("--connections", type=int, default=64, help="client connections of the mix")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--professionals", type=int, default=20)
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="the mix's client: a light HTTP/1.1 one per connection (bench/raw_http.py; mixes without "
        "uploads) or httpx",
    )
    parser.add_argument(
        "--http", choices=("auto", "h11", "httptools"), default="auto", help="uvicorn's HTTP parser"
    )
    parser.add_argument(
        "--loop", choices=("auto", "asyncio", "uvloop"), default="auto", help="uvicorn's event loop"
    )
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=None,
        help="seconds the server keeps an idle connection (default: MICROCAREER_KEEP_ALIVE_SECONDS, as "
        "`serve`; 5 is uvicorn's own, as serve ran before)",
    )
    parser.add_argument(
        "--hostile", action="store_true", help="then the same beside hostile uploads and slow verifications"
    )
    parser.add_argument("--hostile-uploads", type=int, default=HOSTILE_UPLOADS, help="hostile upload tasks")
    parser.add_argument(
        "--slow-verifications", type=int, default=SLOW_VERIFICATIONS, help="slow verification tasks"
    )
    parser.add_argument(
        "--hostile-scale", type=float, default=0.05, help="size of the hostile files (1: full)"
    )
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "MICROCAREER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server the bench may create (and drop) a database of its own on",
    )
    parser.add_argument(
        "--mix", choices=sorted(MIXES), default="mixed", help="mixed (default), reads or writes alone"
    )
    parser.add_argument(
        "--py-spy",
        default="",
        help="profile the server with py-spy into PREFIX-<store>.txt (collapsed stacks)",
    )
    parser.add_argument("--quick", action="store_true", help="20 s per phase at 16 connections")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv if argv is not None else [])
    if args.quick:
        args.seconds, args.connections = min(args.seconds, 20), min(args.connections, 16)
    chosen = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(STORES))
    if unknown:
        parser.error(f"--stores: unknown {', '.join(unknown)} (one of {', '.join(STORES)})")
    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    skipped: dict[str, str] = {}
    if "postgresql" in chosen and (reason := postgres_reason(args.postgres_url)) is not None:
        skipped["postgresql"] = reason
        chosen.remove("postgresql")
        console.print(f"postgresql: skipped: {reason}", highlight=False)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="mc-bench-mixed-") as folder:
        for name in chosen:
            with fresh_database(name, args.postgres_url) as url:
                results[name] = run_store(name, url, args, Path(folder))
    report = {
        **report_file.header(
            "mixed-load", "bench.bench_mixed_load", argv, load_average_1m_before=load_before
        ),
        "settings": {
            "seconds": args.seconds,
            "connections": args.connections,
            "workers": args.workers,
            "client": args.client if args.mix != "mixed" else "httpx",
            "http": args.http,
            "loop": args.loop,
            "keep_alive_s": args.keep_alive if args.keep_alive is not None else keep_alive_seconds(),
            "hostile": args.hostile,
            "hostile_scale": args.hostile_scale,
            "mix": args.mix,
            "mix_cycle": dict(Counter(MIXES[args.mix])),
            "hostile_tasks": {
                "uploads": args.hostile_uploads,
                "slow_verifications": args.slow_verifications,
                "client_address": HOSTILE_ADDRESS,
                "upload_account": "its own (a professional the mix never uses)",
            },
        },
        "stores": results,
        "skipped": skipped,
        "notes": [
            "client (httpx, asyncio), server and PostgreSQL share this machine's "
            f"{os.cpu_count()} CPUs, which other work may share too (load average in 'machine')",
            "errors: no answer, a 5xx, or a 4xx the mix never causes; a time entry refused because the "
            "contract's day is full (422) takes the contract out of the mix and is not an error",
            "req/s = requests / the phase's wall time; a posted job is two requests (post, publish)",
        ],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    show(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = args.out or RESULTS / f"mixed-load-{dt.date.today().isoformat()}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"results: {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
