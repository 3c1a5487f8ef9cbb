"""JSON Resume v1 in and out: every field of the schema survives a round trip; errors name the path."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from microcareer.domain.profiles.json_resume import (
    SCHEMA,
    ResumeSkill,
    from_json_resume,
    proficiency_of,
    to_json_resume,
)
from microcareer.domain.profiles.profile import ExperienceKind, PartialDate, Profile, Visibility
from microcareer.errors import InvalidInput

FULL: dict[str, Any] = {
    "$schema": SCHEMA,
    "basics": {
        "name": "Ana Lima",
        "label": "Backend developer",
        "image": "https://example.org/ana.png",
        "email": "ana@example.org",
        "phone": "+351 912 345 678",
        "url": "https://ana.example.org",
        "summary": "Python and data pipelines.",
        "location": {
            "address": "Rua Augusta 1",
            "postalCode": "1100-053",
            "city": "Lisbon",
            "countryCode": "PT",
            "region": "Lisboa",
        },
        "profiles": [{"network": "GitHub", "username": "analima", "url": "https://github.com/analima"}],
    },
    "work": [
        {
            "name": "Acme",
            "location": "Lisbon",
            "description": "Logistics software",
            "position": "Software developer",
            "url": "https://acme.example",
            "startDate": "2021-04",
            "endDate": "2024-01-31",
            "summary": "Built the routing service.",
            "highlights": ["Cut API latency by 40%"],
        },
        {"name": "Beta Labs", "position": "Data engineer", "startDate": "2024-02"},
    ],
    "volunteer": [
        {
            "organization": "Code Club",
            "position": "Mentor",
            "url": "https://codeclub.example",
            "startDate": "2019",
            "endDate": "2020",
            "summary": "Taught Python to teenagers.",
            "highlights": ["30 students"],
        }
    ],
    "education": [
        {
            "institution": "Universidade de Lisboa",
            "url": "https://ulisboa.pt",
            "area": "Computer Science",
            "studyType": "Bachelor",
            "startDate": "2016",
            "endDate": "2019",
            "score": "16/20",
            "courses": ["Databases"],
        }
    ],
    "awards": [{"title": "Hackathon winner", "date": "2022-05", "awarder": "Web Summit", "summary": "1st"}],
    "certificates": [
        {"name": "AWS Developer", "date": "2023-01", "issuer": "AWS", "url": "https://aws.example"}
    ],
    "publications": [
        {"name": "Routing at scale", "publisher": "Blog", "releaseDate": "2023", "url": "https://b.example"}
    ],
    "skills": [
        {"name": "Python", "level": "Expert", "keywords": ["Django", "asyncio"]},
        {"name": "SQL", "level": "Intermediate"},
    ],
    "languages": [{"language": "Portuguese", "fluency": "Native speaker"}, {"language": "English"}],
    "interests": [{"name": "Cycling", "keywords": ["road"]}],
    "references": [{"name": "Rui", "reference": "Great engineer."}],
    "projects": [
        {
            "name": "Route planner",
            "description": "Open-source route planner.",
            "highlights": ["1k stars"],
            "keywords": ["graphs"],
            "startDate": "2022",
            "endDate": "2023",
            "url": "https://github.com/analima/routes",
            "roles": ["maintainer"],
            "entity": "Self",
            "type": "application",
        },
        {"name": "Shop data migration", "entity": "Small shop", "type": "micro-job", "startDate": "2024-06"},
    ],
    "meta": {"canonical": "https://ana.example.org/resume.json", "version": "v1.0.0"},
}


def test_every_field_survives_a_round_trip() -> None:
    resume = from_json_resume(copy.deepcopy(FULL))
    assert to_json_resume(resume) == FULL


def test_what_microcareer_models_is_mapped() -> None:
    resume = from_json_resume(FULL)
    profile = resume.profile
    assert resume.name == "Ana Lima"
    assert resume.email == "ana@example.org"
    assert profile.headline == "Backend developer"
    assert str(profile.location) == "Lisbon, Lisboa, PT"
    assert [lang.language for lang in profile.languages] == ["Portuguese", "English"]
    kinds = [(e.kind, e.title) for e in profile.experiences]
    assert kinds == [
        (ExperienceKind.JOB, "Software developer"),
        (ExperienceKind.JOB, "Data engineer"),
        (ExperienceKind.VOLUNTEERING, "Mentor"),
        (ExperienceKind.PROJECT, "Route planner"),
        (ExperienceKind.GIG, "Shop data migration"),
    ]
    acme = profile.experiences[0]
    assert acme.organisation == "Acme"
    assert acme.start == PartialDate("2021-04")
    assert acme.last_used(date(2026, 1, 1)) == date(2024, 1, 31)
    assert profile.experiences[1].last_used(date(2026, 1, 1)) == date(2026, 1, 1)  # ongoing
    assert resume.skills[0] == ResumeSkill("Python", 5, ("Django", "asyncio"))
    assert resume.skills[1].proficiency == 3


def test_export_uses_the_profiles_skills_when_given() -> None:
    resume = from_json_resume(FULL)
    document = to_json_resume(resume, [ResumeSkill("Python (computer programming)", 4)])
    assert document["skills"] == [{"name": "Python (computer programming)", "level": "Advanced"}]


def test_a_minimal_resume_and_an_empty_profile() -> None:
    assert from_json_resume({}).profile == Profile()
    assert to_json_resume(from_json_resume({})) == {"$schema": SCHEMA, "basics": {}}


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ([], "the résumé", "expected an object"),
        ({"work": {}}, "work", "expected a list"),
        ({"work": ["Acme"]}, "work[0]", "expected an object"),
        ({"work": [{"name": "Acme", "startDate": "2021-13"}]}, "work[0].startDate", "2021-13"),
        (
            {"work": [{"name": "A", "startDate": "2022", "endDate": "2021"}]},
            "work[0].end",
            "before it starts",
        ),
        ({"work": [{"startDate": "2022"}]}, "work[0].title", "title or an organisation"),
        ({"skills": [{"name": "SQL", "keywords": "db"}]}, "skills[0].keywords", "list of texts"),
        ({"basics": {"label": 7}}, "basics.label", "expected text"),
    ],
)
def test_errors_name_the_json_path(document: object, field: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as info:
        from_json_resume(document)
    assert info.value.extra["field"] == field


@pytest.mark.parametrize(
    ("level", "proficiency"),
    [("Expert", 5), ("master", 5), ("Advanced", 4), ("intermediate", 3), ("3", 3), ("", None), ("9", None)],
)
def test_level_words(level: str, proficiency: int | None) -> None:
    assert proficiency_of(level) == proficiency


def test_profile_rules() -> None:
    with pytest.raises(InvalidInput, match="hours_per_week"):
        Profile(hours_per_week=200)
    with pytest.raises(InvalidInput, match="currency"):
        Profile(currency="euro")
    hidden = Profile(available=False)
    assert not hidden.searchable
    assert not Profile(visibility=Visibility.PRIVATE).searchable
    assert Profile().searchable
