"""An assessment: what it proves (ESCO skills), who set it (an issuer or an organisation), how it is
taken (items drawn from a bank, or one work-sample task scored against a rubric) and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from microcareer.errors import InvalidInput

MAX_SKILLS = 10
MAX_CRITERIA = 12


class AssessmentKind(StrEnum):
    QUESTION_SET = "question_set"
    WORK_SAMPLE = "work_sample"


class AssessmentState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of a work sample's rubric and the most points it gives."""

    name: str
    points: int


@dataclass(frozen=True, slots=True)
class Assessment:
    title: str
    description: str
    skills: tuple[str, ...]
    kind: AssessmentKind = AssessmentKind.QUESTION_SET
    draw_count: int = 5
    """How many items each attempt draws from the bank (question sets)."""
    pass_percent: int = 70
    time_limit_minutes: int = 30
    max_attempts: int = 3
    cooldown_hours: int = 24
    """How long after one attempt the next may start."""
    proficiency: int = 3
    """The level (1-5) a pass puts on the profile for a skill not held yet."""
    achievement_id: int | None = None
    """The microcredential a pass earns (the issuer's own achievement), if any."""
    task: str = ""
    """A work sample's brief."""
    rubric: tuple[Criterion, ...] = ()
    reviewer_user_id: int | None = None
    """Who scores work samples: named by the author."""

    def validate(self) -> None:
        if not self.title.strip() or len(self.title) > 200:
            raise InvalidInput("title: 1 to 200 characters", field="title")
        if len(self.description) > 4_000:
            raise InvalidInput("description: at most 4000 characters", field="description")
        if not 1 <= len(self.skills) <= MAX_SKILLS or len(set(self.skills)) != len(self.skills):
            raise InvalidInput(f"skills: 1 to {MAX_SKILLS} different skills", field="skills")
        checks = (
            ("draw_count", self.draw_count, 1, 100),
            ("pass_percent", self.pass_percent, 1, 100),
            ("time_limit_minutes", self.time_limit_minutes, 1, 24 * 60),
            ("max_attempts", self.max_attempts, 1, 20),
            ("cooldown_hours", self.cooldown_hours, 0, 24 * 365),
            ("proficiency", self.proficiency, 1, 5),
        )
        for name, value, low, high in checks:
            if not low <= value <= high:
                raise InvalidInput(f"{name}: {low} to {high}", field=name)
        if self.kind is AssessmentKind.WORK_SAMPLE:
            self._validate_work_sample()

    def _validate_work_sample(self) -> None:
        if not self.task.strip() or len(self.task) > 8_000:
            raise InvalidInput("task: a work sample needs its brief (1 to 8000 characters)", field="task")
        if not 1 <= len(self.rubric) <= MAX_CRITERIA:
            raise InvalidInput(f"rubric: 1 to {MAX_CRITERIA} criteria", field="rubric")
        names = [c.name.strip() for c in self.rubric]
        if any(not n or len(n) > 200 for n in names) or len(set(names)) != len(names):
            raise InvalidInput(
                "rubric: each criterion a different name of 1 to 200 characters", field="rubric"
            )
        if any(not 1 <= c.points <= 100 for c in self.rubric):
            raise InvalidInput("rubric: each criterion gives 1 to 100 points", field="rubric")
        if self.reviewer_user_id is None:
            raise InvalidInput("reviewer: a work sample names who scores it", field="reviewer")

    @property
    def rubric_points(self) -> int:
        return sum(c.points for c in self.rubric)


@dataclass(frozen=True, slots=True)
class Owner:
    """Who set an assessment: an issuer (its managers author it) or an organisation (its admins)."""

    issuer_id: int | None = None
    organisation_id: int | None = None

    def __post_init__(self) -> None:
        if (self.issuer_id is None) == (self.organisation_id is None):
            raise InvalidInput("owner: an issuer or an organisation, one of them", field="owner")


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    id: int
    owner: Owner
    assessment: Assessment
    state: AssessmentState
    created_by: int | None
    created_at: datetime
    updated_at: datetime
