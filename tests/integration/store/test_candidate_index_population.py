"""The candidate walk on a seeded population, on SQLite and PostgreSQL: with the index's bounded pass
forced (and its per-candidate slots) and pages of one candidate a result, the people for a job are
the store path's, scores and order (ties among twins by user id), for askers who may read different
profiles (organisation-only ones; private and unavailable ones never), before and after changes the
index catches up on."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

import microcareer.domain.matching.index as index_module
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.jobs import Audience
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import matching, micro_jobs
from microcareer.services.candidate_index import CandidateIndex
from tests.integration.job_market_helpers import NOW, TODAY, a_job, make_people
from tests.integration.store.test_candidate_index import _considered, _ranked

SEED = 20261206


def _population(platform: Platform, acme: int, globex: int, n: int) -> list[int]:
    """``n`` people with one to three skills of the mini ESCO, random evidence, terms, visibility,
    availability and organisation; every fifth a twin of the one before (the same facts: a tie)."""
    rng = random.Random(SEED)
    ids: list[int] = []
    with platform.uow() as uow:
        pool = sorted(uri for uri, *_ in uow.taxonomy.extraction_label_rows())
        facts: tuple[list[tuple[str, int, EvidenceKind, int]], Profile, int | None] = ([], Profile(), None)
        for i in range(n):
            if i % 5 != 4:
                skills = [
                    (uri, rng.randint(1, 5), rng.choice(list(EvidenceKind)), rng.randint(0, 1200))
                    for uri in rng.sample(pool, rng.randint(1, 3))
                ]
                profile = Profile(
                    hourly_rate=rng.choice([None, 30.0, 80.0, 200.0]),
                    hours_per_week=rng.choice([None, 5, 40]),
                    visibility=rng.choice(
                        [Visibility.PUBLIC, Visibility.PUBLIC, Visibility.ORGANISATION, Visibility.PRIVATE]
                    ),
                    available=rng.random() < 0.8,
                )
                org = rng.choice([None, acme, globex])
                facts = (skills, profile, org)
            skills, profile, org = facts
            user = uow.accounts.add_user(
                email=f"n{i}@x.test", display_name=f"N {i}", password_hash="x",
                roles=[Role.PROFESSIONAL], created_at=NOW,
            )  # fmt: skip
            if org is not None:
                uow.accounts.set_membership(org, user.id, OrgRole.MEMBER, created_at=NOW)
            uow.profiles.save(user.id, profile, resume_extras={}, at=NOW)
            for uri, level, kind, days in skills:
                uow.profiles.set_skill(user.id, uri, level, at=NOW)
                used = TODAY - timedelta(days=days)
                uow.profiles.add_evidence(user.id, uri, [Evidence(kind, used, source=f"s:{i}:{uri}")], at=NOW)
            ids.append(user.id)
        uow.commit()
    return ids


@pytest.mark.parametrize("bounded", [True, False])
def test_the_walk_over_the_index_gives_the_store_paths_people(
    taxonomy_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: bool
) -> None:
    if bounded:
        monkeypatch.setattr(index_module, "BOUND_FROM", 0)
        monkeypatch.setattr(index_module, "SLOTS_FROM", 0)
    monkeypatch.setattr(matching, "WALK_HEAD", 1)
    platform = taxonomy_platform
    people = make_people(platform)
    ids = _population(platform, people.acme, people.globex, 90)
    with platform.uow() as uow:
        root = uow.accounts.add_user(
            email="root@x.test", display_name="Root", password_hash="x",
            roles=[Role.PLATFORM_ADMIN], created_at=NOW,
        )  # fmt: skip
        uow.commit()
    root_actor = Actor(user_id=root.id, roles=frozenset({Role.PLATFORM_ADMIN}))
    open_job = micro_jobs.post_job(platform.uow(), actor=people.client, job=a_job(), now=NOW)
    micro_jobs.publish_job(platform.uow(), actor=people.client, job_id=open_job.id, now=NOW)
    gig = micro_jobs.post_job(
        platform.uow(),
        actor=people.admin,
        job=a_job(audience=Audience.INTERNAL, organisation_id=people.acme, remote=False, place="Berlin"),
        now=NOW,
    )
    micro_jobs.publish_job(platform.uow(), actor=people.admin, job_id=gig.id, now=NOW)
    index = CandidateIndex(tmp_path / "m.npz")
    askers = [(people.client, open_job.id), (people.admin, gig.id), (root_actor, open_job.id)]

    def compare() -> None:
        for asker, job_id in askers:
            for limit in (1, 3, 10, 50):
                store = _ranked(platform, asker, job_id, None, limit=limit)
                assert store
                assert _ranked(platform, asker, job_id, index, limit=limit) == store
            assert _considered(platform, asker, job_id, index) == _considered(platform, asker, job_id, None)

    compare()
    ties = _ranked(platform, root_actor, open_job.id, index, limit=50)
    assert len({s for _, s in ties}) < len(ties)  # twins tie, ordered by user id in both
    # changes the index catches up on: a profile hidden, one made available, one's skills changed
    rng = random.Random(SEED + 1)
    with platform.uow() as uow:
        for user_id in rng.sample(ids, 12):
            stored = uow.profiles.get(user_id)
            assert stored is not None
            flipped = Profile(
                hourly_rate=stored.profile.hourly_rate,
                visibility=rng.choice(list(Visibility)),
                available=not stored.profile.available,
            )
            uow.profiles.save(user_id, flipped, resume_extras={}, at=NOW)
        for user_id in rng.sample(ids, 8):
            uri = rng.choice(sorted(uri for uri, *_ in uow.taxonomy.extraction_label_rows()))
            uow.profiles.set_skill(user_id, uri, 5, at=NOW)
            uow.profiles.add_evidence(
                user_id, uri, [Evidence(EvidenceKind.CREDENTIAL, TODAY, source=f"c:{user_id}")], at=NOW
            )
        uow.commit()
    compare()
    assert index.rebuilds == 1
