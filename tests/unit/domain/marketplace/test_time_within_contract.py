"""Time is logged only on days a contract ran."""

from __future__ import annotations

from datetime import date

import pytest

from microcareer.domain.marketplace.contracts import check_within_contract
from microcareer.errors import InvalidInput

START = date(2026, 11, 10)
END = date(2026, 11, 20)


@pytest.mark.parametrize("day", [START, date(2026, 11, 15), END])
def test_days_the_contract_ran_are_taken(day: date) -> None:
    check_within_contract(day, START, END)


def test_an_open_contract_takes_any_day_from_its_start() -> None:
    check_within_contract(date(2027, 1, 1), START, None)


@pytest.mark.parametrize(
    ("day", "ended", "says"),
    [
        (date(2026, 11, 9), END, "2026-11-09 is outside the contract's dates (2026-11-10 to 2026-11-20)"),
        (date(2026, 11, 21), END, "2026-11-21 is outside the contract's dates (2026-11-10 to 2026-11-20)"),
        (date(2026, 1, 1), None, "2026-01-01 is outside the contract's dates (2026-11-10 to today)"),
    ],
)
def test_days_outside_are_refused_naming_the_dates(day: date, ended: date | None, says: str) -> None:
    with pytest.raises(InvalidInput, match=r"^day: ") as raised:
        check_within_contract(day, START, ended)
    assert says in str(raised.value.detail)
    assert raised.value.extra.get("field") == "day"
