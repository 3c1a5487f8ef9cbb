"""Contracts: my contracts, a contract's page with each party's actions, and disputes for admins.

``/contracts/{id}`` shows the parties, the milestones with their state and progress and the steps the
reader's part allows (the client funds, approves or sends work back; the professional reports
progress and submits), hourly time by ISO week with the professional's log-time form and the
client's approve-week button, the ledger statement, complete and cancel, the dispute form, and the
review form once the contract has ended. Whoever may not see a contract gets the 404 page.
``/disputes`` lists open disputes for platform admins (with the resolve form) and one's own otherwise.

Every form carries the session's CSRF token; one that fails shows the page again with the message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractState, TimeEntry, week_of
from microcareer.domain.marketplace.ledger_words import fee_percent, posting_words, transaction_words
from microcareer.domain.marketplace.records import Dispute, StoredContract, StoredTimeEntry, StoredTransaction
from microcareer.errors import InvalidInput, MicrocareerError, NotAuthenticated, NotFound
from microcareer.services import contracts, disputes, micro_jobs, profiles, reviews
from microcareer.services.contracts import ContractView
from microcareer.services.disputes import OUTCOMES
from microcareer.web.auth import WebActorDep, current_identity, form_csrf_ok, page_context
from microcareer.web.confirmation import Confirmation, confirmation_page, confirmed
from microcareer.web.job_forms import day, money, whole
from microcareer.web.marketplace_pages import error_field, key_of, read_form, user_names
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import CSRF_ERROR, not_found, to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


@router.get("/contracts", response_class=HTMLResponse)
def contracts_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/contracts")
    mine = contracts.my_contracts(platform.uow(), actor=actor)
    titles: dict[int, str] = {}
    for contract in mine:
        try:
            titles[contract.id] = micro_jobs.get_job(
                platform.uow(), actor=actor, job_id=contract.job_id
            ).job.title
        except NotFound:
            titles[contract.id] = f"job {contract.job_id}"
    people = [p for c in mine for p in (c.client_user_id, c.professional_user_id)]
    context = page_context(request, contracts=mine, titles=titles, names=user_names(platform, people))
    return templates.TemplateResponse(request, "contracts/list.html", context)


@dataclass(frozen=True, slots=True)
class Week:
    """A contract's time in one ISO week."""

    iso_year: int
    iso_week: int
    entries: tuple[StoredTimeEntry, ...]

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def minutes(self) -> int:
        return sum(e.entry.minutes for e in self.entries)

    @property
    def unpaid_minutes(self) -> int:
        return sum(e.entry.minutes for e in self.entries if e.paid_in is None)


def weeks_of(entries: tuple[StoredTimeEntry, ...]) -> list[Week]:
    """Time entries grouped by ISO week, latest week first, each week's entries by day."""
    grouped: dict[tuple[int, int], list[StoredTimeEntry]] = defaultdict(list)
    for entry in entries:
        grouped[week_of(entry.entry.day)].append(entry)
    return [
        Week(year, week, tuple(sorted(grouped[(year, week)], key=lambda e: (e.entry.day, e.id))))
        for year, week in sorted(grouped, reverse=True)
    ]


def hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") + " h"


templates.env.filters["hours"] = hours


@dataclass(frozen=True)
class ContractForms:
    section: str = ""
    """Where the error belongs: "milestone-{id}", "time", "end", "dispute", "review" or ""."""
    error: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    """The failed form's fields, to show it again as filled."""
    field: str = ""
    """The field the error names, when it names one (marked invalid next to it)."""

    def value(self, section: str, name: str) -> str:
        return dict(self.values).get(name, "") if section == self.section else ""


@dataclass(frozen=True)
class LedgerLine:
    """A ledger transaction as the page shows it: a sentence, and each posting in words (with its code)."""

    stored: StoredTransaction
    summary: str
    postings: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, stored: StoredTransaction, names: Mapping[int, str], fee_bp: int) -> LedgerLine:
        tx = stored.transaction
        return cls(
            stored,
            transaction_words(tx, names, fee_bp),
            tuple((posting_words(p, names), p.account) for p in tx.postings),
        )


def _contract_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    contract_id: int,
    forms: ContractForms,
    status: int = 200,
) -> HTMLResponse:
    try:
        view: ContractView = contracts.get_contract(platform.uow(), actor=actor, contract_id=contract_id)
        statement = contracts.ledger_statement(platform.uow(), actor=actor, contract_id=contract_id)
    except (NotFound, NotAuthenticated) as exc:
        return not_found(request, str(exc))
    contract = view.contract
    ended = contract.state in (ContractState.COMPLETED, ContractState.CANCELLED)
    reviewed = False
    if ended and view.role is not None and actor.user_id is not None:
        reviewed = reviews.has_reviewed(platform.uow(), actor=actor, contract_id=contract.id)
    names = user_names(platform, [contract.client_user_id, contract.professional_user_id])
    context = page_context(
        request,
        view=view,
        contract=contract,
        statement=statement,
        ledger_lines=[LedgerLine.of(t, names, contract.fee_bp) for t in statement.transactions],
        fee_rate=fee_percent(contract.fee_bp),
        weeks=weeks_of(view.time_entries),
        names=names,
        linkable=profiles.readable_profiles(
            platform.uow(), actor=actor, user_ids=[contract.client_user_id, contract.professional_user_id]
        ),
        forms=forms,
        ended=ended,
        reviewed=reviewed,
        today=platform.clock().date().isoformat(),
    )
    return templates.TemplateResponse(request, "contracts/contract.html", context, status_code=status)


@router.get("/contracts/{contract_key}", response_class=HTMLResponse)
def contract_page(contract_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/contracts/{contract_key}")
    contract_id = key_of(contract_key)
    if contract_id is None:
        return not_found(request, f"no contract {contract_key!r}")
    return _contract_page(request, platform, actor, contract_id, ContractForms())


ContractAction = Callable[[Platform, Actor, int, FormData], str]


def _milestone_id(data: FormData) -> int:
    found = key_of(field_of(data, "milestone"))
    if found is None:
        raise InvalidInput("milestone: which milestone", field="milestone")
    return found


def _milestone_step(step: Callable[..., object], **fields: Callable[[FormData], object]) -> ContractAction:
    """A form action for one milestone step; ``fields`` read the step's extra arguments from the form."""

    def act(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
        milestone = _milestone_id(data)
        extra = {name: read(data) for name, read in fields.items()}
        step(
            platform.uow(),
            actor=actor,
            contract_id=contract_id,
            milestone_id=milestone,
            now=platform.clock(),
            **extra,
        )
        return f"#milestone-{milestone}"

    return act


def _note(data: FormData) -> str:
    return field_of(data, "note")


_fund = _milestone_step(contracts.fund_milestone)
_submit = _milestone_step(contracts.submit_milestone, note=_note)
_progress = _milestone_step(
    contracts.report_progress, progress=lambda data: whole(field_of(data, "progress"), "progress", high=100)
)
_changes = _milestone_step(contracts.request_changes, note=_note)
_approve = _milestone_step(contracts.approve_milestone)


def _time_entry(data: FormData, today: date) -> TimeEntry:
    """From the day with start and end times, or the day with a duration in minutes."""
    note = field_of(data, "note").strip()
    on = day(field_of(data, "day"), "day") or today
    start, end = field_of(data, "start").strip(), field_of(data, "end").strip()
    if start or end:
        try:
            begins = datetime.combine(on, datetime.strptime(start, "%H:%M").time())
            ends = datetime.combine(on, datetime.strptime(end, "%H:%M").time())
        except ValueError:
            raise InvalidInput("start: start and end as times like 09:30", field="start") from None
        return TimeEntry.from_span(begins, ends, note, today)
    minutes = whole(field_of(data, "minutes"), "minutes", low=1, high=1440)
    return TimeEntry.from_duration(on, minutes, note, today)


def _log_time(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    now = platform.clock()
    entry = _time_entry(data, now.date())
    contracts.log_time(platform.uow(), actor=actor, contract_id=contract_id, entry=entry, now=now)
    return "#time"


def _approve_week(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    text = field_of(data, "week").strip()
    year, _, week = text.partition("-W")
    if not (year.isdigit() and week.isdigit()):
        raise InvalidInput(f"week: an ISO week like 2026-W47, not {text!r}", field="week")
    contracts.approve_week(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        iso_year=int(year),
        iso_week=int(week),
        now=platform.clock(),
    )
    return "#time"


def _complete(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    contracts.complete_contract(platform.uow(), actor=actor, contract_id=contract_id, now=platform.clock())
    return "#review"


def _cancel(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    contracts.cancel_contract(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        reason=field_of(data, "reason"),
        now=platform.clock(),
    )
    return "#review"


def _dispute(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    disputes.open_dispute(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        reason=field_of(data, "reason"),
        now=platform.clock(),
    )
    return "#dispute"


def _review(platform: Platform, actor: Actor, contract_id: int, data: FormData) -> str:
    reviews.review(
        platform.uow(),
        actor=actor,
        contract_id=contract_id,
        rating=whole(field_of(data, "rating"), "rating", low=1, high=5),
        text=field_of(data, "text"),
        now=platform.clock(),
    )
    return "#review"


_ACTIONS: dict[str, tuple[str, ContractAction]] = {
    "fund": ("milestone", _fund),
    "submit": ("milestone", _submit),
    "progress": ("milestone", _progress),
    "changes": ("milestone", _changes),
    "approve": ("milestone", _approve),
    "log-time": ("time", _log_time),
    "approve-week": ("time", _approve_week),
    "complete": ("end", _complete),
    "cancel": ("end", _cancel),
    "dispute": ("dispute", _dispute),
    "review": ("review", _review),
}
# Steps that cannot be undone go through a confirmation page first (web/confirmation.py).
_CONFIRM = {
    "cancel": Confirmation(
        "Cancel the contract?",
        "The contract ends for good: what escrow holds goes back to the client, and nothing more can be "
        "funded, submitted or paid on it.",
        "Yes, cancel the contract",
    ),
    "dispute": Confirmation(
        "Open a dispute?",
        "The money in escrow is frozen until a platform admin decides how to split it; a dispute cannot "
        "be withdrawn.",
        "Yes, open a dispute",
    ),
}


@router.post("/contracts/{contract_key}/{action}", response_class=HTMLResponse)
async def contract_action(
    contract_key: str, action: str, request: Request, platform: PlatformDep, actor: WebActorDep
) -> Response:
    """One party's step: see ``_ACTIONS`` for the names; the services check who may take it."""
    if current_identity(request) is None:
        return to_login(f"/contracts/{contract_key}")
    contract_id = key_of(contract_key)
    if contract_id is None or action not in _ACTIONS:
        return not_found(request, f"no contract page {request.url.path!r}")
    section, act = _ACTIONS[action]
    data = await read_form(request)
    if isinstance(data, str):
        forms = ContractForms(section=section, error=data)
        return await run_in_threadpool(_contract_page, request, platform, actor, contract_id, forms, 400)
    confirm = _CONFIRM.get(action)
    return await run_in_threadpool(
        _run_action, request, platform, actor, contract_id, section, act, data, confirm
    )


def _run_action(
    request: Request,
    platform: Platform,
    actor: Actor,
    contract_id: int,
    section: str,
    act: ContractAction,
    data: FormData,
    confirm: Confirmation | None = None,
) -> Response:
    if section == "milestone":
        section = f"milestone-{field_of(data, 'milestone')}"
    values = tuple((k, v) for k, v in data.multi_items() if isinstance(v, str) and k != "csrf_token")
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        forms = ContractForms(section, CSRF_ERROR, values)
        return _contract_page(request, platform, actor, contract_id, forms, 403)
    if confirm is not None and not confirmed(data):
        return confirmation_page(request, confirm, data, back=f"/contracts/{contract_id}#{section}")
    try:
        anchor = act(platform, actor, contract_id, data)
    except (NotFound, NotAuthenticated) as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        forms = ContractForms(section, str(exc), values, error_field(exc))
        return _contract_page(request, platform, actor, contract_id, forms, exc.status)
    return RedirectResponse(f"/contracts/{contract_id}{anchor}", status_code=303)


# disputes --------------------------------------------------------------------------------------


def _disputes_page(
    request: Request,
    platform: Platform,
    actor: Actor,
    *,
    error: str | None = None,
    failed: int | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = disputes.list_disputes(platform.uow(), actor=actor)
    by_contract: dict[int, StoredContract] = {}
    for dispute in found:
        try:
            view = contracts.get_contract(platform.uow(), actor=actor, contract_id=dispute.contract_id)
        except NotFound:
            continue
        by_contract[dispute.contract_id] = view.contract
    escrow: dict[int, str] = {}
    for dispute in found:
        if dispute.contract_id in by_contract:
            statement = contracts.ledger_statement(
                platform.uow(), actor=actor, contract_id=dispute.contract_id
            )
            escrow[dispute.contract_id] = statement.escrow.format()
    people = [d.raised_by for d in found] + [
        p for c in by_contract.values() for p in (c.client_user_id, c.professional_user_id)
    ]
    context = page_context(
        request,
        disputes=found,
        contracts=by_contract,
        escrow=escrow,
        names=user_names(platform, people),
        admin=actor.has_role(Role.PLATFORM_ADMIN),
        outcomes=OUTCOMES,
        error=error,
        failed=failed,
    )
    return templates.TemplateResponse(request, "contracts/disputes.html", context, status_code=status)


@router.get("/disputes", response_class=HTMLResponse)
def disputes_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/disputes")
    return _disputes_page(request, platform, actor)


@router.post("/disputes/{dispute_key}/resolve", response_class=HTMLResponse)
async def resolve(dispute_key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    """A platform admin splits the escrow: the professional's share, the ruling, how the contract goes on."""
    if current_identity(request) is None:
        return to_login("/disputes")
    dispute_id = key_of(dispute_key)
    if dispute_id is None:
        return not_found(request, f"no dispute {dispute_key!r}")
    data = await read_form(request)
    if isinstance(data, str):
        return await run_in_threadpool(_answer, request, platform, actor, data, dispute_id, 400)
    return await run_in_threadpool(_resolve, request, platform, actor, dispute_id, data)


def _answer(
    request: Request, platform: Platform, actor: Actor, error: str, dispute_id: int, status: int
) -> HTMLResponse:
    return _disputes_page(request, platform, actor, error=error, failed=dispute_id, status=status)


def _dispute_of(platform: Platform, actor: Actor, dispute_id: int) -> Dispute:
    for dispute in disputes.list_disputes(platform.uow(), actor=actor):
        if dispute.id == dispute_id:
            return dispute
    raise NotFound(f"no open dispute {dispute_id}")


def _resolve(request: Request, platform: Platform, actor: Actor, dispute_id: int, data: FormData) -> Response:
    if not form_csrf_ok(request, field_of(data, "csrf_token")):
        return _answer(request, platform, actor, CSRF_ERROR, dispute_id, 403)
    try:
        dispute = _dispute_of(platform, actor, dispute_id)
        contract = contracts.get_contract(
            platform.uow(), actor=actor, contract_id=dispute.contract_id
        ).contract
        disputes.resolve_dispute(
            platform.uow(),
            actor=actor,
            dispute_id=dispute_id,
            professional_share=money(field_of(data, "share") or "0", contract.currency, "share"),
            resolution=field_of(data, "resolution"),
            outcome=field_of(data, "outcome"),  # type: ignore[arg-type]  # the service checks it
            now=platform.clock(),
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except MicrocareerError as exc:
        return _answer(request, platform, actor, str(exc), dispute_id, exc.status)
    return RedirectResponse("/disputes", status_code=303)
