"""Corrections to the ledger: nothing is edited in place; a mistaken transaction is undone by a new
one with the same postings negated (``kind`` correction, ``reverses`` pointing at it), by a platform
admin, once, and only when no escrow or payable balance would go below zero.
"""

from __future__ import annotations

from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.ledger import TxKind
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import StoredTransaction
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, authorize
from microcareer.services.ports import UnitOfWork

MEMO_MAX = 500
_MUST_STAY_POSITIVE = ("escrow:", "professional:", "platform:")


def reverse_transaction(
    uow: UnitOfWork, *, actor: Actor, transaction_id: int, memo: str, now: datetime
) -> StoredTransaction:
    """Post the correction that undoes ``transaction_id``; the original stays as it was."""
    authorize(actor, Action.LEDGER_AUDIT)
    if not memo.strip():
        raise InvalidInput("memo: say why the transaction is reversed", field="memo")
    if len(memo) > MEMO_MAX:
        raise InvalidInput(f"memo: at most {MEMO_MAX} characters", field="memo")
    with uow:
        found = uow.marketplace.get_transaction(transaction_id)
    if found is None:
        raise NotFound(f"no transaction {transaction_id}")
    with uow:
        if found.transaction.contract_id is not None:  # the lock first: money moves on this contract
            uow.marketplace.lock_contract(found.transaction.contract_id)
        original = uow.marketplace.get_transaction(transaction_id)
        assert original is not None  # transactions are never deleted
        if original.transaction.kind is TxKind.CORRECTION:
            raise Conflict(f"transaction {transaction_id} is a correction; post what it undid again instead")
        already = uow.marketplace.reversal_of(transaction_id)
        if already is not None:
            raise Conflict(f"transaction {transaction_id} was reversed already, by transaction {already}")
        correction = ledger.reversal(transaction_id, original.transaction, memo.strip())
        accounts = sorted({p.account for p in correction.postings})
        current = [p for p, _, _ in uow.marketplace.postings(accounts=accounts)]
        after = ledger.balances([*current, *correction.postings])
        short = [
            f"{account} would hold {Money(value, currency)}"
            for (account, currency), value in sorted(after.items())
            if value < 0 and account.startswith(_MUST_STAY_POSITIVE)
        ]
        if short:
            reasons = "; ".join(short)
            raise Conflict(
                f"transaction {transaction_id} cannot be reversed: {reasons} (the money has moved on)"
            )
        new_id = uow.marketplace.add_transaction(correction, created_by=actor.user_id, at=now)
        uow.commit()
    return StoredTransaction(new_id, correction, actor.user_id, now)
