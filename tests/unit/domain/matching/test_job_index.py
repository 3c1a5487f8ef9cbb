"""The job index (``JobPostings``): for a person, each job of each list with the model's score (to the
rounding of a sum), exactly the jobs ``lists.classify`` keeps, its filters inside, updates without a
rebuild, compaction and a restart from the file changing nothing."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.job_index import JobPostings, Picked
from microcareer.domain.matching.lists import ListKind, classify
from microcareer.domain.matching.scoring import match, reputation_factor
from microcareer.domain.profiles.skill_graph import SkillGraph, best_credits
from microcareer.services.job_index import reach_of
from tests.unit.domain.matching.graph_helpers import LABELS, graph

SKILLS = list(LABELS)
ORGS = (7, 8)


def jobs(n: int, seed: int = 5) -> list[tuple[JobFacts, int]]:
    rng = random.Random(seed)
    found = []
    for job_id in range(1, n + 1):
        skills = rng.sample(SKILLS, rng.randint(1, 4))
        cut = rng.randint(1, min(3, len(skills)))
        remote = rng.random() < 0.5
        internal = rng.random() < 0.3
        job = JobFacts(
            job_id,
            f"j{job_id}",
            tuple(skills[:cut]),
            tuple(skills[cut:]),
            hourly_budget=rng.choice([None, 10.0, 50.0]),
            currency=rng.choice(["EUR", "USD"]),
            hours_per_week=rng.choice([None, 2.0, 20.0]),
            remote=remote,
            place="" if remote else rng.choice(["Berlin", "Lyon, France"]),
            organisation_id=rng.choice(ORGS) if internal else None,
            internal=internal,
        )
        found.append((job, rng.randint(1, 6)))
    return found


def people(n: int, seed: int = 9) -> list[PersonFacts]:
    rng = random.Random(seed)
    return [
        PersonFacts(
            user_id,
            f"p{user_id}",
            {s: round(rng.uniform(0.05, 1.0), 3) for s in rng.sample(SKILLS, rng.randint(1, 4))},
            hourly_rate=rng.choice([None, 20.0, 60.0]),
            currency=rng.choice(["EUR", "USD"]),
            hours_per_week=rng.choice([None, 5, 40]),
            city=rng.choice(["", "Berlin"]),
            country=rng.choice(["", "FR"]),
            reputation=rng.choice([None, 20, 95]),
        )
        for user_id in range(1, n + 1)
    ]


def expected(
    all_jobs: list[tuple[JobFacts, int]], person: PersonFacts, g: SkillGraph, orgs: set[int], gone: set[int]
) -> dict[ListKind, dict[int, float]]:
    """The model's picks, job by job, with the filters the index applies."""
    found: dict[ListKind, dict[int, float]] = {kind: {} for kind in ListKind}
    for job, poster in all_jobs:
        if poster == person.user_id or job.job_id in gone:
            continue
        if job.internal and job.organisation_id not in orgs:
            continue
        pick = classify(job, match(person, job, g))
        if pick is not None:
            found[pick.kind][job.job_id] = pick.match.score
    return found


def picked(
    index: JobPostings, person: PersonFacts, g: SkillGraph, orgs: set[int], gone: set[int]
) -> dict[ListKind, Picked]:
    return index.pick(
        person,
        reach_of(g, person),
        organisations=orgs,
        exclude=gone,
        reputation=reputation_factor(person).value,
    )


def check(index: JobPostings, all_jobs: list[tuple[JobFacts, int]], g: SkillGraph) -> int:
    """Every person's picks are the model's, each score to 1e-4, best first; how many in all."""
    seen = 0
    for at, person in enumerate(people(30)):
        orgs = {ORGS[at % 2]} if at % 3 else set()
        gone = {job.job_id for job, _ in all_jobs[at::7]}
        want = expected(all_jobs, person, g, orgs, gone)
        got = picked(index, person, g, orgs, gone)
        for kind in ListKind:
            pairs = got[kind].pairs()
            assert {j for j, _ in pairs} == set(want[kind]), (person.user_id, kind)
            for job_id, score in pairs:
                assert score == pytest.approx(want[kind][job_id], abs=1e-4)
            assert [s for _, s in pairs] == sorted((s for _, s in pairs), reverse=True)
            seen += len(pairs)
    return seen


def test_each_pick_is_the_models_with_its_filters() -> None:
    g = graph()
    all_jobs = jobs(300)
    assert check(JobPostings.build(all_jobs), all_jobs, g) > 300


def test_changes_compaction_and_a_restart_change_nothing(tmp_path: Path) -> None:
    g = graph()
    all_jobs = jobs(200)
    index = JobPostings.build(all_jobs)
    rng = random.Random(11)
    changed = jobs(60, seed=12)
    by_id = {job.job_id: (job, poster) for job, poster in all_jobs}
    for job, poster in changed:  # edits of existing jobs, under their ids
        index.upsert(job, poster)
        by_id[job.job_id] = (job, poster)
    for job_id in rng.sample(sorted(by_id), 40):  # closed
        index.remove(job_id)
        del by_id[job_id]
    for job, poster in jobs(30, seed=13):  # new ones
        fresh = replace(job, job_id=job.job_id + 1000)
        index.upsert(fresh, poster)
        by_id[fresh.job_id] = (fresh, poster)
    now = sorted(by_id.values(), key=lambda pair: pair[0].job_id)
    assert index.delta_size > 0
    assert len(index) == len(now)
    assert check(index, now, g) > 0
    index.compact()
    assert index.delta_size == 0
    assert index.size == len(now)
    check(index, now, g)
    index.extra = {"watermark": 3}
    path = tmp_path / "jobs.npz"
    index.save(path)
    loaded = JobPostings.load(path)
    assert loaded.extra == {"watermark": 3}
    check(loaded, now, g)
    rebuilt = JobPostings.build(now)
    for person in people(10):
        a, b = picked(loaded, person, g, {7}, set()), picked(rebuilt, person, g, {7}, set())
        assert {k: v.pairs() for k, v in a.items()} == {k: v.pairs() for k, v in b.items()}


def test_a_broken_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "jobs.npz"
    path.write_bytes(b"not an npz")
    with pytest.raises(ValueError, match="pickled"):
        JobPostings.load(path)


def test_a_persons_credits_computed_once_give_the_same_match() -> None:
    g = graph()
    for person in people(20):
        credits = best_credits(g, person.strengths)
        for job, _ in jobs(40):
            assert match(person, job, g, credits) == match(person, job, g)
