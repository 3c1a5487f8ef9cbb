"""Matching quality and speed on a generated population (bench/matching_population.py).

Quality (on ``--quality-size`` people, ``--jobs`` jobs): NDCG@10 (gain: the share of the job's skills a
person truly holds) and recall@50 of the known good matches (gain >= 0.8; out of at most 50) for

- the model with every term (``MatchIndex.top``: graph credit, evidence, required/nice, terms);
- the model's skills part alone (the job's terms left out: remote, no budget, no hours);
- Jaccard skill overlap (the baseline: no evidence, no graph).

The index is exact: its top 50 is checked against ``scoring.match`` run on every person for
``--exact-jobs`` jobs (recall@50 of the index against exact scoring). Exposure by account age of the
model's and Jaccard's top 10s is reported (``domain/matching/exposure.py``).

Speed (for each of ``--sizes``, on ``population_arrays``: the population drawn with NumPy): generating,
building the index, its memory (the arrays' bytes and the process's resident set), top-50 latency over
``--queries`` jobs (median, p99) of the exact pass, of the exact pass as it was before (``BeforeIndex``)
and of the approximate pass for each ``--approximate`` min_credit (with its recall@50 against exact),
each variant run on every job in turn so they share the machine's load (recorded: load average), one
person's upsert (median, p99, no rebuild), a query after 1,000 upserts, compaction, and saving/loading
the index (``.npz``).

Run: ``python -m bench.bench_matching [--sizes 10000 100000] [--out bench/results/matching-DATE.json]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform as host
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from bench import report_file
from bench.matching_population import (
    CITIES,
    GOOD_AT,
    Esco,
    Population,
    PopulationArrays,
    gain,
    jaccard_top,
    load_esco,
    population_arrays,
)
from microcareer.domain.matching.exposure import exposure_by_age
from microcareer.domain.matching.facts import JobFacts
from microcareer.domain.matching.index import MatchIndex, Scored, _ids, _Keep
from microcareer.domain.matching.scoring import (
    match,
)
from microcareer.domain.profiles.skill_graph import SkillGraph

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def ndcg_at(ranked: list[int], gains: dict[int, float], k: int) -> float:
    dcg = sum(gains.get(u, 0.0) / math.log2(i + 2) for i, u in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall_at(ranked: list[int], good: set[int], k: int) -> float:
    return len(set(ranked[:k]) & good) / min(len(good), k) if good else 1.0


def skills_only(job: JobFacts) -> JobFacts:
    return replace(job, hourly_budget=None, hours_per_week=None, remote=True, place="", languages=frozenset())


def quality(size: int, jobs: int, exact_jobs: int, seed: int, esco: object) -> dict[str, object]:
    population = Population(esco, seed=seed, occupations=max(20, size // 40))  # type: ignore[arg-type]
    pairs = list(population.people(size))
    people = [p for p, _ in pairs]
    truths = {p.user_id: t for p, t in pairs}
    index = MatchIndex.build(people)
    graph = population.esco.graph
    scores: dict[str, dict[str, list[float]]] = {
        m: {"ndcg@10": [], "recall@50": []} for m in ("model", "model_skills_only", "jaccard")
    }
    rankings: dict[str, list[list[int]]] = {"model": [], "jaccard": []}
    goods = []
    for job, _ in population.jobs(jobs):
        gains = {u: g for u, t in truths.items() if (g := gain(job, t)) > 0}
        good = {u for u, g in gains.items() if g >= GOOD_AT}
        goods.append(len(good))
        ranked = {
            "model": [s.user_id for s in index.top(job, graph, 50)],
            "model_skills_only": [s.user_id for s in index.top(skills_only(job), graph, 50)],
            "jaccard": jaccard_top(job, people, 50),
        }
        for name, ranking in ranked.items():
            scores[name]["ndcg@10"].append(ndcg_at(ranking, gains, 10))
            scores[name]["recall@50"].append(recall_at(ranking, good, 50))
        rankings["model"].append(ranked["model"][:10])
        rankings["jaccard"].append(ranked["jaccard"][:10])
    exact_recall = []
    for job, _ in population.jobs(exact_jobs):
        every = sorted(((match(p, job, graph).score, p.user_id) for p in people), key=lambda s: (-s[0], s[1]))
        exact = {u for s, u in every[:50] if s > 0}
        found = {s.user_id for s in index.top(job, graph, 50)}
        exact_recall.append(len(found & exact) / len(exact) if exact else 1.0)
    ages = {u: t.age_days for u, t in truths.items()}
    exposure = {
        name: [
            {
                "group": g.group,
                "people": g.people,
                "population_share": round(g.population_share, 4),
                "exposure_share": round(g.exposure_share, 4),
                "ratio": round(g.ratio, 3),
            }
            for g in exposure_by_age(ranks, ages)
        ]
        for name, ranks in rankings.items()
    }
    return {
        "people": size,
        "jobs": jobs,
        "good_matches_per_job_median": statistics.median(goods),
        "metrics": {
            name: {metric: round(statistics.fmean(values), 4) for metric, values in by.items()}
            for name, by in scores.items()
        },
        "index_recall@50_vs_exact": round(statistics.fmean(exact_recall), 4),
        "exact_checked_jobs": exact_jobs,
        "exposure_top10_by_account_age": exposure,
    }


class BeforeIndex(MatchIndex):
    """The exact pass as it was before the x18c round (2026-12-06): every candidate's skills score
    (``skills_scores``: the slot pass from ``SLOTS_FROM`` people on), then the top; no bounded pass.
    Kept here only to measure the change side by side, on the same arrays, in the same run (the
    rounds before: ``matching-2026-12-06-x18.json`` and ``matching-2026-12-06-scale.json``)."""

    def top(
        self,
        job: JobFacts,
        graph: SkillGraph,
        k: int = 50,
        *,
        exclude: Sequence[int] = (),
        shown: Collection[int] | None = None,
        min_credit: float = 0.0,
    ) -> list[Scored]:
        rows, skills = self.skills_scores(job, graph, min_credit=min_credit)
        keep = _Keep(np.asarray(exclude, np.int64), _ids(shown))
        return self._best(rows, skills, job, k, keep)


def arrays_index(arrays: PopulationArrays, kind: type[MatchIndex] = MatchIndex) -> MatchIndex:
    return kind.from_arrays(
        arrays.skills, arrays.strengths, arrays.user_ids, rate=arrays.rate, hours=arrays.hours,
        city=CITIES, city_of=arrays.city_of, reputation=arrays.reputation,
    )  # fmt: skip


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """(milliseconds, what it returned)."""
    t = time.perf_counter_ns()
    out = call()
    return (time.perf_counter_ns() - t) / 1e6, out


def summary(values: list[float], digits: int = 3) -> dict[str, float]:
    return {"median": round(statistics.median(values), digits), "p99": round(pct(values, 0.99), digits)}


def speed(size: int, queries: int, seed: int, esco: Esco, approximate: Sequence[float]) -> dict[str, object]:
    load_before = os.getloadavg()
    population = Population(esco, seed=seed, occupations=max(20, size // 40))
    before = rss_mb()
    t0 = time.perf_counter()
    arrays = population_arrays(esco, population.occupations, size, seed=seed)
    generate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = arrays_index(arrays)
    build_s = time.perf_counter() - t0
    after = rss_mb()
    old = arrays_index(arrays, BeforeIndex)  # shares the arrays: no more memory
    graph = esco.graph
    jobs = [j for j, _ in population.jobs(queries)]
    index.top(jobs[0], graph, 50)  # warm
    latencies: dict[str, list[float]] = {"exact": [], "before": []}
    latencies.update({f"min_credit_{c}": [] for c in approximate})
    recall: dict[str, list[float]] = {f"min_credit_{c}": [] for c in approximate}
    candidates = []
    same_as_before = 0
    for job in jobs:  # the variants one after the other on each job: the same load for each
        ms, exact = timed(partial(index.top, job, graph, 50))
        latencies["exact"].append(ms)
        ms, earlier = timed(partial(old.top, job, graph, 50))
        latencies["before"].append(ms)
        same_as_before += [s.user_id for s in exact] == [s.user_id for s in earlier]
        wanted = {s.user_id for s in exact}
        for credit in approximate:
            name = f"min_credit_{credit}"
            ms, found = timed(partial(index.top, job, graph, 50, min_credit=credit))
            latencies[name].append(ms)
            recall[name].append(len(wanted & {s.user_id for s in found}) / len(wanted) if wanted else 1.0)
        candidates.append(len(index.skills_scores(job, graph)[0]))
    fresh = [p for p, _ in population.people(1000, first_id=1)]  # 1,000 people change
    updates = [timed(partial(index.upsert, p))[0] for p in fresh]
    after_updates = [timed(partial(index.top, job, graph, 50))[0] for job in jobs[:50]]
    compact_s = timed(index.compact)[0] / 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "match.npz"
        save_s = timed(partial(index.save, path))[0] / 1000
        t0 = time.perf_counter()
        loaded = MatchIndex.load(path)
        load_s = time.perf_counter() - t0
        file_mb = path.stat().st_size / 2**20
    same = [s.user_id for s in loaded.top(jobs[0], graph, 50)] == [
        s.user_id for s in index.top(jobs[0], graph, 50)
    ]
    return {
        "people": size,
        "nonzeros": int(index.base.nnz),
        "load_average_1_5_15": {"before": [round(x, 2) for x in load_before],
                                "after": [round(x, 2) for x in os.getloadavg()]},
        "generate_s": round(generate_s, 2),
        "build_s": round(build_s, 3),
        "index_arrays_mb": round(index.nbytes / 2**20, 1),
        "rss_growth_mb": round(after - before, 1),
        "candidates_per_job": summary([float(c) for c in candidates], 0),
        "top50_ms": {name: summary(values) for name, values in latencies.items()},
        "queries": len(jobs),
        "exact_same_top50_as_before": f"{same_as_before}/{len(jobs)}",
        "recall@50_vs_exact": {name: round(statistics.fmean(v), 4) for name, v in recall.items()},
        "recall@50_vs_exact_min": {name: round(min(v), 4) for name, v in recall.items()},
        "upsert_ms": summary(updates, 4),
        "top50_after_1000_upserts_ms": summary(after_updates),
        "compact_s": round(compact_s, 2),
        "save_s": round(save_s, 2),
        "load_s": round(load_s, 2),
        "file_mb": round(file_mb, 1),
        "loaded_gives_same_top50": same,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--quality-size", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--exact-jobs", type=int, default=20)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument(
        "--approximate",
        type=float,
        nargs="*",
        default=[0.5, 0.6],
        help="min_credit values of the approximate pass to measure against exact",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    t0 = time.perf_counter()
    esco = load_esco()
    load_s = time.perf_counter() - t0
    result: dict[str, object] = {
        **report_file.header("matching", "bench.bench_matching", sys.argv[1:],
                             processor=host.processor() or host.machine()),
        "esco_load_s": round(load_s, 2),
        "quality": quality(args.quality_size, args.jobs, args.exact_jobs, args.seed, esco)
        if args.quality_size else None,
    }  # fmt: skip
    print(json.dumps(result["quality"], indent=1), flush=True)
    result["speed"] = []
    for size in args.sizes:
        measured = speed(size, args.queries, args.seed + size, esco, args.approximate)
        print(json.dumps(measured), flush=True)
        result["speed"].append(measured)  # type: ignore[attr-defined]
    out = args.out or RESULTS / f"matching-{dt.date.today().isoformat()}.json"
    report_file.write(result, out, indent=1)
    print(f"wrote {out}")


if __name__ == "__main__":
    random.seed(0)
    main()
