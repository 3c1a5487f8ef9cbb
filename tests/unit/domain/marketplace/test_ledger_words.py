"""Ledger lines in plain words, with people's names instead of account codes."""

from __future__ import annotations

from microcareer.domain.marketplace.ledger import fund, refund, release, reversal
from microcareer.domain.marketplace.ledger_words import (
    account_name,
    fee_percent,
    posting_words,
    transaction_words,
)
from microcareer.domain.marketplace.money import Money

NAMES = {4: "Bea Client", 2: "Ada Lovelace"}
EUR = "EUR"


def test_account_codes_become_names_and_words() -> None:
    assert account_name("client:4", NAMES) == "Bea Client"
    assert account_name("professional:2", NAMES) == "Ada Lovelace"
    assert account_name("professional:9", NAMES) == "professional 9"  # a name not given: still no code
    assert account_name("escrow:contract:1", NAMES) == "escrow"
    assert account_name("platform:fees", NAMES) == "platform fees"


def test_fee_percent() -> None:
    assert (fee_percent(1000), fee_percent(250), fee_percent(0)) == ("10%", "2.5%", "0%")


def test_funding_releasing_and_refunding_read_as_sentences() -> None:
    paid = fund(4, 1, Money(90000, EUR))
    assert transaction_words(paid, NAMES) == "Bea Client paid EUR 900.00 into escrow"
    assert [posting_words(p, NAMES) for p in paid.postings] == [
        "Bea Client paid EUR 900.00",
        "escrow took in EUR 900.00",
    ]
    released = release(1, 2, Money(90000, EUR), 1000)
    assert transaction_words(released, NAMES, 1000) == (
        "Escrow released EUR 900.00: Ada Lovelace received EUR 810.00, platform fee (10%) EUR 90.00"
    )
    back = refund(1, 4, Money(5000, EUR))
    assert transaction_words(back, NAMES) == "Escrow refunded EUR 50.00 to Bea Client"
    undone = reversal(7, back)
    assert transaction_words(undone, NAMES) == (
        "Correction undoing transaction 7: escrow took in EUR 50.00; Bea Client paid EUR 50.00"
    )
    for tx in (paid, released, back, undone):
        words = transaction_words(tx, NAMES, 1000)
        assert "client:" not in words
        assert "escrow:contract" not in words
        assert " bp" not in words
