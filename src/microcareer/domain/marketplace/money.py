"""Money as integer minor units of one ISO 4217 currency; no floats anywhere.

``Money(1250, "EUR")`` is EUR 12.50. Arithmetic and comparison work within one currency only; mixing
currencies raises ``InvalidInput``. Rounding is half-up on the magnitude (half away from zero), to the
currency's minor unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from microcareer.errors import InvalidInput

EXPONENTS: Mapping[str, int] = MappingProxyType(
    {
        "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2,
        "HUF": 2, "RON": 2, "JPY": 0, "KRW": 0, "INR": 2, "BRL": 2, "CAD": 2, "AUD": 2, "NZD": 2,
        "ZAR": 2, "MXN": 2,
    }
)  # fmt: skip
"""Digits after the decimal point of each accepted currency (ISO 4217 minor unit)."""

MAX_ABS_AMOUNT = 10**15
"""Largest magnitude in minor units, well inside a signed 64-bit database column."""

BASIS_POINTS = 10_000
_NUMBER = re.compile(r"^(-?)(\d+)(?:\.(\d+))?$")


def _check_currency(currency: str) -> int:
    exponent = EXPONENTS.get(currency)
    if exponent is None:
        known = ", ".join(sorted(EXPONENTS))
        raise InvalidInput(f"currency: {currency!r} is not accepted (one of {known})", field="currency")
    return exponent


def currency_code(text: str) -> str:
    """A currency as people type it (``" eur "``) → the ISO 4217 code, if accepted."""
    code = text.strip().upper()
    _check_currency(code)
    return code


def divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to an integer, halves away from zero; ``denominator`` > 0."""
    if denominator <= 0:
        raise ValueError(f"denominator must be above 0, not {denominator}")
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents, öre; yen are already whole) of one currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        _check_currency(self.currency)
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidInput(f"amount: a whole number of minor units, not {self.amount!r}", field="amount")
        if abs(self.amount) > MAX_ABS_AMOUNT:
            raise InvalidInput(f"amount: beyond {MAX_ABS_AMOUNT} minor units", field="amount")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """``"12.50"`` in EUR → 1250; ``"12.5"`` too; ``"12.505"`` is refused, so is ``"1.5"`` in JPY."""
        exponent = _check_currency(currency)
        match = _NUMBER.match(text.strip())
        if match is None:
            raise InvalidInput(
                f"amount: {text!r} is not a number like 12.50 (digits, one optional '.')", field="amount"
            )
        sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
        if len(fraction) > exponent:
            allowed = f"at most {exponent} decimals" if exponent else "no decimals"
            raise InvalidInput(
                f"amount: {text!r} has too many decimals for {currency} ({allowed})", field="amount"
            )
        if len(whole) > 20:
            raise InvalidInput(f"amount: {text!r} is too large", field="amount")
        minor = int(whole) * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
        return cls(-minor if sign else minor, currency)

    @property
    def exponent(self) -> int:
        return EXPONENTS[self.currency]

    def format(self) -> str:
        """``"EUR 12.50"``, ``"EUR -0.05"``, ``"JPY 1500"``."""
        sign = "-" if self.amount < 0 else ""
        if self.exponent == 0:
            return f"{self.currency} {sign}{abs(self.amount)}"
        whole, fraction = divmod(abs(self.amount), 10**self.exponent)
        return f"{self.currency} {sign}{whole}.{fraction:0{self.exponent}d}"

    def __str__(self) -> str:
        return self.format()

    def _same(self, other: Money, operation: str) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {operation} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidInput(
                f"currency: cannot {operation} {self.currency} and {other.currency}", field="currency"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount >= other.amount

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    @property
    def is_positive(self) -> bool:
        return self.amount > 0


def times_minutes(rate_per_hour: Money, minutes: int) -> Money:
    """What ``minutes`` of work cost at ``rate_per_hour``, half-up to the minor unit."""
    if minutes < 0:
        raise InvalidInput(f"minutes: not below 0, not {minutes}", field="minutes")
    return Money(divide_half_up(rate_per_hour.amount * minutes, 60), rate_per_hour.currency)


def fee(amount: Money, basis_points: int) -> Money:
    """``basis_points`` / 10000 of ``amount`` (250 bp = 2.5 %), half-up to the minor unit."""
    if not 0 <= basis_points <= BASIS_POINTS:
        raise InvalidInput(f"fee: 0 to {BASIS_POINTS} basis points, not {basis_points}", field="fee_bp")
    return Money(divide_half_up(amount.amount * basis_points, BASIS_POINTS), amount.currency)


def split(amount: Money, parts: int) -> tuple[Money, ...]:
    """``amount`` in ``parts`` shares differing by at most one minor unit, the extra units to the first."""
    if parts < 1:
        raise InvalidInput(f"parts: at least 1, not {parts}", field="parts")
    base, remainder = divmod(abs(amount.amount), parts)
    sign = -1 if amount.amount < 0 else 1
    return tuple(
        Money(sign * (base + (1 if index < remainder else 0)), amount.currency) for index in range(parts)
    )
