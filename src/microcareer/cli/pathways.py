"""``microcareer plan``: learning pathways from a gap (make, show, list, progress, delete) and the
catalogue of outside steps (``plan catalogue import FILE``).

As ``gap``, these act as the local operator on the person ``--user EMAIL`` / ``MICROCAREER_USER``
names; ``--json`` prints the API's shapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.cli.batch_rows import print_row_errors
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.domain.pathways.plan import Method
from microcareer.domain.pathways.problem import PlanMode, ShapeChoice
from microcareer.domain.pathways.records import StoredPlan
from microcareer.services import gap_analysis, pathway_catalogue, pathways, taxonomy

plan_app = typer.Typer(
    help="Learning pathways: which steps close a gap, in what order, at what cost (--user names the person).",
    no_args_is_help=True,
)
catalogue_app = typer.Typer(
    help="The catalogue of outside steps (courses, badges, assessments).", no_args_is_help=True
)
plan_app.add_typer(catalogue_app, name="catalogue")


def plan_public(stored: StoredPlan) -> dict[str, Any]:
    return {
        "id": stored.id,
        "user_id": stored.user_id,
        "target_kind": stored.target_kind,
        "target": stored.target_ref,
        "target_label": stored.target_label,
        "options": stored.options,
        "done": list(stored.done),
        "revision": stored.revision,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
        "plan": stored.plan,
    }


def _print_plan(stored: StoredPlan) -> None:
    plan = stored.plan
    console.print(
        f"[bold]plan {stored.id}[/] to {escape(stored.target_label)} (revision {stored.revision}): "
        f"fit {plan['fit_before']:.2f} → {plan['fit_after']:.2f} in {plan['total_weeks']} weeks, "
        f"{plan['total_hours']:g} hours, cost {plan['total_cost']['text']}, "
        f"income {plan['total_income']['text']}",
        highlight=False,
    )
    console.print(f"method: {escape(plan['method_words'])}; shape: {plan['shape']}", highlight=False)
    for done in plan.get("done_steps", []):
        console.print(f"[green]done:[/] {escape(done['title'])} ({done['id']})", highlight=False)
    table = Table(title="steps", title_justify="left")
    for column in ("#", "weeks", "kind", "step", "cost", "income", "fit after", "why here"):
        table.add_column(column)
    for step in plan["steps"]:
        table.add_row(
            str(step["position"]),
            f"{step['start_week']}-{step['end_week']}",
            step["kind"],
            f"{escape(step['title'])} [dim]({step['id']}, {escape(step['provider'])})[/]",
            step["cost"]["text"],
            step["income"]["text"] if step["income"]["amount_minor"] else "",
            f"{step['fit_after']:.2f}",
            escape(step["why"]),
        )
    console.print(table)
    for step in plan["steps"]:
        if step.get("assumed"):
            console.print(f"[dim]{step['id']}:[/] {escape(step['assumed'])}", highlight=False, soft_wrap=True)
    for need in plan["uncovered"]:
        console.print(f"[yellow]left open by the limits:[/] {escape(need['label'])}", highlight=False)
    for need in plan["uncoverable"]:
        console.print(f"[yellow]no step teaches:[/] {escape(need['label'])}", highlight=False)
    for note in plan["notes"]:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)


def create(
    occupation: str | None = typer.Argument(None, help="The target occupation's URI, key or exact label."),
    job: int | None = typer.Option(None, "--job", help="Plan towards a posted micro-job instead."),
    skills: str | None = typer.Option(None, "--skills", help="Plan towards these skills (comma-separated)."),
    hours: float = typer.Option(8.0, "--hours", help="Hours a week the person can give."),
    mode: PlanMode = typer.Option(PlanMode.BALANCED, "--mode", help="What to minimise."),
    budget: str | None = typer.Option(None, "--budget", help="The most the plan may spend (e.g. 300.00)."),
    income_floor: str | None = typer.Option(
        None, "--income-floor", help="With --mode income_floor: the monthly income to keep."
    ),
    base_income: str | None = typer.Option(None, "--base-income", help="Monthly income outside the plan."),
    max_weeks: float | None = typer.Option(None, "--max-weeks", help="Finish within this many weeks."),
    shape: ShapeChoice = typer.Option(ShapeChoice.ANY, "--shape", help="Prefer deepening or broadening."),
    method: Method = typer.Option(Method.AUTO, "--method", help="exact (milp), greedy, or auto by size."),
    currency: str = typer.Option("EUR", "--currency"),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (as the API gives it)."),
) -> None:
    """Make and save a plan from the gap to an occupation, a micro-job or skills."""
    if sum(given is not None for given in (occupation, skills, job)) != 1:
        raise typer.BadParameter("give an OCCUPATION, --skills a,b,c or --job ID (one of them)")
    options = pathways.PlanOptions(
        hours_per_week=hours,
        mode=mode,
        budget=budget,
        income_floor=income_floor,
        base_income=base_income,
        max_weeks=max_weeks,
        shape=shape,
        method=method,
        currency=currency,
    )
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        if occupation is not None:
            found = taxonomy.match_occupation(
                platform.uow(),
                taxonomy.label_index_cache(platform.caches),
                actor=Actor.system(),
                text=occupation,
            )
            kind, target = "occupation", found.detail.occupation.uri
        elif job is not None:
            kind, target = "job", str(job)
        else:
            assert skills is not None
            names = [name.strip() for name in skills.split(",") if name.strip()]
            kind, target = "skills", ",".join(skill_uri(platform, name) for name in names)
        stored = pathways.create_plan(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=Actor.system(),
            user_id=user_id,
            target_kind=kind,
            target=target,
            options=options,
            now=platform.clock(),
            policy=platform.evidence_policy,
        )
    print_json(plan_public(stored)) if as_json else _print_plan(stored)


def show(
    plan_id: int = typer.Argument(..., help="The plan's id."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A saved plan: its steps, why each comes where it does, the fit after each, cost and income."""
    with open_platform() as platform:
        stored = pathways.get_plan(platform.uow(), actor=Actor.system(), plan_id=plan_id)
    print_json(plan_public(stored)) if as_json else _print_plan(stored)


def list_(user: str = user_option(), as_json: bool = typer.Option(False, "--json")) -> None:
    """The person's saved plans, newest first."""
    with open_platform() as platform:
        plans = pathways.list_plans(platform.uow(), actor=Actor.system(), user_id=user_id_of(platform, user))
    if as_json:
        print_json([plan_public(p) for p in plans])
        return
    table = Table()
    for column in ("id", "target", "steps", "weeks", "cost", "fit", "revision"):
        table.add_column(column)
    for p in plans:
        table.add_row(
            str(p.id),
            escape(p.target_label),
            str(len(p.plan["steps"])),
            str(p.plan["total_weeks"]),
            p.plan["total_cost"]["text"],
            f"{p.plan['fit_before']:.2f} → {p.plan['fit_after']:.2f}",
            str(p.revision),
        )
    console.print(table)


def progress(
    plan_id: int = typer.Argument(..., help="The plan's id."),
    done: list[str] = typer.Option([], "--done", help="A step done (its id); repeat for more."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Mark steps done (and those credentials earned and contracts completed show), then re-plan the rest."""
    with open_platform() as platform:
        stored = pathways.record_progress(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=Actor.system(),
            plan_id=plan_id,
            done=done,
            now=platform.clock(),
            policy=platform.evidence_policy,
        )
    print_json(plan_public(stored)) if as_json else _print_plan(stored)


def delete(plan_id: int = typer.Argument(..., help="The plan's id.")) -> None:
    """Delete a saved plan."""
    with open_platform() as platform:
        pathways.delete_plan(platform.uow(), actor=Actor.system(), plan_id=plan_id)
    console.print(f"deleted plan {plan_id}")


def import_catalogue(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV or JSON catalogue."),
    currency: str = typer.Option("EUR", "--currency", help="The currency of rows that name none."),
) -> None:
    """Import outside steps (CSV or JSON); every bad row is printed as FILE:LINE: column: message and
    nothing is imported."""
    text = file.read_text(encoding="utf-8")
    with open_platform() as platform:
        try:
            result = pathway_catalogue.import_catalogue(
                platform.uow(),
                platform.caches,
                platform.lexicons,
                actor=Actor.system(),
                text=text,
                source=file.name,
                now=platform.clock(),
                currency=currency,
            )
        except BatchRejected as rejected:
            print_row_errors(rejected, file.name, outcome="nothing was imported")
            raise typer.Exit(1) from None
    console.print(f"imported {result.added} new steps, replaced {result.replaced}", highlight=False)


plan_app.command("create")(handle_errors(create))
plan_app.command("show")(handle_errors(show))
plan_app.command("list")(handle_errors(list_))
plan_app.command("progress")(handle_errors(progress))
plan_app.command("delete")(handle_errors(delete))
catalogue_app.command("import")(handle_errors(import_catalogue))
