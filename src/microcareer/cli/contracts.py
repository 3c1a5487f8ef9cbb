"""``microcareer contracts``: milestones, hourly time, completing, cancelling, money, disputes, reviews.

As ``microcareer jobs``, every command acts *as* the user ``--user EMAIL`` (or ``MICROCAREER_USER``)
names; the parties' steps (fund, submit, approve, log time, ...) need that person. Reading a contract,
its ledger, resolving disputes and checking the whole ledger also work as the local operator (a
platform admin's rights) when no user is given. Amounts are decimal text ("120.00") in the contract's
currency.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.jobs import Emails, money_json, need_user, parse_day, parse_money
from microcareer.cli.output import console, err_console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.contracts import TimeEntry, hourly_charge, week_of
from microcareer.domain.marketplace.ledger import TxKind
from microcareer.domain.marketplace.ledger_words import fee_percent, posting_words, transaction_words
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import Dispute, StoredMilestone, StoredTransaction
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import contracts, disputes, ledger_corrections, reviews, users
from microcareer.services.contracts import ContractView
from microcareer.services.disputes import OUTCOMES

contracts_app = typer.Typer(
    help="Contracts: milestones, hourly time, money, disputes and reviews (as the user --user names).",
    no_args_is_help=True,
)

JSON_HELP = "Print JSON instead of text."
CONTRACT_HELP = "The contract's id."
MILESTONE_HELP = "The milestone's id (as contracts show lists it)."
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def _acting(platform: Platform, email: str | None, doing: str) -> Actor:
    return acting_actor(platform, need_user(email, doing))


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " h"


# show


def _milestone_json(m: StoredMilestone) -> dict[str, Any]:
    return {
        "id": m.id,
        "position": m.position,
        "title": m.milestone.title,
        "amount": money_json(m.milestone.amount),
        "due": m.milestone.due.isoformat(),
        "progress": m.milestone.progress,
        "state": m.state.value,
        "note": m.note,
    }


def _weeks(view: ContractView) -> list[dict[str, Any]]:
    """Logged time per ISO week: minutes, unpaid minutes, and what they cost at the rate."""
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    unpaid: dict[tuple[int, int], int] = defaultdict(int)
    for e in view.time_entries:
        week = week_of(e.entry.day)
        minutes[week] += e.entry.minutes
        if e.paid_in is None:
            unpaid[week] += e.entry.minutes
    rate = view.contract.hourly_rate
    rows = []
    for (year, number), total in sorted(minutes.items()):
        rows.append(
            {
                "week": f"{year}-W{number:02d}",
                "minutes": total,
                "unpaid_minutes": unpaid[(year, number)],
                "charge": money_json(hourly_charge(total, rate)) if rate is not None else None,
            }
        )
    return rows


def _contract_json(view: ContractView, email: Emails) -> dict[str, Any]:
    c = view.contract
    return {
        "id": c.id,
        "job_id": c.job_id,
        "job_title": view.job_title,
        "application_id": c.application_id,
        "client": email(c.client_user_id),
        "professional": email(c.professional_user_id),
        "role": view.role,
        "organisation_id": c.organisation_id,
        "internal": c.internal,
        "kind": c.kind.value,
        "currency": c.currency,
        "hourly_rate": money_json(c.hourly_rate),
        "weekly_limit_hours": c.weekly_limit_hours,
        "hours_per_week": c.hours_per_week,
        "fee_bp": c.fee_bp,
        "state": c.state.value,
        "created_at": c.created_at.isoformat(),
        "ended_at": c.ended_at.isoformat() if c.ended_at else None,
        "end_reason": c.end_reason,
        "escrow": money_json(view.escrow),
        "milestones": [_milestone_json(m) for m in view.milestones],
        "time_entries": [
            {
                "id": e.id,
                "day": e.entry.day.isoformat(),
                "minutes": e.entry.minutes,
                "note": e.entry.note,
                "paid_in": e.paid_in,
            }
            for e in view.time_entries
        ],
        "weeks": _weeks(view),
        "unpaid_minutes": view.unpaid_minutes,
        "open_dispute": _dispute_json(view.open_dispute, email) if view.open_dispute else None,
    }


def _print_contract(view: ContractView, email: Emails) -> None:
    c = view.contract
    console.print(
        f"[bold]contract {c.id}[/]: {escape(view.job_title)} ({c.state.value}, {c.kind.value}"
        f"{', internal' if c.internal else ''})",
        highlight=False,
    )
    terms = f"fee {c.fee_bp / 100:g} %"
    if c.hourly_rate is not None:
        terms = f"{c.hourly_rate} an hour, at most {c.weekly_limit_hours or 0:g} h a week, " + terms
    console.print(
        f"client {email(c.client_user_id)} · professional {email(c.professional_user_id)} · {terms} · "
        f"escrow holds {view.escrow}",
        highlight=False,
    )
    if view.open_dispute is not None:
        console.print(
            f"[bold red]disputed[/] (dispute {view.open_dispute.id}): {escape(view.open_dispute.reason)}",
            highlight=False,
        )
    if view.milestones:
        table = Table(title="milestones", title_justify="left")
        for column in ("id", "#", "title", "amount", "due", "progress", "state", "note"):
            table.add_column(
                column, justify="right" if column in ("id", "#", "amount", "progress") else "left"
            )
        for m in view.milestones:
            table.add_row(
                str(m.id),
                str(m.position),
                escape(m.milestone.title),
                str(m.milestone.amount),
                m.milestone.due.isoformat(),
                f"{m.milestone.progress} %",
                m.state.value,
                escape(m.note),
            )
        console.print(table)
    weeks = _weeks(view)
    if weeks:
        table = Table(title="time by week", title_justify="left")
        for column in ("week", "logged", "unpaid", "at the rate"):
            table.add_column(column, justify="left" if column == "week" else "right")
        for w in weeks:
            charge = w["charge"]["text"] if w["charge"] else ""
            table.add_row(w["week"], _hours(w["minutes"]), _hours(w["unpaid_minutes"]), charge)
        console.print(table)
    elif c.hourly_rate is not None:
        console.print("no time logged yet", highlight=False)


@contracts_app.command("list")
@handle_errors
def list_(
    user: str | None = acting_user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """Your contracts, as client or professional, newest first."""
    with open_platform() as platform:
        actor = _acting(platform, user, "list your contracts")
        found = contracts.my_contracts(platform.uow(), actor=actor)
        email = Emails(platform)
        rows: list[dict[str, Any]] = [
            {
                "id": c.id,
                "job_id": c.job_id,
                "role": c.party(actor.user_id),
                "client": email(c.client_user_id),
                "professional": email(c.professional_user_id),
                "kind": c.kind.value,
                "currency": c.currency,
                "state": c.state.value,
                "created_at": c.created_at.isoformat(),
            }
            for c in found
        ]
    if as_json:
        print_json({"items": rows})
        return
    table = Table(title=f"{len(rows)} contracts", title_justify="left")
    for column in ("id", "job", "you are", "client", "professional", "kind", "state"):
        table.add_column(column, justify="right" if column in ("id", "job") else "left")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["job_id"]),
            str(row["role"]),
            row["client"],
            row["professional"],
            row["kind"],
            row["state"],
        )
    console.print(table)


@contracts_app.command("show")
@handle_errors
def show(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A contract: its terms, milestones, time by week and escrow."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        view = contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id)
        email = Emails(platform)
        if as_json:
            print_json(_contract_json(view, email))
            return
        _print_contract(view, email)


# milestones


def _said(m: StoredMilestone) -> None:
    console.print(
        f"milestone {m.id} ({escape(m.milestone.title)}, {m.milestone.amount}) is {m.state.value},"
        f" {m.milestone.progress} % done",
        highlight=False,
    )


def _milestone_step(
    user: str | None,
    doing: str,
    step: Callable[..., StoredMilestone],
    contract_id: int,
    milestone_id: int,
    **extra: object,
) -> None:
    """Run one milestone step as the acting party and say where the milestone stands."""
    with open_platform() as platform:
        actor = _acting(platform, user, doing)
        milestone = step(
            platform.uow(),
            actor=actor,
            contract_id=contract_id,
            milestone_id=milestone_id,
            now=platform.clock(),
            **extra,
        )
    _said(milestone)


@contracts_app.command("fund")
@handle_errors
def fund(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    milestone_id: int = typer.Argument(..., help=MILESTONE_HELP),
    user: str | None = acting_user_option(),
) -> None:
    """As the client, put a milestone's amount into escrow."""
    _milestone_step(user, "fund a milestone", contracts.fund_milestone, contract_id, milestone_id)


@contracts_app.command("submit")
@handle_errors
def submit(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    milestone_id: int = typer.Argument(..., help=MILESTONE_HELP),
    note: str = typer.Option("", "--note", help="What you deliver, for the client."),
    user: str | None = acting_user_option(),
) -> None:
    """As the professional, say a funded milestone is done."""
    _milestone_step(
        user, "submit a milestone", contracts.submit_milestone, contract_id, milestone_id, note=note
    )


@contracts_app.command("progress")
@handle_errors
def progress(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    milestone_id: int = typer.Argument(..., help=MILESTONE_HELP),
    percent: int = typer.Argument(..., help="How far it is, 0 to 100."),
    user: str | None = acting_user_option(),
) -> None:
    """As the professional, report how far a milestone is."""
    _milestone_step(
        user, "report progress", contracts.report_progress, contract_id, milestone_id, progress=percent
    )


@contracts_app.command("changes")
@handle_errors
def changes(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    milestone_id: int = typer.Argument(..., help=MILESTONE_HELP),
    note: str = typer.Option(..., "--note", help="What to change."),
    user: str | None = acting_user_option(),
) -> None:
    """As the client, send submitted work back with what to change."""
    _milestone_step(user, "request changes", contracts.request_changes, contract_id, milestone_id, note=note)


@contracts_app.command("approve")
@handle_errors
def approve(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    milestone_id: int = typer.Argument(..., help=MILESTONE_HELP),
    user: str | None = acting_user_option(),
) -> None:
    """As the client, accept submitted work: escrow pays the professional, less the fee."""
    _milestone_step(user, "approve a milestone", contracts.approve_milestone, contract_id, milestone_id)


# hourly work


def _datetime(text: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{option}: {text!r} is not a date and time like 2026-11-23T09:00", field=option.lstrip("-")
        ) from None


def _entry(
    minutes: int | None, day: str | None, start: str | None, end: str | None, note: str, today: date
) -> TimeEntry:
    if minutes is not None:
        if start is not None or end is not None:
            raise typer.BadParameter("give --minutes [--day] or --start and --end, not both")
        when = parse_day(day, "--day") if day is not None else today
        return TimeEntry.from_duration(when, minutes, note, today)
    if start is None or end is None or day is not None:
        raise typer.BadParameter("give --minutes N [--day D], or --start ISO and --end ISO")
    return TimeEntry.from_span(_datetime(start, "--start"), _datetime(end, "--end"), note, today)


@contracts_app.command("log")
@handle_errors
def log(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    minutes: int | None = typer.Option(None, "--minutes", help="Minutes worked (with --day)."),
    day: str | None = typer.Option(None, "--day", help="The day worked (default today)."),
    start: str | None = typer.Option(None, "--start", help="Start, as 2026-11-23T09:00 (with --end)."),
    end: str | None = typer.Option(None, "--end", help="End, as 2026-11-23T12:30."),
    note: str = typer.Option("", "--note", help="What was done."),
    user: str | None = acting_user_option(),
) -> None:
    """As the professional, log time on an hourly contract, within its weekly limit."""
    with open_platform() as platform:
        now = platform.clock()
        entry = _entry(minutes, day, start, end, note, now.date())
        actor = _acting(platform, user, "log time")
        stored = contracts.log_time(
            platform.uow(), actor=actor, contract_id=contract_id, entry=entry, now=now
        )
    year, week = week_of(stored.entry.day)
    console.print(
        f"logged {_hours(stored.entry.minutes)} on {stored.entry.day.isoformat()} ({year}-W{week:02d})"
        f" as entry {stored.id}",
        highlight=False,
    )


def _week(text: str) -> tuple[int, int]:
    match = _WEEK.match(text.strip())
    if match is None:
        raise InvalidInput(f"WEEK: {text!r} is not an ISO week like 2026-W47", field="week")
    return int(match.group(1)), int(match.group(2))


@contracts_app.command("approve-week")
@handle_errors
def approve_week(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    week: str = typer.Argument(..., help="The ISO week, as 2026-W47."),
    user: str | None = acting_user_option(),
) -> None:
    """As the client, pay a week's unpaid time at the contract's rate."""
    year, number = _week(week)
    with open_platform() as platform:
        actor = _acting(platform, user, "approve time")
        paid = contracts.approve_week(
            platform.uow(),
            actor=actor,
            contract_id=contract_id,
            iso_year=year,
            iso_week=number,
            now=platform.clock(),
        )
    console.print(
        f"{paid.iso_year}-W{paid.iso_week:02d}: {_hours(paid.minutes)} paid, {paid.charge}"
        f" ({paid.net} to the professional, fee {paid.fee})",
        highlight=False,
    )


# ending


@contracts_app.command("complete")
@handle_errors
def complete(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP), user: str | None = acting_user_option()
) -> None:
    """As the client, end the work: every milestone approved, or all time paid."""
    with open_platform() as platform:
        actor = _acting(platform, user, "complete a contract")
        done = contracts.complete_contract(
            platform.uow(), actor=actor, contract_id=contract_id, now=platform.clock()
        )
    console.print(f"contract {done.contract.id} is completed", highlight=False)
    if done.evidence_skills:
        console.print(
            f"{len(done.evidence_skills)} skill(s) got micro-job evidence on the professional's profile",
            highlight=False,
        )


@contracts_app.command("cancel")
@handle_errors
def cancel(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    reason: str = typer.Option(..., "--reason", help="Why the contract ends."),
    user: str | None = acting_user_option(),
) -> None:
    """Either party ends an active contract; funded milestones go back to the client."""
    with open_platform() as platform:
        actor = _acting(platform, user, "cancel a contract")
        done = contracts.cancel_contract(
            platform.uow(), actor=actor, contract_id=contract_id, reason=reason, now=platform.clock()
        )
    console.print(f"contract {done.contract.id} is cancelled", highlight=False)
    for line in done.notes:
        console.print(f"  {escape(line)}", highlight=False)


# money


def _transaction_json(t: StoredTransaction) -> dict[str, Any]:
    tx = t.transaction
    return {
        "id": t.id,
        "kind": tx.kind.value,
        "memo": tx.memo,
        "milestone_id": tx.milestone_id,
        "reverses": tx.reverses,
        "created_at": t.created_at.isoformat(),
        "postings": [{"account": p.account, **(money_json(p.amount) or {})} for p in tx.postings],
    }


@contracts_app.command("ledger")
@handle_errors
def ledger(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Every ledger transaction of a contract with its postings, and what they add up to."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        statement = contracts.ledger_statement(platform.uow(), actor=actor, contract_id=contract_id)
        contract = contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id).contract
        email = Emails(platform)
        names = {
            user_id: email(user_id) for user_id in (contract.client_user_id, contract.professional_user_id)
        }
    totals = {
        "escrow": statement.escrow,
        "funded": statement.funded,
        "released": statement.released,
        "fees": statement.fees,
        "refunded": statement.refunded,
    }
    if as_json:
        print_json(
            {
                "contract_id": statement.contract_id,
                "transactions": [_transaction_json(t) for t in statement.transactions],
                **{name: money_json(value) for name, value in totals.items()},
            }
        )
        return
    table = Table(title=f"ledger of contract {contract_id}", title_justify="left")
    for column in ("tx", "when", "what happened", "money moved"):
        table.add_column(column, justify="right" if column == "tx" else "left")
    for t in statement.transactions:
        tx = t.transaction
        what = transaction_words(tx, names, contract.fee_bp)
        if tx.kind is TxKind.CORRECTION and tx.memo:
            what += f" ({tx.memo})"
        table.add_row(
            str(t.id),
            t.created_at.strftime("%Y-%m-%d %H:%M"),
            escape(what),
            escape("\n".join(posting_words(p, names) for p in tx.postings)),
        )
    console.print(table)
    if not contract.internal:
        console.print(f"platform fee {fee_percent(contract.fee_bp)}", highlight=False)
    console.print(" · ".join(f"{name} {value}" for name, value in totals.items()), highlight=False)


def _amounts(found: tuple[Money, ...]) -> str:
    return ", ".join(str(m) for m in found) or "nothing"


@contracts_app.command("balances")
@handle_errors
def balances(
    user: str | None = acting_user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """What you earned as a professional and paid in as a client, per currency."""
    with open_platform() as platform:
        actor = _acting(platform, user, "see your balances")
        assert actor.user_id is not None
        found = contracts.account_balances(platform.uow(), actor=actor, user_id=actor.user_id)
    if as_json:
        print_json(
            {
                "user_id": found.user_id,
                "earned": [money_json(m) for m in found.earned],
                "paid_in": [money_json(m) for m in found.paid_in],
            }
        )
        return
    console.print(f"earned (fees taken off): {_amounts(found.earned)}", highlight=False)
    console.print(f"paid in as a client (negative: paid out): {_amounts(found.paid_in)}", highlight=False)


@contracts_app.command("reverse")
@handle_errors
def reverse(
    transaction: int = typer.Argument(..., help="The id of the ledger transaction to undo."),
    memo: str = typer.Option(..., "--memo", help="Why it is undone (kept with the correction)."),
    user: str | None = acting_user_option(),
) -> None:
    """Platform admins: undo a ledger transaction with a reversing correction (nothing is edited)."""
    with open_platform() as platform:
        stored = ledger_corrections.reverse_transaction(
            platform.uow(),
            actor=acting_actor(platform, user),
            transaction_id=transaction,
            memo=memo,
            now=platform.clock(),
        )
    console.print(f"transaction {stored.id} reverses transaction {transaction}: {memo}", highlight=False)


@contracts_app.command("ledger-check")
@handle_errors
def ledger_check(
    user: str | None = acting_user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """Platform admins: every currency's postings sum to zero and no escrow is below zero (exit 1 if not)."""
    with open_platform() as platform:
        check = contracts.ledger_check(platform.uow(), actor=acting_actor(platform, user))
    if as_json:
        print_json(
            {
                "ok": check.ok,
                "totals": check.totals,
                "escrow_held": check.escrow_held,
                "fees": check.fees,
                "problems": list(check.problems),
            }
        )
    else:
        for currency in sorted(check.totals):
            held = Money(check.escrow_held.get(currency, 0), currency)
            fees = Money(check.fees.get(currency, 0), currency)
            total = Money(check.totals[currency], currency)
            console.print(
                f"{currency}: postings sum to {total}, escrow holds {held}, fees {fees}", highlight=False
            )
        if check.ok:
            console.print("the ledger is balanced", highlight=False)
    if not check.ok:
        for problem in check.problems:
            err_console.print(f"[bold red]error:[/] {problem}", highlight=False)
        raise typer.Exit(1)


# disputes


def _dispute_json(d: Dispute, email: Emails) -> dict[str, Any]:
    return {
        "id": d.id,
        "contract_id": d.contract_id,
        "raised_by": email(d.raised_by),
        "reason": d.reason,
        "state": d.state,
        "resolution": d.resolution,
        "professional_amount_minor": d.professional_amount,
        "client_amount_minor": d.client_amount,
        "resolved_by": email(d.resolved_by) or None,
        "created_at": d.created_at.isoformat(),
        "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None,
    }


@contracts_app.command("dispute")
@handle_errors
def dispute(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    reason: str = typer.Option(..., "--reason", help="What is wrong."),
    user: str | None = acting_user_option(),
) -> None:
    """Either party disputes an active contract; its money stays in escrow until an admin resolves it."""
    with open_platform() as platform:
        actor = _acting(platform, user, "open a dispute")
        opened = disputes.open_dispute(
            platform.uow(), actor=actor, contract_id=contract_id, reason=reason, now=platform.clock()
        )
    console.print(f"dispute {opened.id} opened on contract {opened.contract_id}", highlight=False)


@contracts_app.command("disputes")
@handle_errors
def disputes_(
    user: str | None = acting_user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """Open disputes (platform admins and the local operator), or those of your own contracts."""
    with open_platform() as platform:
        found = disputes.list_disputes(platform.uow(), actor=acting_actor(platform, user))
        email = Emails(platform)
        rows = [_dispute_json(d, email) for d in found]
    if as_json:
        print_json({"items": rows})
        return
    table = Table(title=f"{len(rows)} disputes", title_justify="left")
    for column in ("id", "contract", "raised by", "state", "reason", "resolution"):
        table.add_column(column, justify="right" if column in ("id", "contract") else "left")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["contract_id"]),
            row["raised_by"],
            row["state"],
            escape(row["reason"]),
            escape(row["resolution"]),
        )
    console.print(table)


def _dispute_currency(platform: Platform, dispute_id: int) -> str:
    with platform.uow() as uow:
        found = uow.marketplace.get_dispute(dispute_id)
        contract = uow.marketplace.get_contract(found.contract_id) if found is not None else None
    if contract is None:
        raise NotFound(f"no dispute {dispute_id}")
    return contract.currency


@contracts_app.command("resolve")
@handle_errors
def resolve(
    dispute_id: int = typer.Argument(..., help="The dispute's id."),
    professional_share: str = typer.Option(
        ..., "--professional-share", help="What escrow pays the professional (fee included), as 120.00."
    ),
    outcome: str = typer.Option(..., "--outcome", help=f"How the contract goes on: {', '.join(OUTCOMES)}."),
    resolution: str = typer.Option(..., "--resolution", help="The ruling, for both parties."),
    user: str | None = acting_user_option(),
) -> None:
    """Platform admins: split the escrow of a disputed contract; the rest goes back to the client."""
    if outcome not in OUTCOMES:
        raise typer.BadParameter(f"--outcome: one of {', '.join(OUTCOMES)}, not {outcome!r}")
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        share = parse_money(
            professional_share, _dispute_currency(platform, dispute_id), "--professional-share"
        )
        done = disputes.resolve_dispute(
            platform.uow(),
            actor=actor,
            dispute_id=dispute_id,
            professional_share=share,
            resolution=resolution,
            outcome=outcome,  # type: ignore[arg-type]  # checked against OUTCOMES above
            now=platform.clock(),
        )
    console.print(
        f"dispute {done.dispute.id} resolved: {done.released} to the professional (fee {done.fee}),"
        f" {done.refunded} back to the client; the contract is {done.contract_state.value}",
        highlight=False,
    )


# reviews


@contracts_app.command("review")
@handle_errors
def review(
    contract_id: int = typer.Argument(..., help=CONTRACT_HELP),
    rating: int = typer.Option(..., "--rating", help="1 to 5 stars."),
    text: str = typer.Option("", "--text", help="What it was like to work with them."),
    user: str | None = acting_user_option(),
) -> None:
    """Review the other party of an ended contract, once."""
    with open_platform() as platform:
        actor = _acting(platform, user, "review")
        stored = reviews.review(
            platform.uow(),
            actor=actor,
            contract_id=contract_id,
            rating=rating,
            text=text,
            now=platform.clock(),
        )
        subject = Emails(platform)(stored.subject_user_id)
    console.print(f"review {stored.id}: {stored.rating}/5 for {subject}", highlight=False)


@contracts_app.command("reputation")
@handle_errors
def reputation(
    user_of: str | None = typer.Option(
        None, "--user-of", help="Whose reputation (email); default the acting user."
    ),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """A professional's reputation, explained, and the reviews about them, as the acting user may read
    their profile (with no -u: the local operator, who sees all)."""
    email = user_of or need_user(user, "see your reputation (or give --user-of EMAIL)")
    with open_platform() as platform:
        user_id = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email).id
        actor = acting_actor(platform, user)
        found = reviews.reputation_of(
            platform.uow(), actor=actor, user_id=user_id, today=platform.clock().date()
        )
        about = reviews.reviews_of(platform.uow(), actor=actor, user_id=user_id)
        emails = Emails(platform)
        written: list[dict[str, Any]] = [
            {
                "id": r.id,
                "contract_id": r.contract_id,
                "author": emails(r.author_user_id),
                "rating": r.rating,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
            }
            for r in about
        ]
    if as_json:
        print_json(
            {
                "email": email,
                "score": found.score,
                "contracts_counted": found.contracts_counted,
                "successful": found.successful,
                "explanation": list(found.explanation),
                "breakdown": [
                    {
                        "contract_id": s.contract_id,
                        "ended_on": s.ended_on.isoformat(),
                        "outcome": s.outcome,
                        "outcome_score": s.outcome_score,
                        "weight": s.weight,
                        "share": s.share,
                        "signals": list(s.signals),
                    }
                    for s in found.breakdown
                ],
                "reviews": written,
            }
        )
        return
    score = "not enough to go on yet" if found.score is None else f"{found.score}/100"
    console.print(f"[bold]{email}[/]: reputation {score}", highlight=False)
    for line in found.explanation:
        console.print(f"  {escape(line)}", highlight=False)
    for r in written:
        console.print(
            f"  {r['rating']}/5 from {r['author']} (contract {r['contract_id']}): {escape(r['text'])}",
            highlight=False,
        )
