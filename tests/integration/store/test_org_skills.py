"""The organisation view on the mini ESCO, on SQLite and PostgreSQL: inventory, gap to roles, and walls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services import gap_analysis, org_skills, profiles
from microcareer.services.taxonomy import label_index_cache
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PROGRAMMING, PYTHON, make_organisation

TODAY = date(2026, 11, 23)
SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
DEBUG = "http://data.europa.eu/esco/skill/2522a6ce-3202-4ac8-9f5b-b9cb5a3a83a1"


@dataclass(frozen=True)
class Two:
    admin: Actor
    member: Actor
    outsider: Actor
    other_admin: Actor
    names: dict[str, int]


def _person(
    platform: Platform,
    name: str,
    org_id: int,
    visibility: Visibility,
    skills: dict[str, int],
) -> int:
    now = platform.clock()
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email=f"{name}@x.test",
            display_name=name,
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        uow.accounts.set_membership(org_id, user.id, OrgRole.MEMBER, created_at=now)
        uow.commit()
    system = Actor.system()
    profiles.save_profile(
        platform.uow(), actor=system, user_id=user.id, profile=Profile(visibility=visibility), now=now
    )
    for uri, level in skills.items():
        job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 6, 1), "contract", rating=4)
        profiles.set_skill(
            platform.uow(), actor=system, user_id=user.id, uri=uri, proficiency=level, evidence=[job], now=now
        )
    return user.id


def _two_organisations(platform: Platform) -> Two:
    acme = make_organisation(platform, "acme")
    globex = make_organisation(platform, "globex")
    names = {
        "Mia": _person(platform, "Mia", acme.organisation_id, Visibility.ORGANISATION, {PYTHON: 4, SQL: 2}),
        "Max": _person(
            platform, "Max", acme.organisation_id, Visibility.PUBLIC, {PROGRAMMING: 4, DEBUG: 3, PYTHON: 3}
        ),
        "Pia": _person(platform, "Pia", acme.organisation_id, Visibility.PRIVATE, {HASKELL: 5}),
        "Gus": _person(platform, "Gus", globex.organisation_id, Visibility.PUBLIC, {HASKELL: 4, PYTHON: 5}),
    }
    member = Actor(user_id=names["Mia"], memberships={acme.organisation_id: OrgRole.MEMBER})
    return Two(acme.admin, member, acme.outsider, globex.admin, names)


def test_the_inventory_counts_readable_members_only(taxonomy_platform: Platform) -> None:
    two = _two_organisations(taxonomy_platform)
    inventory = org_skills.skills_inventory(
        taxonomy_platform.uow(), actor=two.admin, slug="acme", today=TODAY
    )
    by_uri = {skill.uri: skill for skill in inventory.skills}
    assert set(by_uri) == {PYTHON, SQL, PROGRAMMING, DEBUG}  # no Haskell: Pia's profile is private
    python = by_uri[PYTHON]
    assert [h.display_name for h in python.holders] == ["Mia", "Max"]  # level 4 before level 3
    assert python.levels == (0, 0, 1, 1, 0)
    assert 0 < python.mean_confidence < 1
    assert inventory.skills[0].uri == PYTHON  # the most held first
    holders = {h.user_id for skill in inventory.skills for h in skill.holders}
    assert two.names["Gus"] not in holders  # another organisation's public profile stays out
    assert inventory.count.members == 4  # the admin (no skills of her own), Mia, Max, Pia
    count = inventory.count
    assert (count.shown, count.private, count.without_skills, count.left_out) == (2, 1, 1, 2)
    assert (
        count.sentence()
        == "2 of 4 members shown; 1 keeps a private profile; 1 has no skills on a profile yet."
    )

    everyone = org_skills.skills_inventory(
        taxonomy_platform.uow(), actor=Actor.system(), slug="acme", today=TODAY
    )
    assert HASKELL in {skill.uri for skill in everyone.skills}  # platform admins read private profiles
    assert two.names["Gus"] not in {h.user_id for s in everyone.skills for h in s.holders}


def test_only_the_organisations_admins_see_it(taxonomy_platform: Platform) -> None:
    two = _two_organisations(taxonomy_platform)
    uow = taxonomy_platform.uow
    with pytest.raises(PermissionDenied):  # a plain member knows the organisation, may not see this
        org_skills.skills_inventory(uow(), actor=two.member, slug="acme", today=TODAY)
    for stranger in (two.outsider, two.other_admin):
        with pytest.raises(NotFound):
            org_skills.skills_inventory(uow(), actor=stranger, slug="acme", today=TODAY)
        with pytest.raises(NotFound):
            org_skills.organisation_gap(
                uow(),
                gap_analysis.graph_cache(taxonomy_platform.caches),
                label_index_cache(taxonomy_platform.caches),
                actor=stranger,
                slug="acme",
                roles=[DEVELOPER],
                today=TODAY,
            )


def test_the_gap_to_a_role_ranks_members_by_their_own_gap(taxonomy_platform: Platform) -> None:
    two = _two_organisations(taxonomy_platform)
    graphs = gap_analysis.graph_cache(taxonomy_platform.caches)
    labels = label_index_cache(taxonomy_platform.caches)
    result = org_skills.organisation_gap(
        taxonomy_platform.uow(), graphs, labels, actor=two.admin, slug="acme", roles=[DEVELOPER], today=TODAY
    )
    [role] = result.roles
    assert role.uri == DEVELOPER
    assert role.note == ""
    assert [c.display_name for c in role.candidates] == ["Max", "Mia"]  # never Pia (private) nor Gus
    fits = [c.fit for c in role.candidates]
    assert fits == sorted(fits, reverse=True)
    for candidate in role.candidates:  # the same figures as each person's own gap
        own = gap_analysis.gap_to_occupation(
            taxonomy_platform.uow(),
            graphs,
            actor=Actor.system(),
            user_id=candidate.user_id,
            occupation=DEVELOPER,
            today=TODAY,
        )
        assert candidate.fit == own.gap.fit
        assert candidate.breakdown == own.gap.breakdown
        essential_open = [i.skill.label for i in own.gap.to_close if i.skill.importance == 1.0][
            : org_skills.TOP_MISSING
        ]
        assert list(candidate.top_missing) == essential_open
    assert role.candidates[-1].top_missing  # Mia lacks essential skills of a developer

    by_label = org_skills.organisation_gap(
        taxonomy_platform.uow(),
        graphs,
        labels,
        actor=two.admin,
        slug="acme",
        roles=[role.label, DEVELOPER],
        today=TODAY,
    )
    assert [r.uri for r in by_label.roles] == [DEVELOPER, DEVELOPER]  # a label works as well as a URI


def test_bad_roles_are_named(taxonomy_platform: Platform) -> None:
    two = _two_organisations(taxonomy_platform)
    graphs = gap_analysis.graph_cache(taxonomy_platform.caches)
    labels = label_index_cache(taxonomy_platform.caches)
    with pytest.raises(InvalidInput, match="at least one target role"):
        org_skills.organisation_gap(
            taxonomy_platform.uow(), graphs, labels, actor=two.admin, slug="acme", roles=[" "], today=TODAY
        )
    with pytest.raises(NotFound, match="no-such-role"):
        org_skills.organisation_gap(
            taxonomy_platform.uow(),
            graphs,
            labels,
            actor=two.admin,
            slug="acme",
            roles=["no-such-role"],
            today=TODAY,
        )
