"""What matching compares: a person's skills and terms, a job's skills and terms.

No protected attribute is here on purpose: no age, gender, nationality, ethnicity, religion, health,
name or photo. ``joined`` (when the account was made) is kept only to *report* exposure by account age
and is never read by the scoring (``tests/unit/domain/matching/test_fairness.py`` checks this).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

DEFAULT_WEEKS = 2.0
"""How many weeks a job without both dates is taken to run, to turn its hours into hours a week."""

_WORD = re.compile(r"\w+")


def place_words(text: str) -> str:
    """Casefolded words joined by single spaces, with a space at each end (for whole-word look-ups)."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


@dataclass(frozen=True, slots=True)
class PersonFacts:
    user_id: int
    name: str
    strengths: Mapping[str, float]
    """Skill URI → how well the person holds it, in [0, 1] (``Holding.strength``: level x belief)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    hourly_rate: float | None = None
    currency: str = "EUR"
    hours_per_week: int | None = None
    city: str = ""
    country: str = ""
    languages: frozenset[str] = frozenset()
    """Casefolded language names or codes the person gives."""
    reputation: int | None = None
    """Job-success score 0-100; None when there is none yet (neutral, never a penalty)."""
    joined: date | None = None
    """For the exposure report only; never scored."""


@dataclass(frozen=True, slots=True)
class JobFacts:
    job_id: int
    title: str
    required: tuple[str, ...]
    nice: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    hourly_budget: float | None = None
    """The rate per hour the job offers (an hourly budget, or a fixed one over its expected hours)."""
    currency: str = "EUR"
    hours_per_week: float | None = None
    """Hours a week the job needs (expected hours over its weeks)."""
    remote: bool = True
    place: str = ""
    languages: frozenset[str] = frozenset()
    organisation_id: int | None = None
    internal: bool = False

    @staticmethod
    def weekly_hours(expected_hours: int, start: date | None, end: date | None) -> float:
        weeks = DEFAULT_WEEKS
        if start is not None and end is not None:
            weeks = max(1.0, ((end - start).days + 1) / 7)
        return expected_hours / weeks
