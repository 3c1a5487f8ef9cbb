"""Money: parsing, formatting, one-currency arithmetic, half-up rounding, and splits that sum back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.marketplace.money import (
    EXPONENTS,
    MAX_ABS_AMOUNT,
    Money,
    currency_code,
    divide_half_up,
    fee,
    split,
    times_minutes,
)
from microcareer.errors import InvalidInput

currencies = st.sampled_from(sorted(EXPONENTS))
amounts = st.integers(-(10**12), 10**12)


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "EUR", 1250),
        ("12.5", "EUR", 1250),
        ("12", "EUR", 1200),
        ("0.05", "EUR", 5),
        (" 7.00 ", "USD", 700),
        ("-3.10", "GBP", -310),
        ("1500", "JPY", 1500),
        ("1500", "KRW", 1500),
        ("0", "CHF", 0),
        ("007.01", "SEK", 701),
    ],
)
def test_parse(text: str, currency: str, minor: int) -> None:
    assert Money.parse(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency", "why"),
    [
        ("12.505", "EUR", "too many decimals for EUR"),
        ("12.500", "EUR", "too many decimals"),
        ("1.5", "JPY", r"no decimals"),
        ("1.0", "KRW", r"no decimals"),
        ("12,50", "EUR", "not a number"),
        ("1e3", "EUR", "not a number"),
        ("", "EUR", "not a number"),
        (".5", "EUR", "not a number"),
        ("5.", "EUR", "not a number"),
        ("EUR 5", "EUR", "not a number"),
        ("nan", "EUR", "not a number"),
        ("12.50", "XYZ", "'XYZ' is not accepted"),
        ("1" * 25, "EUR", "too large"),
    ],
)
def test_parse_refuses(text: str, currency: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        Money.parse(text, currency)


def test_unknown_and_lowercase_currencies_are_refused() -> None:
    with pytest.raises(InvalidInput, match="currency: 'XXX' is not accepted") as caught:
        Money(1, "XXX")
    assert caught.value.extra["field"] == "currency"
    with pytest.raises(InvalidInput, match="'eur'"):
        Money(1, "eur")
    assert currency_code(" eur ") == "EUR"
    with pytest.raises(InvalidInput):
        currency_code("euro")


@pytest.mark.parametrize("bad", [1.5, 12.0, True, "12", None])
def test_amount_must_be_an_integer(bad: object) -> None:
    with pytest.raises(InvalidInput, match="amount: a whole number"):
        Money(bad, "EUR")  # type: ignore[arg-type]


def test_amount_is_bounded() -> None:
    assert Money(MAX_ABS_AMOUNT, "EUR").amount == MAX_ABS_AMOUNT
    with pytest.raises(InvalidInput, match="beyond"):
        Money(MAX_ABS_AMOUNT + 1, "EUR")


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (eur(1250), "EUR 12.50"),
        (eur(5), "EUR 0.05"),
        (eur(0), "EUR 0.00"),
        (eur(-5), "EUR -0.05"),
        (eur(-123456), "EUR -1234.56"),
        (Money(1500, "JPY"), "JPY 1500"),
        (Money(-7, "KRW"), "KRW -7"),
    ],
)
def test_format(money: Money, text: str) -> None:
    assert money.format() == text
    assert str(money) == text


@given(currencies, amounts)
def test_format_and_parse_round_trip(currency: str, amount: int) -> None:
    money = Money(amount, currency)
    assert Money.parse(money.format().split(" ", 1)[1], currency) == money


def test_arithmetic_and_comparison_within_one_currency() -> None:
    assert eur(100) + eur(25) == eur(125)
    assert eur(100) - eur(125) == eur(-25)
    assert -eur(30) == eur(-30)
    assert eur(1) < eur(2) <= eur(2) < eur(3)
    assert eur(3) > eur(2) >= eur(2)
    assert eur(0).is_zero
    assert eur(1).is_positive
    assert not eur(-1).is_positive
    assert Money.zero("JPY") == Money(0, "JPY")
    assert eur(1) != Money(1, "USD")  # equal amounts in different currencies are different money


@pytest.mark.parametrize(
    ("operation", "verb"),
    [
        (lambda a, b: a + b, "add"),
        (lambda a, b: a - b, "subtract"),
        (lambda a, b: a < b, "compare"),
        (lambda a, b: a <= b, "compare"),
        (lambda a, b: a > b, "compare"),
        (lambda a, b: a >= b, "compare"),
    ],
)
def test_mixing_currencies_is_refused(operation: object, verb: str) -> None:
    with pytest.raises(InvalidInput, match=f"cannot {verb} EUR and USD"):
        operation(eur(1), Money(1, "USD"))  # type: ignore[operator]


def test_adding_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        eur(1) + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"),
    [(5, 2, 3), (4, 2, 2), (7, 3, 2), (8, 3, 3), (-5, 2, -3), (-7, 3, -2), (0, 9, 0), (1, 3, 0)],
)
def test_divide_half_up(numerator: int, denominator: int, rounded: int) -> None:
    assert divide_half_up(numerator, denominator) == rounded


def test_divide_half_up_needs_a_positive_denominator() -> None:
    with pytest.raises(ValueError, match="denominator"):
        divide_half_up(1, 0)


@pytest.mark.parametrize(
    ("rate", "minutes", "charge"),
    [
        (eur(6000), 60, eur(6000)),  # one hour at EUR 60.00
        (eur(6000), 90, eur(9000)),
        (eur(1000), 1, eur(17)),  # 16.67 → 17
        (eur(1001), 30, eur(501)),  # 500.5 → 501: half up
        (eur(1003), 30, eur(502)),  # 501.5 → 502
        (eur(999), 20, eur(333)),  # 333.0 exactly
        (eur(100), 7, eur(12)),  # 11.67 → 12
        (eur(100), 3, eur(5)),  # 5.0
        (eur(110), 3, eur(6)),  # 5.5 → 6
        (eur(6000), 0, eur(0)),
        (Money(5000, "JPY"), 45, Money(3750, "JPY")),
        (Money(1001, "JPY"), 30, Money(501, "JPY")),
    ],
)
def test_times_minutes_rounds_half_up(rate: Money, minutes: int, charge: Money) -> None:
    assert times_minutes(rate, minutes) == charge


def test_times_minutes_refuses_negative_minutes() -> None:
    with pytest.raises(InvalidInput, match="minutes"):
        times_minutes(eur(100), -1)


@pytest.mark.parametrize(
    ("amount", "basis_points", "charged"),
    [
        (eur(10000), 250, eur(250)),  # 2.5 % of EUR 100
        (eur(10000), 0, eur(0)),
        (eur(10000), 10000, eur(10000)),
        (eur(199), 250, eur(5)),  # 4.975 → 5
        (eur(100), 250, eur(3)),  # 2.5 → 3: half up
        (eur(100), 249, eur(2)),  # 2.49 → 2
        (eur(1), 4999, eur(0)),  # 0.4999 → 0
        (eur(1), 5000, eur(1)),  # 0.5 → 1
        (eur(-100), 250, eur(-3)),  # symmetric for corrections
        (Money(999, "JPY"), 1000, Money(100, "JPY")),  # 99.9 → 100
    ],
)
def test_fee_rounds_half_up(amount: Money, basis_points: int, charged: Money) -> None:
    assert fee(amount, basis_points) == charged


@pytest.mark.parametrize("basis_points", [-1, 10001])
def test_fee_basis_points_are_bounded(basis_points: int) -> None:
    with pytest.raises(InvalidInput, match="basis points"):
        fee(eur(100), basis_points)


@pytest.mark.parametrize(
    ("amount", "parts", "shares"),
    [
        (100, 3, (34, 33, 33)),
        (101, 3, (34, 34, 33)),
        (99, 3, (33, 33, 33)),
        (2, 4, (1, 1, 0, 0)),
        (0, 2, (0, 0)),
        (7, 1, (7,)),
        (-100, 3, (-34, -33, -33)),
    ],
)
def test_split_gives_the_remainder_to_the_first_parts(
    amount: int, parts: int, shares: tuple[int, ...]
) -> None:
    assert split(eur(amount), parts) == tuple(eur(share) for share in shares)


def test_split_needs_a_part() -> None:
    with pytest.raises(InvalidInput, match="parts: at least 1"):
        split(eur(100), 0)


@given(currencies, amounts, st.integers(1, 500))
def test_split_sums_back_exactly(currency: str, amount: int, parts: int) -> None:
    shares = split(Money(amount, currency), parts)
    assert len(shares) == parts
    assert sum(share.amount for share in shares) == amount
    assert {share.currency for share in shares} == {currency}
    magnitudes = [abs(share.amount) for share in shares]
    assert max(magnitudes) - min(magnitudes) <= 1
    assert magnitudes == sorted(magnitudes, reverse=True)


@given(currencies, st.integers(0, 10**12), st.integers(0, 10000))
def test_fee_and_remainder_sum_back(currency: str, amount: int, basis_points: int) -> None:
    money = Money(amount, currency)
    charged = fee(money, basis_points)
    kept = money - charged
    assert charged + kept == money
    assert 0 <= charged.amount <= amount
    # within half a minor unit of the exact fee, rounding halves up
    exact_times_2 = 2 * amount * basis_points
    assert abs(2 * 10000 * charged.amount - exact_times_2) <= 10000
    assert fee(money, basis_points) == charged  # deterministic


@given(st.integers(0, 10**9), st.integers(0, 10**6), st.integers(0, 10**6))
def test_times_minutes_is_monotonic(rate: int, minutes: int, more: int) -> None:
    assert times_minutes(eur(rate), minutes) <= times_minutes(eur(rate), minutes + more)
