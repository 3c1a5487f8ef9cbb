"""Mentorship: an offer (skills, hours per month), a request, sessions (date, duration, notes), and a
completion both people confirm, which becomes dated evidence for both.

The evidence follows ``domain/profiles/evidence.py``: kind ``mentorship`` (weighs between an assessment
and a CV finding), dated on the last session, never typed in by the person it is about: the mentee's
skills and the mentor's *mentor individuals* skill are recorded only when mentor and mentee (two
different people) have both confirmed the mentorship complete, with at least one session recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.errors import Conflict, InvalidInput

MENTOR_INDIVIDUALS = "http://data.europa.eu/esco/skill/a584a638-a2c0-4b3c-bdf3-a64f87225be9"
"""ESCO's *mentor individuals* (skill/competence), the mentor's skill a completed mentorship shows."""
HOURS_PER_MONTH_MAX = 80
SKILLS_MAX = 20
NOTES_MAX = 2_000
SESSION_MINUTES_MAX = 8 * 60
SESSIONS_MAX = 200
MENTEE_LEVEL = 2
MENTOR_LEVEL = 3


class MentorshipState(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class MentorOffer:
    user_id: int
    skills: tuple[str, ...]
    hours_per_month: int
    note: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Mentorship:
    id: int
    mentor_id: int
    mentee_id: int
    skills: tuple[str, ...]
    message: str
    state: MentorshipState
    created_at: datetime
    mentor_confirmed: bool = False
    mentee_confirmed: bool = False
    completed_at: datetime | None = None

    def party(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.mentor_id, self.mentee_id)


@dataclass(frozen=True, slots=True)
class MentoringSession:
    id: int
    mentorship_id: int
    held_on: date
    minutes: int
    notes: str
    recorded_by: int


def check_offer(skills: tuple[str, ...], hours_per_month: int, note: str) -> None:
    if not skills:
        raise InvalidInput("skills: offer mentoring on at least one skill", field="skills")
    if len(skills) > SKILLS_MAX:
        raise InvalidInput(f"skills: at most {SKILLS_MAX}", field="skills")
    if not 1 <= hours_per_month <= HOURS_PER_MONTH_MAX:
        raise InvalidInput(
            f"hours_per_month: 1 to {HOURS_PER_MONTH_MAX}, not {hours_per_month}", field="hours_per_month"
        )
    if len(note) > NOTES_MAX:
        raise InvalidInput(f"note: at most {NOTES_MAX} characters", field="note")


def check_session(held_on: date, minutes: int, notes: str, today: date) -> None:
    if held_on > today:
        raise InvalidInput(
            f"date: a session is recorded once held, not on {held_on} (after today)", field="date"
        )
    if not 1 <= minutes <= SESSION_MINUTES_MAX:
        raise InvalidInput(f"minutes: 1 to {SESSION_MINUTES_MAX}, not {minutes}", field="minutes")
    if len(notes) > NOTES_MAX:
        raise InvalidInput(f"notes: at most {NOTES_MAX} characters", field="notes")


def require_state(mentorship: Mentorship, *states: MentorshipState) -> None:
    if mentorship.state not in states:
        wanted = " or ".join(s.value for s in states)
        raise Conflict(f"the mentorship is {mentorship.state.value}, not {wanted}")


def evidence_of(mentorship: Mentorship, sessions: list[MentoringSession], *, for_mentor: bool) -> Evidence:
    """The dated evidence a completed mentorship gives: on its last session, naming it and its hours."""
    if mentorship.mentor_id == mentorship.mentee_id:
        raise InvalidInput("a person cannot mentor themselves")
    if not sessions:
        raise Conflict("record at least one session before completing the mentorship")
    last = max(s.held_on for s in sessions)
    hours = sum(s.minutes for s in sessions) / 60
    role = "mentored" if for_mentor else "was mentored"
    return Evidence(
        EvidenceKind.MENTORSHIP,
        last,
        source=f"mentorship:{mentorship.id}",
        note=f"{role}: {len(sessions)} session{'s' if len(sessions) != 1 else ''}, {hours:.1f} h",
    )
