"""Micro-jobs: what a client or an organisation posts, its states, and who may see it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from microcareer.domain.marketplace._transitions import step
from microcareer.domain.marketplace.money import Money
from microcareer.errors import InvalidInput

TITLE_MIN, TITLE_MAX = 3, 120
BRIEF_MIN, BRIEF_MAX = 20, 10_000
PLACE_MAX = 200
SKILLS_MAX = 30
HOURS_MIN, HOURS_MAX = 1, 2000
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s]+$", re.IGNORECASE)


class JobState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # published, taking applications
    IN_PROGRESS = "in_progress"  # an application was accepted, a contract runs
    CLOSED = "closed"  # done, or no longer taking applications
    CANCELLED = "cancelled"


JOB_TRANSITIONS: Mapping[JobState, frozenset[JobState]] = MappingProxyType(
    {
        JobState.DRAFT: frozenset({JobState.OPEN, JobState.CANCELLED}),
        JobState.OPEN: frozenset({JobState.IN_PROGRESS, JobState.CLOSED, JobState.CANCELLED}),
        JobState.IN_PROGRESS: frozenset({JobState.CLOSED, JobState.CANCELLED}),
        JobState.CLOSED: frozenset(),
        JobState.CANCELLED: frozenset(),
    }
)


def transition(current: JobState, target: JobState) -> JobState:
    """``target`` if a job may go there from ``current``; else ``Conflict`` naming both."""
    return step(JOB_TRANSITIONS, current, target, "job")


class Audience(StrEnum):
    OPEN = "open"  # the open market
    INTERNAL = "internal"  # members of one organisation only


class BudgetKind(StrEnum):
    FIXED = "fixed"  # the amount is the total price
    HOURLY = "hourly"  # the amount is a rate per hour


@dataclass(frozen=True, slots=True)
class Budget:
    kind: BudgetKind
    amount: Money

    def validate(self) -> None:
        if not self.amount.is_positive:
            what = "rate per hour" if self.kind is BudgetKind.HOURLY else "total"
            raise InvalidInput(f"budget: the {what} must be above 0, not {self.amount}", field="budget")


def check_length(value: str, field_name: str, low: int, high: int) -> None:
    """At least ``low`` characters besides spaces, at most ``high`` in all (else 422 naming the field)."""
    length = len(value.strip())
    if length < low:
        raise InvalidInput(f"{field_name}: at least {low} characters, not {length}", field=field_name)
    if len(value) > high:
        raise InvalidInput(f"{field_name}: at most {high} characters, not {len(value)}", field=field_name)


def check_skills(uris: tuple[str, ...], field_name: str) -> None:
    """At most ``SKILLS_MAX`` skill URIs, none twice (else 422 naming the field)."""
    if len(uris) > SKILLS_MAX:
        raise InvalidInput(f"{field_name}: at most {SKILLS_MAX} skills, not {len(uris)}", field=field_name)
    for index, uri in enumerate(uris):
        if not _URI.match(uri):
            raise InvalidInput(f"{field_name}[{index}]: not a skill URI: {uri!r}", field=field_name)
    if len(set(uris)) != len(uris):
        twice = sorted({uri for uri in uris if uris.count(uri) > 1})
        raise InvalidInput(f"{field_name}: listed twice: {', '.join(twice)}", field=field_name)


@dataclass(frozen=True, slots=True)
class MicroJob:
    """A short paid piece of work; ``validate()`` checks it is fit to publish."""

    title: str
    brief: str
    required_skills: tuple[str, ...]
    nice_skills: tuple[str, ...]
    budget: Budget
    expected_hours: int
    start: date | None
    end: date | None
    remote: bool
    place: str
    audience: Audience
    organisation_id: int | None
    state: JobState = JobState.DRAFT

    def validate(self) -> None:
        check_length(self.title, "title", TITLE_MIN, TITLE_MAX)
        check_length(self.brief, "brief", BRIEF_MIN, BRIEF_MAX)
        if not self.required_skills:
            raise InvalidInput("required_skills: at least one skill", field="required_skills")
        check_skills(self.required_skills, "required_skills")
        check_skills(self.nice_skills, "nice_skills")
        both = sorted(set(self.required_skills) & set(self.nice_skills))
        if both:
            raise InvalidInput(f"nice_skills: already required: {', '.join(both)}", field="nice_skills")
        self.budget.validate()
        if not HOURS_MIN <= self.expected_hours <= HOURS_MAX:
            raise InvalidInput(
                f"expected_hours: {HOURS_MIN} to {HOURS_MAX}, not {self.expected_hours}",
                field="expected_hours",
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidInput(
                f"end: {self.end.isoformat()} is before the start {self.start.isoformat()}", field="end"
            )
        if self.audience is Audience.INTERNAL and self.organisation_id is None:
            raise InvalidInput(
                "organisation_id: an internal job needs its organisation", field="organisation_id"
            )
        if not self.remote and not self.place.strip():
            raise InvalidInput("place: required when the job is not remote", field="place")
        if len(self.place) > PLACE_MAX:
            raise InvalidInput(f"place: at most {PLACE_MAX} characters", field="place")


def may_see(
    job: MicroJob,
    viewer_org_ids: Set[int],
    viewer_id: int | None,
    poster_id: int,
    is_admin: bool,
) -> bool:
    """Drafts: the poster and platform admins only. Internal jobs: also members of that organisation."""
    if is_admin or (viewer_id is not None and viewer_id == poster_id):
        return True
    if job.state is JobState.DRAFT:
        return False
    if job.audience is Audience.INTERNAL:
        return job.organisation_id is not None and job.organisation_id in viewer_org_ids
    return True
