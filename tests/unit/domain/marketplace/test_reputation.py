from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.marketplace.reputation import (
    ContractOutcome,
    Outcome,
    outcome_score,
    recency,
    reputation,
    size_factor,
)
from microcareer.errors import InvalidInput

TODAY = date(2026, 11, 23)


def outcome(
    contract_id: int,
    days_ago: int,
    kind: Outcome = "completed",
    rating: float | None = None,
    value: int = 50_000,
) -> ContractOutcome:
    return ContractOutcome(
        contract_id=contract_id,
        ended_on=TODAY - timedelta(days=days_ago),
        value_minor=value,
        outcome=kind,
        client_rating=rating,
    )


def five_good() -> list[ContractOutcome]:
    return [outcome(i, 30 * i, rating=5.0) for i in range(1, 6)]


@pytest.mark.parametrize(
    ("kind", "rating", "expected"),
    [
        ("completed", 5.0, 1.0),
        ("completed", 1.0, 0.5),
        ("completed", 3.0, 0.75),
        ("completed", None, 0.8),
        ("cancelled_by_professional", None, 0.0),
        ("cancelled_by_client", None, None),
        ("dispute_won", None, 1.0),
        ("dispute_lost", None, 0.0),
        ("dispute_split", None, 0.5),
    ],
)
def test_outcome_scores_as_documented(kind: Outcome, rating: float | None, expected: float | None) -> None:
    assert outcome_score(outcome(1, 0, kind, rating)) == expected


def test_recency_halves_every_half_life_and_size_grows_slowly() -> None:
    assert recency(TODAY, TODAY, 365) == 1.0
    assert recency(TODAY - timedelta(days=365), TODAY, 365) == pytest.approx(0.5)
    assert recency(TODAY + timedelta(days=10), TODAY, 365) == 1.0
    assert size_factor(0) == 1.0
    assert size_factor(90_000) == pytest.approx(2.0)
    assert size_factor(990_000) == pytest.approx(3.0)


def test_all_perfect_contracts_score_100() -> None:
    result = reputation(five_good(), TODAY)
    assert result.score == 100
    assert result.contracts_counted == 5
    assert result.successful == 5


def test_score_is_the_weighted_mean() -> None:
    # Two contracts ended today, same value: plain mean of 1.0 and 0.0 and 0.8 -> 60.
    items = [
        outcome(1, 0, rating=5.0),
        outcome(2, 0, "dispute_lost"),
        outcome(3, 0),
    ]
    assert reputation(items, TODAY).score == 60
    # Recency: the lost dispute a year ago weighs half -> (1 + 0.8) / 2.5 = 0.72.
    items[1] = outcome(2, 365, "dispute_lost")
    assert reputation(items, TODAY).score == 72


def test_fewer_than_min_contracts_gives_no_score_with_a_reason() -> None:
    items = [outcome(1, 10, rating=5.0), outcome(2, 20, rating=4.0), outcome(3, 30, "cancelled_by_client")]
    result = reputation(items, TODAY)
    assert result.score is None
    assert result.contracts_counted == 2
    assert (
        result.explanation[0] == "no score yet: 2 contracts in the last 24 months, a score needs at least 3"
    )
    assert reputation(items, TODAY, min_contracts=2).score is not None


def test_no_contracts() -> None:
    result = reputation([], TODAY)
    assert result.score is None
    assert result.breakdown == ()
    assert result.explanation == (
        "no score yet: 0 contracts in the last 24 months, a score needs at least 3",
    )


def test_window_cut_off() -> None:
    items = [*five_good(), outcome(9, 730, "dispute_lost"), outcome(10, 731, "dispute_lost")]
    result = reputation(items, TODAY)
    assert [c.contract_id for c in result.breakdown if c.outcome == "dispute_lost"] == [9]
    assert result.contracts_counted == 6
    assert "1 dispute lost" in result.explanation
    # Only old contracts: no score.
    old = [outcome(i, 800 + i, rating=5.0) for i in range(5)]
    assert reputation(old, TODAY).score is None
    assert reputation(old, TODAY, window_days=1000).score == 100


def test_client_cancellations_are_neutral() -> None:
    base = reputation(five_good(), TODAY)
    with_cancel = reputation([*five_good(), outcome(9, 5, "cancelled_by_client")], TODAY)
    assert with_cancel.score == base.score
    assert with_cancel.contracts_counted == base.contracts_counted
    assert "1 cancelled by the client, not counted" in with_cancel.explanation
    neutral = next(c for c in with_cancel.breakdown if c.contract_id == 9)
    assert neutral.outcome_score is None
    assert neutral.weight == 0.0
    assert neutral.share == 0.0


def test_explanation_lines() -> None:
    items = [
        *(outcome(i, 20 * i, rating=r) for i, r in enumerate([5, 5, 4, 5, 4, 5, 4, 5], start=1)),
        outcome(20, 100),
        outcome(21, 200, "dispute_lost"),
        outcome(22, 300, "cancelled_by_professional"),
    ]
    result = reputation(items, TODAY)
    assert result.explanation[:2] == (
        "9 of 11 contracts in the last 24 months successful",
        "recent work weighs more: a contract a year ago counts half",
    )
    assert "1 dispute lost" in result.explanation
    assert "1 contract cancelled by the professional" in result.explanation
    assert "average client rating 4.6/5 (8 rated)" in result.explanation
    assert reputation(items, TODAY, half_life_days=182.5).explanation[1] == (
        "recent work weighs more: a contract 6 months ago counts half"
    )
    assert reputation(items, TODAY, half_life_days=730).explanation[1].endswith("2 years ago counts half")
    assert reputation(items, TODAY, window_days=400).explanation[0].endswith("last 400 days successful")


def test_breakdown_is_newest_first_and_shares_sum_to_one() -> None:
    items = [outcome(1, 300, rating=4.0), outcome(2, 10), outcome(3, 100, "dispute_split", value=1_000_000)]
    result = reputation(items, TODAY)
    assert [c.contract_id for c in result.breakdown] == [2, 3, 1]
    assert sum(c.share for c in result.breakdown) == pytest.approx(1.0, abs=1e-3)
    big = next(c for c in result.breakdown if c.contract_id == 3)
    small = next(c for c in result.breakdown if c.contract_id == 2)
    assert big.outcome_score == 0.5
    assert big.weight > small.weight  # bigger, if a little older
    assert big.weight < 4 * small.weight  # but a 20x larger contract is nowhere near 20x the weight


def test_a_bad_recent_contract_hurts_more_than_an_old_one() -> None:
    recent = reputation([*five_good(), outcome(9, 10, "dispute_lost")], TODAY)
    old = reputation([*five_good(), outcome(9, 600, "dispute_lost")], TODAY)
    assert recent.score is not None
    assert old.score is not None
    assert recent.score < old.score < 100


def test_invalid_inputs_are_refused_with_the_field() -> None:
    with pytest.raises(InvalidInput, match="client_rating"):
        outcome(1, 0, rating=6.0)
    with pytest.raises(InvalidInput, match="value_minor"):
        outcome(1, 0, value=-1)
    with pytest.raises(InvalidInput, match="outcome"):
        ContractOutcome(1, TODAY, 0, "abandoned")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="half_life_days"):
        reputation([], TODAY, half_life_days=0)
    with pytest.raises(InvalidInput, match="window_days"):
        reputation([], TODAY, window_days=0)
    with pytest.raises(InvalidInput, match="min_contracts"):
        reputation([], TODAY, min_contracts=0)


outcomes_strategy = st.lists(
    st.builds(
        ContractOutcome,
        contract_id=st.integers(1, 10_000),
        ended_on=st.integers(0, 760).map(lambda d: TODAY - timedelta(days=d)),
        value_minor=st.integers(0, 10_000_000),
        outcome=st.sampled_from(
            [
                "completed",
                "cancelled_by_professional",
                "cancelled_by_client",
                "dispute_won",
                "dispute_lost",
                "dispute_split",
            ]
        ),
        client_rating=st.none() | st.floats(1.0, 5.0),
    ),
    min_size=3,
    max_size=25,
)


@given(
    items=outcomes_strategy,
    days_ago=st.integers(0, 730),
    value=st.integers(0, 10_000_000),
    kind=st.sampled_from(["five_stars", "dispute_won"]),
)
def test_a_new_perfect_contract_never_lowers_the_score(
    items: list[ContractOutcome], days_ago: int, value: int, kind: str
) -> None:
    before = reputation(items, TODAY, min_contracts=1)
    new = (
        outcome(99_999, days_ago, rating=5.0, value=value)
        if kind == "five_stars"
        else outcome(99_999, days_ago, "dispute_won", value=value)
    )
    after = reputation([*items, new], TODAY, min_contracts=1)
    assert after.score is not None
    assert before.score is None or after.score >= before.score


@given(items=outcomes_strategy, recent=st.integers(0, 365), extra=st.integers(1, 365))
def test_an_older_bad_contract_never_hurts_more_than_a_recent_one(
    items: list[ContractOutcome], recent: int, extra: int
) -> None:
    newer = reputation([*items, outcome(99_999, recent, "dispute_lost")], TODAY, min_contracts=1)
    older = reputation([*items, outcome(99_999, recent + extra, "dispute_lost")], TODAY, min_contracts=1)
    assert newer.score is not None
    assert older.score is not None
    assert older.score >= newer.score
    assert 0 <= newer.score <= 100
