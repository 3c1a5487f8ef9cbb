"""Profiles as the API shows and takes them: fields, experiences, skills with confidence and evidence.

``ProfileUpdate.to_profile()`` turns a request into the domain ``Profile``; a rule the domain refuses
comes back as a problem whose ``field`` is the JSON path (``experiences.1.end``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

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
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.errors import InvalidInput
from microcareer.services.profiles import HeldSkill, ProfileView

MAX_EXPERIENCES = 200
MAX_SKILLS_PER_EXPERIENCE = 200


class LocationBody(BaseModel):
    address: str = Field("", max_length=400)
    postal_code: str = Field("", max_length=40)
    city: str = Field("", max_length=200)
    country_code: str = Field("", max_length=20, description="ISO 3166-1 alpha-2 (BE).")
    region: str = Field("", max_length=200)


class LanguageBody(BaseModel):
    language: str = Field(min_length=1, max_length=100)
    fluency: str = Field("", max_length=100)


class ExperienceBody(BaseModel):
    kind: ExperienceKind = ExperienceKind.JOB
    title: str = Field("", max_length=400)
    organisation: str = Field("", max_length=400)
    description: str = Field("", max_length=20_000)
    start: str | None = Field(None, max_length=10, description="2021, 2021-04 or 2021-04-12.")
    end: str | None = Field(None, max_length=10, description="As start; none: ongoing.")
    url: str = Field("", max_length=2000)
    highlights: list[str] = Field(default_factory=list, max_length=100)
    skills: list[str] = Field(
        default_factory=list,
        max_length=MAX_SKILLS_PER_EXPERIENCE,
        description="URIs of the skills it used (as confirmed by the person).",
    )
    extras: dict[str, Any] = Field(
        default_factory=dict,
        description="Fields an imported résumé had that microcareer does not model; send back as read.",
    )

    def to_experience(self, where: str) -> Experience:
        return Experience(
            kind=self.kind,
            title=self.title,
            organisation=self.organisation,
            description=self.description,
            start=PartialDate.parse(self.start, field=f"{where}.start"),
            end=PartialDate.parse(self.end, field=f"{where}.end"),
            url=self.url,
            highlights=tuple(self.highlights),
            skills=tuple(self.skills),
            extras=dict(self.extras),
        )

    @classmethod
    def of(cls, experience: Experience) -> ExperienceBody:
        return cls(
            kind=experience.kind,
            title=experience.title,
            organisation=experience.organisation,
            description=experience.description,
            start=experience.start.text if experience.start else None,
            end=experience.end.text if experience.end else None,
            url=experience.url,
            highlights=list(experience.highlights),
            skills=list(experience.skills),
            extras=dict(experience.extras),
        )


class ProfileUpdate(BaseModel):
    """The whole profile: a PUT replaces every field and every experience."""

    headline: str = Field("", max_length=200)
    summary: str = Field("", max_length=20_000)
    location: LocationBody = Field(default_factory=LocationBody)
    languages: list[LanguageBody] = Field(default_factory=list, max_length=50)
    hourly_rate: float | None = Field(None, description="In ``currency``; none: not said.")
    currency: str = Field("EUR", description="ISO 4217 code.")
    hours_per_week: int | None = Field(None, description="Hours a week the person can take on.")
    available: bool = Field(True, description="Shown in searches; off between gigs or when fully booked.")
    visibility: Visibility = Field(
        Visibility.PUBLIC,
        description="public (anyone signed in), organisation (members of the person's organisations), "
        "private (the person and platform admins).",
    )
    experiences: list[ExperienceBody] = Field(default_factory=list, max_length=MAX_EXPERIENCES)

    def to_profile(self) -> Profile:
        """The domain profile; an error names its field as a JSON path (``experiences.0.end``)."""
        experiences = []
        for index, body in enumerate(self.experiences):
            where = f"experiences.{index}"
            try:
                experiences.append(body.to_experience(where))
            except InvalidInput as exc:
                raise _located(exc, where) from None
        return Profile(
            headline=self.headline,
            summary=self.summary,
            location=Location(**self.location.model_dump()),
            languages=tuple(Language(lang.language, lang.fluency) for lang in self.languages),
            hourly_rate=self.hourly_rate,
            currency=self.currency,
            hours_per_week=self.hours_per_week,
            available=self.available,
            visibility=self.visibility,
            experiences=tuple(experiences),
        )


def _located(exc: InvalidInput, where: str) -> InvalidInput:
    field = str(exc.extra.get("field") or "")
    if field.startswith(where):
        return exc
    path = f"{where}.{field}" if field else where
    return InvalidInput(f"{where}: {exc.detail}", **{**exc.extra, "field": path})


class AvailabilityUpdate(BaseModel):
    available: bool = Field(description="Shown in searches (false: hidden between gigs).")
    hours_per_week: int | None = Field(None, description="Hours a week; none: not said.")


class EvidencePublic(BaseModel):
    kind: EvidenceKind
    last_used: date
    source: str
    rating: float | None
    weight: float = Field(
        1.0,
        description="The share of its kind's weight it carries: a credential's issuer standing, a "
        "contract between linked accounts (docs/trust.md).",
    )
    note: str = Field("", description="Why it counts less than its kind, or the standing it counts by.")

    @classmethod
    def of(cls, evidence: Evidence) -> EvidencePublic:
        return cls(
            kind=evidence.kind,
            last_used=evidence.last_used,
            source=evidence.source,
            rating=evidence.rating,
            weight=evidence.weight,
            note=evidence.note,
        )


class HeldSkillPublic(BaseModel):
    uri: str
    key: str
    label: str
    proficiency: int = Field(description="1 (novice) to 5 (expert), the person's own rating.")
    confidence: float = Field(description="How much the evidence supports the skill today, 0 to 1.")
    explanation: str = Field(description="Why, in one line.")
    last_used: date | None
    stale: bool = Field(description="The freshest evidence has faded below half its strength.")
    known: bool = Field(description="False when the taxonomy no longer has this skill.")
    evidence: list[EvidencePublic]

    @classmethod
    def of(cls, held: HeldSkill) -> HeldSkillPublic:
        return cls(
            uri=held.uri,
            key=concept_key(held.uri),
            label=held.label,
            proficiency=held.proficiency,
            confidence=held.confidence.value,
            explanation=held.confidence.explanation,
            last_used=held.confidence.last_used,
            stale=held.confidence.stale,
            known=held.known,
            evidence=[EvidencePublic.of(e) for e in held.evidence],
        )


class ProfilePublic(ProfileUpdate):
    """A profile as its readers see it, with the skills and the confidence their evidence earns."""

    user_id: int
    display_name: str
    editable: bool = Field(description="Whether the caller may change it.")
    updated_at: datetime | None = Field(description="None: the person has not written a profile yet.")
    skills: list[HeldSkillPublic] = Field(description="Most believable first.")

    @classmethod
    def of(cls, view: ProfileView) -> ProfilePublic:
        profile = view.profile
        location = profile.location
        return cls(
            user_id=view.user_id,
            display_name=view.display_name,
            editable=view.editable,
            updated_at=view.updated_at,
            headline=profile.headline,
            summary=profile.summary,
            location=LocationBody(
                address=location.address,
                postal_code=location.postal_code,
                city=location.city,
                country_code=location.country_code,
                region=location.region,
            ),
            languages=[LanguageBody(language=x.language, fluency=x.fluency) for x in profile.languages],
            hourly_rate=profile.hourly_rate,
            currency=profile.currency,
            hours_per_week=profile.hours_per_week,
            available=profile.available,
            visibility=profile.visibility,
            experiences=[ExperienceBody.of(e) for e in profile.experiences],
            skills=[HeldSkillPublic.of(s) for s in view.skills],
        )


class SelfEvidence(BaseModel):
    """Evidence a person may give themselves; the platform records credentials, micro-jobs, assessments."""

    kind: EvidenceKind = Field(EvidenceKind.SELF_CLAIM, description="self_claim or cv_extraction.")
    last_used: date | None = Field(None, description="When the skill was last used; none: today.")
    source: str = Field("", max_length=400, description="What it points at, such as a CV's file name.")


class SkillUpdate(BaseModel):
    proficiency: int = Field(ge=1, le=5, description="1 (novice) to 5 (expert).")
    evidence: list[SelfEvidence] = Field(
        default_factory=lambda: [SelfEvidence()],
        max_length=20,
        description="Evidence to add; by default one self-claim dated today. [] changes the level only.",
    )

    def to_evidence(self, today: date) -> list[Evidence]:
        return [Evidence(e.kind, e.last_used or today, e.source) for e in self.evidence]
