"""The candidate index of matching on SQLite and PostgreSQL: the same people as the store path, kept
current from the change log without a rebuild (in this process and from another), saved and loaded
across a restart, and never trusted when its file is not this database's or the day is before it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import Audience
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind, EvidencePolicy
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import gap_analysis, matching, micro_jobs, profiles
from microcareer.services.candidate_index import CandidateIndex
from tests.integration.job_market_helpers import NOW, TODAY, People, a_job, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON


def _profile(
    platform: Platform, actor: Actor, skills: dict[str, tuple[EvidenceKind, int]], **terms: object
) -> None:
    profile = Profile(**terms)  # type: ignore[arg-type]
    profiles.save_profile(platform.uow(), actor=actor, user_id=uid(actor), profile=profile, now=NOW)
    _skills(platform, actor, skills)


def _skills(platform: Platform, actor: Actor, skills: dict[str, tuple[EvidenceKind, int]]) -> None:
    with platform.uow() as uow:
        for uri, (kind, days) in skills.items():
            uow.profiles.set_skill(uid(actor), uri, 3, at=NOW)
            used = TODAY - timedelta(days=days)
            uow.profiles.add_evidence(
                uid(actor), uri, [Evidence(kind, used, source=f"t:{kind}:{days}")], at=NOW
            )
        uow.commit()


def _world(platform: Platform) -> tuple[People, int]:
    people = make_people(platform)
    _profile(platform, people.pro, {PYTHON: (EvidenceKind.SELF_CLAIM, 400)}, hourly_rate=90.0)
    _profile(platform, people.stranger, {HASKELL: (EvidenceKind.CREDENTIAL, 10)})
    _profile(
        platform,
        people.employee,
        {PYTHON: (EvidenceKind.CREDENTIAL, 900)},
        visibility=Visibility.ORGANISATION,
    )
    _profile(platform, people.colleague, {PROGRAMMING: (EvidenceKind.MICRO_JOB, 30)})
    _profile(platform, people.manager, {PYTHON: (EvidenceKind.ASSESSMENT, 5)}, available=False)
    job = micro_jobs.post_job(platform.uow(), actor=people.client, job=a_job(), now=NOW)
    micro_jobs.publish_job(platform.uow(), actor=people.client, job_id=job.id, now=NOW)
    return people, job.id


def _ranked(
    platform: Platform,
    actor: Actor,
    job_id: int,
    index: CandidateIndex | None,
    *,
    today: date = TODAY,
    policy: EvidencePolicy | None = None,
    limit: int = 20,
) -> list[tuple[int, float]]:
    cache = gap_analysis.graph_cache(platform.caches)
    found = matching.people_for_job(
        platform.uow(),
        cache,
        actor=actor,
        job_id=job_id,
        today=today,
        policy=policy,
        index=index,
        limit=limit,
    )
    return [(p.user_id, p.match.score) for p in found.people]


def _considered(platform: Platform, actor: Actor, job_id: int, index: CandidateIndex | None) -> int:
    cache = gap_analysis.graph_cache(platform.caches)
    found = matching.people_for_job(
        platform.uow(), cache, actor=actor, job_id=job_id, today=TODAY, index=index
    )
    return found.considered


def test_same_people_and_scores_as_the_store_and_kept_current(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    people, job_id = _world(taxonomy_platform)
    index = CandidateIndex(tmp_path / "m.npz")
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    assert store
    assert _ranked(taxonomy_platform, people.client, job_id, index) == store
    assert index.rebuilds == 1
    assert index.served == 1
    # considered: the client reads public profiles only; acme's admin, on acme's internal gig, also the
    # employee's organisation profile
    internal = micro_jobs.post_job(
        taxonomy_platform.uow(),
        actor=people.admin,
        job=a_job(audience=Audience.INTERNAL, organisation_id=people.acme),
        now=NOW,
    )
    micro_jobs.publish_job(taxonomy_platform.uow(), actor=people.admin, job_id=internal.id, now=NOW)
    for asker, job in ((people.client, job_id), (people.admin, internal.id)):
        assert _considered(taxonomy_platform, asker, job, index) == _considered(
            taxonomy_platform, asker, job, None
        )
    assert _considered(taxonomy_platform, people.client, job_id, index) == 3  # pro, stranger, colleague
    assert _considered(taxonomy_platform, people.admin, internal.id, index) == 4  # and the employee
    assert _ranked(taxonomy_platform, people.admin, internal.id, index) == _ranked(
        taxonomy_platform, people.admin, internal.id, None
    )
    for limit in (1, 2):  # the walk stops early (wanted = 2 x limit): still the store's top
        assert _ranked(taxonomy_platform, people.client, job_id, index, limit=limit) == store[:limit]
    # later days (evidence fades): still the store's answer, from the same index
    later = TODAY + timedelta(days=500)
    assert _ranked(taxonomy_platform, people.client, job_id, index, today=later) == _ranked(
        taxonomy_platform, people.client, job_id, None, today=later
    )
    # a skill added, a profile made private, one made available: caught up without a rebuild
    _skills(taxonomy_platform, people.stranger, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})
    profiles.save_profile(
        taxonomy_platform.uow(), actor=people.pro, user_id=uid(people.pro),
        profile=Profile(visibility=Visibility.PRIVATE), now=NOW,
    )  # fmt: skip
    profiles.save_profile(
        taxonomy_platform.uow(), actor=people.manager, user_id=uid(people.manager), profile=Profile(), now=NOW
    )
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    assert uid(people.pro) not in [u for u, _ in store]
    assert uid(people.manager) in [u for u, _ in store]
    assert store[0][0] == uid(people.stranger)
    assert _ranked(taxonomy_platform, people.client, job_id, index) == store
    # a skill removed and evidence revoked
    with taxonomy_platform.uow() as uow:
        uow.profiles.remove_skill(uid(people.stranger), PYTHON)
        uow.profiles.remove_evidence_from(uid(people.colleague), f"t:{EvidenceKind.MICRO_JOB}:30")
        uow.commit()
    assert _ranked(taxonomy_platform, people.client, job_id, index) == _ranked(
        taxonomy_platform, people.client, job_id, None
    )
    assert index.rebuilds == 1


def test_another_process_writes_reach_it(taxonomy_platform: Platform, tmp_path: Path) -> None:
    people, job_id = _world(taxonomy_platform)
    mine, theirs = CandidateIndex(tmp_path / "a.npz"), CandidateIndex(tmp_path / "b.npz")
    _ranked(taxonomy_platform, people.client, job_id, mine)
    _ranked(taxonomy_platform, people.client, job_id, theirs)
    # "their" process writes (through its own unit of work): someone with no profile so far appears
    # in mine, which learns of it from the change log alone
    _profile(taxonomy_platform, people.admin, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})
    found = _ranked(taxonomy_platform, people.client, job_id, mine)
    assert found[0][0] == uid(people.admin)
    assert found == _ranked(taxonomy_platform, people.client, job_id, None)
    assert mine.rebuilds == 1


def test_survives_a_restart_and_catches_up(taxonomy_platform: Platform, tmp_path: Path) -> None:
    people, job_id = _world(taxonomy_platform)
    path = tmp_path / "m.npz"
    first = CandidateIndex(path)
    _ranked(taxonomy_platform, people.client, job_id, first)
    assert path.exists()
    _profile(taxonomy_platform, people.admin, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})  # while "down"
    restarted = CandidateIndex(path)
    found = _ranked(taxonomy_platform, people.client, job_id, restarted)
    assert restarted.rebuilds == 0
    assert restarted.served == 1
    assert found == _ranked(taxonomy_platform, people.client, job_id, None)
    assert found[0][0] == uid(people.admin)


def test_a_file_that_is_not_this_databases_is_rebuilt(taxonomy_platform: Platform, tmp_path: Path) -> None:
    people, job_id = _world(taxonomy_platform)
    path = tmp_path / "m.npz"
    index = CandidateIndex(path)
    _ranked(taxonomy_platform, people.client, job_id, index)
    saved = index._index
    assert saved is not None
    saved.extra = {**saved.extra, "watermark": int(saved.extra["watermark"]) + 1000}
    saved.save(path)  # a file ahead of this database (another one, or a restored backup)
    other = CandidateIndex(path)
    assert _ranked(taxonomy_platform, people.client, job_id, other) == _ranked(
        taxonomy_platform, people.client, job_id, None
    )
    assert other.rebuilds == 1
    path.write_bytes(b"not an index")
    broken = CandidateIndex(path)
    _ranked(taxonomy_platform, people.client, job_id, broken)
    assert broken.rebuilds == 1


def test_not_trusted_before_its_day_nor_with_another_policy(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    people, job_id = _world(taxonomy_platform)
    index = CandidateIndex(tmp_path / "m.npz")
    _ranked(taxonomy_platform, people.client, job_id, index)
    earlier = TODAY - timedelta(days=300)  # strengths were higher then: the index is no bound
    assert _ranked(taxonomy_platform, people.client, job_id, index, today=earlier) == _ranked(
        taxonomy_platform, people.client, job_id, None, today=earlier
    )
    policy = EvidencePolicy(half_life_days=30)
    assert _ranked(taxonomy_platform, people.client, job_id, index, policy=policy) == _ranked(
        taxonomy_platform, people.client, job_id, None, policy=policy
    )
    assert index.served == 1  # the two others fell back to the store
