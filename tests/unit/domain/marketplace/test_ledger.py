"""The ledger: transaction rules, the builders, balances, and properties over random histories."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.marketplace.ledger import (
    FEES_ACCOUNT,
    Posting,
    Transaction,
    TxKind,
    account_balance,
    balances,
    check_balanced,
    check_escrow_covers,
    client_account,
    escrow_account,
    escrow_available,
    fund,
    professional_account,
    refund,
    release,
    reversal,
)
from microcareer.domain.marketplace.money import Money
from microcareer.errors import Conflict, InvalidInput


def eur(amount: int) -> Money:
    return Money(amount, "EUR")


def postings_of(transactions: list[Transaction]) -> Iterator[Posting]:
    for tx in transactions:
        yield from tx.postings


def test_account_names() -> None:
    assert client_account(7) == "client:7"
    assert escrow_account(3) == "escrow:contract:3"
    assert professional_account(9) == "professional:9"
    assert FEES_ACCOUNT == "platform:fees"


def test_fund_moves_money_from_the_client_into_escrow() -> None:
    tx = fund(client_id=7, contract_id=3, amount=eur(10000), milestone_id=5)
    assert tx.kind is TxKind.FUND
    assert tx.postings == (Posting("client:7", eur(-10000)), Posting("escrow:contract:3", eur(10000)))
    assert (tx.contract_id, tx.milestone_id, tx.reverses) == (3, 5, None)


def test_release_is_one_transaction_with_three_postings() -> None:
    tx = release(contract_id=3, professional_id=9, amount=eur(10000), fee_bp=1000)
    assert tx.kind is TxKind.RELEASE
    assert tx.postings == (
        Posting("escrow:contract:3", eur(-10000)),
        Posting("professional:9", eur(9000)),
        Posting("platform:fees", eur(1000)),
    )


def test_release_fee_rounds_half_up() -> None:
    tx = release(3, 9, eur(100), fee_bp=250)  # 2.5 cents → 3
    assert [p.amount for p in tx.postings] == [eur(-100), eur(97), eur(3)]


def test_release_leaves_out_zero_postings() -> None:
    no_fee = release(3, 9, eur(10000), fee_bp=0)
    assert no_fee.postings == (
        Posting("escrow:contract:3", eur(-10000)),
        Posting("professional:9", eur(10000)),
    )
    tiny = release(3, 9, eur(1), fee_bp=100)  # 0.01 cents rounds to no fee
    assert len(tiny.postings) == 2
    all_fee = release(3, 9, eur(500), fee_bp=10000)
    assert all_fee.postings == (Posting("escrow:contract:3", eur(-500)), Posting("platform:fees", eur(500)))


def test_refund_moves_money_back_to_the_client() -> None:
    tx = refund(contract_id=3, client_id=7, amount=eur(2500))
    assert tx.kind is TxKind.REFUND
    assert tx.postings == (Posting("escrow:contract:3", eur(-2500)), Posting("client:7", eur(2500)))


@pytest.mark.parametrize("amount", [0, -100])
def test_builders_need_a_positive_amount(amount: int) -> None:
    with pytest.raises(InvalidInput, match="fund: above 0"):
        fund(7, 3, eur(amount))
    with pytest.raises(InvalidInput, match="release: above 0"):
        release(3, 9, eur(amount), 100)
    with pytest.raises(InvalidInput, match="refund: above 0"):
        refund(3, 7, eur(amount))


def test_reversal_negates_and_points_back() -> None:
    original = release(3, 9, eur(10000), fee_bp=1000, milestone_id=5)
    correction = reversal(42, original)
    assert correction.kind is TxKind.CORRECTION
    assert correction.reverses == 42
    assert (correction.contract_id, correction.milestone_id) == (3, 5)
    assert correction.postings == tuple(Posting(p.account, -p.amount) for p in original.postings)
    assert correction.memo == "reverses transaction 42"
    assert reversal(42, original, memo="paid twice").memo == "paid twice"
    # the original and its reversal cancel out, account by account
    assert set(balances(postings_of([original, correction])).values()) == {0}


@pytest.mark.parametrize(
    ("tx", "message"),
    [
        (Transaction(TxKind.FEE, (Posting("client:7", eur(0)),)), "at least 2, not 1"),
        (Transaction(TxKind.FEE, ()), "at least 2, not 0"),
        (
            Transaction(TxKind.FEE, (Posting("client:7", eur(5)), Posting("platform:fees", eur(-4)))),
            "do not balance, off by EUR 0.01",
        ),
        (
            Transaction(
                TxKind.FEE, (Posting("client:7", eur(-5)), Posting("platform:fees", Money(5, "USD")))
            ),
            "off by EUR -0.05, USD 0.05",
        ),
        (
            Transaction(
                TxKind.FEE,
                (Posting("client:7", eur(0)), Posting("platform:fees", eur(0))),
            ),
            r"postings\[0\].amount: zero",
        ),
        (
            Transaction(TxKind.FEE, (Posting("client 7", eur(-5)), Posting("platform:fees", eur(5)))),
            r"postings\[0\].account: not an account name",
        ),
        (
            Transaction(TxKind.FEE, (Posting("", eur(-5)), Posting("platform:fees", eur(5)))),
            "not an account name",
        ),
        (
            Transaction(
                TxKind.FEE, (Posting("client:7", eur(-5)), Posting("platform:fees", eur(5))), memo="x" * 501
            ),
            "memo: at most 500",
        ),
        (
            Transaction(
                TxKind.REFUND, (Posting("client:7", eur(-5)), Posting("platform:fees", eur(5))), reverses=4
            ),
            "only a correction reverses a transaction, not a refund",
        ),
    ],
)
def test_transaction_validate_refuses(tx: Transaction, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        tx.validate()


def test_a_balanced_transaction_in_two_currencies_validates() -> None:
    Transaction(
        TxKind.CORRECTION,
        (
            Posting("client:7", eur(-5)),
            Posting("platform:fees", eur(5)),
            Posting("client:7", Money(-300, "JPY")),
            Posting("platform:fees", Money(300, "JPY")),
        ),
    ).validate()


def test_balances_and_escrow_after_a_contract() -> None:
    history = [
        fund(7, 3, eur(30000)),
        fund(7, 3, Money(5000, "JPY")),
        release(3, 9, eur(10000), fee_bp=1000),
        refund(3, 7, eur(5000)),
        fund(8, 4, eur(100)),
    ]
    postings = list(postings_of(history))
    assert balances(postings) == {
        ("client:7", "EUR"): -25000,
        ("client:7", "JPY"): -5000,
        ("escrow:contract:3", "EUR"): 15000,
        ("escrow:contract:3", "JPY"): 5000,
        ("professional:9", "EUR"): 9000,
        ("platform:fees", "EUR"): 1000,
        ("client:8", "EUR"): -100,
        ("escrow:contract:4", "EUR"): 100,
    }
    assert escrow_available(postings, 3, "EUR") == eur(15000)
    assert escrow_available(postings, 3, "JPY") == Money(5000, "JPY")
    assert escrow_available(postings, 3, "USD") == Money(0, "USD")
    assert escrow_available(postings, 99, "EUR") == eur(0)
    assert account_balance(postings, "professional:9", "EUR") == eur(9000)
    check_balanced(postings)
    check_escrow_covers(postings, 3, eur(15000))
    with pytest.raises(Conflict, match=r"escrow: holds EUR 150\.00, cannot pay out EUR 150\.01"):
        check_escrow_covers(postings, 3, eur(15001))


def test_check_balanced_names_the_currency_that_is_off() -> None:
    postings = [*fund(7, 3, eur(100)).postings, Posting("client:7", Money(-3, "JPY"))]
    with pytest.raises(Conflict, match="do not balance, off by JPY -3"):
        check_balanced(postings)
    check_balanced([])


# --- properties over random histories --------------------------------------------------------------

CLIENT_OF = {101: 1, 102: 1, 103: 2}  # each contract has one client
PROFESSIONALS = (11, 12)

operation = st.tuples(
    st.sampled_from(("fund", "release", "refund", "reverse")),
    st.sampled_from(sorted(CLIENT_OF)),
    st.sampled_from(("EUR", "JPY", "GBP")),
    st.integers(1, 10**7),
    st.integers(0, 10000),  # fee in basis points
    st.sampled_from(PROFESSIONALS),
)


@given(st.lists(operation, max_size=40))
def test_any_history_stays_balanced_and_escrow_never_goes_below_zero(
    operations: list[tuple[str, int, str, int, int, int]],
) -> None:
    history: list[Transaction] = []
    for name, contract, currency, amount, fee_bp, professional in operations:
        client = CLIENT_OF[contract]
        postings = list(postings_of(history))
        available = escrow_available(postings, contract, currency).amount
        if name == "fund":
            tx = fund(client, contract, Money(amount, currency))
        elif name == "reverse":
            # only a fund may be reversed, and only while escrow still holds it
            funds = [
                (i, t)
                for i, t in enumerate(history)
                if t.kind is TxKind.FUND
                and t.contract_id == contract
                and t.postings[1].amount.currency == currency
            ]
            if not funds or funds[-1][1].postings[1].amount.amount > available:
                continue
            tx = reversal(funds[-1][0], funds[-1][1])
        else:
            capped = min(amount, available)  # releases and refunds are capped by what escrow holds
            if capped == 0:
                continue
            check_escrow_covers(postings, contract, Money(capped, currency))
            if name == "release":
                tx = release(contract, professional, Money(capped, currency), fee_bp)
            else:
                tx = refund(contract, client, Money(capped, currency))
        tx.validate()
        history.append(tx)

        postings = list(postings_of(history))
        check_balanced(postings)
        for account_currency, total in balances(postings).items():
            account, _ = account_currency
            if account.startswith(("escrow:", "professional:")) or account == FEES_ACCOUNT:
                assert total >= 0, account_currency
            else:
                assert total <= 0, account_currency  # clients never get back more than they paid in
    # per currency, what clients are down is exactly what escrow, professionals and the platform hold
    final = balances(postings_of(history))
    for currency in ("EUR", "JPY", "GBP"):
        paid_in = -sum(v for (a, c), v in final.items() if c == currency and a.startswith("client:"))
        held = sum(v for (a, c), v in final.items() if c == currency and not a.startswith("client:"))
        assert paid_in == held >= 0


@given(
    st.sampled_from(("EUR", "JPY")),
    st.integers(1, 10**12),
    st.integers(0, 10000),
)
def test_a_release_pays_out_exactly_what_left_escrow(currency: str, amount: int, fee_bp: int) -> None:
    tx = release(1, 2, Money(amount, currency), fee_bp)
    out = -tx.postings[0].amount.amount
    paid = sum(p.amount.amount for p in tx.postings[1:])
    assert out == paid == amount
    assert all(not p.amount.is_zero for p in tx.postings)
    assert len(tx.postings) in (2, 3)
