"""The profile page's forms, kept as typed so that an error shows each form again as it was filled.

Each form reads the posted fields (``of``) and builds what the services take (``profile``,
``experience``); a bad field raises ``InvalidInput`` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from starlette.datastructures import FormData

from microcareer.domain.profiles.profile import (
    Experience,
    ExperienceKind,
    Language,
    PartialDate,
    Profile,
    Visibility,
)
from microcareer.errors import InvalidInput

MAX_LANGUAGES = 30
MAX_FIELD_CHARS = 20_000


def field_of(form: FormData, name: str) -> str:
    """A posted text field, or "" (an absent field, or a file where text was expected)."""
    value = form.get(name)
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


@dataclass(frozen=True)
class ProfileForm:
    """The profile's own fields (its experiences and skills have forms of their own)."""

    headline: str = ""
    summary: str = ""
    city: str = ""
    region: str = ""
    country_code: str = ""
    languages: str = ""
    """One a line: "Dutch: native"."""
    hourly_rate: str = ""
    currency: str = "EUR"
    hours_per_week: str = ""
    available: bool = True
    visibility: str = Visibility.PRIVATE.value

    @classmethod
    def showing(cls, profile: Profile) -> ProfileForm:
        """The form filled with a stored profile."""
        return cls(
            headline=profile.headline,
            summary=profile.summary,
            city=profile.location.city,
            region=profile.location.region,
            country_code=profile.location.country_code,
            languages="\n".join(
                f"{lang.language}: {lang.fluency}" if lang.fluency else lang.language
                for lang in profile.languages
            ),
            hourly_rate="" if profile.hourly_rate is None else f"{profile.hourly_rate:g}",
            currency=profile.currency,
            hours_per_week="" if profile.hours_per_week is None else str(profile.hours_per_week),
            available=profile.available,
            visibility=profile.visibility.value,
        )

    @classmethod
    def of(cls, form: FormData) -> ProfileForm:
        return cls(
            headline=field_of(form, "headline").strip(),
            summary=field_of(form, "summary").replace("\r\n", "\n").strip(),
            city=field_of(form, "city").strip(),
            region=field_of(form, "region").strip(),
            country_code=field_of(form, "country_code").strip(),
            languages=field_of(form, "languages").replace("\r\n", "\n").strip(),
            hourly_rate=field_of(form, "hourly_rate").strip(),
            currency=field_of(form, "currency").strip().upper() or "EUR",
            hours_per_week=field_of(form, "hours_per_week").strip(),
            available=field_of(form, "available") == "on",
            visibility=field_of(form, "visibility"),
        )

    def profile(self, current: Profile) -> Profile:
        """``current`` with this form's fields; experiences and what the form does not show are kept."""
        try:
            visibility = Visibility(self.visibility)
        except ValueError:
            choices = ", ".join(v.value for v in Visibility)
            raise InvalidInput(
                f"visibility: {self.visibility!r} is not one of {choices}", field="visibility"
            ) from None
        location = replace(
            current.location, city=self.city, region=self.region, country_code=self.country_code
        )
        return replace(
            current,
            headline=self.headline,
            summary=self.summary,
            location=location,
            languages=_languages(self.languages),
            hourly_rate=_number(self.hourly_rate, "hourly_rate"),
            currency=self.currency,
            hours_per_week=_whole(self.hours_per_week, "hours_per_week"),
            available=self.available,
            visibility=visibility,
        )


def _languages(text: str) -> tuple[Language, ...]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LANGUAGES:
        raise InvalidInput(f"languages: at most {MAX_LANGUAGES}, one a line", field="languages")
    languages: list[Language] = []
    for line in lines:
        name, _, fluency = line.partition(":")
        if not name.strip():
            message = f"languages: {line!r} names no language (write 'Dutch: native')"
            raise InvalidInput(message, field="languages")
        languages.append(Language(name.strip(), fluency.strip()))
    return tuple(languages)


def _number(text: str, name: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a number", field=name) from None


def _whole(text: str, name: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a whole number", field=name) from None


@dataclass(frozen=True)
class ExperienceForm:
    """A new experience: what, where, when, and which of the person's skills it used."""

    kind: str = ExperienceKind.JOB.value
    title: str = ""
    organisation: str = ""
    start: str = ""
    end: str = ""
    description: str = ""
    skills: tuple[str, ...] = ()
    """Skill URIs ticked among the profile's skills."""

    @classmethod
    def of(cls, form: FormData) -> ExperienceForm:
        return cls(
            kind=field_of(form, "kind"),
            title=field_of(form, "title").strip(),
            organisation=field_of(form, "organisation").strip(),
            start=field_of(form, "start").strip(),
            end=field_of(form, "end").strip(),
            description=field_of(form, "description").replace("\r\n", "\n").strip(),
            skills=tuple(v for v in form.getlist("skills") if isinstance(v, str) and v),
        )

    def experience(self) -> Experience:
        try:
            kind = ExperienceKind(self.kind)
        except ValueError:
            choices = ", ".join(k.value for k in ExperienceKind)
            raise InvalidInput(f"kind: {self.kind!r} is not one of {choices}", field="kind") from None
        return Experience(
            kind=kind,
            title=self.title,
            organisation=self.organisation,
            description=self.description,
            start=PartialDate.parse(self.start, field="start"),
            end=PartialDate.parse(self.end, field="end"),
            skills=self.skills,
        )


@dataclass(frozen=True)
class SkillForm:
    """A skill to put on the profile: what the person typed (label, key or URI), level, self-claim."""

    skill: str = ""
    level: str = "3"
    claim: bool = True

    @classmethod
    def of(cls, form: FormData) -> SkillForm:
        return cls(
            skill=field_of(form, "skill").strip()[:500],
            level=field_of(form, "level").strip(),
            claim=field_of(form, "claim") == "on",
        )

    def proficiency(self) -> int:
        level = _whole(self.level, "level")
        if level is None or not 1 <= level <= 5:
            raise InvalidInput(f"level: {self.level!r} is not a level from 1 to 5", field="level")
        return level
