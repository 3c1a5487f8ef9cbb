"""Profile services on the mini ESCO, on SQLite and PostgreSQL: who sees what, skills with evidence, gaps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.gap import GapStatus
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.domain.profiles.skill_graph import Link
from microcareer.domain.taxonomy.concepts import Skill
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import gap_analysis, profiles
from microcareer.store.tables.taxonomy import OccupationRow, OccupationSkillRow
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PROGRAMMING, PYTHON, make_organisation

TODAY = date(2026, 11, 23)


def _setup(platform: Platform) -> tuple[Actor, Actor, Actor]:
    """(a professional outside any organisation, an organisation admin, a third signed-in user)."""
    org = make_organisation(platform)
    now = platform.clock()
    with platform.uow() as uow:
        third = uow.accounts.add_user(
            email="third@x.test", display_name="Tess", password_hash="x", roles=[Role.CLIENT], created_at=now
        )
        uow.commit()
    return org.outsider, org.admin, Actor(user_id=third.id, roles=frozenset({Role.CLIENT}))


def _uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def test_visibility_decides_who_reads_a_profile(taxonomy_platform: Platform) -> None:
    pro, admin, third = _setup(taxonomy_platform)
    uid = _uid(pro)
    now = taxonomy_platform.clock()
    profiles.save_profile(
        taxonomy_platform.uow(), actor=pro, user_id=uid, profile=Profile(headline="Dev"), now=now
    )
    assert (
        profiles.get_profile(taxonomy_platform.uow(), actor=third, user_id=uid, today=TODAY).profile.headline
        == "Dev"
    )
    with pytest.raises(NotAuthenticated):
        profiles.get_profile(taxonomy_platform.uow(), actor=Actor.anonymous(), user_id=uid, today=TODAY)
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=pro,
        user_id=uid,
        profile=Profile(headline="Dev", visibility=Visibility.PRIVATE),
        now=now,
    )
    with pytest.raises(NotFound):
        profiles.get_profile(taxonomy_platform.uow(), actor=third, user_id=uid, today=TODAY)
    with pytest.raises(NotFound):  # an organisation admin sees only their members' organisation profiles
        gap_analysis.closest_occupations(
            taxonomy_platform.uow(),
            gap_analysis.graph_cache(taxonomy_platform.caches),
            actor=admin,
            user_id=uid,
            today=TODAY,
        )
    own = profiles.get_profile(taxonomy_platform.uow(), actor=pro, user_id=uid, today=TODAY)
    assert own.editable
    with pytest.raises(PermissionDenied):
        profiles.save_profile(taxonomy_platform.uow(), actor=third, user_id=uid, profile=Profile(), now=now)


def test_skills_carry_evidence_and_confidence_with_its_reason(taxonomy_platform: Platform) -> None:
    pro, _, _ = _setup(taxonomy_platform)
    uid = _uid(pro)
    now = taxonomy_platform.clock()
    uow = taxonomy_platform.uow
    claim = Evidence(EvidenceKind.SELF_CLAIM, date(2026, 7, 1))
    profiles.set_skill(uow(), actor=pro, user_id=uid, uri=PYTHON, proficiency=4, evidence=[claim], now=now)
    credential = Evidence(EvidenceKind.CREDENTIAL, date(2026, 7, 1))
    with pytest.raises(InvalidInput, match="credentials, micro-jobs"):
        profiles.set_skill(
            uow(), actor=pro, user_id=uid, uri=PYTHON, proficiency=4, evidence=[credential], now=now
        )
    system = Actor.system()  # what a verified credential's issuing records, not the person
    job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 9, 30), "contract 7", rating=5)
    profiles.set_skill(uow(), actor=system, user_id=uid, uri=PYTHON, proficiency=4, evidence=[job], now=now)
    with pytest.raises(InvalidInput, match="not a skill"):
        profiles.set_skill(uow(), actor=pro, user_id=uid, uri=PYTHON + "x", proficiency=3, now=now)
    view = profiles.get_profile(uow(), actor=pro, user_id=uid, today=TODAY)
    [python] = view.skills
    assert python.label == "Python (computer programming)"
    assert python.confidence.explanation == (
        "completed micro-job 2026-09 (5.0/5), self-claimed 2026-07, last used 1 month ago"
    )
    assert 0.8 < python.confidence.value < 1
    profiles.remove_skill(uow(), actor=pro, user_id=uid, uri=PYTHON)
    with pytest.raises(NotFound):
        profiles.remove_skill(uow(), actor=pro, user_id=uid, uri=PYTHON)


def test_gap_to_an_occupation_explains_partial_credit(taxonomy_platform: Platform) -> None:
    pro, _, _ = _setup(taxonomy_platform)
    uid = _uid(pro)
    now = taxonomy_platform.clock()
    job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 9, 30), "contract 7", rating=5)
    profiles.set_skill(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=uid,
        uri=PYTHON,
        proficiency=4,
        evidence=[job],
        now=now,
    )
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    report = gap_analysis.gap_to_occupation(
        taxonomy_platform.uow(), cache, actor=pro, user_id=uid, occupation=DEVELOPER, today=TODAY
    )
    items = {item.skill.uri: item for item in report.gap.items}
    assert items[PYTHON].status is GapStatus.COVERED
    assert items[PROGRAMMING].status is GapStatus.PARTIAL
    credit = items[PROGRAMMING].credit
    assert credit is not None
    assert credit.link is Link.NARROWER
    assert "through Python (computer programming)" in items[PROGRAMMING].explanation
    assert items[HASKELL].status is not GapStatus.COVERED
    assert report.gap.items[0].skill.importance == 1.0  # an essential skill heads the gap
    assert 0 < report.gap.fit < 1
    assert report.note == ""
    custom = gap_analysis.gap_to_skills(
        taxonomy_platform.uow(), cache, actor=pro, user_id=uid, skills=[PYTHON], today=TODAY
    )
    assert custom.gap.breakdown.covered == 1
    closest = gap_analysis.closest_occupations(
        taxonomy_platform.uow(), cache, actor=pro, user_id=uid, today=TODAY
    )
    assert closest
    assert DEVELOPER in [c.fit.uri for c in closest]
    assert all(c.fit.fit > 0 for c in closest)
    shape = gap_analysis.shape_of_career(taxonomy_platform.uow(), cache, actor=pro, user_id=uid, today=TODAY)
    assert shape.shape.areas
    assert shape.stale == ()


def test_an_occupation_without_a_skill_list_says_so(taxonomy_platform: Platform) -> None:
    pro, _, _ = _setup(taxonomy_platform)
    with taxonomy_platform.uow() as uow:
        bare = next(
            occupation for occupation, _, _ in uow.taxonomy.occupation_skill_rows() if occupation != DEVELOPER
        )
    assert taxonomy_platform.engine is not None
    with taxonomy_platform.engine.begin() as connection:  # as in a taxonomy that lacks this relation file
        bare_id = select(OccupationRow.id).where(OccupationRow.uri == bare).scalar_subquery()
        connection.execute(delete(OccupationSkillRow).where(OccupationSkillRow.occupation_id == bare_id))
    report = gap_analysis.gap_to_occupation(
        taxonomy_platform.uow(),
        gap_analysis.graph_cache(taxonomy_platform.caches),
        actor=pro,
        user_id=_uid(pro),
        occupation=bare,
        today=TODAY,
    )
    assert "lists no skills" in report.note
    assert report.gap.items == ()
    assert report.gap.fit == 0


def test_a_custom_gap_never_names_another_organisations_skill(taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    with taxonomy_platform.uow() as uow:
        own = uow.taxonomy.add_org_skill(
            Skill(uri="", preferred_label="Acme secret sauce", organisation_id=org.organisation_id),
            [],
            created_by=org.admin.user_id,
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    cache = gap_analysis.graph_cache(taxonomy_platform.caches)
    outsider = org.outsider
    with pytest.raises(NotFound, match="no skill"):
        gap_analysis.gap_to_skills(
            taxonomy_platform.uow(),
            cache,
            actor=outsider,
            user_id=_uid(outsider),
            skills=[own.uri],
            today=TODAY,
        )
    mine = gap_analysis.gap_to_skills(
        taxonomy_platform.uow(),
        cache,
        actor=org.admin,
        user_id=_uid(org.admin),
        skills=[own.uri],
        today=TODAY,
    )
    assert [item.skill.label for item in mine.gap.items] == ["Acme secret sauce"]


def test_a_profile_made_on_the_way_starts_private(taxonomy_platform: Platform) -> None:
    pro, _, third = _setup(taxonomy_platform)
    uid = _uid(pro)
    claim = Evidence(EvidenceKind.SELF_CLAIM, TODAY)
    profiles.set_skill(
        taxonomy_platform.uow(),
        actor=pro,
        user_id=uid,
        uri=PYTHON,
        proficiency=3,
        evidence=[claim],
        now=taxonomy_platform.clock(),
    )
    with pytest.raises(NotFound):
        profiles.get_profile(taxonomy_platform.uow(), actor=third, user_id=uid, today=TODAY)
    assert profiles.get_profile(taxonomy_platform.uow(), actor=pro, user_id=uid, today=TODAY).skills
