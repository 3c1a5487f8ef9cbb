"""Offers without a database: what an offer must hold (each bad value named by its field), packages as
the CLI types them, the revision limit, and search matching."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.offers import (
    Offer,
    Package,
    StoredOrder,
    check_offer,
    check_revision_left,
    matches,
    package_from_text,
    package_of,
    search_words,
)
from microcareer.errors import Conflict, InvalidInput

PY = "http://data.europa.eu/esco/skill/python"
BASIC = Package("Basic", Money(5_000, "EUR"), delivery_days=3, revisions=1)
OFFER = Offer(
    title="  Python data cleaning ",
    description="A tested Python script that cleans your CSV exports.",
    skills=(PY, PY),
    packages=(BASIC,),
    gallery=(" https://example.org/a.png ", "https://example.org/a.png"),
)


def test_a_good_offer_is_kept_trimmed_and_without_repeats() -> None:
    kept = check_offer(OFFER)
    assert kept.title == "Python data cleaning"
    assert kept.skills == (PY,)
    assert kept.gallery == ("https://example.org/a.png",)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "Hey"}, "title", "at least 5"),
        ({"description": "short"}, "description", "at least 20"),
        ({"skills": ()}, "skills", "1 to 10"),
        ({"packages": ()}, "packages", "1 to 3"),
        ({"packages": (BASIC, BASIC)}, "packages", "its own name"),
        (
            {"packages": (BASIC, replace(BASIC, name="Pro", price=Money(900, "USD")))},
            "packages",
            "one currency",
        ),
        ({"packages": (replace(BASIC, price=Money(0, "EUR")),)}, "packages[0].price", "above 0"),
        ({"packages": (replace(BASIC, delivery_days=0),)}, "packages[0].delivery_days", "1 to 90"),
        ({"packages": (replace(BASIC, revisions=11),)}, "packages[0].revisions", "0 to 10"),
        ({"gallery": ("javascript:alert(1)",)}, "gallery[0]", "http:// or https://"),
        ({"gallery": ("data:image/png;base64,AAAA",)}, "gallery[0]", "http:// or https://"),
        ({"gallery": ("https://example.org/x",) * 7}, "gallery", "at most 6"),
    ],
)
def test_a_bad_offer_names_the_field(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as raised:
        check_offer(replace(OFFER, **changes))  # type: ignore[arg-type]
    assert raised.value.extra["field"] == field


def test_packages_as_typed_on_the_command_line() -> None:
    assert package_from_text("Pro: plus:120.50:5:2", "EUR", 0) == Package(
        "Pro: plus", Money(12_050, "EUR"), 5, 2
    )
    for bad, words in (
        ("Basic:50", "NAME:PRICE"),
        ("Basic:50:three:1", "whole numbers"),
        ("B:5.001:1:1", "price"),
    ):
        with pytest.raises(InvalidInput, match=words):
            package_from_text(bad, "EUR", 1)
    with pytest.raises(InvalidInput, match="package: 0 to 0"):
        package_of(OFFER, 1)


def test_revisions_stop_at_the_package_limit() -> None:
    order = StoredOrder(1, 1, 0, BASIC, 2, 3, 4, "needs", 0, datetime(2026, 1, 1, tzinfo=UTC))
    check_revision_left(order)
    with pytest.raises(Conflict, match="includes 1, all used"):
        check_revision_left(replace(order, revisions_used=1))


def test_search_needs_every_word_and_the_skill() -> None:
    assert matches(OFFER, search_words("CSV  python"), PY)
    assert matches(OFFER, search_words("basic"), None)  # package names count
    assert not matches(OFFER, search_words("csv java"), None)
    assert not matches(OFFER, (), "http://data.europa.eu/esco/skill/other")
