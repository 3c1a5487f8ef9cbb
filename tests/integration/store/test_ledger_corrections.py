"""Ledger corrections: a mistaken transaction is undone by a new reversing one, never edited."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.ledger import TxKind
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import contracts, ledger_corrections
from tests.integration.store.marketplace_helpers import M1, NOW, make_market


def test_a_reversal_undoes_a_transaction_and_keeps_both(platform: Platform) -> None:
    market = make_market(platform)
    contracts.fund_milestone(
        platform.uow(),
        actor=market.client,
        contract_id=market.fixed_id,
        milestone_id=market.milestone_ids[0],
        now=NOW,
    )
    funded = contracts.ledger_statement(platform.uow(), actor=market.client, contract_id=market.fixed_id)
    original = funded.transactions[-1]
    with pytest.raises(PermissionDenied):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.client, transaction_id=original.id, memo="oops", now=NOW
        )
    with pytest.raises(InvalidInput, match="say why"):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.admin, transaction_id=original.id, memo=" ", now=NOW
        )
    correction = ledger_corrections.reverse_transaction(
        platform.uow(),
        actor=market.admin,
        transaction_id=original.id,
        memo="funded twice by mistake",
        now=NOW,
    )
    assert correction.transaction.kind is TxKind.CORRECTION
    assert correction.transaction.reverses == original.id
    with platform.uow() as uow:
        escrow = ledger.escrow_available(
            [p for p, _, _ in uow.marketplace.postings(account_prefix="escrow:")], market.fixed_id, "EUR"
        )
        kept = uow.marketplace.get_transaction(original.id)
    assert escrow.amount == 0  # M1 in, M1 out again
    assert kept is not None
    assert kept.transaction.postings == original.transaction.postings  # the original is untouched
    check = contracts.ledger_check(platform.uow(), actor=market.admin)
    assert check.ok
    with pytest.raises(Conflict, match="reversed already"):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.admin, transaction_id=original.id, memo="again", now=NOW
        )
    with pytest.raises(Conflict, match="is a correction"):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.admin, transaction_id=correction.id, memo="undo", now=NOW
        )
    with pytest.raises(NotFound):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.admin, transaction_id=999_999, memo="x", now=NOW
        )


def test_money_that_has_moved_on_cannot_be_taken_back(platform: Platform) -> None:
    market = make_market(platform)
    contract, milestone = market.fixed_id, market.milestone_ids[0]
    contracts.fund_milestone(
        platform.uow(), actor=market.client, contract_id=contract, milestone_id=milestone, now=NOW
    )
    contracts.submit_milestone(
        platform.uow(), actor=market.professional, contract_id=contract, milestone_id=milestone, now=NOW
    )
    contracts.approve_milestone(
        platform.uow(), actor=market.client, contract_id=contract, milestone_id=milestone, now=NOW
    )
    statement = contracts.ledger_statement(platform.uow(), actor=market.client, contract_id=contract)
    fund = next(t for t in statement.transactions if t.transaction.kind is TxKind.FUND)
    expected = f"escrow:contract:{contract} would hold EUR -{M1.amount // 100}.00"
    with pytest.raises(Conflict, match=expected):
        ledger_corrections.reverse_transaction(
            platform.uow(), actor=market.admin, transaction_id=fund.id, memo="wrong card", now=NOW
        )
