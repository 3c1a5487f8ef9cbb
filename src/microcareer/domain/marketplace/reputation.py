"""A professional's reputation: an open, explained score of how their recent contracts went.

Each contract that ended in the window (``window_days`` back from today, the end day included) gets an
outcome score in [0, 1]:

- ``completed`` with a client rating r (1 to 5): 0.5 + 0.5 * (r - 1) / 4, so 5 stars score 1 and one
  star 0.5 (the work was still delivered and accepted); ``completed`` unrated: 0.8;
- ``dispute_won``: 1; ``dispute_split``: 0.5; ``dispute_lost``: 0; ``cancelled_by_professional``: 0;
- ``cancelled_by_client``: neutral, left out of the score (the professional could not finish).

Each scored contract weighs recency x size: recency halves every ``half_life_days`` (a contract ended
today weighs 1, one a half-life ago 0.5), size is 1 + log10(1 + value_minor / 10_000), so a contract a
hundred times larger weighs about three times more, never a hundred: neither tiny gigs nor one big
contract decide the score. The score is the weighted mean x 100, rounded half up, from 0 to 100; None
with fewer than ``min_contracts`` scored contracts in the window. Successful means completed or a dispute
won. Every score comes with lines that say why, and a breakdown per contract.

A contract flagged by a collusion signal (``domain.marketplace.collusion``: the client shares an
organisation or a device with the professional) keeps ``COLLUSION_FACTOR`` of its weight and counts as
that share of a contract towards ``min_contracts``, so a handful of contracts with one's own second
account gives no score, and among real contracts they weigh little; a line says how many there were.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal, get_args

from microcareer.domain.marketplace.collusion import COLLUSION_FACTOR, collusion_factor, collusion_note
from microcareer.errors import InvalidInput

Outcome = Literal[
    "completed",
    "cancelled_by_professional",
    "cancelled_by_client",
    "dispute_won",
    "dispute_lost",
    "dispute_split",
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)

UNRATED_COMPLETED = 0.8
FIXED_SCORES: Mapping[str, float | None] = MappingProxyType(
    {
        "cancelled_by_professional": 0.0,
        "cancelled_by_client": None,
        "dispute_won": 1.0,
        "dispute_lost": 0.0,
        "dispute_split": 0.5,
    }
)
SIZE_UNIT_MINOR = 10_000
"""The contract value (in minor units) at which the size factor starts to grow noticeably."""
SUCCESSFUL: frozenset[str] = frozenset({"completed", "dispute_won"})

_OTHER_PHRASES: tuple[tuple[str, str, str], ...] = (
    (
        "cancelled_by_professional",
        "contract cancelled by the professional",
        "contracts cancelled by the professional",
    ),
    ("dispute_lost", "dispute lost", "disputes lost"),
    ("dispute_split", "dispute settled by splitting", "disputes settled by splitting"),
    ("dispute_won", "dispute won", "disputes won"),
)


@dataclass(frozen=True, slots=True)
class ContractOutcome:
    """How one contract ended, as reputation sees it."""

    contract_id: int
    ended_on: date
    value_minor: int
    """What the contract was worth in minor units; used only through the log size factor."""
    outcome: Outcome
    client_rating: float | None = None
    """The client's review, 1 to 5; None when the client did not rate."""
    signals: tuple[str, ...] = ()
    """Collusion signals between its client and professional (``collusion.CollusionSignal`` values)."""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise InvalidInput(
                f"outcome: {self.outcome!r} is not one of {', '.join(OUTCOMES)}", field="outcome"
            )
        if self.value_minor < 0:
            raise InvalidInput(
                f"value_minor: cannot be negative, not {self.value_minor}", field="value_minor"
            )
        if self.client_rating is not None and not 1.0 <= self.client_rating <= 5.0:
            raise InvalidInput(
                f"client_rating: a review is 1 to 5, not {self.client_rating}", field="client_rating"
            )


@dataclass(frozen=True, slots=True)
class ContractScore:
    """One contract's part in the score: its outcome score, weight and share of the total weight."""

    contract_id: int
    ended_on: date
    outcome: Outcome
    outcome_score: float | None
    """In [0, 1]; None for a neutral outcome (cancelled by the client), which is left out."""
    weight: float
    """Recency x size; 0 for a neutral outcome."""
    share: float
    """This contract's weight over all weights counted, in [0, 1]."""
    signals: tuple[str, ...] = ()
    """Why it counts less: the collusion signals its parties raise."""


@dataclass(frozen=True, slots=True)
class Reputation:
    """A score from 0 to 100 (None when there is too little to go on) and the lines that explain it."""

    score: int | None
    contracts_counted: int
    """Scored contracts in the window (neutral outcomes not counted)."""
    successful: int
    explanation: tuple[str, ...]
    breakdown: tuple[ContractScore, ...]
    """Every contract in the window, newest first."""


def outcome_score(outcome: ContractOutcome) -> float | None:
    """The score of one outcome in [0, 1], as the module docstring defines; None when neutral."""
    if outcome.outcome == "completed":
        if outcome.client_rating is None:
            return UNRATED_COMPLETED
        return 0.5 + 0.5 * (outcome.client_rating - 1.0) / 4.0
    return FIXED_SCORES[outcome.outcome]


def recency(ended_on: date, today: date, half_life_days: float) -> float:
    """1 for a contract ended today (or dated later), 0.5 one half-life ago, and so on."""
    age = max(0, (today - ended_on).days)
    return float(0.5 ** (age / half_life_days))


def size_factor(value_minor: int) -> float:
    """1 for a free contract, about 1.3 at 10_000 minor units, 2 at 90_000, 3 at 990_000."""
    return 1.0 + math.log10(1.0 + value_minor / SIZE_UNIT_MINOR)


def reputation(
    outcomes: Iterable[ContractOutcome],
    today: date,
    *,
    half_life_days: float = 365,
    window_days: int = 730,
    min_contracts: int = 3,
) -> Reputation:
    """The reputation on ``today`` from the contracts' outcomes (any order)."""
    if half_life_days <= 0:
        raise InvalidInput(f"half_life_days must be above 0, not {half_life_days}", field="half_life_days")
    if window_days <= 0:
        raise InvalidInput(f"window_days must be above 0, not {window_days}", field="window_days")
    if min_contracts < 1:
        raise InvalidInput(f"min_contracts must be at least 1, not {min_contracts}", field="min_contracts")
    in_window = sorted(
        (o for o in outcomes if (today - o.ended_on).days <= window_days),
        key=lambda o: (o.ended_on, o.contract_id),
        reverse=True,
    )
    scored: list[tuple[ContractOutcome, float | None, float]] = []
    for item in in_window:
        score = outcome_score(item)
        weight = (
            0.0
            if score is None
            else recency(item.ended_on, today, half_life_days)
            * size_factor(item.value_minor)
            * collusion_factor(item.signals)
        )
        scored.append((item, score, weight))
    total_weight = sum(weight for _, _, weight in scored)
    breakdown = tuple(
        ContractScore(
            contract_id=item.contract_id,
            ended_on=item.ended_on,
            outcome=item.outcome,
            outcome_score=score,
            weight=round(weight, 4),
            share=round(weight / total_weight, 4) if total_weight else 0.0,
            signals=item.signals,
        )
        for item, score, weight in scored
    )
    counted = [(item, score) for item, score, _ in scored if score is not None]
    successful = sum(1 for item, _ in counted if item.outcome in SUCCESSFUL)
    effective = sum(collusion_factor(item.signals) for item, _ in counted)
    flagged = [item for item, _ in counted if item.signals]
    period = _period_in_words(window_days, years=False)
    lines: list[str] = []
    value: int | None = None
    if flagged and effective + 1e-9 < min_contracts:
        lines.append(
            f"no score yet: {len(counted)} contract{'s' if len(counted) != 1 else ''} in the last {period}, "
            f"{len(flagged)} of them with a client linked to the professional "
            f"(each counts {COLLUSION_FACTOR:.0%}); a score needs at least {min_contracts}"
        )
    elif len(counted) < min_contracts:
        lines.append(
            f"no score yet: {len(counted)} contract{'s' if len(counted) != 1 else ''} in the last {period}, "
            f"a score needs at least {min_contracts}"
        )
    else:
        mean = (
            sum(score * weight for _, score, weight in scored if score is not None) / total_weight
            if total_weight > 0  # every weight underflowed: a half-life of a few days, a long window
            else sum(score for _, score in counted) / len(counted)
        )
        value = math.floor(mean * 100 + 0.5)
        lines.append(f"{successful} of {len(counted)} contracts in the last {period} successful")
        lines.append(
            f"recent work weighs more: a contract {_period_in_words(half_life_days)} ago counts half"
        )
    if flagged and value is not None:
        notes = sorted({collusion_note(item.signals) for item in flagged})
        lines.append(f"{len(flagged)} with a client linked to the professional ({'; '.join(notes)})")
    lines.extend(_outcome_lines(in_window))
    lines.extend(_rating_line([item for item, _ in counted]))
    return Reputation(
        score=value,
        contracts_counted=len(counted),
        successful=successful,
        explanation=tuple(lines),
        breakdown=breakdown,
    )


def _outcome_lines(items: list[ContractOutcome]) -> list[str]:
    lines: list[str] = []
    for outcome, singular, plural in _OTHER_PHRASES:
        count = sum(1 for item in items if item.outcome == outcome)
        if count:
            lines.append(f"{count} {singular if count == 1 else plural}")
    by_client = sum(1 for item in items if item.outcome == "cancelled_by_client")
    if by_client:
        lines.append(f"{by_client} cancelled by the client, not counted")
    return lines


def _rating_line(items: list[ContractOutcome]) -> list[str]:
    ratings = [item.client_rating for item in items if item.client_rating is not None]
    if not ratings:
        return []
    return [f"average client rating {sum(ratings) / len(ratings):.1f}/5 ({len(ratings)} rated)"]


def _period_in_words(days: float, *, years: bool = True) -> str:
    """'a year', '2 years', '6 months', '24 months', '45 days': whole years or months when close."""
    if years and round(days / 365) >= 1 and abs(days - 365 * round(days / 365)) <= 1:
        whole = round(days / 365)
        return "a year" if whole == 1 else f"{whole} years"
    months = days * 12 / 365
    if round(months) >= 1 and abs(days - round(months) * 365 / 12) <= 2:
        whole = round(months)
        return "a month" if whole == 1 else f"{whole} months"
    whole_days = round(days)
    return f"{whole_days} day{'s' if whole_days != 1 else ''}"
