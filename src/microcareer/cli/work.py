"""``microcareer work``: a professional's dashboard (income, runway, hours, milestones) and its settings.

As the other per-person commands, the CLI is the local operator (``Actor.system()``); ``--user EMAIL``
(or ``MICROCAREER_USER``) names whose dashboard it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.table import Table

from microcareer.api.schemas.work import DashboardPublic, WorkSettingsPublic
from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.marketplace.records import WorkSettings
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import users, work_dashboard
from microcareer.services.work_dashboard import Dashboard, IncomeSeries, format_money

work_app = typer.Typer(
    help="A professional's dashboard and work settings (as the local operator; --user names the person).",
    no_args_is_help=True,
)

BAR_WIDTH = 40
_OPTION_OF_FIELD = {
    "workload_threshold_hours": "--threshold",
    "contracted_hours_per_week": "--contracted",
    "monthly_spending": "--spending",
    "cash": "--cash",
    "currency": "--currency",
    "manager_user_id": "--manager",
}


def _bar(amount: int, largest: int) -> str:
    if amount <= 0 or largest <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * amount / largest))


def _print_income(series: IncomeSeries) -> None:
    table = Table(title=f"Income by month ({series.currency})", title_justify="left")
    table.add_column("month")
    table.add_column("income", justify="right")
    table.add_column("")
    largest = max((m.amount_minor for m in series.months), default=0)
    for month in series.months:
        table.add_row(
            month.label,
            format_money(month.amount_minor, series.currency),
            f"[green]{_bar(month.amount_minor, largest)}[/]",
        )
    console.print(table)
    console.print(
        f"12 months: {format_money(series.total_minor, series.currency)} · {series.volatility.reading}",
        highlight=False,
    )


def _print_dashboard(name: str, board: Dashboard) -> None:
    console.print(f"[bold]{name}[/]: work dashboard on {board.today.isoformat()}", highlight=False)
    for series in board.income:
        _print_income(series)
    currency = board.settings.currency
    cash = format_money(board.settings.cash, currency)
    spending = format_money(board.settings.monthly_spending, currency)
    expected = format_money(board.expected_minor_next_90_days, currency)
    console.print(
        f"[bold]Runway:[/] {board.runway.explanation} (cash {cash}, spending {spending} a month, "
        f"in escrow and due within 90 days {expected})",
        highlight=False,
    )
    weeks = Table(title="Hours per week", title_justify="left")
    for column in ("week", "from", "logged", "planned", "total"):
        weeks.add_column(column, justify="left" if column in ("week", "from") else "right")
    names = {0: " (this week)", 1: " (next week)"}
    for load in board.weeks:
        total = f"{load.total_hours:g}"
        if load.total_hours > board.threshold_hours:
            total = f"[red]{total}[/]"
        weeks.add_row(
            load.label + names.get(load.position, ""),
            load.monday.isoformat(),
            f"{load.logged_hours:g}",
            f"{load.planned_hours:g}",
            total,
        )
    console.print(weeks)
    if board.workload_warning:
        console.print(f"[bold yellow]warning:[/] {board.workload_warning}", highlight=False)
    else:
        console.print(f"within your limit of {board.threshold_hours:g} h a week", highlight=False)
    milestones = Table(title="Upcoming milestones (30 days)", title_justify="left")
    for column in ("due", "when", "contract", "milestone", "amount", "state"):
        milestones.add_column(column, justify="right" if column in ("contract", "amount") else "left")
    for due in board.upcoming:
        m = due.milestone
        when = f"[bold red]{due.when}[/]" if due.overdue else due.when
        milestones.add_row(
            m.due.isoformat(),
            when,
            str(m.contract_id),
            m.title,
            format_money(m.amount_minor, m.currency),
            m.state,
        )
    console.print(milestones)
    console.print(
        f"{board.active_contracts} active contracts · {board.open_applications} open applications",
        highlight=False,
    )


@work_app.command("dashboard")
@handle_errors
def dashboard(
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (as the API gives it) instead of text."),
) -> None:
    """Income by month with its swings, runway, hours per week with a warning, upcoming milestones."""
    with open_platform() as platform:
        board = work_dashboard.dashboard(
            platform.uow(),
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            today=platform.clock().date(),
            default_threshold=platform.settings.workload_warning_hours,
        )
    if as_json:
        print_json(DashboardPublic.of(board).model_dump(mode="json"))
        return
    _print_dashboard(user, board)


def _minor(text: str | None, field: str, currency: str, current: int) -> int:
    if text is None:
        return current
    try:
        return Money.parse(text, currency).amount
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, field=field) from None


@dataclass(frozen=True, slots=True)
class _Changes:
    """The options given to ``work settings`` (None: keep the current value)."""

    threshold: float | None
    contracted: float | None
    spending: str | None
    cash: str | None
    currency: str | None
    manager: str | None
    no_manager: bool

    def any(self) -> bool:
        fields = (self.threshold, self.contracted, self.spending, self.cash, self.currency, self.manager)
        return self.no_manager or any(value is not None for value in fields)


def _save(platform: Platform, user_id: int, current: WorkSettings, changes: _Changes) -> WorkSettings:
    """Save ``current`` with ``changes``; amounts are read in the new currency, when one is given."""
    currency = current.currency if changes.currency is None else currency_code(changes.currency)
    manager_id = current.manager_user_id
    if changes.manager is not None:
        try:
            manager_id = users.find_user_by_email(
                platform.uow(), actor=Actor.system(), email=changes.manager
            ).id
        except NotFound as exc:
            raise InvalidInput(exc.detail, field="manager_user_id") from None
    elif changes.no_manager:
        manager_id = None
    wanted = WorkSettings(
        user_id=user_id,
        workload_threshold_hours=(
            current.workload_threshold_hours if changes.threshold is None else changes.threshold
        ),
        contracted_hours_per_week=(
            current.contracted_hours_per_week if changes.contracted is None else changes.contracted
        ),
        monthly_spending=_minor(changes.spending, "monthly_spending", currency, current.monthly_spending),
        cash=_minor(changes.cash, "cash", currency, current.cash),
        currency=currency,
        manager_user_id=manager_id,
    )
    return work_dashboard.save_settings(
        platform.uow(), actor=Actor.system(), user_id=user_id, settings=wanted, now=platform.clock()
    )


def _print_settings(settings: WorkSettings, manager: str | None) -> None:
    console.print(
        f"workload threshold: {settings.workload_threshold_hours:g} h a week\n"
        f"contracted hours: {settings.contracted_hours_per_week:g} h a week\n"
        f"monthly spending: {format_money(settings.monthly_spending, settings.currency)}\n"
        f"cash: {format_money(settings.cash, settings.currency)}\n"
        f"manager: {manager or 'none'}",
        highlight=False,
    )


@work_app.command("settings")
@handle_errors
def settings(
    user: str = user_option(),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Weekly hours past which the dashboard warns (1 to 168)."
    ),
    contracted: float | None = typer.Option(
        None, "--contracted", help="Hours a week of the person's employment (1 to 80)."
    ),
    spending: str | None = typer.Option(
        None, "--spending", help="What the person spends a month, in the currency (2500 or 2500.00)."
    ),
    cash: str | None = typer.Option(None, "--cash", help="Cash on hand, in the currency."),
    currency: str | None = typer.Option(
        None,
        "--currency",
        help="ISO 4217 code of spending and cash; amounts not given again keep their minor units.",
    ),
    manager: str | None = typer.Option(
        None, "--manager", help="Email of the manager who approves the person's internal gigs."
    ),
    no_manager: bool = typer.Option(False, "--no-manager", help="Remove the manager."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (as the API gives it) instead of text."),
) -> None:
    """Show the person's work settings, or change those given (the rest stay as they are)."""
    if manager is not None and no_manager:
        raise typer.BadParameter("give --manager or --no-manager, not both")
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        current = work_dashboard.get_settings(
            platform.uow(),
            actor=Actor.system(),
            user_id=user_id,
            default_threshold=platform.settings.workload_warning_hours,
        )
        changes = _Changes(threshold, contracted, spending, cash, currency, manager, no_manager)
        result = current
        if changes.any():
            try:
                result = _save(platform, user_id, current, changes)
            except InvalidInput as exc:
                option = _OPTION_OF_FIELD.get(str(exc.extra.get("field")))
                if option is None:
                    raise
                raise InvalidInput(f"{option}: {exc.detail}", **exc.extra) from None
        manager_email = None
        if result.manager_user_id is not None:
            manager_email = users.get_user(
                platform.uow(), actor=Actor.system(), user_id=result.manager_user_id
            ).email
    if as_json:
        print_json(WorkSettingsPublic.of(result).model_dump(mode="json"))
        return
    _print_settings(result, manager_email)
