"""Profiles in the store, on SQLite and PostgreSQL: saved whole, skills with their evidence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from microcareer.bootstrap import Platform
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import (
    Experience,
    ExperienceKind,
    Language,
    Location,
    PartialDate,
    Profile,
    ProfileSkill,
    Visibility,
)
from tests.integration.taxonomy_helpers import PROGRAMMING, PYTHON, make_organisation

PROFILE = Profile(
    headline="Backend developer",
    summary="Python and data pipelines.",
    location=Location(city="Lisbon", country_code="PT"),
    languages=(Language("Portuguese", "Native speaker"), Language("English")),
    hourly_rate=55.5,
    hours_per_week=20,
    available=False,
    visibility=Visibility.ORGANISATION,
    experiences=(
        Experience(
            ExperienceKind.JOB,
            "Software developer",
            organisation="Acme",
            start=PartialDate("2021-04"),
            end=PartialDate("2024-01-31"),
            highlights=("Cut latency by 40%",),
            skills=(PYTHON, PROGRAMMING),
            extras={"location": "Lisbon"},
        ),
        Experience(ExperienceKind.GIG, "Shop data migration", start=PartialDate("2024-06")),
    ),
)


def _user(platform: Platform) -> int:
    user_id = make_organisation(platform).outsider.user_id
    assert user_id is not None
    return user_id


def test_a_profile_round_trips_with_its_experiences(platform: Platform) -> None:
    user = _user(platform)
    with platform.uow() as uow:
        assert uow.profiles.get(user) is None
        uow.profiles.save(
            user, PROFILE, resume_extras={"education": [{"institution": "ULisboa"}]}, at=platform.clock()
        )
        uow.commit()
    with platform.uow() as uow:
        stored = uow.profiles.get(user)
    assert stored is not None
    assert stored.profile == PROFILE
    assert stored.resume_extras == {"education": [{"institution": "ULisboa"}]}
    with platform.uow() as uow:
        owner = uow.accounts.get_user(user)
        assert owner is not None
        assert uow.profiles.named(user) == (owner.display_name, stored)
        assert uow.profiles.named(10**9) is None


def test_named_gives_the_name_and_no_profile_for_a_user_who_wrote_none(platform: Platform) -> None:
    user = _user(platform)
    with platform.uow() as uow:
        found = uow.accounts.get_user(user)
        assert found is not None
        assert uow.profiles.named(user) == (found.display_name, None)


def test_saving_again_replaces_the_experiences(platform: Platform) -> None:
    user = _user(platform)
    with platform.uow() as uow:
        uow.profiles.save(user, PROFILE, resume_extras={}, at=platform.clock())
        uow.commit()
    shorter = Profile(headline="Data engineer", experiences=PROFILE.experiences[1:])
    with platform.uow() as uow:
        uow.profiles.save(user, shorter, resume_extras={}, at=platform.clock())
        uow.commit()
    with platform.uow() as uow:
        stored = uow.profiles.get(user)
    assert stored is not None
    assert stored.profile == shorter


def test_skills_carry_their_evidence_and_can_be_removed(platform: Platform) -> None:
    user = _user(platform)
    now = platform.clock()
    credential = Evidence(EvidenceKind.CREDENTIAL, date(2026, 3, 2), "urn:uuid:1")
    job = Evidence(EvidenceKind.MICRO_JOB, date(2026, 7, 20), "contract 7", rating=4.5)
    with platform.uow() as uow:
        uow.profiles.save(user, Profile(), resume_extras={}, at=now)
        uow.profiles.set_skill(user, PYTHON, 4, at=now)
        uow.profiles.add_evidence(user, PYTHON, [credential, job], at=now)
        uow.profiles.set_skill(user, PROGRAMMING, 2, at=now)
        uow.profiles.set_skill(user, PROGRAMMING, 3, at=now)
        uow.commit()
    with platform.uow() as uow:
        assert uow.profiles.skills(user) == [  # by URI
            ProfileSkill(PROGRAMMING, 3),
            ProfileSkill(PYTHON, 4, (credential, job)),
        ]
        assert uow.profiles.remove_skill(user, PYTHON)
        assert not uow.profiles.remove_skill(user, PYTHON)
        uow.commit()
    with platform.uow() as uow:
        assert [s.uri for s in uow.profiles.skills(user)] == [PROGRAMMING]
        assert uow.profiles.holders_of([user]) == {user: [ProfileSkill(PROGRAMMING, 3)]}


def test_evidence_for_a_skill_not_on_the_profile_is_refused(platform: Platform) -> None:
    user = _user(platform)
    with platform.uow() as uow:
        uow.profiles.save(user, Profile(), resume_extras={}, at=platform.clock())
        uow.commit()
    with platform.uow() as uow, pytest.raises(IntegrityError):
        uow.profiles.add_evidence(
            user, PYTHON, [Evidence(EvidenceKind.SELF_CLAIM, date(2026, 1, 1))], at=platform.clock()
        )
