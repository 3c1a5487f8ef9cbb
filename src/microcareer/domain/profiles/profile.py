"""A professional's profile: who they are, when they are available, and what they have done.

Dates are kept as the person gave them, to the day, the month or the year ("2021", "2021-04",
"2021-04-12", as JSON Resume writes them), so nothing is made more precise than it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from microcareer.domain.profiles.evidence import Evidence
from microcareer.errors import InvalidInput

HEADLINE_MAX = 200
TEXT_MAX = 20_000
MAX_HOURS_PER_WEEK = 168
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Visibility(StrEnum):
    PUBLIC = "public"  # anyone signed in, and searches
    ORGANISATION = "organisation"  # members of the person's organisations
    PRIVATE = "private"  # the person (and platform admins)


class ExperienceKind(StrEnum):
    JOB = "job"
    GIG = "gig"
    PROJECT = "project"
    VOLUNTEERING = "volunteering"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A year, a month or a day; compares and converts by its first day."""

    text: str

    def __post_init__(self) -> None:
        match = _PARTIAL_DATE.match(self.text)
        if match is None:
            raise ValueError(f"{self.text!r} is not a date like 2021, 2021-04 or 2021-04-12")
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError as exc:  # 2021-13, 2021-02-30
            raise ValueError(f"{self.text!r} is not a real date ({exc})") from None

    @property
    def first_day(self) -> date:
        parts = [int(p) for p in self.text.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @classmethod
    def parse(cls, value: str | None, *, field: str) -> PartialDate | None:
        if value is None or not value.strip():
            return None
        try:
            return cls(value.strip())
        except ValueError as exc:
            raise InvalidInput(f"{field}: {exc}", field=field) from None


@dataclass(frozen=True, slots=True)
class Language:
    language: str
    fluency: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    address: str = ""
    postal_code: str = ""
    city: str = ""
    country_code: str = ""
    region: str = ""

    def __str__(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country_code) if part)


@dataclass(frozen=True, slots=True)
class Experience:
    """A job, gig, project or volunteering, and the skills it used (confirmed by the person)."""

    kind: ExperienceKind
    title: str
    organisation: str = ""
    description: str = ""
    start: PartialDate | None = None
    end: PartialDate | None = None
    """None: ongoing (or not given)."""
    url: str = ""
    highlights: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    """ESCO (or organisation) skill URIs, kept sorted and unique."""
    extras: Mapping[str, object] = field(default_factory=dict)
    """Fields an imported résumé had that microcareer does not model, given back on export."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", tuple(sorted(set(self.skills))))
        if not self.title.strip() and not self.organisation.strip():
            raise InvalidInput("experience: give a title or an organisation", field="title")
        if self.start and self.end and self.end.first_day < self.start.first_day:
            raise InvalidInput(
                f"experience {self.title!r}: ends ({self.end.text}) before it starts ({self.start.text})",
                field="end",
            )

    def last_used(self, today: date) -> date | None:
        """When its skills were last used: its end, today if ongoing, None without dates."""
        if self.end is not None:
            return self.end.first_day
        return today if self.start is not None else None


@dataclass(frozen=True, slots=True)
class Profile:
    headline: str = ""
    summary: str = ""
    location: Location = field(default_factory=Location)
    languages: tuple[Language, ...] = ()
    hourly_rate: float | None = None
    currency: str = "EUR"
    hours_per_week: int | None = None
    """Hours a week the person can take on; None: not said."""
    available: bool = True
    """Shown in searches; a freelancer hides it between gigs or when fully booked."""
    visibility: Visibility = Visibility.PUBLIC
    experiences: tuple[Experience, ...] = ()

    def __post_init__(self) -> None:
        if len(self.headline) > HEADLINE_MAX:
            raise InvalidInput(f"headline: at most {HEADLINE_MAX} characters", field="headline")
        if len(self.summary) > TEXT_MAX:
            raise InvalidInput(f"summary: at most {TEXT_MAX:,} characters", field="summary")
        if self.hourly_rate is not None and not 0 <= self.hourly_rate <= 100_000:
            raise InvalidInput("hourly_rate: must be between 0 and 100,000", field="hourly_rate")
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise InvalidInput(f"currency: {self.currency!r} is not an ISO 4217 code", field="currency")
        if self.hours_per_week is not None and not 0 <= self.hours_per_week <= MAX_HOURS_PER_WEEK:
            raise InvalidInput(
                f"hours_per_week: must be between 0 and {MAX_HOURS_PER_WEEK}", field="hours_per_week"
            )

    @property
    def searchable(self) -> bool:
        """Whether searches may show it at all (visibility still decides to whom)."""
        return self.available and self.visibility is not Visibility.PRIVATE


@dataclass(frozen=True, slots=True)
class ProfileSkill:
    """A skill on a profile: how well (1-5, the person's own rating) and why we believe it."""

    uri: str
    proficiency: int
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.proficiency <= 5:
            raise InvalidInput(f"proficiency: {self.proficiency} is not 1 to 5", field="proficiency")


@dataclass(frozen=True, slots=True)
class StoredProfile:
    """A profile as stored: whose it is, what it says, and what an imported résumé carried beyond it."""

    user_id: int
    profile: Profile
    resume_extras: Mapping[str, object]
    updated_at: datetime
