"""``microcareer gap``, ``closest`` and ``shape``: where a profile stands against occupations and skills.

As ``microcareer profile``, these act as the local operator; ``--user EMAIL`` names the person.
"""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.api.schemas.gap_analysis import ClosestOccupationPublic, GapPublic, ShapePublic
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.gap import ESSENTIAL_IMPORTANCE, GapStatus
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services import gap_analysis, pathways, taxonomy
from microcareer.services.gap_analysis import GapReport

_STATUS_STYLE = {GapStatus.COVERED: "green", GapStatus.PARTIAL: "yellow", GapStatus.MISSING: "red"}


def _print_gap(report: GapReport) -> None:
    gap = report.gap
    b = gap.breakdown
    console.print(f"[bold]{report.target_label}[/]: fit {gap.fit:.2f}", highlight=False)
    console.print(
        f"{b.covered} covered, {b.partial} partly covered, {b.missing} missing; of the fit, "
        f"{b.covered_weight / b.total_weight if b.total_weight else 0:.2f} comes from skills on the profile "
        f"and {b.partial_weight / b.total_weight if b.total_weight else 0:.2f} from related skills",
        highlight=False,
    )
    if report.note:
        console.print(f"[yellow]note:[/] {report.note}", highlight=False)
    if not gap.items:
        return
    table = Table(title="the gap first, then what is covered", title_justify="left")
    for column in ("status", "skill", "importance", "coverage", "why"):
        table.add_column(column, justify="right" if column == "coverage" else "left")
    for item in gap.items:
        style = _STATUS_STYLE[item.status]
        importance = "essential" if item.skill.importance >= ESSENTIAL_IMPORTANCE else "optional"
        table.add_row(
            f"[{style}]{item.status.value}[/]",
            item.skill.label,
            importance,
            f"{item.coverage:.2f}",
            item.explanation,
        )
    console.print(table)


def gap(
    occupation: str | None = typer.Argument(
        None, help="The occupation's URI, key or exact label (or give --skills instead)."
    ),
    skills: str | None = typer.Option(
        None,
        "--skills",
        help="Compare with these skills instead: URIs, keys or names, comma-separated.",
    ),
    job: int | None = typer.Option(
        None,
        "--job",
        help="Compare with a posted micro-job instead: required skills essential, nice-to-have optional.",
    ),
    user: str = user_option(),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON (as the API gives it) instead of a table."
    ),
) -> None:
    """The gap from a profile to an occupation (or a list of skills, or a micro-job), ranked, with the fit
    explained."""
    if sum(given is not None for given in (occupation, skills, job)) != 1:
        raise typer.BadParameter("give an OCCUPATION, --skills a,b,c or --job ID (one of them)")
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        cache = gap_analysis.graph_cache(platform.caches)
        today = platform.clock().date()
        policy = platform.evidence_policy
        matched: taxonomy.OccupationMatch | None = None
        if occupation is not None:
            matched = taxonomy.match_occupation(
                platform.uow(),
                taxonomy.label_index_cache(platform.caches),
                actor=Actor.system(),
                text=occupation,
            )
            found = matched.detail
            report = gap_analysis.gap_to_occupation(
                platform.uow(),
                cache,
                actor=Actor.system(),
                user_id=user_id,
                occupation=found.occupation.uri,
                today=today,
                policy=policy,
            )
        elif job is not None:
            report = gap_analysis.gap_to_job(
                platform.uow(),
                cache,
                actor=Actor.system(),
                user_id=user_id,
                job_id=job,
                today=today,
                policy=policy,
            )
        else:
            assert skills is not None
            names = [name.strip() for name in skills.split(",") if name.strip()]
            report = gap_analysis.gap_to_skills(
                platform.uow(),
                cache,
                actor=Actor.system(),
                user_id=user_id,
                skills=[skill_uri(platform, name) for name in names],
                today=today,
                policy=policy,
            )
    if as_json:
        print_json(GapPublic.of(report, matched).model_dump(mode="json"))
        return
    if matched is not None and matched.by_another_name:
        console.print(f"[yellow]{escape(matched.notice)}.[/]", highlight=False)
        if matched.alternatives:
            others = "; ".join(
                f"{ref.preferred_label} ({concept_key(ref.uri)})" for ref in matched.alternatives
            )
            console.print(f"other occupations these words fit: {escape(others)}", highlight=False)
    _print_gap(report)


def closest(
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200, help="How many occupations to list."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """The occupations a profile is closest to, best fit first, with the skills that bring them close."""
    with open_platform() as platform:
        found = gap_analysis.closest_occupations(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            today=platform.clock().date(),
            limit=limit,
            policy=platform.evidence_policy,
        )
    rows = [ClosestOccupationPublic.of(c) for c in found]
    if as_json:
        print_json({"items": [row.model_dump(mode="json") for row in rows]})
        return
    table = Table(title=f"{len(rows)} closest occupations", title_justify="left")
    for column in ("occupation", "fit", "essential skills", "closest through", "key"):
        table.add_column(column, no_wrap=column == "key", justify="right" if column == "fit" else "left")
    for row in rows:
        table.add_row(
            row.label,
            f"{row.fit:.2f}",
            f"{row.essential_covered}/{row.essential_total}",
            "; ".join(row.matched),
            row.key,
        )
    console.print(table)
    if not rows:
        console.print("no occupation lists a skill the profile leads to: add skills first")


def shape(
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    plan: int | None = typer.Option(
        None, "--plan", min=1, help="A saved plan whose effect to show (default: the person's latest)."
    ),
) -> None:
    """The shape of a career (depth versus breadth, T-shape) and the skills going stale."""
    with open_platform() as platform:
        found = pathways.shape_with_plan(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            today=platform.clock().date(),
            plan_id=plan,
            policy=platform.evidence_policy,
        )
    public = ShapePublic.of(found.report, found.plan)
    if as_json:
        print_json(public.model_dump(mode="json"))
        return
    console.print(f"[bold]{public.explanation}[/]", highlight=False)
    table = Table(title="areas, deepest first", title_justify="left")
    for column in ("area", "depth", "skills"):
        table.add_column(column, justify="right" if column == "depth" else "left")
    for area in public.areas:
        table.add_row(area.label, f"{area.depth:.2f}", "; ".join(area.skills))
    console.print(table)
    for stale in public.stale:
        console.print(
            f"[yellow]going stale:[/] {stale.label} ({stale.explanation})", highlight=False, soft_wrap=True
        )
    effect = public.after_plan
    if effect is not None:
        console.print(
            f"[bold]after plan {effect.plan_id} ({escape(effect.target)}):[/] {escape(effect.explanation)}",
            highlight=False,
            soft_wrap=True,
        )
        for change in effect.changes:
            deep = ", becomes deep" if change.becomes_deep else ""
            console.print(
                f"  {change.effect} {escape(change.label)}: {change.before:.2f} -> {change.after:.2f}{deep}",
                highlight=False,
                soft_wrap=True,
            )


def register(app: typer.Typer) -> None:
    app.command("gap")(handle_errors(gap))
    app.command("closest")(handle_errors(closest))
    app.command("shape")(handle_errors(shape))
