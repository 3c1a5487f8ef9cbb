"""Micro-jobs, applications, skill proposals and talent search as the API takes and shows them.

Skills go in as URIs or skill keys (the last segment of an ESCO URI) and come out as URIs with their
key. Money follows ``schemas.marketplace``: ``{"amount": 50000, "currency": "EUR"}``.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from microcareer.api.schemas.marketplace import Hours, MoneyIn, MoneyPublic, RowRef
from microcareer.domain.extraction.mentions import DocumentSkill
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import Milestone
from microcareer.domain.marketplace.jobs import SKILLS_MAX, Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.records import StoredApplication, StoredJob
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services.job_applications import AcceptTerms
from microcareer.services.talent_search import Candidate

TEXT_MAX = 20_000


class BudgetIn(MoneyIn):
    """A fixed job's total price, or an hourly job's rate per hour."""

    kind: BudgetKind


class BudgetPublic(MoneyPublic):
    kind: BudgetKind

    @classmethod
    def of_budget(cls, budget: Budget) -> BudgetPublic:
        money = budget.amount
        return cls(kind=budget.kind, amount=money.amount, currency=money.currency, formatted=money.format())


class JobBody(BaseModel):
    """A micro-job as posted or replaced; the poster confirms the skills (see ``skill-proposals``)."""

    title: str = Field(max_length=TEXT_MAX)
    brief: str = Field(max_length=TEXT_MAX)
    required_skills: list[str] = Field(max_length=SKILLS_MAX, description="Skill URIs or keys; at least one.")
    nice_skills: list[str] = Field(
        default_factory=list, max_length=SKILLS_MAX, description="Nice-to-have skill URIs or keys."
    )
    budget: BudgetIn
    expected_hours: int = Field(ge=0, le=1_000_000, description="Hours the whole job should take.")
    start: date | None = None
    end: date | None = None
    remote: bool = True
    place: str = Field("", max_length=TEXT_MAX, description="Required when not remote.")
    audience: Audience = Field(
        Audience.OPEN, description="open: the open market; internal: one organisation."
    )
    organisation_id: RowRef | None = Field(None, description="The organisation an internal job is for.")

    def to_job(self, required: list[str], nice: list[str]) -> MicroJob:
        return MicroJob(
            title=self.title,
            brief=self.brief,
            required_skills=tuple(required),
            nice_skills=tuple(nice),
            budget=Budget(self.budget.kind, self.budget.to_money()),
            expected_hours=self.expected_hours,
            start=self.start,
            end=self.end,
            remote=self.remote,
            place=self.place,
            audience=self.audience,
            organisation_id=self.organisation_id,
        )


class JobPublic(BaseModel):
    id: int
    poster_user_id: int
    title: str
    brief: str
    required_skills: list[str] = Field(description="Skill URIs.")
    nice_skills: list[str]
    budget: BudgetPublic
    expected_hours: int
    start: date | None
    end: date | None
    remote: bool
    place: str
    audience: Audience
    organisation_id: int | None
    state: JobState
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, stored: StoredJob) -> JobPublic:
        job = stored.job
        return cls(
            id=stored.id,
            poster_user_id=stored.poster_user_id,
            title=job.title,
            brief=job.brief,
            required_skills=list(job.required_skills),
            nice_skills=list(job.nice_skills),
            budget=BudgetPublic.of_budget(job.budget),
            expected_hours=job.expected_hours,
            start=job.start,
            end=job.end,
            remote=job.remote,
            place=job.place,
            audience=job.audience,
            organisation_id=job.organisation_id,
            state=job.state,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
        )


class SkillProposalRequest(BaseModel):
    brief: str = Field(max_length=TEXT_MAX, description="The job's brief, as the poster wrote it.")


class ProposedSkillPublic(BaseModel):
    uri: str
    key: str
    label: str
    confidence: float
    count: int = Field(description="How often the brief mentions it.")

    @classmethod
    def of(cls, skill: DocumentSkill) -> ProposedSkillPublic:
        return cls(
            uri=skill.uri,
            key=concept_key(skill.uri),
            label=skill.label,
            confidence=skill.confidence,
            count=skill.count,
        )


class SkillProposalsPublic(BaseModel):
    """The extractor's proposal: the poster confirms or edits it when posting."""

    required: list[ProposedSkillPublic] = Field(description="Found word for word (or the single best).")
    nice: list[ProposedSkillPublic] = Field(description="Less sure matches, best first.")


class ProposalBody(BaseModel):
    rate: MoneyIn = Field(description="Per hour for an hourly job, the total price for a fixed one.")
    hours: int = Field(ge=0, le=1_000_000, description="Hours the applicant expects to spend.")
    message: str = Field(max_length=TEXT_MAX)
    hours_per_week: Hours = Field(description="Hours a week the applicant will give it.")

    def to_proposal(self) -> Proposal:
        return Proposal(self.rate.to_money(), self.hours, self.message, self.hours_per_week)


class ApplicationPublic(BaseModel):
    id: int
    job_id: int
    applicant_user_id: int
    rate: MoneyPublic
    hours: int
    message: str
    hours_per_week: float
    state: ApplicationState
    approval: ApprovalState = Field(description="The manager's say on an internal job; not_needed otherwise.")
    approver_user_id: int | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, stored: StoredApplication) -> ApplicationPublic:
        proposal = stored.proposal
        return cls(
            id=stored.id,
            job_id=stored.job_id,
            applicant_user_id=stored.applicant_user_id,
            rate=MoneyPublic.of(proposal.rate),
            hours=proposal.hours,
            message=proposal.message,
            hours_per_week=proposal.hours_per_week,
            state=stored.state,
            approval=stored.approval,
            approver_user_id=stored.approver_user_id,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
        )


class ApplicationsPublic(BaseModel):
    items: list[ApplicationPublic]


class MilestoneIn(BaseModel):
    title: str = Field(max_length=TEXT_MAX)
    amount: MoneyIn
    due: date


class AcceptBody(BaseModel):
    """Fixed jobs: ``milestones`` adding up to the proposal's price (none: one 'Delivery' milestone).
    Hourly jobs: ``weekly_limit_hours`` (none: the proposal's hours a week)."""

    milestones: list[MilestoneIn] | None = Field(None, max_length=100)
    weekly_limit_hours: Hours | None = None

    def to_terms(self) -> AcceptTerms:
        milestones = None
        if self.milestones is not None:
            milestones = tuple(Milestone(m.title, m.amount.to_money(), m.due) for m in self.milestones)
        return AcceptTerms(milestones=milestones, weekly_limit_hours=self.weekly_limit_hours)


class CoveragePublic(BaseModel):
    uri: str
    label: str
    confidence: float
    explanation: str


class CandidatePublic(BaseModel):
    user_id: int
    display_name: str
    score: float = Field(description="Mean confidence over the skills asked for, 0 to 1.")
    coverage: list[CoveragePublic] = Field(description="Each skill asked for, in the order asked.")

    @classmethod
    def of(cls, candidate: Candidate) -> CandidatePublic:
        return cls(
            user_id=candidate.user_id,
            display_name=candidate.display_name,
            score=candidate.score,
            coverage=[
                CoveragePublic(uri=c.uri, label=c.label, confidence=c.confidence, explanation=c.explanation)
                for c in candidate.coverage
            ],
        )


class TalentPublic(BaseModel):
    skills: list[str] = Field(description="The skill URIs searched for.")
    items: list[CandidatePublic] = Field(description="Best first.")
