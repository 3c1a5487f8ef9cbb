"""Referrals: a person recommends one of their connections for a micro-job; the poster sees who
referred whom; a referral whose candidate went on to complete the job's contract counts for the
referrer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcareer.errors import InvalidInput

NOTE_MAX = 1_000


@dataclass(frozen=True, slots=True)
class Referral:
    id: int
    job_id: int
    referrer_id: int
    candidate_id: int
    note: str
    created_at: datetime


def check_note(text: str) -> str:
    note = text.strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"note: at most {NOTE_MAX} characters, not {len(note)}", field="note")
    return note
