"""Demo professionals of demo.json on the mini ESCO: profiles made once, unknown skills skipped."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib.resources import files

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import InvalidInput
from microcareer.services import demo, profiles, users


def _data() -> demo.DemoData:
    """demo.json without its organisation, whose skill links to ESCO skills the mini ESCO lacks."""
    raw = json.loads(files("microcareer.data").joinpath("demo.json").read_text(encoding="utf-8"))
    return replace(demo.parse_demo_data(raw, source="demo.json"), organisations=())


def _seed(platform: Platform, data: demo.DemoData) -> demo.DemoReport:
    return demo.seed_demo(
        platform.uow(), actor=Actor.system(), data=data, passwords=platform.passwords, clock=platform.clock
    )


def test_demo_professionals_get_profiles_once(taxonomy_platform: Platform) -> None:
    data = _data()
    assert {p.email for p in data.profiles} <= {u.email for u in data.users}
    first = _seed(taxonomy_platform, data)
    assert first.profiles_created == len(data.profiles)
    assert first.profile_skills_skipped > 0  # the mini ESCO lacks most of them
    ada = users.find_user_by_email(
        taxonomy_platform.uow(), actor=Actor.system(), email="ada@demo.microcareer.dev"
    )
    view = profiles.get_profile(
        taxonomy_platform.uow(), actor=Actor.system(), user_id=ada.id, today=taxonomy_platform.clock().date()
    )
    assert view.profile.headline
    assert view.profile.experiences
    held = {s.label: s for s in view.skills}
    python = held["Python (computer programming)"]  # in the mini ESCO too
    assert {e.kind for e in python.evidence} >= {EvidenceKind.CREDENTIAL, EvidenceKind.MICRO_JOB}
    again = _seed(taxonomy_platform, data)
    assert (again.profiles_created, again.profiles_existing) == (0, len(data.profiles))


def test_a_bad_demo_profile_is_named_by_its_place() -> None:
    raw = {"password": "x", "profiles": [{"email": "a@b.c", "skills": [{"uri": "u", "proficiency": 9}]}]}
    with pytest.raises(InvalidInput, match=r"demo.json: profiles\[0\].skills\[0\].proficiency"):
        demo.parse_demo_data(raw, source="demo.json")
    raw = {
        "password": "x",
        "profiles": [{"email": "a@b.c", "experiences": [{"kind": "job", "start": "2020-13"}]}],
    }
    with pytest.raises(InvalidInput, match=r"profiles\[0\].experiences\[0\].start"):
        demo.parse_demo_data(raw, source="demo.json")
