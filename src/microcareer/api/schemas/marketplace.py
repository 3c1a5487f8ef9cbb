"""Money as every marketplace endpoint takes and shows it.

In: ``{"amount": 1250, "currency": "EUR"}``, the amount an integer in minor units (cents for EUR, yen
for JPY) and the currency an accepted ISO 4217 code (any case). Out: the same plus ``formatted``
(``"EUR 12.50"``) for display. Floats never carry money.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from microcareer.domain.marketplace.money import MAX_ABS_AMOUNT, Money, currency_code

MinorUnits = Annotated[
    int,
    Field(ge=-MAX_ABS_AMOUNT, le=MAX_ABS_AMOUNT, description="Integer minor units (1250 = EUR 12.50)."),
]
RowRef = Annotated[int, Field(ge=1, le=2**31 - 1, description="A numeric id.")]
Hours = Annotated[float, Field(allow_inf_nan=False, description="Hours, a decimal number.")]


class MoneyIn(BaseModel):
    amount: MinorUnits
    currency: str = Field(min_length=3, max_length=8, description="ISO 4217 code: EUR, USD, JPY, ...")

    def to_money(self) -> Money:
        return Money(self.amount, currency_code(self.currency))


class MoneyPublic(BaseModel):
    amount: int = Field(description="Integer minor units of ``currency``.")
    currency: str
    formatted: str = Field(description="For display: 'EUR 12.50'.")

    @classmethod
    def of(cls, money: Money) -> MoneyPublic:
        return cls(amount=money.amount, currency=money.currency, formatted=money.format())
