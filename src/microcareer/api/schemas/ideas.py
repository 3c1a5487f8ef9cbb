"""Ideas (intrapreneurship) as the API takes and shows them. Skills go in as URIs, keys or names and
come out as URIs with their labels; hours are whole hours."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from microcareer.api.schemas.jobs import BudgetIn
from microcareer.domain.ideas import HOURS_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX, JoinState, Outcome, Pitch
from microcareer.domain.marketplace.jobs import SKILLS_MAX, Budget
from microcareer.services.ideas import IdeaJob, IdeaView


class IdeaPitch(BaseModel):
    """A pitch: the problem, what to do about it, the skills it needs and the hours it would take."""

    title: str = Field(max_length=TITLE_MAX)
    problem: str = Field(max_length=TEXT_MAX)
    proposal: str = Field(max_length=TEXT_MAX)
    skills: list[str] = Field(max_length=SKILLS_MAX, description="Skill URIs, keys or names; at least one.")
    hours: int = Field(ge=0, le=1_000_000, description="Hours the idea would take, all told.")

    def to_pitch(self, skills: list[str]) -> Pitch:
        return Pitch(self.title, self.problem, self.proposal, tuple(skills), self.hours)


class JoinBody(BaseModel):
    note: str = Field("", max_length=NOTE_MAX, description="What you would bring.")


class SponsorBody(BaseModel):
    budget_hours: int = Field(
        ge=0, le=1_000_000, description=f"Hours the organisation gives it (1 to {HOURS_MAX})."
    )


class IdeaJobBody(BaseModel):
    """An internal micro-job made from the idea; its expected hours come out of the idea's budget."""

    title: str = Field(max_length=TEXT_MAX)
    brief: str = Field(max_length=TEXT_MAX)
    expected_hours: int = Field(ge=0, le=1_000_000)
    budget: BudgetIn
    required_skills: list[str] = Field(
        default_factory=list,
        max_length=SKILLS_MAX,
        description="Skill URIs or keys; none: the idea's skills.",
    )
    end: date | None = None
    publish: bool = Field(True, description="Open it to applications at once (false: a draft).")

    def to_job(self, skills: list[str]) -> IdeaJob:
        return IdeaJob(
            title=self.title,
            brief=self.brief,
            expected_hours=self.expected_hours,
            budget=Budget(self.budget.kind, self.budget.to_money()),
            required_skills=tuple(skills),
            end=self.end,
            publish=self.publish,
        )


class OutcomeBody(BaseModel):
    outcome: Outcome
    note: str = Field("", max_length=NOTE_MAX, description="What happened, in a few words.")


class SkillPublic(BaseModel):
    uri: str
    label: str


class JoinRequestPublic(BaseModel):
    user_id: int
    name: str
    note: str
    at: datetime
    state: JoinState = Field(description="asked, accepted or declined by the idea's author or sponsor.")


class JoinAnswerBody(BaseModel):
    accept: bool = Field(description="true: on the idea; false: declined.")


class IdeaPublic(BaseModel):
    id: int
    organisation: str = Field(description="The organisation's slug.")
    title: str
    problem: str
    proposal: str
    skills: list[SkillPublic]
    hours: int
    author_user_id: int
    author_name: str
    created_at: datetime
    supporters: list[int] = Field(description="User ids of the colleagues who support it.")
    join_requests: list[JoinRequestPublic]
    sponsor_user_id: int | None
    budget_hours: int | None = Field(description="None until a manager sponsors it.")
    hours_used: int = Field(description="Expected hours of its jobs (cancelled ones not counted).")
    hours_left: int
    sponsored_at: datetime | None
    outcome: Outcome | None
    outcome_note: str
    outcome_at: datetime | None
    job_ids: list[int] = Field(description="The internal micro-jobs made from it.")

    @classmethod
    def of(cls, view: IdeaView) -> IdeaPublic:
        idea = view.idea
        return cls(
            id=idea.id,
            organisation=view.organisation.slug,
            title=idea.pitch.title,
            problem=idea.pitch.problem,
            proposal=idea.pitch.proposal,
            skills=[SkillPublic(uri=s, label=view.skill_labels.get(s, s)) for s in idea.pitch.skills],
            hours=idea.pitch.hours,
            author_user_id=idea.author_user_id,
            author_name=view.name(idea.author_user_id),
            created_at=idea.created_at,
            supporters=sorted(idea.supporters),
            join_requests=[
                JoinRequestPublic(
                    user_id=r.user_id, name=view.name(r.user_id), note=r.note, at=r.at, state=r.state
                )
                for r in idea.join_requests
            ],
            sponsor_user_id=idea.sponsor_user_id,
            budget_hours=idea.budget_hours,
            hours_used=view.hours_used,
            hours_left=view.hours_left,
            sponsored_at=idea.sponsored_at,
            outcome=idea.outcome,
            outcome_note=idea.outcome_note,
            outcome_at=idea.outcome_at,
            job_ids=list(idea.job_ids),
        )
