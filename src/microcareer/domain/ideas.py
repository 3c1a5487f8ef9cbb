"""Intrapreneurship: ideas pitched inside an organisation, their supporters, who asks to join, a
manager's sponsorship (a budget of hours spent as internal micro-jobs) and the outcome.

Pure rules, no I/O: what a pitch must hold, who may support or join, and that the hours of the jobs
made from an idea stay within its budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from microcareer.domain.marketplace.jobs import check_length, check_skills
from microcareer.errors import Conflict, InvalidInput, NotFound

TITLE_MIN, TITLE_MAX = 3, 120
TEXT_MIN, TEXT_MAX = 10, 5_000
NOTE_MAX = 1_000
HOURS_MIN, HOURS_MAX = 1, 10_000


class Outcome(StrEnum):
    """What became of an idea, as its sponsor or author records it."""

    IN_PROGRESS = "in_progress"
    SHIPPED = "shipped"
    DROPPED = "dropped"


def parse_outcome(value: str) -> Outcome:
    try:
        return Outcome(value.strip().lower())
    except ValueError:
        names = ", ".join(o.value for o in Outcome)
        raise InvalidInput(f"outcome: one of {names}, not {value!r}", field="outcome") from None


def check_hours(hours: int, field_name: str) -> None:
    if not HOURS_MIN <= hours <= HOURS_MAX:
        raise InvalidInput(f"{field_name}: {HOURS_MIN} to {HOURS_MAX}, not {hours}", field=field_name)


@dataclass(frozen=True, slots=True)
class Pitch:
    """What a member proposes: the problem, the proposal, the ESCO skills it needs, the hours it takes."""

    title: str
    problem: str
    proposal: str
    skills: tuple[str, ...]
    hours: int

    def validate(self) -> None:
        check_length(self.title, "title", TITLE_MIN, TITLE_MAX)
        check_length(self.problem, "problem", TEXT_MIN, TEXT_MAX)
        check_length(self.proposal, "proposal", TEXT_MIN, TEXT_MAX)
        if not self.skills:
            raise InvalidInput("skills: at least one skill", field="skills")
        check_skills(self.skills, "skills")
        check_hours(self.hours, "hours")


class JoinState(StrEnum):
    """A request to join an idea, as its author or sponsor answered it."""

    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class JoinRequest:
    user_id: int
    note: str
    at: datetime
    state: JoinState = JoinState.ASKED


@dataclass(frozen=True, slots=True)
class Idea:
    """An idea as stored, with who supports it, who asked to join and the jobs made from it."""

    id: int
    organisation_id: int
    author_user_id: int
    pitch: Pitch
    created_at: datetime
    supporters: frozenset[int] = frozenset()
    join_requests: tuple[JoinRequest, ...] = ()
    sponsor_user_id: int | None = None
    budget_hours: int | None = None
    sponsored_at: datetime | None = None
    outcome: Outcome | None = None
    outcome_note: str = ""
    outcome_at: datetime | None = None
    job_ids: tuple[int, ...] = ()

    @property
    def sponsored(self) -> bool:
        return self.budget_hours is not None


def check_may_support(idea: Idea, user_id: int) -> None:
    """One support each, and never for one's own idea."""
    if user_id == idea.author_user_id:
        raise Conflict("support: you pitched this idea; colleagues support it")
    if user_id in idea.supporters:
        raise Conflict("support: you support this idea already")


def check_may_join(idea: Idea, user_id: int, note: str) -> None:
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"note: at most {NOTE_MAX} characters, not {len(note)}", field="note")
    if user_id == idea.author_user_id:
        raise Conflict("join: you pitched this idea; you are in it already")
    if any(r.user_id == user_id for r in idea.join_requests):
        raise Conflict("join: you asked to join this idea already")
    if idea.outcome in (Outcome.SHIPPED, Outcome.DROPPED):
        raise Conflict(f"join: the idea is {idea.outcome.value}")


def check_may_answer(idea: Idea, user_id: int, answered_by: int | None) -> None:
    """A request to join is answered once, while the idea is still open, and not by who asked (a
    sponsor who asked to join is answered by the author)."""
    asked = next((r for r in idea.join_requests if r.user_id == user_id), None)
    if asked is None:
        raise NotFound(f"user_id: {user_id} did not ask to join idea {idea.id}", field="user_id")
    if answered_by == user_id:
        raise Conflict("join: your own request is answered by the idea's author or sponsor")
    if asked.state is not JoinState.ASKED:
        raise Conflict(f"join: the request was {asked.state.value} already")
    if idea.outcome in (Outcome.SHIPPED, Outcome.DROPPED):
        raise Conflict(f"join: the idea is {idea.outcome.value}")


def check_budget(budget_hours: int, used_hours: int) -> None:
    """A sponsorship's budget; a new one never below the hours of the jobs made already."""
    check_hours(budget_hours, "budget_hours")
    if budget_hours < used_hours:
        raise Conflict(
            f"budget_hours: {budget_hours} is below the {used_hours} hours of the jobs made from the idea"
        )


def hours_left(idea: Idea, job_hours: Iterable[int]) -> int:
    """The budget not yet spent on jobs (0 when the idea is not sponsored)."""
    return max(0, (idea.budget_hours or 0) - sum(job_hours))


def check_job_fits(idea: Idea, job_hours: Iterable[int], expected_hours: int) -> None:
    """A job made from the idea: it is sponsored, and the jobs' hours stay within its budget."""
    if idea.budget_hours is None:
        raise Conflict("idea: not sponsored yet; a manager sponsors it with a budget of hours first")
    if idea.outcome is Outcome.DROPPED:
        raise Conflict("idea: it was dropped")
    left = hours_left(idea, job_hours)
    if expected_hours > left:
        raise InvalidInput(
            f"expected_hours: {expected_hours} is above the {left} hours left of the idea's budget "
            f"of {idea.budget_hours}",
            field="expected_hours",
        )


def check_outcome_note(note: str) -> None:
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"note: at most {NOTE_MAX} characters, not {len(note)}", field="note")
