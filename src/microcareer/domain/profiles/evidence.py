"""Why a profile claims a skill, and how much to believe it today.

Each piece of evidence has a kind (a verified credential counts for more than a self-claim), a date of
last use, and fades with time: its strength halves every ``half_life_days``. Pieces combine as
independent witnesses (noisy-or): confidence = 1 - product(1 - strength). Within one kind, each
further piece counts half as much as the one before, so ten self-claims never add up to a credential.
Every confidence comes with one line that says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType


class EvidenceKind(StrEnum):
    CREDENTIAL = "credential"  # a verified credential (Open Badges 3.0 / W3C VC)
    MICRO_JOB = "micro_job"  # a completed micro-job, with the client's review
    ASSESSMENT = "assessment"  # a scored test or a practical assessment
    MENTORSHIP = "mentorship"  # a mentorship both mentor and mentee confirmed complete (issue 21)
    CV_EXTRACTION = "cv_extraction"  # found in the person's CV by the extractor, confirmed by them
    SELF_CLAIM = "self_claim"  # the person says so


DEFAULT_WEIGHTS: Mapping[EvidenceKind, float] = MappingProxyType(
    {
        EvidenceKind.CREDENTIAL: 0.9,
        EvidenceKind.MICRO_JOB: 0.8,
        EvidenceKind.ASSESSMENT: 0.7,
        EvidenceKind.MENTORSHIP: 0.5,
        EvidenceKind.CV_EXTRACTION: 0.4,
        EvidenceKind.SELF_CLAIM: 0.25,
    }
)
DEFAULT_HALF_LIFE_DAYS = 730.0
STALE_BELOW = 0.5
"""A skill is going stale when its freshest evidence has faded below this share of its strength."""

_PHRASES: Mapping[EvidenceKind, tuple[str, str]] = MappingProxyType(
    {
        EvidenceKind.CREDENTIAL: ("verified credential", "verified credentials"),
        EvidenceKind.MICRO_JOB: ("completed micro-job", "completed micro-jobs"),
        EvidenceKind.ASSESSMENT: ("assessment", "assessments"),
        EvidenceKind.MENTORSHIP: ("completed mentorship", "completed mentorships"),
        EvidenceKind.CV_EXTRACTION: ("found in CV", "found in CVs"),
        EvidenceKind.SELF_CLAIM: ("self-claimed", "self-claimed"),
    }
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to believe a skill: what kind, when last used, and how good (when rated)."""

    kind: EvidenceKind
    last_used: date
    source: str = ""
    """What it points at: a credential id, a contract, a file name."""
    rating: float | None = None
    """A client's review (1-5) for a micro-job, a score in [0, 1] for an assessment; None: unrated."""
    weight: float = 1.0
    """How much of its kind's weight it carries, in [0, 1]: a credential's issuer standing, a micro-job
    between accounts that share an organisation (see docs/trust.md)."""
    note: str = ""
    """Why it counts less than its kind (shown in the explanation), or which standing it counts by."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"weight: a factor in [0, 1], not {self.weight}")
        if self.rating is None:
            return
        if self.kind is EvidenceKind.MICRO_JOB and not 1.0 <= self.rating <= 5.0:
            raise ValueError(f"rating: a micro-job review is 1 to 5, not {self.rating}")
        if self.kind is EvidenceKind.ASSESSMENT and not 0.0 <= self.rating <= 1.0:
            raise ValueError(f"rating: an assessment score is 0 to 1, not {self.rating}")


@dataclass(frozen=True, slots=True)
class EvidencePolicy:
    """How much each kind of evidence weighs and how fast it fades; organisations may set their own."""

    weights: Mapping[EvidenceKind, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS

    def __post_init__(self) -> None:
        if self.half_life_days <= 0:
            raise ValueError(f"half_life_days must be above 0, not {self.half_life_days}")
        for kind in EvidenceKind:
            weight = self.weights.get(kind)
            if weight is None or not 0.0 <= weight < 1.0:
                raise ValueError(f"weights: {kind.value} needs a weight in [0, 1), not {weight}")

    def decay(self, last_used: date, today: date) -> float:
        """1 for evidence used today (or dated in the future), 0.5 after one half-life, and so on."""
        age = max(0, (today - last_used).days)
        return float(0.5 ** (age / self.half_life_days))

    def strength(self, evidence: Evidence, today: date) -> float:
        """Weight of its kind x its own weight x quality x freshness, in [0, 1)."""
        kind_weight = self.weights[evidence.kind] * evidence.weight
        return kind_weight * quality(evidence) * self.decay(evidence.last_used, today)


def quality(evidence: Evidence) -> float:
    """A 5-star micro-job counts fully and a 1-star one half; an assessment counts by its score."""
    if evidence.rating is None:
        return 1.0
    if evidence.kind is EvidenceKind.MICRO_JOB:
        return 0.5 + 0.5 * (evidence.rating - 1.0) / 4.0
    if evidence.kind is EvidenceKind.ASSESSMENT:
        return evidence.rating
    return 1.0


@dataclass(frozen=True, slots=True)
class SkillConfidence:
    """How much to believe a skill today, in [0, 1], and the one line that says why."""

    value: float
    explanation: str
    last_used: date | None
    freshness: float
    """Decay of the freshest evidence: 1 = used today, 0.5 = one half-life ago; 0 with no evidence."""

    @property
    def stale(self) -> bool:
        return self.last_used is not None and self.freshness < STALE_BELOW


def assess(
    evidence: Iterable[Evidence], today: date, policy: EvidencePolicy | None = None
) -> SkillConfidence:
    """The confidence of a skill from its evidence, on ``today``."""
    policy = policy or EvidencePolicy()
    items = list(evidence)
    if not items:
        return SkillConfidence(0.0, "no evidence", None, 0.0)
    last_used = max(e.last_used for e in items)
    return SkillConfidence(
        value=_belief(items, today, policy),
        explanation=explain(items, today, last_used),
        last_used=last_used,
        freshness=policy.decay(last_used, today),
    )


def belief(evidence: Iterable[Evidence], today: date, policy: EvidencePolicy | None = None) -> float:
    """``assess``'s value alone, without the explanation (all a strength needs): the same number."""
    items = list(evidence)
    return _belief(items, today, policy or EvidencePolicy()) if items else 0.0


def _belief(items: list[Evidence], today: date, policy: EvidencePolicy) -> float:
    disbelief = 1.0
    for kind in EvidenceKind:
        strengths = sorted((policy.strength(e, today) for e in items if e.kind is kind), reverse=True)
        for rank, strength in enumerate(strengths):
            disbelief *= 1.0 - strength * 0.5**rank
    return round(1.0 - disbelief, 4)


def explain(items: list[Evidence], today: date, last_used: date) -> str:
    """'verified credential 2026-03 [issuer approved by the platform], 2 completed micro-jobs (4.5/5),
    last used 4 months ago': each kind with the notes of the pieces that count less (or by a standing)."""
    parts: list[str] = []
    for kind in EvidenceKind:
        of_kind = [e for e in items if e.kind is kind]
        if not of_kind:
            continue
        singular, plural = _PHRASES[kind]
        one = len(of_kind) == 1
        part = f"{singular} {of_kind[0].last_used:%Y-%m}" if one else f"{len(of_kind)} {plural}"
        ratings = [e.rating for e in of_kind if e.rating is not None]
        if ratings and kind is EvidenceKind.MICRO_JOB:
            part += f" ({sum(ratings) / len(ratings):.1f}/5)"
        elif ratings and kind is EvidenceKind.ASSESSMENT:
            part += f" ({100 * sum(ratings) / len(ratings):.0f}%)"
        notes = list(dict.fromkeys(e.note for e in of_kind if e.note))
        if notes:
            part += f" [{'; '.join(notes)}]"
        parts.append(part)
    parts.append(f"last used {age_in_words(last_used, today)}")
    return ", ".join(parts)


def age_in_words(then: date, today: date) -> str:
    """'this month', '4 months ago', '1 year ago', '3 years ago'."""
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    if months <= 0:
        return "this month"
    if months < 12:
        return f"{months} month{'s' if months > 1 else ''} ago"
    years = months // 12
    return f"{years} year{'s' if years > 1 else ''} ago"
