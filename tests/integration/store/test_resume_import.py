"""CV and JSON Resume import on the mini ESCO, on SQLite and PostgreSQL: confirm, round trip."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.domain.profiles.profile import ExperienceKind, Profile, Visibility
from microcareer.errors import InvalidInput, NotFound, PermissionDenied
from microcareer.services import extraction, profiles, resume_import, skill_names, taxonomy_search
from tests.integration.taxonomy_helpers import (
    DEBUGGING_TOOLS,
    HASKELL,
    PYTHON,
    make_organisation,
    use_tool_names,
)
from tests.unit.domain.test_profiles_json_resume import FULL

CVS = Path(__file__).resolve().parents[2] / "data" / "cvs"
SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


def _person(platform: Platform, name: str = "Ana Lima", email: str = "ana@example.org") -> Actor:
    with platform.uow() as uow:
        user = uow.accounts.add_user(
            email=email,
            display_name=name,
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()
    return Actor(user_id=user.id, roles=frozenset({Role.PROFESSIONAL}))


def _uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def _propose(platform: Platform, actor: Actor, name: str = "backend-developer.md") -> dict[str, Any]:
    extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    proposal = resume_import.propose_cv_import(
        extractor,
        actor=actor,
        user_id=actor.user_id,
        source=name,
        text=(CVS / name).read_text(encoding="utf-8"),
        today=platform.clock().date(),
    )
    return proposal.to_json()


def test_a_cv_proposal_places_skills_in_experiences_and_saves_nothing(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    proposal = _propose(taxonomy_platform, pro)
    titles = [(e["ref"], e["title"]) for e in proposal["experiences"]]
    assert titles == [
        ("e1", "Senior Backend Developer"),
        ("e2", "Backend Developer"),
        ("e3", "Typed Haskell parser for tariff files"),
    ]
    skills = {s["uri"]: s for s in proposal["skills"]}
    assert skills[PYTHON]["experiences"] == ["e1", "e2"]
    assert skills[HASKELL]["experiences"] == ["e3"]
    assert skills[HASKELL]["last_used"] == "2019-01-01"  # the project's year, not today
    assert skills[PYTHON]["last_used"] == taxonomy_platform.clock().date().isoformat()  # an ongoing job
    with taxonomy_platform.uow() as uow:
        assert uow.profiles.get(_uid(pro)) is None
        assert uow.profiles.skills(_uid(pro)) == []


def test_confirming_saves_the_accepted_part_with_cv_evidence(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    uid = _uid(pro)
    now = taxonomy_platform.clock()
    profiles.save_profile(
        taxonomy_platform.uow(), actor=pro, user_id=uid, profile=Profile(headline="Dev"), now=now
    )
    proposal = _propose(taxonomy_platform, pro)
    proposal["experiences"] = proposal["experiences"][1:]  # the person drops the first job
    proposal["skills"] = [s for s in proposal["skills"] if s["uri"] in {PYTHON, HASKELL}]
    next(s for s in proposal["skills"] if s["uri"] == PYTHON)["proficiency"] = 5
    result = resume_import.confirm_cv_import(
        taxonomy_platform.uow(), actor=pro, user_id=uid, proposal_accepted=proposal, now=now
    )
    assert result.experiences == 2
    view = profiles.get_profile(taxonomy_platform.uow(), actor=pro, user_id=uid, today=now.date())
    assert view.profile.headline == "Dev"  # the profile's own fields stay
    kiosk, parser = view.profile.experiences
    assert (kiosk.kind, kiosk.organisation, kiosk.start and kiosk.start.text) == (
        ExperienceKind.JOB,
        "Kiosk24 AG",
        "2017-03",
    )
    assert PYTHON in kiosk.skills
    assert parser.skills == (HASKELL,)
    held = {h.uri: h for h in view.skills}
    assert set(held) == {PYTHON, HASKELL}
    assert {e.kind for h in held.values() for e in h.evidence} == {EvidenceKind.CV_EXTRACTION}
    assert [e.last_used for e in held[PYTHON].evidence] == [date(2020, 12, 1)]  # e1 was dropped
    assert (held[HASKELL].proficiency, held[PYTHON].proficiency) == (3, 5)
    assert "found in CV" in held[HASKELL].confidence.explanation


def test_a_bad_skill_in_the_confirmed_proposal_saves_nothing(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    proposal = _propose(taxonomy_platform, pro)
    proposal["skills"].append({"uri": "http://data.europa.eu/esco/skill/made-up"})
    with pytest.raises(InvalidInput, match=r"skills\[\d+\]\.uri") as info:
        resume_import.confirm_cv_import(
            taxonomy_platform.uow(),
            actor=pro,
            user_id=_uid(pro),
            proposal_accepted=proposal,
            now=taxonomy_platform.clock(),
        )
    assert "made-up" in str(info.value)
    with taxonomy_platform.uow() as uow:
        assert uow.profiles.get(_uid(pro)) is None
        assert uow.profiles.skills(_uid(pro)) == []


def test_only_the_owner_or_an_admin_imports(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    other = _person(taxonomy_platform, "Otto", "otto@example.org")
    proposal = _propose(taxonomy_platform, pro)
    with pytest.raises(PermissionDenied):
        resume_import.confirm_cv_import(
            taxonomy_platform.uow(),
            actor=other,
            user_id=_uid(pro),
            proposal_accepted=proposal,
            now=taxonomy_platform.clock(),
        )
    with pytest.raises(PermissionDenied):
        resume_import.import_json_resume(
            taxonomy_platform.uow(),
            actor=other,
            user_id=_uid(pro),
            document={},
            now=taxonomy_platform.clock(),
            cache=taxonomy_search.label_index_cache(taxonomy_platform.caches),
        )


def _import(platform: Platform, actor: Actor, document: object) -> resume_import.JsonResumeImport:
    return resume_import.import_json_resume(
        platform.uow(),
        actor=actor,
        user_id=_uid(actor),
        document=document,
        now=platform.clock(),
        cache=taxonomy_search.label_index_cache(platform.caches),
        lexicon=skill_names.extraction_lexicon(platform.uow(), platform.caches, platform.lexicons),
    )


def test_json_resume_round_trip_gives_back_every_field(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    result = _import(taxonomy_platform, pro, copy.deepcopy(FULL))
    assert [(m.name, m.uri) for m in result.mapped] == [("Python", PYTHON), ("SQL", SQL)]
    assert result.unmapped == ()
    assert result.notes == ()
    exported = resume_import.export_json_resume(taxonomy_platform.uow(), actor=pro, user_id=_uid(pro))
    expected = copy.deepcopy(FULL)
    # skills come back under ESCO's preferred labels, with the résumé's keywords and level
    expected["skills"][0]["name"] = "Python (computer programming)"
    assert exported == expected


def test_json_resume_skills_that_map_to_nothing_are_reported_and_kept(taxonomy_platform: Platform) -> None:
    pro = _person(taxonomy_platform)
    document = copy.deepcopy(FULL)
    document["basics"]["name"] = "Ana Maria Lima"
    document["skills"] = [
        {"name": "Haskel", "level": "Advanced"},  # a typo: near-exact, mapped
        {"name": "Underwater basket weaving", "level": "Master", "keywords": ["wicker"]},
        {"name": "Python 3"},  # near-exact: ESCO's "Python 3K"
        {"name": "Docker"},  # a tool name, read as everywhere a skill is named
    ]
    use_tool_names(taxonomy_platform, {"Docker": DEBUGGING_TOOLS})
    result = _import(taxonomy_platform, pro, document)
    assert [(m.name, m.uri) for m in result.mapped] == [
        ("Haskel", HASKELL),
        ("Python 3", PYTHON),
        ("Docker", DEBUGGING_TOOLS),
    ]
    assert [u.name for u in result.unmapped] == ["Underwater basket weaving"]
    assert any("basics.name" in note for note in result.notes)
    exported = resume_import.export_json_resume(taxonomy_platform.uow(), actor=pro, user_id=_uid(pro))
    assert exported["basics"]["name"] == "Ana Lima"  # the account's name
    assert exported["skills"] == [
        {"name": "Haskell", "level": "Advanced"},
        {"name": "Python (computer programming)", "level": "Intermediate"},  # no level given: 3
        {"name": "ICT debugging tools", "level": "Intermediate"},
        document["skills"][1],  # given back as written
    ]


def test_json_resume_import_keeps_rate_and_visibility_and_errors_name_paths(
    taxonomy_platform: Platform,
) -> None:
    pro = _person(taxonomy_platform)
    uid = _uid(pro)
    now = taxonomy_platform.clock()
    kept = Profile(headline="Old", hourly_rate=80.0, visibility=Visibility.ORGANISATION)
    profiles.save_profile(taxonomy_platform.uow(), actor=pro, user_id=uid, profile=kept, now=now)
    with pytest.raises(InvalidInput) as info:
        _import(taxonomy_platform, pro, {"work": [{"name": "Acme", "startDate": "2021-13"}]})
    assert info.value.extra["field"] == "work[0].startDate"
    _import(taxonomy_platform, pro, FULL)
    profile = profiles.get_profile(taxonomy_platform.uow(), actor=pro, user_id=uid, today=now.date()).profile
    assert (profile.headline, profile.hourly_rate, profile.visibility) == (
        "Backend developer",
        80.0,
        Visibility.ORGANISATION,
    )


def test_export_follows_profile_visibility_and_hides_the_email_from_others(
    taxonomy_platform: Platform,
) -> None:
    pro = _person(taxonomy_platform)
    org = make_organisation(taxonomy_platform)
    _import(taxonomy_platform, pro, FULL)
    seen = resume_import.export_json_resume(taxonomy_platform.uow(), actor=org.outsider, user_id=_uid(pro))
    assert "email" not in seen["basics"]
    assert seen["basics"]["name"] == "Ana Lima"
    profiles.save_profile(
        taxonomy_platform.uow(),
        actor=pro,
        user_id=_uid(pro),
        profile=Profile(visibility=Visibility.PRIVATE),
        now=taxonomy_platform.clock(),
    )
    with pytest.raises(NotFound):
        resume_import.export_json_resume(taxonomy_platform.uow(), actor=org.outsider, user_id=_uid(pro))
