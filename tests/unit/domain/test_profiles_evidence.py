"""Evidence: kinds weigh differently, fade with a half-life, combine without runaway, explain themselves."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from microcareer.domain.profiles.evidence import (
    Evidence,
    EvidenceKind,
    EvidencePolicy,
    age_in_words,
    assess,
    belief,
)
from microcareer.domain.profiles.holdings import Holding, strength_of

TODAY = date(2026, 11, 23)


def test_no_evidence_is_zero_and_says_so() -> None:
    confidence = assess([], TODAY)
    assert confidence.value == 0.0
    assert confidence.explanation == "no evidence"
    assert not confidence.stale


def test_a_credential_outweighs_a_self_claim() -> None:
    credential = assess([Evidence(EvidenceKind.CREDENTIAL, TODAY)], TODAY)
    claim = assess([Evidence(EvidenceKind.SELF_CLAIM, TODAY)], TODAY)
    assert credential.value == pytest.approx(0.9)
    assert claim.value == pytest.approx(0.25)


def test_evidence_halves_after_one_half_life() -> None:
    policy = EvidencePolicy(half_life_days=365)
    fresh = assess([Evidence(EvidenceKind.CREDENTIAL, TODAY)], TODAY, policy)
    old = assess([Evidence(EvidenceKind.CREDENTIAL, date(2025, 11, 23))], TODAY, policy)
    assert old.value == pytest.approx(fresh.value / 2)
    assert old.freshness == pytest.approx(0.5)


def test_many_self_claims_never_reach_one_credential() -> None:
    claims = [Evidence(EvidenceKind.SELF_CLAIM, TODAY, source=str(i)) for i in range(50)]
    assert assess(claims, TODAY).value < assess([Evidence(EvidenceKind.CREDENTIAL, TODAY)], TODAY).value


def test_independent_kinds_add_up() -> None:
    both = assess(
        [Evidence(EvidenceKind.CREDENTIAL, TODAY), Evidence(EvidenceKind.MICRO_JOB, TODAY, rating=5)], TODAY
    )
    assert both.value == pytest.approx(1 - 0.1 * 0.2)


def test_a_poor_review_counts_half() -> None:
    good = assess([Evidence(EvidenceKind.MICRO_JOB, TODAY, rating=5)], TODAY)
    poor = assess([Evidence(EvidenceKind.MICRO_JOB, TODAY, rating=1)], TODAY)
    assert poor.value == pytest.approx(good.value / 2)


def test_the_explanation_is_one_line_with_dates_counts_and_age() -> None:
    confidence = assess(
        [
            Evidence(EvidenceKind.CREDENTIAL, date(2026, 3, 2)),
            Evidence(EvidenceKind.MICRO_JOB, date(2026, 6, 1), rating=4),
            Evidence(EvidenceKind.MICRO_JOB, date(2026, 7, 20), rating=5),
        ],
        TODAY,
    )
    assert confidence.explanation == (
        "verified credential 2026-03, 2 completed micro-jobs (4.5/5), last used 4 months ago"
    )
    assert confidence.last_used == date(2026, 7, 20)


def test_stale_when_the_freshest_evidence_is_older_than_a_half_life() -> None:
    policy = EvidencePolicy(half_life_days=365)
    assert assess([Evidence(EvidenceKind.CV_EXTRACTION, date(2024, 1, 1))], TODAY, policy).stale
    assert not assess([Evidence(EvidenceKind.CV_EXTRACTION, date(2026, 1, 1))], TODAY, policy).stale


@pytest.mark.parametrize(
    ("then", "words"),
    [
        (date(2026, 11, 1), "this month"),
        (date(2026, 10, 23), "1 month ago"),
        (date(2026, 10, 24), "this month"),
        (date(2025, 11, 23), "1 year ago"),
        (date(2023, 5, 1), "3 years ago"),
    ],
)
def test_age_in_words(then: date, words: str) -> None:
    assert age_in_words(then, TODAY) == words


def test_bad_ratings_and_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        Evidence(EvidenceKind.MICRO_JOB, TODAY, rating=6)
    with pytest.raises(ValueError, match="0 to 1"):
        Evidence(EvidenceKind.ASSESSMENT, TODAY, rating=80)
    with pytest.raises(ValueError, match="half_life_days"):
        EvidencePolicy(half_life_days=0)
    with pytest.raises(ValueError, match="self_claim"):
        EvidencePolicy(weights={kind: 0.5 for kind in EvidenceKind if kind is not EvidenceKind.SELF_CLAIM})


def test_belief_and_strength_of_are_assess_and_holding_without_the_explanation() -> None:
    """Matching takes a skill's strength from ``belief`` and ``strength_of``: the same numbers as the
    holding of ``assess``'s confidence, for any evidence, policy and level."""
    rng = random.Random(5)
    policies = [None, EvidencePolicy(half_life_days=90.0)]
    for _ in range(300):
        items = [
            Evidence(
                kind,
                TODAY - timedelta(days=rng.randint(-5, 2000)),
                rating=(rng.choice([None, 1.0, 4.5]) if kind is EvidenceKind.MICRO_JOB else None),
                weight=rng.choice([1.0, 0.5, 0.0]),
            )
            for kind in rng.choices(list(EvidenceKind), k=rng.randint(0, 5))
        ]
        policy = rng.choice(policies)
        confidence = assess(items, TODAY, policy)
        assert belief(items, TODAY, policy) == confidence.value
        level = rng.randint(1, 5)
        held = Holding("s:x", "x", level, confidence)
        for required in (1, 3, 5):
            assert strength_of(level, belief(iter(items), TODAY, policy), required) == held.strength(required)
