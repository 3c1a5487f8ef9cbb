"""Micro-jobs for a person through the services on SQLite: the job index (``services/job_index.py``) against
the store path (the newest 2,000 open jobs scored in Python), side by side.

One SQLite database with the bundled ESCO; ``--people`` professionals written through the repositories
(``bench.matching_population``'s recipe: most of an occupation's essential skills, a quarter shown as a
graph neighbour, padding, evidence of a random kind and age, terms), half of them members of an
organisation; then open jobs of the same occupations (3-5 essential skills required, 0-3 optional nice to
have, a rate, hours, remote or on site) bulk inserted up to each of ``--sizes`` in turn (one in ten an
internal gig, one in a hundred posted by one of the people: their own), five jobs dismissed by each person
and one edited through the repository (so the change log is not empty). At each size a fresh index is built
(the first query: bulk inserts bypass the change log) and timed, then ``--queries`` rounds, each asking one
person's lists (limit 10) both ways, the order of the two swapped every round so they share the load;
medians and p99; up to 2,000 open jobs every person's lists are compared (equal: the same jobs, order,
scores and explanations). Then one job is edited through the repository and the next query timed
(the catch-up), and a new index loads the saved file (the first query after a restart).

Run: ``nice -n 10 python -m bench.bench_jobs_for_person --sizes 2000 20000 100000 --out
bench/results/...json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench import report_file
from bench.matching_population import Esco, Population, load_esco
from bench.matching_store import add_professional, add_user, fresh_platform, median_p99, timed
from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.jobs import Audience, BudgetKind, JobState
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Location, Profile
from microcareer.domain.progress import NoProgress
from microcareer.services import gap_analysis, matching
from microcareer.services.job_index import JobIndex
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store.tables.marketplace import MicroJobRow, MicroJobSkillRow

TODAY = dt.date(2026, 12, 6)
NOW = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
BULK = 10_000
"""Jobs a bulk insert."""


def people(platform: Platform, population: Population, n: int) -> tuple[list[int], int, list[int]]:
    """``n`` professionals (half of them members of the organisation), the organisation, 20 clients."""
    rng = random.Random(7)
    kinds = list(EvidenceKind)
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW).id
        clients = [add_user(uow, f"c{i}@x.test", f"C {i}", Role.CLIENT, NOW) for i in range(20)]
        ids = []
        for i, (person, _) in enumerate(population.people(n)):
            profile = Profile(
                hourly_rate=person.hourly_rate,
                hours_per_week=person.hours_per_week,
                location=Location(city=person.city),
            )
            skills: dict[str, tuple[int, Evidence]] = {}
            for uri in person.strengths:
                level = rng.randint(2, 5)
                used = TODAY - dt.timedelta(days=rng.randint(0, 1500))
                skills[uri] = (level, Evidence(rng.choice(kinds), used, source=f"b:{i}:{uri}"))
            user_id = add_professional(uow, i, profile, skills, NOW)
            if i % 2:
                uow.accounts.set_membership(org, user_id, OrgRole.MEMBER, created_at=NOW)
            ids.append(user_id)
        uow.commit()
    return ids, org, clients


def add_jobs(
    platform: Platform, population: Population, n: int, posters: list[int], own: list[int], org: int
) -> None:
    """``n`` open jobs, bulk inserted (the change log and the search index left out)."""
    assert platform.engine is not None
    rng = random.Random(n)
    with platform.engine.begin() as connection:
        first = int(connection.execute(select(func.max(MicroJobRow.id))).scalar_one() or 0) + 1
        for start in range(0, n, BULK):
            jobs: list[dict[str, Any]] = []
            skills: list[dict[str, Any]] = []
            for at, (facts, _) in enumerate(population.jobs(min(BULK, n - start))):
                job_id = first + start + at
                internal = rng.random() < 0.1
                poster = rng.choice(own) if rng.random() < 0.01 else rng.choice(posters)
                hourly = facts.hourly_budget or 50.0
                jobs.append(
                    {"id": job_id, "poster_user_id": poster, "organisation_id": org if internal else None,
                     "title": f"Job {job_id}", "brief": "A job of the benchmark's population.",
                     "budget_kind": BudgetKind.HOURLY.value, "budget_amount": int(hourly * 100),
                     "currency": "EUR", "expected_hours": max(1, round(2 * (facts.hours_per_week or 10))),
                     "start_on": None, "end_on": None, "remote": facts.remote, "place": facts.place,
                     "audience": (Audience.INTERNAL if internal else Audience.OPEN).value,
                     "state": JobState.OPEN.value, "created_at": NOW, "updated_at": NOW}
                )  # fmt: skip
                skills += [{"job_id": job_id, "skill_uri": u, "required": True} for u in facts.required]
                skills += [{"job_id": job_id, "skill_uri": u, "required": False} for u in facts.nice]
            connection.execute(insert(MicroJobRow.__table__), jobs)  # type: ignore[arg-type]
            connection.execute(insert(MicroJobSkillRow.__table__), skills)  # type: ignore[arg-type]


def key(found: matching.JobsForPerson) -> list[list[tuple[int, float, tuple[str, ...]]]]:
    return [
        [(r.job.id, r.match.score, r.match.explanation) for r in part]
        for part in (found.fit_now, found.stretch, found.internal)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    esco: Esco = load_esco()
    population = Population(esco, seed=20261206, occupations=200)
    runs: list[dict[str, object]] = []
    with fresh_platform() as (platform, folder):
        t0 = time.perf_counter()
        import_taxonomy(
            platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress()
        )
        imported_s = time.perf_counter() - t0
        ids, org, clients = people(platform, population, args.people)
        rng = random.Random(3)
        cache = gap_analysis.graph_cache(platform.caches)
        have = 0
        for size in args.sizes:
            add_jobs(platform, population, size - have, clients, ids, org)
            have = size
            with platform.uow() as uow:
                every = [j.id for j in uow.marketplace.open_jobs()]
                uow.marketplace.update_job(
                    every[-1], uow.marketplace.jobs_by_id([every[-1]])[every[-1]].job, at=NOW
                )
                for user_id in ids:
                    for job_id in rng.sample(every, 5):
                        uow.marketplace.set_job_mark(user_id, job_id, matching.Mark.DISMISSED.value, at=NOW)
                uow.commit()
            load_before = [round(x, 2) for x in os.getloadavg()]
            path = folder / f"jobs-{size}.npz"
            index = JobIndex(path)

            def ask(user_id: int, with_index: JobIndex | None) -> matching.JobsForPerson:
                return matching.jobs_for_person(
                    platform.uow(), cache, actor=Actor.system(), user_id=user_id, today=TODAY,
                    limit=10, index=with_index,
                )  # fmt: skip

            ask(ids[0], None)  # the graph cache
            build_ms, _ = timed(lambda: ask(ids[0], index))  # noqa: B023 - called at once
            same = 0
            if size <= matching.JOBS_MAX:
                same = sum(key(ask(u, None)) == key(ask(u, index)) for u in ids)
            store_ms: list[float] = []
            index_ms: list[float] = []
            listed: list[int] = []
            for turn in range(args.queries):
                user_id = ids[turn % len(ids)]
                order = (None, index) if turn % 2 == 0 else (index, None)
                for which in order:
                    ms, found = timed(lambda w=which, u=user_id: ask(u, w))  # type: ignore[misc]
                    (store_ms if which is None else index_ms).append(ms)
                    if which is not None:
                        listed.append(len(found.fit_now) + len(found.stretch) + len(found.internal))
            with platform.uow() as uow:  # one job edited: the next query catches up
                stored = uow.marketplace.get_job(every[0])
                assert stored is not None
                uow.marketplace.update_job(stored.id, stored.job, at=NOW)
                uow.commit()
            catch_up_ms, _ = timed(lambda: ask(ids[1], index))  # noqa: B023 - called at once
            restarted = JobIndex(path)
            load_ms, _ = timed(lambda: ask(ids[1], restarted))  # noqa: B023 - called at once
            live = index._index
            assert live is not None
            run: dict[str, object] = {
                "open_jobs": len(every),
                "load_average_1_5_15_before": load_before,
                "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
                "first_query_with_build_ms": round(build_ms, 1),
                "store_path_ms": median_p99(store_ms),
                "index_ms": median_p99(index_ms),
                "median_store_over_index": round(
                    statistics.median(store_ms) / statistics.median(index_ms), 1
                ),
                "jobs_listed_median": statistics.median(listed),
                "query_after_one_edit_ms": round(catch_up_ms, 1),
                "first_query_after_restart_ms": round(load_ms, 1),
                "rebuilds": index.rebuilds,
                "rebuilds_after_restart": restarted.rebuilds,
                "file_mib": round(path.stat().st_size / 2**20, 2),
            }
            if size <= matching.JOBS_MAX:
                run["same_lists_as_store"] = f"{same}/{len(ids)}"
            print(json.dumps(run), flush=True)
            runs.append(run)
    result = {
        **report_file.header("jobs-for-person", "bench.bench_jobs_for_person", sys.argv[1:]),
        "taxonomy_import_s": round(imported_s, 1),
        "people": args.people,
        "note": "above 2,000 open jobs the store path scores only the newest 2,000 (JOBS_MAX), so its "
        "lists differ there by design; the index scores every open job",
        "runs": runs,
    }
    print(json.dumps(result, indent=1))
    if args.out:
        report_file.write(result, args.out, indent=1)


if __name__ == "__main__":
    main()
