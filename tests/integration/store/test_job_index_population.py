"""A person's micro-jobs from the job index on a seeded population, on SQLite and PostgreSQL: the
lists (jobs, order, scores, explanations, would-add skills, saved marks) are the store path's, for
people of different organisations, with internal gigs, their own jobs, dismissed and saved jobs,
drafts, closed and cancelled jobs, twins that tie; then after edits, state changes, new posts and new
marks the index catches up on from the change log (no rebuild); then after a restart from the saved
file (loaded, not rebuilt, and caught up on the changes made since it was saved); and at 2,000 open
jobs, all of which the store path scores."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

import microcareer.services.job_index as job_index_module
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Location, Profile
from microcareer.services import gap_analysis, matching
from microcareer.services.job_index import JobIndex
from microcareer.services.matching import JobsForPerson, Mark
from tests.integration.job_market_helpers import NOW, TODAY, a_job, make_people

SEED = 20261206
PLACES = ("Berlin", "Paris, France", "Lyon, FR", "Remote island")


def _pool(platform: Platform) -> list[str]:
    with platform.uow() as uow:
        return sorted({uri for uri, *_ in uow.taxonomy.extraction_label_rows()})


def _random_job(rng: random.Random, pool: list[str], orgs: list[int]) -> MicroJob:
    skills = rng.sample(pool, rng.randint(1, 5))
    cut = rng.randint(1, min(3, len(skills)))
    internal = rng.random() < 0.25
    remote = rng.random() < 0.6
    return replace(
        a_job(),
        title=rng.choice(["Port a script", "Write a parser", "Tidy a data set", "Review a design"]),
        required_skills=tuple(skills[:cut]),
        nice_skills=tuple(skills[cut:]),
        budget=Budget(
            rng.choice(list(BudgetKind)),
            Money(rng.choice([2_000, 6_000, 40_000, 90_000]), rng.choice(["EUR", "EUR", "USD"])),
        ),
        expected_hours=rng.choice([5, 20, 80]),
        start=rng.choice([None, date(2026, 12, 1)]),
        end=rng.choice([None, date(2026, 12, 20)]),
        remote=remote,
        place="" if remote else rng.choice(PLACES),
        audience=Audience.INTERNAL if internal else Audience.OPEN,
        organisation_id=rng.choice(orgs) if internal else rng.choice([None, *orgs]),
        state=rng.choice([JobState.OPEN] * 6 + [JobState.DRAFT, JobState.CLOSED, JobState.CANCELLED]),
    )


def _people(platform: Platform, orgs: list[int], n: int) -> list[int]:
    """``n`` people of one to five skills, random evidence, terms and organisations."""
    rng = random.Random(SEED)
    pool = _pool(platform)
    ids: list[int] = []
    with platform.uow() as uow:
        for i in range(n):
            user = uow.accounts.add_user(
                email=f"p{i}@x.test", display_name=f"P {i}", password_hash="x",
                roles=[Role.PROFESSIONAL], created_at=NOW,
            )  # fmt: skip
            for org in rng.sample(orgs, rng.randint(0, len(orgs))):
                uow.accounts.set_membership(org, user.id, OrgRole.MEMBER, created_at=NOW)
            profile = Profile(
                hourly_rate=rng.choice([None, 20.0, 60.0, 300.0]),
                currency=rng.choice(["EUR", "USD"]),
                hours_per_week=rng.choice([None, 2, 10, 40]),
                location=Location(
                    city=rng.choice(["", "Berlin", "Lyon"]), country_code=rng.choice(["", "FR"])
                ),
            )
            uow.profiles.save(user.id, profile, resume_extras={}, at=NOW)
            for uri in rng.sample(pool, rng.randint(1, 5)):
                uow.profiles.set_skill(user.id, uri, rng.randint(1, 5), at=NOW)
                used = TODAY - timedelta(days=rng.randint(0, 900))
                kind = rng.choice(list(EvidenceKind))
                uow.profiles.add_evidence(user.id, uri, [Evidence(kind, used, source=f"s:{i}:{uri}")], at=NOW)
            ids.append(user.id)
        uow.commit()
    return ids


def _jobs(platform: Platform, posters: list[int], orgs: list[int], n: int, seed: int) -> list[int]:
    """``n`` jobs by ``posters`` (every fifth a twin of the one before: a tie), their states mixed."""
    rng = random.Random(seed)
    pool = _pool(platform)
    ids: list[int] = []
    with platform.uow() as uow:
        job = _random_job(rng, pool, orgs)
        for i in range(n):
            if i % 5 != 4:
                job = _random_job(rng, pool, orgs)
            ids.append(uow.marketplace.add_job(rng.choice(posters), job, at=NOW + timedelta(minutes=i)).id)
        uow.commit()
    return ids


def _lists(platform: Platform, user_id: int, limit: int, index: JobIndex | None) -> JobsForPerson:
    cache = gap_analysis.graph_cache(platform.caches)
    return matching.jobs_for_person(
        platform.uow(), cache, actor=Actor.system(), user_id=user_id, today=TODAY, limit=limit, index=index
    )


def _compare(platform: Platform, people: list[int], index: JobIndex) -> tuple[int, int, int]:
    """Every person's lists from the index equal the store path's; how many jobs each list holds
    in all (fit now, stretch, internal)."""
    listed = [0, 0, 0]
    for user_id in people:
        for limit in (1, 4, 50):
            store = _lists(platform, user_id, limit, None)
            assert _lists(platform, user_id, limit, index) == store, (user_id, limit)
            for at, found in enumerate((store.fit_now, store.stretch, store.internal)):
                listed[at] += len(found)
    return listed[0], listed[1], listed[2]


@pytest.mark.parametrize("save_every", [2000, 3])
def test_the_job_index_gives_the_store_paths_lists(
    taxonomy_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save_every: int
) -> None:
    monkeypatch.setattr(job_index_module, "SAVE_EVERY", save_every)
    monkeypatch.setattr(matching, "JOBS_HEAD", 0.1)  # many pages: the walk's paging is exercised
    platform = taxonomy_platform
    known = make_people(platform)
    orgs = [known.acme, known.globex]
    people = _people(platform, orgs, 24)
    jobs = _jobs(platform, [*people, known.client.user_id or 0], orgs, 400, SEED)
    rng = random.Random(SEED + 1)
    with platform.uow() as uow:
        for user_id in people:  # dismissed and saved jobs, some of them not open
            for job_id in rng.sample(jobs, 25):
                uow.marketplace.set_job_mark(
                    user_id, job_id, rng.choice([Mark.DISMISSED, Mark.SAVED]), at=NOW
                )
        uow.commit()
    path = tmp_path / "m-jobs.npz"
    index = JobIndex(path)
    asked = people[:10]
    assert min(_compare(platform, asked, index)) > 20  # every list has jobs
    assert index.rebuilds == 1
    assert path.exists()
    with platform.uow() as uow:
        open_now = {j.id for j in uow.marketplace.open_jobs()}
    assert 200 < len(open_now) < 400
    own = [j for j in open_now if _poster(platform, j) in asked]
    assert own  # the people's own jobs are there and never listed for them

    # changes after the build: edits, state changes, new posts, marks, a membership
    pool = _pool(platform)
    with platform.uow() as uow:
        for job_id in rng.sample(jobs, 40):
            stored = uow.marketplace.get_job(job_id)
            assert stored is not None
            changed = _random_job(rng, pool, orgs)
            uow.marketplace.update_job(job_id, replace(changed, state=stored.job.state), at=NOW)
        for job_id in rng.sample(sorted(open_now), 30):
            uow.marketplace.set_job_state(
                job_id, rng.choice([JobState.CLOSED, JobState.CANCELLED, JobState.IN_PROGRESS]), at=NOW
            )
        drafts = [
            j for j in jobs if (s := uow.marketplace.get_job(j)) is not None and s.job.state is JobState.DRAFT
        ]
        for job_id in drafts[:15]:
            uow.marketplace.set_job_state(job_id, JobState.OPEN, at=NOW)
        for user_id in asked:
            for job_id in rng.sample(jobs, 5):
                uow.marketplace.set_job_mark(
                    user_id, job_id, rng.choice([Mark.DISMISSED, Mark.SAVED, None]), at=NOW
                )
        uow.accounts.set_membership(known.globex, asked[0], OrgRole.MEMBER, created_at=NOW)
        uow.commit()
    _jobs(platform, people, orgs, 60, SEED + 2)
    _compare(platform, asked, index)
    assert index.rebuilds == 1  # caught up from the change log
    if index.maintenance is not None:
        index.maintenance.join()

    # a restart: a new index loads the file and catches up on what changed since it was saved
    with platform.uow() as uow:
        for job_id in rng.sample(jobs, 10):
            uow.marketplace.set_job_state(job_id, JobState.CLOSED, at=NOW)
        uow.commit()
    restarted = JobIndex(path)
    _compare(platform, asked, restarted)
    assert restarted.rebuilds == 0
    assert restarted.served == 3 * len(asked)  # every query answered by it


def _poster(platform: Platform, job_id: int) -> int:
    with platform.uow() as uow:
        stored = uow.marketplace.get_job(job_id)
        assert stored is not None
        return stored.poster_user_id


def test_the_same_lists_at_two_thousand_open_jobs(taxonomy_platform: Platform, tmp_path: Path) -> None:
    """The store path's cut (the newest ``JOBS_MAX`` open jobs) takes them all: the lists are equal."""
    platform = taxonomy_platform
    known = make_people(platform)
    orgs = [known.acme, known.globex]
    people = _people(platform, orgs, 6)
    rng = random.Random(SEED + 3)
    pool = _pool(platform)
    with platform.uow() as uow:
        for i in range(matching.JOBS_MAX + 200):
            job = _random_job(rng, pool, orgs)
            state = JobState.OPEN if i < matching.JOBS_MAX else rng.choice([JobState.CLOSED, JobState.DRAFT])
            poster = rng.choice([*people, known.client.user_id or 0])
            uow.marketplace.add_job(poster, replace(job, state=state), at=NOW + timedelta(seconds=i))
        uow.commit()
    with platform.uow() as uow:
        assert sum(1 for _ in uow.marketplace.open_jobs()) == matching.JOBS_MAX
    index = JobIndex(tmp_path / "jobs.npz")
    assert min(_compare(platform, people, index)) > 0  # every list has jobs
    assert index.rebuilds == 1
