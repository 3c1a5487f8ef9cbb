"""JSON Resume (jsonresume.org, schema v1) in and out, without losing what the schema has.

What microcareer models (basics' label, summary and location; languages; work, volunteer and
projects as experiences; skills) is mapped both ways. Everything else the résumé holds (education,
awards, certificates, publications, interests, references, basics' contacts and profiles, and item
fields such as a company's description) rides along in ``extras`` and is written back on export.
Errors name the JSON path of what was wrong ("work[2].startDate").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from microcareer.domain.profiles.profile import (
    Experience,
    ExperienceKind,
    Language,
    Location,
    PartialDate,
    Profile,
)
from microcareer.errors import InvalidInput

SCHEMA = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
LEVELS = {1: "Beginner", 2: "Novice", 3: "Intermediate", 4: "Advanced", 5: "Expert"}
_LEVEL_WORDS = {
    "beginner": 1,
    "basic": 1,
    "novice": 2,
    "elementary": 2,
    "intermediate": 3,
    "competent": 3,
    "proficient": 4,
    "advanced": 4,
    "expert": 5,
    "master": 5,
}
_MAPPED_TOP = {"basics", "work", "volunteer", "projects", "skills", "languages"}
_MAPPED_BASICS = {"name", "email", "label", "summary", "location"}
_LOCATION = (
    ("address", "address"),
    ("postalCode", "postal_code"),
    ("city", "city"),
    ("countryCode", "country_code"),
    ("region", "region"),
)
# section → (kind, organisation field, title field, description field)
_SECTIONS: dict[str, tuple[ExperienceKind, str, str, str]] = {
    "work": (ExperienceKind.JOB, "name", "position", "summary"),
    "volunteer": (ExperienceKind.VOLUNTEERING, "organization", "position", "summary"),
    "projects": (ExperienceKind.PROJECT, "entity", "name", "description"),
}
GIG_TYPE = "micro-job"
"""Gigs have no section of their own in JSON Resume: they are projects of this ``type``."""


@dataclass(frozen=True, slots=True)
class ResumeSkill:
    name: str
    proficiency: int | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resume:
    """A résumé as microcareer holds it: the profile, the person's name and email, and skills by name."""

    profile: Profile
    name: str = ""
    email: str = ""
    skills: tuple[ResumeSkill, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)


def proficiency_of(level: str) -> int | None:
    """'Advanced' → 4, '3' → 3, 'Master' → 5; None for words that say no level."""
    cleaned = level.strip().casefold()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 5:
        return int(cleaned)
    return _LEVEL_WORDS.get(cleaned)


def from_json_resume(data: object) -> Resume:
    """Read a JSON Resume document (already parsed from JSON)."""
    root = _object(data, "the résumé")
    basics = _object(root.get("basics", {}), "basics")
    location_data = _object(basics.get("location", {}), "basics.location")
    location = Location(
        **{ours: _text(location_data, theirs, "basics.location") for theirs, ours in _LOCATION}
    )
    languages = tuple(
        Language(_text(item, "language", path), _text(item, "fluency", path))
        for path, item in _items(root, "languages")
    )
    experiences: list[Experience] = []
    for section in _SECTIONS:
        for path, item in _items(root, section):
            experiences.append(_experience(section, path, item))
    skills = tuple(
        ResumeSkill(
            _text(item, "name", path),
            proficiency_of(_text(item, "level", path)),
            tuple(_texts(item, "keywords", path)),
        )
        for path, item in _items(root, "skills")
    )
    extras = {key: value for key, value in root.items() if key not in _MAPPED_TOP}
    basics_extras = {key: value for key, value in basics.items() if key not in _MAPPED_BASICS}
    location_extras = {k: v for k, v in location_data.items() if k not in dict(_LOCATION)}
    if location_extras:
        basics_extras["location"] = location_extras
    if basics_extras:
        extras["basics"] = basics_extras
    headline, summary = _text(basics, "label", "basics"), _text(basics, "summary", "basics")
    try:
        profile = Profile(
            headline=headline,
            summary=summary,
            location=location,
            languages=languages,
            experiences=tuple(experiences),
        )
    except InvalidInput as exc:
        raise InvalidInput(f"basics.{exc}", field=f"basics.{_field(exc)}") from None
    return Resume(profile, _text(basics, "name", "basics"), _text(basics, "email", "basics"), skills, extras)


def to_json_resume(resume: Resume, skills: Sequence[ResumeSkill] | None = None) -> dict[str, Any]:
    """Write a JSON Resume document; ``skills`` (from the profile's holdings) replace the résumé's own."""
    extras = dict(resume.extras)
    basics_extras = dict(extras.pop("basics", {}))
    location = {theirs: getattr(resume.profile.location, ours) for theirs, ours in _LOCATION}
    location = {k: v for k, v in location.items() if v} | dict(basics_extras.pop("location", {}))
    basics: dict[str, Any] = {
        "name": resume.name,
        "label": resume.profile.headline,
        "email": resume.email,
        "summary": resume.profile.summary,
    }
    basics = {k: v for k, v in basics.items() if v} | basics_extras
    if location:
        basics["location"] = location
    document: dict[str, Any] = {"$schema": SCHEMA, "basics": basics}
    for section in _SECTIONS:
        items = [
            _experience_item(section, e) for e in resume.profile.experiences if _section_of(e) == section
        ]
        if items:
            document[section] = items
    chosen = resume.skills if skills is None else skills
    if chosen:
        document["skills"] = [_skill_item(skill) for skill in chosen]
    if resume.profile.languages:
        document["languages"] = [
            {k: v for k, v in (("language", lang.language), ("fluency", lang.fluency)) if v}
            for lang in resume.profile.languages
        ]
    document |= extras
    return document


def _experience(section: str, path: str, item: Mapping[str, Any]) -> Experience:
    kind, organisation_field, title_field, description_field = _SECTIONS[section]
    if section == "projects" and _text(item, "type", path) == GIG_TYPE:
        kind = ExperienceKind.GIG
    mapped = {organisation_field, title_field, description_field, "url", "startDate", "endDate", "highlights"}
    if kind is ExperienceKind.GIG:
        mapped.add("type")
    try:
        return Experience(
            kind=kind,
            title=_text(item, title_field, path),
            organisation=_text(item, organisation_field, path),
            description=_text(item, description_field, path),
            start=PartialDate.parse(_text(item, "startDate", path), field=f"{path}.startDate"),
            end=PartialDate.parse(_text(item, "endDate", path), field=f"{path}.endDate"),
            url=_text(item, "url", path),
            highlights=tuple(_texts(item, "highlights", path)),
            extras={key: value for key, value in item.items() if key not in mapped},
        )
    except InvalidInput as exc:
        if _field(exc).startswith(path):
            raise
        raise InvalidInput(f"{path}: {exc}", field=f"{path}.{_field(exc)}") from None


def _section_of(experience: Experience) -> str:
    if experience.kind is ExperienceKind.JOB:
        return "work"
    if experience.kind is ExperienceKind.VOLUNTEERING:
        return "volunteer"
    return "projects"


def _experience_item(section: str, experience: Experience) -> dict[str, Any]:
    _, organisation_field, title_field, description_field = _SECTIONS[section]
    item: dict[str, Any] = {
        organisation_field: experience.organisation,
        title_field: experience.title,
        "url": experience.url,
        "startDate": experience.start.text if experience.start else "",
        "endDate": experience.end.text if experience.end else "",
        description_field: experience.description,
    }
    item = {k: v for k, v in item.items() if v}
    if experience.highlights:
        item["highlights"] = list(experience.highlights)
    if experience.kind is ExperienceKind.GIG:
        item["type"] = GIG_TYPE
    return item | dict(experience.extras)


def _skill_item(skill: ResumeSkill) -> dict[str, Any]:
    item: dict[str, Any] = {"name": skill.name}
    if skill.proficiency is not None:
        item["level"] = LEVELS[skill.proficiency]
    if skill.keywords:
        item["keywords"] = list(skill.keywords)
    return item


def _field(exc: InvalidInput) -> str:
    return str(exc.extra.get("field", ""))


def _object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{path}: expected an object, got {type(value).__name__}", field=path)
    return value


def _items(root: Mapping[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
    value = root.get(section, [])
    if not isinstance(value, list):
        raise InvalidInput(f"{section}: expected a list, got {type(value).__name__}", field=section)
    return [(f"{section}[{i}]", _object(item, f"{section}[{i}]")) for i, item in enumerate(value)]


def _text(item: Mapping[str, Any], key: str, path: str) -> str:
    value = item.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{path}.{key}: expected text, got {type(value).__name__}", field=f"{path}.{key}")
    return value


def _texts(item: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{path}.{key}: expected a list of texts", field=f"{path}.{key}")
    return list(value)
