"""People for a job through the services on SQLite: the store path against the candidate index.

A fresh SQLite database with the mini ESCO of the tests' data (14 skills), ``--people`` profiles each
holding one to three of its skills with evidence of a random kind and age, and one open job (Python
required, Haskell and programming nice to have): nearly everyone holds a skill leading to the job, so
the store path reads every holder's profile, and the index walks only as far as the top can change.
Both give the same people in the same order (checked). Timed: the index's first build (in the first
query), then ``--queries`` queries each way in turn (median, p99), a query after one profile changed
(catch-up from the change log), and loading the saved index in a new process's place.

Run: ``python -m bench.bench_matching_service [--people 2000] [--out bench/results/...json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile
from microcareer.domain.progress import NoProgress
from microcareer.services import gap_analysis, matching, micro_jobs
from microcareer.services.candidate_index import CandidateIndex
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate
from microcareer.store.engine import build_engine

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
MINI_ESCO = REPO / "tests" / "data" / "esco" / "mini_en"
ESCO = "http://data.europa.eu/esco/skill/"
PYTHON = ESCO + "ccd0a1d9-afda-43d9-b901-96344886e14d"
HASKELL = ESCO + "000f1d3d-220f-4789-9c0a-cc742521fb02"
PROGRAMMING = ESCO + "21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
TODAY = date(2026, 12, 6)


def timed(call: Callable[[], T]) -> tuple[float, T]:
    t = time.perf_counter()
    out = call()
    return (time.perf_counter() - t) * 1000, out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def world(platform: Platform, people: int, seed: int) -> tuple[Actor, int, list[int]]:
    rng = random.Random(seed)
    now = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    import_taxonomy(
        platform.uow(),
        actor=Actor.system(),
        source=EscoCsvDirectory(MINI_ESCO, version="mini"),
        progress=NoProgress(),
    )
    with platform.uow() as uow:
        skills = sorted(uow.taxonomy.skill_refs([PYTHON, HASKELL, PROGRAMMING]))
        every = [uri for uri, *_ in uow.taxonomy.extraction_label_rows()]
        pool = sorted(set(every) | set(skills))
        client = uow.accounts.add_user(
            email="client@x.test",
            display_name="Client",
            password_hash="x",  # noqa: S106 - no sign-in here
            roles=[Role.CLIENT],
            created_at=now,
        )
        ids = []
        for i in range(people):
            user = uow.accounts.add_user(
                email=f"p{i}@x.test",
                display_name=f"P {i}",
                password_hash="x",  # noqa: S106 - no sign-in here
                roles=[Role.PROFESSIONAL],
                created_at=now,
            )
            uow.profiles.save(
                user.id, Profile(hourly_rate=float(rng.randint(20, 120))), resume_extras={}, at=now
            )
            for uri in rng.sample(pool, rng.randint(1, 3)):
                uow.profiles.set_skill(user.id, uri, rng.randint(1, 5), at=now)
                kind = rng.choice(list(EvidenceKind))
                used = TODAY - timedelta(days=rng.randint(0, 1500))
                uow.profiles.add_evidence(user.id, uri, [Evidence(kind, used, source=f"b:{i}:{uri}")], at=now)
            ids.append(user.id)
        uow.commit()
    actor = Actor(user_id=client.id, roles=frozenset({Role.CLIENT}))
    job = MicroJob(
        title="Port a script to Python", brief="Rewrite a small Haskell tool in Python, with tests.",
        required_skills=(PYTHON,), nice_skills=(HASKELL, PROGRAMMING),
        budget=Budget(BudgetKind.FIXED, Money(50_000, "EUR")), expected_hours=20,
        start=date(2026, 12, 1), end=date(2026, 12, 20), remote=True, place="", audience=Audience.OPEN,
        organisation_id=None,
    )  # fmt: skip
    posted = micro_jobs.post_job(platform.uow(), actor=actor, job=job, now=now)
    micro_jobs.publish_job(platform.uow(), actor=actor, job_id=posted.id, now=now)
    return actor, posted.id, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        engine = build_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        platform = bootstrap(Settings(environment="test", database_url=url, cache_dir=f"{folder}/cache"))
        t0 = time.perf_counter()
        actor, job_id, ids = world(platform, args.people, args.seed)
        made_s = time.perf_counter() - t0
        cache = gap_analysis.graph_cache(platform.caches)
        path = Path(folder) / "bench.sqlite3.matching.npz"
        index = CandidateIndex(path)

        def ask(with_index: CandidateIndex | None) -> matching.PeopleForJob:
            return matching.people_for_job(
                platform.uow(), cache, actor=actor, job_id=job_id, today=TODAY, index=with_index
            )

        ask(None)  # warm the graph cache
        first_ms, first = timed(lambda: ask(index))
        store_ms, index_ms, same = [], [], 0
        for _ in range(args.queries):
            ms, by_store = timed(lambda: ask(None))
            store_ms.append(ms)
            ms, by_index = timed(lambda: ask(index))
            index_ms.append(ms)
            same += [(p.user_id, p.match.score) for p in by_store.people] == [
                (p.user_id, p.match.score) for p in by_index.people
            ]
        with platform.uow() as uow:  # one person changes
            uow.profiles.set_skill(ids[0], PYTHON, 5, at=dt.datetime(2026, 12, 6, 13, tzinfo=dt.UTC))
            uow.commit()
        catch_up_ms, _ = timed(lambda: ask(index))
        restarted = CandidateIndex(path)
        load_ms, _ = timed(lambda: ask(restarted))
        platform.dispose()
    result = {
        "command": "python -m bench.bench_matching_service " + " ".join(sys.argv[1:]),
        "date": dt.date.today().isoformat(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "people": args.people,
        "considered": first.considered,
        "database_made_s": round(made_s, 1),
        "first_query_with_build_ms": round(first_ms, 1),
        "store_path_ms": {
            "median": round(statistics.median(store_ms), 1),
            "p99": round(pct(store_ms, 0.99), 1),
        },
        "index_path_ms": {
            "median": round(statistics.median(index_ms), 1),
            "p99": round(pct(index_ms, 0.99), 1),
        },
        "median_store_over_index": round(statistics.median(store_ms) / statistics.median(index_ms), 1),
        "same_people_same_order": f"{same}/{args.queries}",
        "query_after_one_change_ms": round(catch_up_ms, 1),
        "first_query_after_restart_ms": round(load_ms, 1),
        "rebuilds": index.rebuilds,
        "rebuilds_after_restart": restarted.rebuilds,
    }
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
