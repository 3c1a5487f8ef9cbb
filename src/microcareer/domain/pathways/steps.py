"""A step of a pathway: something a person can take (a course, a microcredential, an assessment, a
micro-job) that teaches skills to a level, takes hours, costs money and, for a micro-job, pays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from microcareer.domain.marketplace.money import Money
from microcareer.errors import InvalidInput

MIN_LEVEL = 1
MAX_LEVEL = 5
MAX_STEP_HOURS = 2_000
MAX_STEP_SKILLS = 50
MAX_PREREQUISITES = 20
NEUTRAL_QUALITY = 0.5
"""The quality signal of a provider the platform knows nothing about."""


class StepKind(StrEnum):
    MICROCREDENTIAL = "microcredential"
    COURSE = "course"
    ASSESSMENT = "assessment"
    MICRO_JOB = "micro_job"


class StepFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    BLENDED = "blended"
    ON_THE_JOB = "on_the_job"


@dataclass(frozen=True, slots=True)
class SkillPrerequisite:
    """A skill needed before a step, at least at ``level`` (1-5)."""

    uri: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Step:
    """One catalogue entry. ``teaches`` maps skill URIs to the level (1-5) reached; ``income`` is what a
    micro-job pays (zero for the rest); ``quality`` is the provider's standing in [0, 1]."""

    id: str
    kind: StepKind
    title: str
    provider: str
    teaches: Mapping[str, int]
    hours: float
    cost: Money
    income: Money
    url: str = ""
    language: str = "en"
    format: StepFormat = StepFormat.ONLINE
    needs_skills: tuple[SkillPrerequisite, ...] = ()
    needs_steps: tuple[str, ...] = ()
    quality: float = NEUTRAL_QUALITY
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Skill URI → label, for explanations (optional)."""
    assumed: str = ""
    """What the planner assumed because the step's source does not say (shown on the step)."""
    criteria: str = ""
    """What it takes to earn it, as its issuer states (platform microcredentials)."""

    def __post_init__(self) -> None:
        check_step(self)

    def reaches(self, uri: str, level: int) -> bool:
        return self.teaches.get(uri, 0) >= level


def check_step(step: Step) -> None:
    """Raise ``InvalidInput`` naming the field of a step that cannot be planned with."""
    if not step.id.strip() or len(step.id) > 200:
        raise InvalidInput("id: 1 to 200 characters", field="id")
    if not step.title.strip() or len(step.title) > 300:
        raise InvalidInput("title: 1 to 300 characters", field="title")
    if len(step.provider) > 200:
        raise InvalidInput("provider: at most 200 characters", field="provider")
    if not step.teaches:
        raise InvalidInput("skills: a step teaches at least one skill", field="skills")
    if len(step.teaches) > MAX_STEP_SKILLS:
        raise InvalidInput(f"skills: at most {MAX_STEP_SKILLS}", field="skills")
    for uri, level in step.teaches.items():
        if not uri.strip():
            raise InvalidInput("skills: an empty skill", field="skills")
        if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
            raise InvalidInput(f"skills: the level of {uri} is {level!r}, not 1 to 5", field="skills")
    if not 0 < step.hours <= MAX_STEP_HOURS:
        raise InvalidInput(f"hours: above 0 and at most {MAX_STEP_HOURS}, not {step.hours}", field="hours")
    if step.cost.amount < 0:
        raise InvalidInput("cost: not below 0", field="cost")
    if step.income.amount < 0:
        raise InvalidInput("income: not below 0", field="income")
    if step.income.currency != step.cost.currency:
        raise InvalidInput("income: in the currency of the cost", field="income")
    if step.income.amount and step.kind is not StepKind.MICRO_JOB:
        raise InvalidInput("income: only a micro-job pays", field="income")
    if not 0.0 <= step.quality <= 1.0:
        raise InvalidInput("quality: between 0 and 1", field="quality")
    if len(step.needs_skills) + len(step.needs_steps) > MAX_PREREQUISITES:
        raise InvalidInput(f"prerequisites: at most {MAX_PREREQUISITES}", field="prerequisites")
    for need in step.needs_skills:
        if not MIN_LEVEL <= need.level <= MAX_LEVEL:
            raise InvalidInput(f"prerequisites: level of {need.uri} not 1 to 5", field="prerequisites")
    if step.id in step.needs_steps:
        raise InvalidInput("prerequisites: a step cannot need itself", field="prerequisites")
