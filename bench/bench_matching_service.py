"""People for a job through the services on SQLite: the candidate index's walk at scale, against the
index alone and (small sizes) the store path.

A fresh SQLite database per size with the mini ESCO of the tests' data (14 skills), ``--sizes``
profiles each holding one to three of its skills with evidence of a random kind and age, and one open
job (Python required, Haskell and programming nice to have): nearly everyone holds a skill leading to
the job. The first ``ORM_PEOPLE`` profiles are written through the repositories (the change log
included), the rest with bulk inserts into the same tables (users, roles, profiles, skills, evidence:
what matching reads; the profile search index is left out). Timed per size: the index's first build (in
the first query), then ``--queries`` rounds, each in turn: top-50 people for the job through the
services (``people_for_job`` with the index: the walk, each walked candidate read and scored from the
store) and the index alone (``MatchIndex.top`` of the same job, k = 2 x 50, the walk's first page),
median and p99; how many candidates the walk read; a query after one profile changed (catch-up from
the change log), and loading the saved index in a new process's place. Up to ``--store-up-to`` people
the store path is timed too, in the same rounds, and its people compared (above 5,000 holders it cuts
by user id and is no longer exact, so it is not run there).

Each service query is also timed in CPU time (this process's, ``time.process_time``: what the query
itself cost, whatever the other sessions on the machine take) and the full (generation 2) garbage
collections that ran inside it are counted: on a shared machine the wall p99 is mostly waiting for a
core, and a full collection (every tracked object of the process walked) is the query's own tail.

Run: ``nice -n 10 python -m bench.bench_matching_service --sizes 10000 100000 [--out bench/results/...json]``;
to time another source tree with the same bench (the code before a change):
``PYTHONPATH=<tree>/src:. python -m bench.bench_matching_service ...`` from this checkout (its
``bench/matching_store.py`` makes the database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from bench import report_file
from bench.matching_store import add_professional, add_user, fresh_platform, median_p99, timed
from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile
from microcareer.domain.progress import NoProgress
from microcareer.services import gap_analysis, matching, micro_jobs
from microcareer.services.candidate_index import CandidateIndex
from microcareer.services.job_index import job_facts
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store.tables.accounts import UserRoleRow, UserRow
from microcareer.store.tables.profiles import ProfileRow, ProfileSkillRow, SkillEvidenceRow

REPO = Path(__file__).resolve().parents[1]
MINI_ESCO = REPO / "tests" / "data" / "esco" / "mini_en"
ESCO = "http://data.europa.eu/esco/skill/"
PYTHON = ESCO + "ccd0a1d9-afda-43d9-b901-96344886e14d"
HASKELL = ESCO + "000f1d3d-220f-4789-9c0a-cc742521fb02"
PROGRAMMING = ESCO + "21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
TODAY = date(2026, 12, 6)
ORM_PEOPLE = 200
"""Profiles written through the repositories; the rest are bulk inserted."""
BULK = 20_000
"""Profiles a bulk insert."""


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
        client = add_user(uow, "client@x.test", "Client", Role.CLIENT, now)
        ids = []
        for i in range(min(people, ORM_PEOPLE)):
            profile = Profile(hourly_rate=float(rng.randint(20, 120)))
            held: dict[str, tuple[int, Evidence]] = {}
            for uri in rng.sample(pool, rng.randint(1, 3)):
                level = rng.randint(1, 5)
                kind = rng.choice(list(EvidenceKind))
                used = TODAY - timedelta(days=rng.randint(0, 1500))
                held[uri] = (level, Evidence(kind, used, source=f"b:{i}:{uri}"))
            ids.append(add_professional(uow, i, profile, held, now))
        uow.commit()
    for start in range(ORM_PEOPLE, people, BULK):
        ids += bulk_people(platform, range(start, min(people, start + BULK)), pool, rng, now)
    actor = Actor(user_id=client, roles=frozenset({Role.CLIENT}))
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


def bulk_people(
    platform: Platform, numbers: range, pool: list[str], rng: random.Random, now: dt.datetime
) -> list[int]:
    """Profiles ``numbers`` as ``world`` makes them, in one bulk insert a table (one transaction)."""
    assert platform.engine is not None
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    skills: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    with platform.engine.begin() as connection:
        first = int(connection.execute(select(func.max(UserRow.id))).scalar_one() or 0) + 1
        for user_id, i in enumerate(numbers, start=first):
            users.append(
                {"id": user_id, "email": f"p{i}@x.test", "display_name": f"P {i}", "password_hash": "x",
                 "is_active": True, "created_at": now}
            )  # fmt: skip
            roles.append({"user_id": user_id, "role": Role.PROFESSIONAL.value})
            profiles.append(
                {"user_id": user_id, "hourly_rate": float(rng.randint(20, 120)), "updated_at": now,
                 "location": {}, "languages": [], "resume_extras": {}}
            )  # fmt: skip
            for uri in rng.sample(pool, rng.randint(1, 3)):
                skills.append(
                    {"user_id": user_id, "skill_uri": uri, "proficiency": rng.randint(1, 5), "added_at": now}
                )
                kind = rng.choice(list(EvidenceKind))
                used = TODAY - timedelta(days=rng.randint(0, 1500))
                evidence.append(
                    {"user_id": user_id, "skill_uri": uri, "kind": kind.value, "last_used": used,
                     "source": f"b:{i}:{uri}", "created_at": now}
                )  # fmt: skip
        for table, rows in (
            (UserRow, users), (UserRoleRow, roles), (ProfileRow, profiles),
            (ProfileSkillRow, skills), (SkillEvidenceRow, evidence),
        ):  # fmt: skip
            connection.execute(insert(table.__table__), rows)  # type: ignore[arg-type]
    return [u["id"] for u in users]


def _digest(found: matching.PeopleForJob) -> str:
    """A digest of the answer (people, order, scores, explanations, names, ``considered``), to compare
    the runs of two source trees."""
    shown = [(p.user_id, p.display_name, p.match.score, p.match.explanation) for p in found.people]
    return hashlib.sha256(repr((shown, found.considered)).encode()).hexdigest()[:16]


def one_size(
    people: int, queries: int, seed: int, store_up_to: int, gc_freeze: bool = False
) -> dict[str, object]:
    load_before = [round(x, 2) for x in os.getloadavg()]
    with fresh_platform() as (platform, folder):
        t0 = time.perf_counter()
        actor, job_id, ids = world(platform, people, seed)
        made_s = time.perf_counter() - t0
        cache = gap_analysis.graph_cache(platform.caches)
        path = folder / "bench.sqlite3.matching.npz"
        index = CandidateIndex(path)
        walked = [0]
        statements = [0]
        read = matching._Page.person

        def counted(*args: Any, **kwargs: Any) -> Any:
            walked[0] += 1
            return read(*args, **kwargs)

        def executed(*_: Any) -> None:
            statements[0] += 1

        matching._Page.person = counted  # type: ignore[method-assign]
        assert platform.engine is not None
        event.listen(platform.engine, "before_cursor_execute", executed)

        def ask(with_index: CandidateIndex | None) -> matching.PeopleForJob:
            return matching.people_for_job(
                platform.uow(), cache, actor=actor, job_id=job_id, today=TODAY, limit=50, index=with_index
            )

        if people <= store_up_to:
            ask(None)  # warm the graph cache
        first_ms, first = timed(lambda: ask(index))
        graph = cache.get(platform.uow()).graph
        with platform.uow() as uow:
            stored = micro_jobs.managed_job(uow, actor, job_id)
            facts = job_facts(stored, {})
        live = index._index
        assert live is not None
        if gc_freeze:  # as the server does once started and warmed (MICROCAREER_GC_FREEZE)
            from microcareer.asgi import freeze_heap

            freeze_heap()
        frozen = gc.get_freeze_count()
        store_ms: list[float] = []
        service_ms: list[float] = []
        service_cpu_ms: list[float] = []
        full_collections: list[int] = []
        collected = [0]

        def collecting(phase: str, info: dict[str, int]) -> None:
            if phase == "start" and info["generation"] == 2:
                collected[0] += 1

        gc.callbacks.append(collecting)
        index_ms: list[float] = []
        walks: list[int] = []
        sql: list[int] = []
        same = 0
        for _ in range(queries):
            walked[0] = statements[0] = collected[0] = 0
            cpu = time.process_time()
            ms, by_index = timed(lambda: ask(index))
            service_cpu_ms.append((time.process_time() - cpu) * 1000)
            full_collections.append(collected[0])
            service_ms.append(ms)
            walks.append(walked[0])
            sql.append(statements[0])
            ms, _ = timed(lambda: live.top(facts, graph, 100, exclude=[actor.user_id or -1]))
            index_ms.append(ms)
            if people <= store_up_to:
                ms, by_store = timed(lambda: ask(None))
                store_ms.append(ms)
                same += [(p.user_id, p.match.score) for p in by_store.people] == [
                    (p.user_id, p.match.score) for p in by_index.people
                ]
        with platform.uow() as uow:  # one person changes
            uow.profiles.set_skill(ids[0], PYTHON, 5, at=dt.datetime(2026, 12, 6, 13, tzinfo=dt.UTC))
            uow.commit()
        catch_up_ms, _ = timed(lambda: ask(index))
        restarted = CandidateIndex(path)
        load_ms, _ = timed(lambda: ask(restarted))
        gc.callbacks.remove(collecting)
        gc.unfreeze()
        matching._Page.person = read  # type: ignore[method-assign]
        event.remove(platform.engine, "before_cursor_execute", executed)
    result: dict[str, object] = {
        "people": people,
        "load_average_1_5_15_before": load_before,
        "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
        "considered": first.considered,
        "result_sha256": _digest(first),
        "database_made_s": round(made_s, 1),
        "index_mib": round(live.nbytes / 2**20, 1),
        "first_query_with_build_ms": round(first_ms, 1),
        "service_top50_ms": median_p99(service_ms),
        "service_top50_cpu_ms": median_p99(service_cpu_ms),
        "service_queries_with_a_full_gc": sum(1 for n in full_collections if n),
        "gc_frozen_objects": frozen,
        "index_only_top100_ms": median_p99(index_ms, 2),
        "median_service_over_index": round(statistics.median(service_ms) / statistics.median(index_ms), 1),
        "service_ms_sorted": [round(x) for x in sorted(service_ms)],
        "walked_candidates_median": statistics.median(walks),
        "walked_candidates_max": max(walks),
        "sql_statements_per_service_query_median": statistics.median(sql),
        "query_after_one_change_ms": round(catch_up_ms, 1),
        "first_query_after_restart_ms": round(load_ms, 1),
        "rebuilds": index.rebuilds,
        "rebuilds_after_restart": restarted.rebuilds,
    }
    if store_ms:
        result["store_path_ms"] = median_p99(store_ms)
        result["same_people_same_order_as_store"] = f"{same}/{queries}"
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--store-up-to", type=int, default=2000)
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() after the index's build, as the server does"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    runs = [one_size(n, args.queries, args.seed, args.store_up_to, args.gc_freeze) for n in args.sizes]
    result = {
        **report_file.header("matching-service", "bench.bench_matching_service", sys.argv[1:]),
        "source": str(Path(matching.__file__).resolve().parents[2]),
        "runs": runs,
    }
    print(json.dumps(result, indent=1))
    if args.out:
        report_file.write(result, args.out, indent=1)


if __name__ == "__main__":
    main()
