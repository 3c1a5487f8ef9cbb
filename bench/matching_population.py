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
