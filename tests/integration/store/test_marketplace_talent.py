"""Talent search and the gap to a micro-job, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import Audience
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE, OPTIONAL_IMPORTANCE, GapStatus
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services import gap_analysis, micro_jobs, profiles, talent_search
from tests.integration.job_market_helpers import NOW, TODAY, People, a_job, make_people, uid
from tests.integration.taxonomy_helpers import ESCO, HASKELL, PYTHON

HUNGARIAN = ESCO + "skill/01f10952-cb59-4347-9aee-d4fbc51c870a"  # write Hungarian: far from Python


def _profile(
    platform: Platform,
    actor: Actor,
    visibility: Visibility,
    kind: EvidenceKind,
    *,
    uri: str = PYTHON,
    available: bool = True,
) -> None:
    """A profile holding ``uri`` with one piece of evidence (recorded as the platform does)."""
    user_id = uid(actor)
    profiles.save_profile(
        platform.uow(),
        actor=actor,
        user_id=user_id,
        profile=Profile(visibility=visibility, available=available),
        now=NOW,
    )
    with platform.uow() as uow:
        uow.profiles.set_skill(user_id, uri, 3, at=NOW)
        uow.profiles.add_evidence(user_id, uri, [Evidence(kind, TODAY, source=f"test:{kind}")], at=NOW)
        uow.commit()


def _people_with_python(platform: Platform) -> People:
    people = make_people(platform)
    _profile(platform, people.pro, Visibility.PUBLIC, EvidenceKind.SELF_CLAIM)
    _profile(platform, people.stranger, Visibility.PUBLIC, EvidenceKind.CREDENTIAL)
    _profile(platform, people.employee, Visibility.ORGANISATION, EvidenceKind.MICRO_JOB)
    _profile(platform, people.colleague, Visibility.PRIVATE, EvidenceKind.CREDENTIAL)
    _profile(platform, people.manager, Visibility.PUBLIC, EvidenceKind.CREDENTIAL, available=False)
    return people


def test_evidence_ranks_people_and_hidden_profiles_stay_hidden(taxonomy_platform: Platform) -> None:
    people = _people_with_python(taxonomy_platform)
    found = talent_search.find_people(
        taxonomy_platform.uow(), actor=people.client, skills=[PYTHON], today=TODAY
    )
    assert [c.user_id for c in found] == [uid(people.stranger), uid(people.pro)]  # credential first
    best = found[0]
    assert best.score == pytest.approx(0.9)
    [line] = best.coverage
    assert line.explanation.startswith("Python (computer programming): 0.90 (verified credential 2026-11")
    assert found[1].score == pytest.approx(0.25)
    assert "self-claimed" in found[1].coverage[0].explanation


def test_organisation_profiles_only_for_members(taxonomy_platform: Platform) -> None:
    people = _people_with_python(taxonomy_platform)
    found = talent_search.find_people(
        taxonomy_platform.uow(), actor=people.admin, skills=[PYTHON, HASKELL], today=TODAY
    )
    assert [c.user_id for c in found] == [uid(people.stranger), uid(people.employee), uid(people.pro)]
    employee = found[1]
    assert [c.confidence for c in employee.coverage] == [pytest.approx(0.8), 0.0]
    assert employee.score == pytest.approx(0.4)  # half the list covered
    assert employee.coverage[1].explanation == "Haskell: 0.00 (not on the profile)"
    assert len(employee.matched) == 1


def test_search_needs_a_signed_in_actor_and_real_skills(taxonomy_platform: Platform) -> None:
    people = _people_with_python(taxonomy_platform)
    with pytest.raises(NotAuthenticated):
        talent_search.find_people(
            taxonomy_platform.uow(), actor=Actor.anonymous(), skills=[PYTHON], today=TODAY
        )
    with pytest.raises(InvalidInput, match=r"skills\[0\]: http://example.org/x is not a skill"):
        talent_search.find_people(
            taxonomy_platform.uow(), actor=people.client, skills=["http://example.org/x"], today=TODAY
        )
    assert (
        talent_search.find_people(taxonomy_platform.uow(), actor=people.client, skills=[HASKELL], today=TODAY)
        == []
    )
    own = talent_search.find_people(taxonomy_platform.uow(), actor=people.pro, skills=[PYTHON], today=TODAY)
    assert uid(people.pro) not in [c.user_id for c in own]


def test_gap_to_a_job_per_skill(taxonomy_platform: Platform) -> None:
    people = _people_with_python(taxonomy_platform)
    uow = taxonomy_platform.uow
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    job = micro_jobs.post_job(
        uow(), actor=people.client, job=a_job(nice_skills=(HASKELL, HUNGARIAN)), now=NOW
    )
    micro_jobs.publish_job(uow(), actor=people.client, job_id=job.id, now=NOW)
    report = gap_analysis.gap_to_job(
        uow(), cache, actor=people.stranger, user_id=uid(people.stranger), job_id=job.id, today=TODAY
    )
    assert report.target_label == job.job.title
    items = {item.skill.uri: item for item in report.gap.items}
    assert set(items) == {PYTHON, HASKELL, HUNGARIAN}
    assert items[PYTHON].status is GapStatus.COVERED
    assert items[PYTHON].skill.importance == ESSENTIAL_IMPORTANCE
    assert items[HASKELL].status is GapStatus.PARTIAL  # a sibling of Python in the skills graph
    assert items[HASKELL].skill.importance == OPTIONAL_IMPORTANCE
    assert items[HUNGARIAN].status is GapStatus.MISSING
    assert items[HUNGARIAN].skill.importance == OPTIONAL_IMPORTANCE
    breakdown = report.gap.breakdown
    assert (breakdown.covered, breakdown.partial, breakdown.missing) == (1, 1, 1)

    internal = micro_jobs.post_job(
        uow(), actor=people.admin, job=a_job(audience=Audience.INTERNAL, organisation_id=people.acme), now=NOW
    )
    micro_jobs.publish_job(uow(), actor=people.admin, job_id=internal.id, now=NOW)
    with pytest.raises(NotFound):  # another organisation's internal job
        gap_analysis.gap_to_job(
            uow(), cache, actor=people.stranger, user_id=uid(people.stranger), job_id=internal.id, today=TODAY
        )
    mine = gap_analysis.gap_to_job(
        uow(), cache, actor=people.employee, user_id=uid(people.employee), job_id=internal.id, today=TODAY
    )
    assert {i.skill.uri: i.status for i in mine.gap.items}[PYTHON] is GapStatus.COVERED
