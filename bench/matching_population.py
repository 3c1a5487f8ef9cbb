"""A seeded population for matching: professionals and micro-jobs drawn from ESCO occupation profiles.

Each professional has a true occupation (from a pool of ``occupations`` ESCO occupations with at least
eight essential skills) and *truly holds* 70-100 % of its essential skills and a few optional ones.
What their profile shows is noisier, as real profiles are:

- a quarter of the true skills are listed as a neighbour in the skills graph instead (a narrower,
  broader, sibling or related skill: "Django" for "Python");
- each listed true skill has evidence of one kind (verified credential 20 %, completed micro-job 20 %,
  assessment 10 %, found in CV 30 %, self-claim 20 %), a level 2-5 and a last use up to four years back;
- 0-6 padding skills they do not hold, self-claimed at level 3-5, from other occupations.

Terms: a rate (EUR 20-120 an hour, 10 % none), hours a week (5-40, 20 % none), a city from 40, one or
two languages, and a reputation (none for accounts under a year old and for 30 % of the others).
Accounts are 1 day to 8 years old; age is never given to the scorer (it is in ``joined`` only).

A job has a true occupation too: 3-5 of its essential skills required, 0-3 optional ones nice to
have, a budget, hours, remote or in one of the cities. **Known good matches**: the gain of a
professional for a job is the importance-weighted share of the job's skills they *truly* hold (required
1, nice 0.5); a good match has gain at least ``GOOD_AT``. The scorer never sees the true skills.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
from scipy import sparse

from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.profiles.evidence import DEFAULT_HALF_LIFE_DAYS, DEFAULT_WEIGHTS, EvidenceKind
from microcareer.domain.profiles.holdings import DEFAULT_REQUIRED_LEVEL
from microcareer.domain.profiles.skill_graph import SkillGraph
from microcareer.domain.progress import NoProgress
from microcareer.domain.taxonomy.concepts import RelationType

TODAY = date(2026, 11, 23)
GOOD_AT = 0.8
CITIES = [f"city{i:02d}" for i in range(40)]
LANGUAGES = ["english", "german", "french", "spanish", "italian", "dutch", "polish"]
KINDS = [
    (EvidenceKind.CREDENTIAL, 0.2),
    (EvidenceKind.MICRO_JOB, 0.2),
    (EvidenceKind.ASSESSMENT, 0.1),
    (EvidenceKind.CV_EXTRACTION, 0.3),
    (EvidenceKind.SELF_CLAIM, 0.2),
]


@dataclass(frozen=True, slots=True)
class Esco:
    graph: SkillGraph
    essential: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]]
    skills: tuple[str, ...]


def load_esco() -> Esco:
    bundle = bundled_taxonomy().read(NoProgress())
    graph = SkillGraph(
        [(b.uri, b.broader_uri) for b in bundle.skill_broader],
        [
            (r.skill_uri, r.related_uri, r.relation_type is RelationType.ESSENTIAL)
            for r in bundle.skill_relations
        ],
    )
    essential: dict[str, list[str]] = {}
    optional: dict[str, list[str]] = {}
    for row in bundle.occupation_skills:
        target = essential if row.relation_type is RelationType.ESSENTIAL else optional
        target.setdefault(row.occupation_uri, []).append(row.skill_uri)
    return Esco(
        graph,
        {k: tuple(sorted(v)) for k, v in essential.items()},
        {k: tuple(sorted(v)) for k, v in optional.items()},
        tuple(sorted(s.uri for s in bundle.skills)),
    )


@dataclass(frozen=True, slots=True)
class Truth:
    occupation: str
    skills: frozenset[str]
    age_days: int


def _strength(rng: random.Random, kind: EvidenceKind, level: int) -> float:
    days = rng.randint(0, 4 * 365)
    confidence = DEFAULT_WEIGHTS[kind] * math.pow(0.5, days / DEFAULT_HALF_LIFE_DAYS)
    return round(min(1.0, level / DEFAULT_REQUIRED_LEVEL) * (0.5 + 0.5 * confidence), 4)


def _neighbour(rng: random.Random, graph: SkillGraph, uri: str) -> str:
    options = [*graph.children(uri), *graph.parents(uri), *graph.related(uri)]
    for parent in graph.parents(uri):
        siblings = graph.children(parent)
        if len(siblings) <= 30:
            options.extend(s for s in siblings if s != uri)
    return rng.choice(options) if options else uri


class Population:
    def __init__(self, esco: Esco, *, seed: int, occupations: int) -> None:
        self.esco = esco
        self.rng = random.Random(seed)
        pool = sorted(o for o, skills in esco.essential.items() if len(skills) >= 8)
        self.occupations = self.rng.sample(pool, min(occupations, len(pool)))

    def people(self, n: int, first_id: int = 1) -> Iterator[tuple[PersonFacts, Truth]]:
        rng, esco = self.rng, self.esco
        kinds, weights = zip(*KINDS, strict=True)
        for user_id in range(first_id, first_id + n):
            occupation = rng.choice(self.occupations)
            essential = esco.essential[occupation]
            true = set(rng.sample(essential, max(1, round(len(essential) * rng.uniform(0.7, 1.0)))))
            extra = esco.optional.get(occupation, ())
            true.update(rng.sample(extra, min(len(extra), rng.randint(0, 3))))
            strengths: dict[str, float] = {}
            for uri in sorted(true):
                shown = _neighbour(rng, esco.graph, uri) if rng.random() < 0.25 else uri
                kind = rng.choices(kinds, weights)[0]
                strengths[shown] = max(strengths.get(shown, 0.0), _strength(rng, kind, rng.randint(2, 5)))
            for _ in range(rng.randint(0, 6)):
                padding = rng.choice(esco.skills)
                if padding not in true:
                    strengths.setdefault(padding, _strength(rng, EvidenceKind.SELF_CLAIM, rng.randint(3, 5)))
            age = rng.randint(1, 8 * 365)
            has_reputation = age >= 365 and rng.random() >= 0.3
            person = PersonFacts(
                user_id=user_id,
                name=f"person {user_id}",
                strengths=strengths,
                hourly_rate=None if rng.random() < 0.1 else float(rng.randint(20, 120)),
                currency="EUR",
                hours_per_week=None if rng.random() < 0.2 else rng.randint(5, 40),
                city=rng.choice(CITIES),
                languages=frozenset(rng.sample(LANGUAGES, rng.randint(1, 2))),
                reputation=rng.randint(40, 100) if has_reputation else None,
                joined=TODAY - timedelta(days=age),
            )
            yield person, Truth(occupation, frozenset(true), age)

    def jobs(self, n: int) -> list[tuple[JobFacts, str]]:
        rng, esco = self.rng, self.esco
        out = []
        for job_id in range(1, n + 1):
            occupation = rng.choice(self.occupations)
            required = tuple(rng.sample(esco.essential[occupation], rng.randint(3, 5)))
            extra = [s for s in esco.optional.get(occupation, ()) if s not in required]
            nice = tuple(rng.sample(extra, min(len(extra), rng.randint(0, 3))))
            remote = rng.random() < 0.6
            job = JobFacts(
                job_id=job_id,
                title=f"job {job_id}",
                required=required,
                nice=nice,
                hourly_budget=float(rng.randint(30, 120)),
                currency="EUR",
                hours_per_week=float(rng.randint(5, 30)),
                remote=remote,
                place="" if remote else rng.choice(CITIES),
            )
            out.append((job, occupation))
        return out


def gain(job: JobFacts, truth: Truth) -> float:
    total = len(job.required) + 0.5 * len(job.nice)
    held = sum(1 for s in job.required if s in truth.skills) + 0.5 * sum(
        1 for s in job.nice if s in truth.skills
    )
    return held / total


def jaccard_top(job: JobFacts, people: Sequence[PersonFacts], k: int) -> list[int]:
    """The baseline: skill overlap |job ∩ profile| / |job ∪ profile|, no evidence, no graph."""
    wanted = set(job.required) | set(job.nice)
    scored = []
    for person in people:
        held = set(person.strengths)
        common = len(wanted & held)
        if common:
            scored.append((common / len(wanted | held), person.user_id))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [user_id for _, user_id in scored[:k]]


# -- a vectorised population, for the speed runs at 100k and 1M people ----------------------------


@dataclass(frozen=True, slots=True)
class PopulationArrays:
    """``people`` professionals as arrays: strengths (people x ``skills``, CSC) and terms."""

    skills: tuple[str, ...]
    strengths: sparse.csc_matrix
    user_ids: npt.NDArray[np.int64]
    rate: npt.NDArray[np.float64]
    hours: npt.NDArray[np.float64]
    city_of: npt.NDArray[np.int64]
    reputation: npt.NDArray[np.float64]


def _padded(lists: Sequence[Sequence[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    width = max(1, max((len(x) for x in lists), default=1))
    table = np.zeros((len(lists), width), np.int64)
    for i, items in enumerate(lists):
        table[i, : len(items)] = items
    return table, np.array([len(x) for x in lists], np.int64)


def _pick(
    rng: np.random.Generator,
    table: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    take: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For each row ``i``: ``take[i]`` distinct items of ``table[i, :counts[i]]``, as (row, item)."""
    keys = rng.random(table.shape, dtype=np.float32)
    keys[np.arange(table.shape[1])[None, :] >= counts[:, None]] = 2.0
    order = np.argsort(keys, axis=1)
    chosen = np.arange(table.shape[1])[None, :] < np.minimum(take, counts)[:, None]
    rows = np.broadcast_to(np.arange(len(table))[:, None], table.shape)[chosen]
    return rows, np.take_along_axis(table, order, axis=1)[chosen]


def _strengths(
    rng: np.random.Generator, weights: npt.NDArray[np.float64], levels: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    days = rng.integers(0, 4 * 365 + 1, len(levels))
    confidence = weights * np.power(0.5, days / DEFAULT_HALF_LIFE_DAYS)
    return np.round(np.minimum(1.0, levels / DEFAULT_REQUIRED_LEVEL) * (0.5 + 0.5 * confidence), 4)


def population_arrays(
    esco: Esco, occupations: Sequence[str], n: int, *, seed: int, chunk: int = 100_000
) -> PopulationArrays:
    """The same recipe as ``Population.people`` (true skills from an occupation, a quarter shown as a
    graph neighbour, evidence of a random kind, level and age, 0-6 self-claimed padding skills, the
    same terms), drawn with NumPy a chunk of people at a time: a million people in well under a
    minute. Not the same draws as ``Population`` (another generator); languages are left out."""
    rng = np.random.default_rng(seed)
    column = {uri: i for i, uri in enumerate(esco.skills)}
    skills = list(esco.skills)

    def col(uri: str) -> int:
        if uri not in column:
            column[uri] = len(skills)
            skills.append(uri)
        return column[uri]

    essential, n_essential = _padded([[col(s) for s in esco.essential[o]] for o in occupations])
    optional, n_optional = _padded([[col(s) for s in esco.optional.get(o, ())] for o in occupations])
    options: list[list[int]] = []
    for uri in list(skills):
        near = [*esco.graph.children(uri), *esco.graph.parents(uri), *esco.graph.related(uri)]
        for parent in esco.graph.parents(uri):
            siblings = esco.graph.children(parent)
            if len(siblings) <= 30:
                near.extend(s for s in siblings if s != uri)
        options.append([col(s) for s in near])
    while len(options) < len(skills):
        options.append([])
    n_options = np.array([len(x) for x in options], np.int64)
    starts = np.concatenate([[0], np.cumsum(n_options)[:-1]])
    flat = np.array([s for x in options for s in x], np.int64)
    kind_weights = np.array([DEFAULT_WEIGHTS[k] for k, _ in KINDS])
    kind_p = np.array([p for _, p in KINDS])
    self_claim = DEFAULT_WEIGHTS[EvidenceKind.SELF_CLAIM]
    parts_r, parts_c, parts_v = [], [], []
    for first in range(0, n, chunk):
        m = min(chunk, n - first)
        occ = rng.integers(0, len(occupations), m)
        take = np.maximum(1, np.round(n_essential[occ] * rng.uniform(0.7, 1.0, m)).astype(np.int64))
        r1, c1 = _pick(rng, essential[occ], n_essential[occ], take)
        r2 = np.repeat(np.arange(m), np.minimum(rng.integers(0, 4, m), n_optional[occ]))
        slot = (rng.random(len(r2)) * n_optional[occ[r2]]).astype(np.int64)
        r2, slot = np.unique(np.stack([r2, slot]), axis=1)  # up to three distinct optional skills
        c2 = optional[occ[r2], slot]
        rows, cols = np.concatenate([r1, r2]), np.concatenate([c1, c2])
        swap = (rng.random(len(cols)) < 0.25) & (n_options[cols] > 0)
        pick = (rng.random(int(swap.sum())) * n_options[cols[swap]]).astype(np.int64)
        cols[swap] = flat[starts[cols[swap]] + pick]
        kinds = rng.choice(len(KINDS), len(cols), p=kind_p)
        vals = _strengths(rng, kind_weights[kinds], rng.integers(2, 6, len(cols)))
        padding = rng.integers(0, 7, m)
        pr = np.repeat(np.arange(m), padding)
        pc = rng.integers(0, len(esco.skills), len(pr))
        pv = _strengths(rng, np.full(len(pr), self_claim), rng.integers(3, 6, len(pr)))
        parts_r.append(np.concatenate([rows, pr]) + first)
        parts_c.append(np.concatenate([cols, pc]))
        parts_v.append(np.concatenate([vals, pv]))
    rows, cols, vals = np.concatenate(parts_r), np.concatenate(parts_c), np.concatenate(parts_v)
    key = rows * len(skills) + cols
    order = np.lexsort((vals, key))  # a skill listed twice keeps its best strength
    key, vals = key[order], vals[order]
    last = np.append(key[1:] != key[:-1], True)
    key, vals = key[last], vals[last]
    strengths = sparse.csc_matrix(
        (vals.astype(np.float32), (key // len(skills), key % len(skills))), shape=(n, len(skills))
    )
    age = rng.integers(1, 8 * 365 + 1, n)
    scored = (age >= 365) & (rng.random(n) >= 0.3)
    return PopulationArrays(
        skills=tuple(skills),
        strengths=strengths,
        user_ids=np.arange(1, n + 1, dtype=np.int64),
        rate=np.where(rng.random(n) < 0.1, np.nan, rng.integers(20, 121, n).astype(np.float64)),
        hours=np.where(rng.random(n) < 0.2, np.nan, rng.integers(5, 41, n).astype(np.float64)),
        city_of=rng.integers(0, len(CITIES), n),
        reputation=np.where(scored, rng.integers(40, 101, n).astype(np.float64), np.nan),
    )
