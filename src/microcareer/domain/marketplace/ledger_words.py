"""Ledger lines in plain words, for people: "Bea Client paid EUR 900.00 into escrow", "Platform fee 10%".

The ledger itself keeps account codes (``client:4``, ``escrow:contract:1``, ``platform:fees``) and
memos; pages and the CLI's table show these sentences instead, with the people's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from microcareer.domain.marketplace.ledger import FEES_ACCOUNT, Posting, Transaction, TxKind
from microcareer.domain.marketplace.money import Money


@dataclass(frozen=True, slots=True)
class Account:
    """Who an account code stands for: ``kind`` client/professional/escrow/platform, and an id."""

    kind: str
    number: int | None


def parse_account(code: str) -> Account:
    """``client:4`` → (client, 4); ``escrow:contract:1`` → (escrow, 1); ``platform:fees`` → (platform)."""
    parts = code.split(":")
    last = parts[-1]
    return Account(parts[0], int(last) if last.isdigit() else None)


def fee_percent(fee_bp: int) -> str:
    """1000 basis points → "10%", 250 → "2.5%"."""
    return f"{fee_bp / 100:g}%"


def account_name(code: str, names: Mapping[int, str]) -> str:
    """The account as people say it: a person's name, "escrow", "the platform's fees"."""
    account = parse_account(code)
    if account.kind in ("client", "professional") and account.number is not None:
        return names.get(account.number) or f"{account.kind} {account.number}"
    if account.kind == "escrow":
        return "escrow"
    if code == FEES_ACCOUNT:
        return "platform fees"
    return code


def _plain(amount: Money) -> str:
    return Money(abs(amount.amount), amount.currency).format()


def posting_words(posting: Posting, names: Mapping[int, str]) -> str:
    """One posting: "Bea Client paid EUR 900.00", "escrow took in EUR 900.00", "platform fee EUR 90.00"."""
    account = parse_account(posting.account)
    amount, out = _plain(posting.amount), posting.amount.amount < 0
    who = account_name(posting.account, names)
    if account.kind == "client":
        return f"{who} paid {amount}" if out else f"{who} got back {amount}"
    if account.kind == "escrow":
        return f"escrow paid out {amount}" if out else f"escrow took in {amount}"
    if account.kind == "professional":
        return f"{who} gave back {amount}" if out else f"{who} received {amount}"
    if posting.account == FEES_ACCOUNT:
        return f"platform fee returned {amount}" if out else f"platform fee {amount}"
    return f"{who} {posting.amount.format()}"


def transaction_words(tx: Transaction, names: Mapping[int, str], fee_bp: int | None = None) -> str:
    """What a transaction did, in one sentence with the people's names."""

    def first(kind: str, positive: bool) -> Posting | None:
        return next(
            (
                p
                for p in tx.postings
                if parse_account(p.account).kind == kind and (p.amount.amount > 0) == positive
            ),
            None,
        )

    if tx.kind is TxKind.FUND:
        paid = first("client", positive=False)
        held = first("escrow", positive=True)
        if paid is not None and held is not None:
            return f"{account_name(paid.account, names)} paid {_plain(held.amount)} into escrow"
    if tx.kind is TxKind.RELEASE:
        out = first("escrow", positive=False)
        if out is not None:
            parts = []
            got = first("professional", positive=True)
            if got is not None:
                parts.append(f"{account_name(got.account, names)} received {_plain(got.amount)}")
            fee = next((p for p in tx.postings if p.account == FEES_ACCOUNT), None)
            if fee is not None:
                rate = f" ({fee_percent(fee_bp)})" if fee_bp is not None else ""
                parts.append(f"platform fee{rate} {_plain(fee.amount)}")
            return f"Escrow released {_plain(out.amount)}: " + ", ".join(parts)
    if tx.kind is TxKind.REFUND:
        back = first("client", positive=True)
        if back is not None:
            return f"Escrow refunded {_plain(back.amount)} to {account_name(back.account, names)}"
    if tx.kind is TxKind.FEE:
        return "Platform fee: " + "; ".join(posting_words(p, names) for p in tx.postings)
    if tx.kind is TxKind.CORRECTION:
        undone = f"transaction {tx.reverses}" if tx.reverses is not None else "an earlier transaction"
        return f"Correction undoing {undone}: " + "; ".join(posting_words(p, names) for p in tx.postings)
    return "; ".join(posting_words(p, names) for p in tx.postings)
