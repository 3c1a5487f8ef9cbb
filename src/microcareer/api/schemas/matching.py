"""Shapes of /jobs/{id}/candidates and /users/{id}/recommendations (issue 18's matching)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from microcareer.domain.matching.scoring import Match
from microcareer.services.matching import JobResult, JobsForPerson, PeopleForJob


class SkillMatchPublic(BaseModel):
    uri: str
    label: str
    required: bool
    coverage: float = Field(description="0 to 1: the best credit x strength through the skills graph.")
    how: Literal["exact", "related", "missing"]
    link: str | None = Field(description="The graph link of a related match (sibling skill, ...).")
    via: str | None = Field(description="The person's skill that gives a related match its credit.")
    through: str | None = Field(description="The shared parent or middle skill of that link.")
    explanation: str


class FactorPublic(BaseModel):
    name: str
    value: float
    note: str


class MatchPublic(BaseModel):
    score: float = Field(description="Skills score x the factors, 0 to about 1.1.")
    skills_score: float
    skills: list[SkillMatchPublic]
    factors: list[FactorPublic]

    @staticmethod
    def fields_of(found: Match) -> dict[str, object]:
        return {
            "score": found.score,
            "skills_score": found.skills_score,
            "skills": [
                SkillMatchPublic(
                    uri=s.uri,
                    label=s.label,
                    required=s.required,
                    coverage=s.coverage,
                    how=s.how.value,
                    link=s.link.value if s.link else None,
                    via=s.source if s.how.value == "related" else None,
                    through=s.through,
                    explanation=s.line,
                )
                for s in found.skills
            ],
            "factors": [
                FactorPublic(name=f.name, value=round(f.value, 4), note=f.note) for f in found.factors
            ],
        }


class CandidateMatchPublic(MatchPublic):
    user_id: int
    display_name: str


class CandidatesPublic(BaseModel):
    job_id: int
    considered: int = Field(
        description="Available profiles you may read holding a skill that leads to the job's."
    )
    items: list[CandidateMatchPublic] = Field(description="Best first, near-duplicates moved down.")

    @classmethod
    def of(cls, found: PeopleForJob) -> CandidatesPublic:
        return cls(
            job_id=found.job.id,
            considered=found.considered,
            items=[
                CandidateMatchPublic(
                    user_id=p.user_id, display_name=p.display_name, **MatchPublic.fields_of(p.match)
                )
                for p in found.people
            ],
        )


class RecommendedJobPublic(MatchPublic):
    job_id: int
    title: str
    kind: Literal["fit_now", "stretch", "internal"] = Field(description="Which list it is on.")
    would_add: list[str] = Field(description="Skills a stretch job would teach (required ones not met yet).")
    saved: bool

    @classmethod
    def of(cls, result: JobResult) -> RecommendedJobPublic:
        return cls(
            job_id=result.job.id,
            title=result.job.job.title,
            kind=result.kind.value,
            would_add=list(result.would_add),
            saved=result.saved,
            **MatchPublic.fields_of(result.match),
        )


class RecommendationsPublic(BaseModel):
    user_id: int
    fit_now: list[RecommendedJobPublic]
    stretch: list[RecommendedJobPublic]
    internal: list[RecommendedJobPublic]
    saved: list[int] = Field(description="Ids of the jobs saved.")
    dismissed: int = Field(description="How many dismissed jobs are left out.")

    @classmethod
    def of(cls, found: JobsForPerson) -> RecommendationsPublic:
        return cls(
            user_id=found.user_id,
            fit_now=[RecommendedJobPublic.of(r) for r in found.fit_now],
            stretch=[RecommendedJobPublic.of(r) for r in found.stretch],
            internal=[RecommendedJobPublic.of(r) for r in found.internal],
            saved=list(found.saved),
            dismissed=found.dismissed,
        )


class MarkBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mark: Literal["saved", "dismissed"]
