"""Skill assessments as the API shows and takes them. A candidate's view of an item (``QuestionPublic``)
has no field that could carry its answer; only authors read ``ItemPublic``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from microcareer.api.schemas.network import BodyId, SkillText
from microcareer.domain.assessments.definitions import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Criterion,
)
from microcareer.domain.assessments.items import Answer, Item, ItemKind, ItemPrompt
from microcareer.services.assessment_attempts import AttemptView
from microcareer.services.assessment_hiring import JobAssessments
from microcareer.services.assessments import AssessmentView


class CriterionBody(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    points: int = Field(ge=1, le=100, description="The most points the criterion gives.")


class AssessmentSettings(BaseModel):
    """What an author may set (and change) on an assessment."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4_000)
    skills: list[SkillText] = Field(min_length=1, max_length=10, description="ESCO skills it proves.")
    draw_count: int = Field(5, ge=1, le=100, description="Items each attempt draws from the bank.")
    pass_percent: int = Field(70, ge=1, le=100)
    time_limit_minutes: int = Field(30, ge=1, le=1440, description="Counted by the server from the start.")
    max_attempts: int = Field(3, ge=1, le=20)
    cooldown_hours: int = Field(24, ge=0, le=8760, description="Between the end of one attempt and the next.")
    proficiency: int = Field(3, ge=1, le=5, description="The level a pass puts on the profile.")
    achievement_id: BodyId | None = Field(None, description="The issuer's achievement a pass earns.")
    task: str = Field("", max_length=8_000, description="A work sample's brief.")
    rubric: list[CriterionBody] = Field(default_factory=list, max_length=12)
    reviewer_user_id: BodyId | None = Field(None, description="Who scores work samples.")

    def to_assessment(self, kind: AssessmentKind, skills: list[str]) -> Assessment:
        return Assessment(
            title=self.title,
            description=self.description,
            skills=tuple(skills),
            kind=kind,
            draw_count=self.draw_count,
            pass_percent=self.pass_percent,
            time_limit_minutes=self.time_limit_minutes,
            max_attempts=self.max_attempts,
            cooldown_hours=self.cooldown_hours,
            proficiency=self.proficiency,
            achievement_id=self.achievement_id,
            task=self.task,
            rubric=tuple(Criterion(c.name, c.points) for c in self.rubric),
            reviewer_user_id=self.reviewer_user_id,
        )


class AssessmentCreate(AssessmentSettings):
    kind: AssessmentKind = AssessmentKind.QUESTION_SET
    issuer_id: BodyId | None = Field(None, description="The issuer that sets it (or organisation_id).")
    organisation_id: BodyId | None = Field(None, description="The organisation that sets it (or issuer_id).")


class AssessmentUpdate(AssessmentSettings):
    state: Literal["draft", "published", "closed"] | None = Field(
        None, description="published opens it for attempts; closed ends that."
    )


class SkillRef(BaseModel):
    uri: str
    label: str


class AssessmentPublic(BaseModel):
    id: int
    title: str
    description: str
    kind: AssessmentKind
    state: AssessmentState
    issuer_id: int | None
    organisation_id: int | None
    owner_name: str
    skills: list[SkillRef]
    draw_count: int
    pass_percent: int
    time_limit_minutes: int
    max_attempts: int
    cooldown_hours: int
    proficiency: int
    achievement_id: int | None
    task: str
    rubric: list[CriterionBody]
    reviewer_user_id: int | None
    bank_size: int
    authoring: bool = Field(description="You may edit it and read its bank.")

    @classmethod
    def of(cls, view: AssessmentView) -> AssessmentPublic:
        a, stored = view.stored.assessment, view.stored
        return cls(
            id=stored.id,
            title=a.title,
            description=a.description,
            kind=a.kind,
            state=stored.state,
            issuer_id=stored.owner.issuer_id,
            organisation_id=stored.owner.organisation_id,
            owner_name=view.owner_name,
            skills=[SkillRef(uri=u, label=view.skill_labels.get(u, u)) for u in a.skills],
            draw_count=a.draw_count,
            pass_percent=a.pass_percent,
            time_limit_minutes=a.time_limit_minutes,
            max_attempts=a.max_attempts,
            cooldown_hours=a.cooldown_hours,
            proficiency=a.proficiency,
            achievement_id=a.achievement_id,
            task=a.task,
            rubric=[CriterionBody(name=c.name, points=c.points) for c in a.rubric],
            reviewer_user_id=a.reviewer_user_id,
            bank_size=view.bank_size,
            authoring=view.authoring,
        )


class ItemBody(BaseModel):
    kind: ItemKind
    prompt: str = Field(min_length=1, max_length=2_000)
    options: list[str] = Field(default_factory=list, max_length=10)
    correct: list[int] = Field(
        default_factory=list, max_length=10, description="Right options by number, from 0 (choice items)."
    )
    value: float | None = Field(None, description="The right number (numeric items).")
    tolerance: float = Field(0.0, ge=0, description="How far an answer may be from value.")
    accepted: list[str] = Field(default_factory=list, max_length=20, description="Accepted short answers.")
    points: int = Field(1, ge=1, le=100)

    def to_item(self) -> Item:
        return Item(
            kind=self.kind,
            prompt=self.prompt,
            options=tuple(self.options),
            correct=tuple(self.correct),
            value=self.value,
            tolerance=self.tolerance,
            accepted=tuple(self.accepted),
            points=self.points,
        )


class ItemPublic(ItemBody):
    """An item with its answer: what authors read."""

    id: int

    @classmethod
    def of(cls, item_id: int, item: Item) -> ItemPublic:
        return cls(
            id=item_id,
            kind=item.kind,
            prompt=item.prompt,
            options=list(item.options),
            correct=list(item.correct),
            value=item.value,
            tolerance=item.tolerance,
            accepted=list(item.accepted),
            points=item.points,
        )


class QuestionPublic(BaseModel):
    """An item as the candidate sees it: no answer in it."""

    id: int
    kind: ItemKind
    prompt: str
    options: list[str]
    points: int

    @classmethod
    def of(cls, prompt: ItemPrompt) -> QuestionPublic:
        return cls(
            id=prompt.id,
            kind=prompt.kind,
            prompt=prompt.prompt,
            options=list(prompt.options),
            points=prompt.points,
        )


class AnswerBody(BaseModel):
    item_id: BodyId
    choices: list[int] = Field(default_factory=list, max_length=10, description="Options ticked, from 0.")
    number: float | None = None
    text: str = Field("", max_length=300)

    def to_answer(self) -> Answer:
        return Answer(choices=tuple(self.choices), number=self.number, text=self.text)


class SubmitBody(BaseModel):
    answers: list[AnswerBody] = Field(default_factory=list, max_length=100)
    work: str = Field("", max_length=20_000, description="A work sample: your work or a link to it.")


class ScoreBody(BaseModel):
    criteria: list[CriterionBody] = Field(
        min_length=1, max_length=12, description="Points for each criterion."
    )
    comment: str = Field("", max_length=4_000)


class AttemptPublic(BaseModel):
    id: int
    assessment_id: int
    assessment_title: str
    candidate_id: int
    candidate_name: str
    state: str
    started_at: datetime
    deadline: datetime = Field(description="Set by the server at the start; later submissions are refused.")
    seconds_left: int
    task: str
    questions: list[QuestionPublic]
    submitted_at: datetime | None
    points: int | None
    total: int | None
    percent: int | None
    right_items: list[int] = Field(description="Items answered right (shown after submitting).")
    work: str
    criterion_points: dict[str, int]
    review_comment: str
    credential_id: str | None

    @classmethod
    def of(cls, view: AttemptView) -> AttemptPublic:
        a = view.attempt
        return cls(
            id=a.id,
            assessment_id=a.assessment_id,
            assessment_title=view.assessment.assessment.title,
            candidate_id=a.candidate_id,
            candidate_name=view.candidate_name,
            state=view.state.value,
            started_at=a.started_at,
            deadline=a.deadline,
            seconds_left=view.seconds_left,
            task=view.assessment.assessment.task,
            questions=[QuestionPublic.of(q) for q in view.questions],
            submitted_at=a.submitted_at,
            points=a.points,
            total=a.total,
            percent=a.percent,
            right_items=sorted(a.right),
            work=a.work,
            criterion_points=dict(a.criterion_points),
            review_comment=a.review_comment,
            credential_id=a.credential_id,
        )


class JobAssessmentsBody(BaseModel):
    assessment_ids: list[BodyId] = Field(max_length=5, description="Assessments applicants must pass.")


class PassPublic(BaseModel):
    assessment_id: int
    percent: int
    passed_on: date


class ApplicantPasses(BaseModel):
    user_id: int
    name: str
    passed_all: bool
    passes: list[PassPublic]


class JobAssessmentsPublic(BaseModel):
    job_id: int
    required: list[dict[str, int | str]] = Field(description="assessment_id and title of each.")
    applicants: list[ApplicantPasses] = Field(description="For the job's managers: who passed what.")
    mine: list[PassPublic] = Field(description="Your own passes of the required assessments.")

    @classmethod
    def of(cls, found: JobAssessments, me: int | None) -> JobAssessmentsPublic:
        def passes(user_id: int) -> list[PassPublic]:
            return [
                PassPublic(assessment_id=p.assessment_id, percent=p.percent, passed_on=p.passed_on)
                for p in found.passes.get(user_id, {}).values()
            ]

        return cls(
            job_id=found.job_id,
            required=[{"assessment_id": r.assessment_id, "title": r.title} for r in found.required],
            applicants=[
                ApplicantPasses(user_id=u, name=n, passed_all=found.passed_all(u), passes=passes(u))
                for u, n in found.applicants.items()
            ],
            mine=passes(me) if me is not None else [],
        )
