"""Gap analysis on the whole bundled ESCO: a profile of 50 skills against one occupation and against all.

Builds a SQLite database with the bundled taxonomy, gives one professional 50 skills (seeded: 35 from
the skill lists of software occupations, 15 drawn from all skills) with evidence of every kind spread
over five years, then times through the services, as the CLI and API call them:

- the skills graph and occupation index build (``GraphCache``, once per taxonomy revision);
- the gap to "software developer" (``gap_to_occupation``);
- the ranking of every occupation (``closest_occupations``; goal: median under 50 ms), and the pure
  ranking alone (``OccupationIndex.rank``, no database);
- the career shape (``shape_of_career``).

Results: a Rich table, and JSON in bench/results/gap-<date>.json.
Run: ``python -m bench.bench_gap [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import report_file
from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.services import gap_analysis, profiles, taxonomy
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy
from microcareer.store import migrate

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SEED = 20261123
TODAY = dt.date(2026, 11, 23)
PROFILE_SKILLS = 50
FROM_SOFTWARE = 35
SOFTWARE_WORDS = frozenset({"software", "programmer", "web", "database", "ict", "data"})
TARGET = "software developer"
GOAL_MS = 50.0
console = Console()


def timed(call: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        call()
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "runs": len(values),
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(p95(values), 3),
        "max_ms": round(max(values), 3),
    }


def seed_profile(platform: Platform, rng: random.Random) -> int:
    """A professional with 50 skills: software occupations' skills and random ones, varied evidence."""
    with platform.uow() as uow:
        occupations = list(uow.taxonomy.occupation_skill_rows())
        refs = uow.taxonomy.occupation_refs(sorted({o for o, _, _ in occupations}))
        user = uow.accounts.add_user(
            email="bench@example.test",
            display_name="Bench Professional",
            password_hash="x",  # noqa: S106 - no one signs in as the bench user
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    software = {uri for uri, ref in refs.items() if SOFTWARE_WORDS & set(ref.preferred_label.lower().split())}
    pool = sorted({s for o, s, _ in occupations if o in software})
    everything = sorted({s for _, s, _ in occupations})
    chosen = rng.sample(pool, FROM_SOFTWARE)
    chosen += rng.sample([s for s in everything if s not in set(chosen)], PROFILE_SKILLS - FROM_SOFTWARE)
    kinds = list(EvidenceKind)
    for uri in chosen:
        evidence = [
            Evidence(
                rng.choice(kinds),
                TODAY - dt.timedelta(days=rng.randrange(0, 5 * 365)),
                rating=None,
            )
            for _ in range(rng.randint(1, 3))
        ]
        profiles.set_skill(
            platform.uow(),
            actor=Actor.system(),
            user_id=user.id,
            uri=uri,
            proficiency=rng.randint(1, 5),
            evidence=evidence,
            now=platform.clock(),
        )
    return user.id


def show(rows: list[tuple[str, dict[str, float]]], notes: list[str]) -> None:
    table = Table(title="gap analysis, full ESCO, a profile of 50 skills", title_justify="left")
    for column in ("measure", "runs", "median ms", "p95 ms", "max ms"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, figures in rows:
        table.add_row(
            name,
            f"{figures['runs']:.0f}",
            f"{figures['median_ms']:.2f}",
            f"{figures['p95_ms']:.2f}",
            f"{figures['max_ms']:.2f}",
        )
    console.print(table)
    for note in notes:
        console.print(note, highlight=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=200, help="timed runs per measure")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    args = parser.parse_args(argv if argv is not None else [])
    started = time.perf_counter()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        platform = bootstrap(Settings(environment="test", database_url=url))
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        import_started = time.perf_counter()
        import_taxonomy(
            platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress()
        )
        import_s = time.perf_counter() - import_started
        user_id = seed_profile(platform, rng)
        actor = Actor.system()
        cache = gap_analysis.graph_cache(platform.caches)
        build_started = time.perf_counter()
        graph = cache.get(platform.uow())
        build_ms = (time.perf_counter() - build_started) * 1000

        def gap() -> object:
            return gap_analysis.gap_to_occupation(
                platform.uow(), cache, actor=actor, user_id=user_id, occupation=occupation, today=TODAY
            )

        def closest() -> object:
            return gap_analysis.closest_occupations(
                platform.uow(), cache, actor=actor, user_id=user_id, today=TODAY, limit=20
            )

        def shape() -> object:
            return gap_analysis.shape_of_career(
                platform.uow(), cache, actor=actor, user_id=user_id, today=TODAY
            )

        occupation = _occupation_uri(platform)
        with platform.uow() as uow:
            held = [h.holding() for h in profiles.held_skills(uow, user_id, today=TODAY) if h.known]

        def rank_only() -> object:
            return graph.occupations.rank(held, graph.graph, limit=20)

        for call in (gap, closest, shape, rank_only):  # warm up
            call()
        rows = [
            (f"gap to {TARGET} (service)", summary(timed(gap, args.runs))),
            ("closest occupations, all ranked (service)", summary(timed(closest, args.runs))),
            ("closest occupations, ranking alone (domain)", summary(timed(rank_only, args.runs))),
            ("career shape (service)", summary(timed(shape, args.runs))),
        ]
        report_gap = gap_analysis.gap_to_occupation(
            platform.uow(), cache, actor=actor, user_id=user_id, occupation=occupation, today=TODAY
        )
        top = gap_analysis.closest_occupations(
            platform.uow(), cache, actor=actor, user_id=user_id, today=TODAY, limit=5
        )
        platform.dispose()
    ranking = rows[1][1]["median_ms"]
    notes = [
        f"taxonomy import {import_s:.1f} s; GraphCache build {build_ms:.0f} ms "
        f"({len(graph.occupations):,} occupations with a skill list)",
        f"gap to {TARGET}: fit {report_gap.gap.fit:.2f}, {report_gap.gap.breakdown.covered} covered, "
        f"{report_gap.gap.breakdown.partial} partial, {report_gap.gap.breakdown.missing} missing",
        "closest: " + "; ".join(f"{c.label} {c.fit.fit:.2f}" for c in top),
        f"goal: full ranking median under {GOAL_MS:.0f} ms: "
        + ("met" if ranking < GOAL_MS else f"NOT met ({ranking:.1f} ms)"),
    ]
    show(rows, notes)
    report = {
        **report_file.header("gap", "bench.bench_gap", argv),
        "settings": {"runs": args.runs, "seed": SEED, "profile_skills": PROFILE_SKILLS, "target": TARGET},
        "taxonomy_import_s": round(import_s, 2),
        "graph_cache_build_ms": round(build_ms, 1),
        "occupations_ranked": len(graph.occupations),
        "measures": dict(rows),
        "goal_ms": GOAL_MS,
        "goal_met": ranking < GOAL_MS,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    target = report_file.write(report, args.out or RESULTS / f"gap-{dt.date.today().isoformat()}.json")
    console.print(f"results: {target}")


def _occupation_uri(platform: Platform) -> str:
    detail = taxonomy.find_occupation(
        platform.uow(), taxonomy.label_index_cache(platform.caches), actor=Actor.system(), text=TARGET
    )
    return detail.occupation.uri


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
