"""A double-entry ledger of marketplace money: funded into escrow, released, refunded, fees.

Each posting is what an account gains (negative: what it gives). Funding moves money from the client's
account into the contract's escrow, so a client's balance is below zero by what they have paid in and
not had back; a professional's balance is what they have earned; ``platform:fees`` what the platform
took. Every transaction sums to zero per currency, so every balance is derived from the postings.
Nothing is edited: a mistake is undone by a correction that reverses it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.money import fee as fee_of
from microcareer.errors import Conflict, InvalidInput

FEES_ACCOUNT = "platform:fees"
MEMO_MAX = 500
_ACCOUNT = re.compile(r"^[a-z]+(:[a-z0-9_-]+)+$")


class TxKind(StrEnum):
    FUND = "fund"  # client → escrow
    RELEASE = "release"  # escrow → professional, less the fee → platform
    FEE = "fee"  # a fee on its own
    REFUND = "refund"  # escrow → client
    CORRECTION = "correction"  # reverses an earlier transaction


def client_account(user_id: int) -> str:
    return f"client:{user_id}"


def escrow_account(contract_id: int) -> str:
    return f"escrow:contract:{contract_id}"


def professional_account(user_id: int) -> str:
    return f"professional:{user_id}"


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount: Money


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: TxKind
    postings: tuple[Posting, ...]
    memo: str = ""
    contract_id: int | None = None
    milestone_id: int | None = None
    reverses: int | None = None
    """The id of the transaction this one undoes (kind ``correction``)."""

    def validate(self) -> None:
        if len(self.postings) < 2:
            raise InvalidInput(
                f"postings: a transaction needs at least 2, not {len(self.postings)}", field="postings"
            )
        for index, posting in enumerate(self.postings):
            if not _ACCOUNT.match(posting.account):
                raise InvalidInput(
                    f"postings[{index}].account: not an account name: {posting.account!r}", field="postings"
                )
            if posting.amount.is_zero:
                raise InvalidInput(f"postings[{index}].amount: zero", field="postings")
        _check_sums(self.postings, InvalidInput)
        if len(self.memo) > MEMO_MAX:
            raise InvalidInput(f"memo: at most {MEMO_MAX} characters", field="memo")
        if self.reverses is not None and self.kind is not TxKind.CORRECTION:
            raise InvalidInput(
                f"reverses: only a correction reverses a transaction, not a {self.kind.value}",
                field="reverses",
            )


def _check_sums(postings: Iterable[Posting], error: type[InvalidInput] | type[Conflict]) -> None:
    sums: dict[str, int] = defaultdict(int)
    for posting in postings:
        sums[posting.amount.currency] += posting.amount.amount
    off = [f"{Money(total, currency)}" for currency, total in sorted(sums.items()) if total != 0]
    if off:
        raise error(f"postings: do not balance, off by {', '.join(off)}", field="postings")


def _positive(amount: Money, what: str) -> None:
    if not amount.is_positive:
        raise InvalidInput(f"{what}: above 0, not {amount}", field="amount")


def fund(client_id: int, contract_id: int, amount: Money, milestone_id: int | None = None) -> Transaction:
    """The client puts ``amount`` into the contract's escrow."""
    _positive(amount, "fund")
    tx = Transaction(
        TxKind.FUND,
        (Posting(client_account(client_id), -amount), Posting(escrow_account(contract_id), amount)),
        memo=f"fund contract {contract_id}",
        contract_id=contract_id,
        milestone_id=milestone_id,
    )
    tx.validate()
    return tx


def release(
    contract_id: int, professional_id: int, amount: Money, fee_bp: int, milestone_id: int | None = None
) -> Transaction:
    """``amount`` leaves escrow: the professional gets it less the fee, the platform the fee.

    Three postings, or two when the fee rounds to nothing (no posting is ever zero).
    """
    _positive(amount, "release")
    fee = fee_of(amount, fee_bp)
    postings = [Posting(escrow_account(contract_id), -amount)]
    if fee != amount:
        postings.append(Posting(professional_account(professional_id), amount - fee))
    if fee.is_positive:
        postings.append(Posting(FEES_ACCOUNT, fee))
    tx = Transaction(
        TxKind.RELEASE,
        tuple(postings),
        memo=f"release contract {contract_id}, fee {fee_bp} bp",
        contract_id=contract_id,
        milestone_id=milestone_id,
    )
    tx.validate()
    return tx


def refund(contract_id: int, client_id: int, amount: Money, milestone_id: int | None = None) -> Transaction:
    """``amount`` goes back from escrow to the client."""
    _positive(amount, "refund")
    tx = Transaction(
        TxKind.REFUND,
        (Posting(escrow_account(contract_id), -amount), Posting(client_account(client_id), amount)),
        memo=f"refund contract {contract_id}",
        contract_id=contract_id,
        milestone_id=milestone_id,
    )
    tx.validate()
    return tx


def reversal(tx_id: int, tx: Transaction, memo: str = "") -> Transaction:
    """A correction undoing transaction ``tx_id``: the same postings negated; the original stays."""
    correction = Transaction(
        TxKind.CORRECTION,
        tuple(Posting(posting.account, -posting.amount) for posting in tx.postings),
        memo=memo or f"reverses transaction {tx_id}",
        contract_id=tx.contract_id,
        milestone_id=tx.milestone_id,
        reverses=tx_id,
    )
    correction.validate()
    return correction


def balances(postings: Iterable[Posting]) -> dict[tuple[str, str], int]:
    """``(account, currency)`` → balance in minor units, for every pair with postings."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for posting in postings:
        totals[(posting.account, posting.amount.currency)] += posting.amount.amount
    return dict(totals)


def check_balanced(postings: Iterable[Posting]) -> None:
    """``Conflict`` naming each currency whose postings do not sum to zero."""
    _check_sums(postings, Conflict)


def account_balance(postings: Iterable[Posting], account: str, currency: str) -> Money:
    total = sum(
        posting.amount.amount
        for posting in postings
        if posting.account == account and posting.amount.currency == currency
    )
    return Money(total, currency)


def escrow_available(postings: Iterable[Posting], contract_id: int, currency: str) -> Money:
    """What the contract's escrow still holds in ``currency``: the most a release or refund may take."""
    return account_balance(postings, escrow_account(contract_id), currency)


def check_escrow_covers(postings: Iterable[Posting], contract_id: int, amount: Money) -> None:
    """``Conflict`` when releasing or refunding ``amount`` would take escrow below zero."""
    available = escrow_available(postings, contract_id, amount.currency)
    if amount > available:
        raise Conflict(f"escrow: holds {available}, cannot pay out {amount}", contract_id=contract_id)
