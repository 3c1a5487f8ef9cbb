"""Demo professionals' profiles: experiences, skills and evidence of every kind, dated relative to today.

Evidence is dated in months before the day the demo is loaded, so the demo keeps its shape over the
years: what was fresh stays fresh, what was going stale stays stale. Credentials, micro-jobs and
assessments are recorded by the operator (the system actor), as the parts of the platform that verify
them would. A skill the stored taxonomy lacks (a smaller or older ESCO) is skipped and counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import (
    Experience,
    ExperienceKind,
    Language,
    Location,
    PartialDate,
    Profile,
    Visibility,
)
from microcareer.errors import InvalidInput
from microcareer.services import profiles
from microcareer.services.ports import Clock, UnitOfWork

DAYS_A_MONTH = 30.44


@dataclass(frozen=True)
class DemoEvidence:
    kind: EvidenceKind
    months_ago: int
    source: str
    rating: float | None

    def evidence(self, today: date) -> Evidence:
        last_used = today - timedelta(days=round(self.months_ago * DAYS_A_MONTH))
        return Evidence(self.kind, last_used, self.source, self.rating)


@dataclass(frozen=True)
class DemoSkillHeld:
    uri: str
    label: str
    """For people reading demo.json; the URI is what counts."""
    proficiency: int
    evidence: tuple[DemoEvidence, ...]


@dataclass(frozen=True)
class DemoProfile:
    email: str
    profile: Profile
    skills: tuple[DemoSkillHeld, ...]


def _records(value: object, where: str) -> list[Mapping[str, object]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput(f"{where}: expected a list of objects")
    return list(value)


def _text(record: Mapping[str, object], name: str, where: str, *, required: bool = False) -> str:
    value = record.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"{where}.{name}: expected a{' non-empty' if required else ''} string", field=name)
    return value


def _number(record: Mapping[str, object], name: str, where: str) -> float | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}.{name}: expected a number", field=name)
    return float(value)


def _experience(record: Mapping[str, object], where: str) -> Experience:
    try:
        kind = ExperienceKind(_text(record, "kind", where, required=True))
    except ValueError:
        raise InvalidInput(f"{where}.kind: one of {', '.join(k.value for k in ExperienceKind)}") from None
    skills = record.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise InvalidInput(f"{where}.skills: expected a list of skill URIs")
    return Experience(
        kind=kind,
        title=_text(record, "title", where),
        organisation=_text(record, "organisation", where),
        description=_text(record, "description", where),
        start=PartialDate.parse(_text(record, "start", where), field=f"{where}.start"),
        end=PartialDate.parse(_text(record, "end", where), field=f"{where}.end"),
        skills=tuple(skills),
    )


def _evidence(record: Mapping[str, object], where: str) -> DemoEvidence:
    try:
        kind = EvidenceKind(_text(record, "kind", where, required=True))
    except ValueError:
        raise InvalidInput(f"{where}.kind: one of {', '.join(k.value for k in EvidenceKind)}") from None
    months = record.get("months_ago")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise InvalidInput(f"{where}.months_ago: expected a whole number of months, 0 or more")
    return DemoEvidence(kind, months, _text(record, "source", where), _number(record, "rating", where))


def parse_demo_profiles(value: object, *, source: str = "demo data") -> tuple[DemoProfile, ...]:
    """The ``profiles`` list of demo.json; errors name the place (``demo.json: profiles[0].skills[3]``)."""
    found: list[DemoProfile] = []
    for i, record in enumerate(_records(value if value is not None else [], f"{source}: profiles")):
        where = f"{source}: profiles[{i}]"
        location = record.get("location", {})
        if not isinstance(location, dict):
            raise InvalidInput(f"{where}.location: expected an object")
        try:
            visibility = Visibility(_text(record, "visibility", where) or "public")
        except ValueError:
            raise InvalidInput(f"{where}.visibility: public, organisation or private") from None
        hours = _number(record, "hours_per_week", where)
        profile = Profile(
            headline=_text(record, "headline", where),
            summary=_text(record, "summary", where),
            location=Location(
                city=_text(location, "city", f"{where}.location"),
                country_code=_text(location, "country_code", f"{where}.location"),
            ),
            languages=tuple(
                Language(
                    _text(x, "language", f"{where}.languages[{j}]", required=True), _text(x, "fluency", "")
                )
                for j, x in enumerate(_records(record.get("languages", []), f"{where}.languages"))
            ),
            hourly_rate=_number(record, "hourly_rate", where),
            currency=_text(record, "currency", where) or "EUR",
            hours_per_week=int(hours) if hours is not None else None,
            available=record.get("available", True) is not False,
            visibility=visibility,
            experiences=tuple(
                _experience(x, f"{where}.experiences[{j}]")
                for j, x in enumerate(_records(record.get("experiences", []), f"{where}.experiences"))
            ),
        )
        skills = []
        for j, skill in enumerate(_records(record.get("skills", []), f"{where}.skills")):
            at = f"{where}.skills[{j}]"
            level = skill.get("proficiency")
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
                raise InvalidInput(f"{at}.proficiency: expected a whole number from 1 to 5")
            evidence = tuple(
                _evidence(x, f"{at}.evidence[{k}]")
                for k, x in enumerate(_records(skill.get("evidence", []), f"{at}.evidence"))
            )
            skills.append(
                DemoSkillHeld(
                    _text(skill, "uri", at, required=True), _text(skill, "label", at), level, evidence
                )
            )
        found.append(DemoProfile(_text(record, "email", where, required=True), profile, tuple(skills)))
    return tuple(found)


@dataclass
class ProfilesSeeded:
    created: int = 0
    existing: int = 0
    skills_skipped: int = 0


def seed_profiles(
    uow: UnitOfWork,
    *,
    actor: Actor,
    demo_profiles: tuple[DemoProfile, ...],
    user_ids: Mapping[str, int],
    clock: Clock,
) -> ProfilesSeeded:
    """Give each demo professional their profile, unless they have one already (left as it is)."""
    report = ProfilesSeeded()
    now = clock()
    for demo in demo_profiles:
        user_id = user_ids.get(demo.email)
        if user_id is None:
            raise InvalidInput(f"profiles[{demo.email}]: not one of the demo users")
        with uow:
            if uow.profiles.get(user_id) is not None:
                report.existing += 1
                continue
            known = uow.taxonomy.skill_refs(
                sorted({s.uri for s in demo.skills} | {u for e in demo.profile.experiences for u in e.skills})
            )
        experiences = tuple(
            Experience(
                kind=e.kind,
                title=e.title,
                organisation=e.organisation,
                description=e.description,
                start=e.start,
                end=e.end,
                skills=tuple(uri for uri in e.skills if uri in known),
            )
            for e in demo.profile.experiences
        )
        profile = replace(demo.profile, experiences=experiences)
        profiles.save_profile(uow, actor=actor, user_id=user_id, profile=profile, now=now)
        for skill in demo.skills:
            if skill.uri not in known:
                report.skills_skipped += 1
                continue
            profiles.set_skill(
                uow,
                actor=actor,
                user_id=user_id,
                uri=skill.uri,
                proficiency=skill.proficiency,
                evidence=[e.evidence(now.date()) for e in skill.evidence],
                now=now,
            )
        report.created += 1
    return report
