"""Where a service query for people for a job spends its time, step by step, in CPU time.

The population of ``bench_matching_service`` (``world``) in a SQLite file kept under ``--folder`` (made
on the first run of a size: minutes at a million), then ``--queries`` top-50 queries through
``people_for_job`` with the candidate index, after two not counted; each step (the page reads, the
repository's reads, ``match``, the index's page and ``holders``...) wrapped in a ``process_time``
counter, and each SQL statement's execution. Steps that a source tree does not have are skipped, so
the same script times the code before a change: ``PYTHONPATH=<tree>/src:. python -m
bench.matching_service_steps --people 100000``. Nested steps are counted in each (the page read holds
the repository's reads).
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench import bench_matching_service as bench
from bench.matching_store import migrate_database, settings_for
from microcareer.bootstrap import bootstrap
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.matching import index as match_index
from microcareer.services import candidate_index, gap_analysis, matching
from microcareer.store.repositories import accounts, profiles, taxonomy

SPENT: collections.defaultdict[str, float] = collections.defaultdict(float)
CALLS: collections.Counter[str] = collections.Counter()


def wrap(owner: object, name: str, *, generator: bool = False) -> None:
    """Count ``owner.name``'s CPU time under ``name`` (a generator's: until it is used up)."""
    found = getattr(owner, name, None)
    if found is None:
        return
    call: Callable[..., Any] = found

    @functools.wraps(call)
    def counted(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            out = call(*args, **kwargs)
            return iter(list(out)) if generator else out
        finally:
            SPENT[name] += time.process_time() - started
            CALLS[name] += 1

    setattr(owner, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--folder", type=Path, default=Path("var/bench-matching-steps"))
    args = parser.parse_args()
    folder = args.folder / str(args.people)
    folder.mkdir(parents=True, exist_ok=True)
    made = folder / "made.json"
    settings = settings_for(folder)
    if not made.exists():
        migrate_database(settings)
        platform = bootstrap(settings)
        actor, job_id, _ = bench.world(platform, args.people, 20261206)
        made.write_text(json.dumps({"actor": actor.user_id, "job": job_id}))
        platform.dispose()
    known = json.loads(made.read_text())
    for name in ("matching_profiles", "matching_people"):
        wrap(profiles.SqlAlchemyProfileRepository, name, generator=True)
    for name in ("users_by_id", "memberships_of_users"):
        wrap(accounts.SqlAlchemyAccountRepository, name)
    wrap(taxonomy.SqlAlchemyTaxonomyRepository, "skill_refs")
    for name in ("contract_outcomes_of", "reputation", "match", "with_reputation", "assess", "belief"):
        wrap(matching, name)
    wrap(matching._Page, "read")
    wrap(matching._Page, "person")
    wrap(candidate_index.CandidateIndex, "candidates")
    wrap(match_index.MatchIndex, "top")
    wrap(match_index.MatchIndex, "holders")
    wrap(matching, "people_for_job")
    platform = bootstrap(settings)
    assert platform.engine is not None
    statements: collections.Counter[str] = collections.Counter()
    event.listen(
        platform.engine, "before_cursor_execute", lambda *a: statements.update([" ".join(a[2].split()[:4])])
    )
    actor = Actor(user_id=known["actor"], roles=frozenset({Role.CLIENT}))
    cache = gap_analysis.graph_cache(platform.caches)
    index = candidate_index.CandidateIndex(folder / "index.npz")

    def ask() -> matching.PeopleForJob:
        return matching.people_for_job(
            platform.uow(), cache, actor=actor, job_id=known["job"], today=bench.TODAY, limit=50, index=index
        )

    ask()
    ask()
    SPENT.clear()
    CALLS.clear()
    statements.clear()
    cpu: list[float] = []
    for _ in range(args.queries):
        started = time.process_time()
        ask()
        cpu.append((time.process_time() - started) * 1000)
    steps = {
        name: {
            "ms_a_query": round(SPENT[name] / args.queries * 1000, 2),
            "calls_a_query": CALLS[name] / args.queries,
        }
        for name in sorted(SPENT, key=lambda n: -SPENT[n])
    }
    print(
        json.dumps(
            {
                "people": args.people,
                "source": str(Path(matching.__file__).resolve().parents[2]),
                "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
                "cpu_ms_a_query": {"median": round(statistics.median(cpu), 1), "max": round(max(cpu), 1)},
                "steps": steps,
                "statements_a_query": {k: v / args.queries for k, v in statements.most_common()},
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
