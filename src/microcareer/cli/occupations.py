"""``microcareer occupations``: search ESCO occupations, show one with its essential and optional skills."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OccupationDetail, SkillRef
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services import taxonomy

occupations_app = typer.Typer(help="ESCO occupations and the skills they need.", no_args_is_help=True)


@occupations_app.command("search")
@handle_errors
def search(
    query: str = typer.Argument(..., help="Words of an occupation's label; typos are tolerated."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200, help="How many occupations to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Search occupations by label: exact matches first, then prefixes, word prefixes, typos."""
    with open_platform() as platform:
        page = taxonomy.search_occupations(
            platform.uow(),
            taxonomy.label_index_cache(platform.caches),
            actor=Actor.system(),
            query=query,
            limit=limit,
        )
    if as_json:
        print_json({"total": page.total, "items": [asdict(hit) for hit in page.hits]})
        return
    table = Table(title=f"{page.total:,} occupations match {query!r}", title_justify="left")
    for column in ("occupation", "matched label", "match", "code", "key"):
        table.add_column(column, no_wrap=column == "key")
    for hit in page.hits:
        occupation = hit.concept
        matched = hit.matched_label if hit.matched_label != occupation.preferred_label else ""
        table.add_row(
            occupation.preferred_label,
            matched,
            hit.match_kind.value,
            occupation.code or "",
            concept_key(occupation.uri),
        )
    console.print(table)


def _skills_table(title: str, skills: tuple[SkillRef, ...]) -> Table:
    table = Table(title=f"{title} ({len(skills)})", title_justify="left")
    table.add_column("skill")
    table.add_column("type")
    table.add_column("key", no_wrap=True)
    for skill in skills:
        table.add_row(skill.preferred_label, skill.skill_type or "", concept_key(skill.uri))
    return table


def _print_detail(detail: OccupationDetail) -> None:
    occupation = detail.occupation
    console.print(f"[bold]{occupation.preferred_label}[/]  [dim]{occupation.uri}[/]")
    if detail.isco_group is not None:
        group = detail.isco_group
        console.print(f"ISCO {group.code}: {group.preferred_label}", highlight=False)
    for ref in detail.broader:
        console.print(f"[dim]broader:[/] {ref.preferred_label}", highlight=False)
    if occupation.description:
        console.print(occupation.description, highlight=False)
    if not detail.has_skill_list:
        console.print("ESCO lists no essential or optional skills for this occupation.")
        return
    console.print(_skills_table("essential skills", detail.essential_skills))
    console.print(_skills_table("optional skills", detail.optional_skills))


@occupations_app.command("show")
@handle_errors
def show(
    uri_or_key: str = typer.Argument(
        ..., help="The occupation's URI, its key (the URI's last segment) or its exact label."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show an occupation: ISCO group, broader concepts, essential and optional skills."""
    with open_platform() as platform:
        matched = taxonomy.match_occupation(
            platform.uow(), taxonomy.label_index_cache(platform.caches), actor=Actor.system(), text=uri_or_key
        )
    detail = matched.detail
    if as_json:
        print_json({**asdict(detail), "has_skill_list": detail.has_skill_list, "matched": matched.notice})
        return
    if matched.notice:
        console.print(f"[bold]{escape(matched.notice)}.[/]", highlight=False)
    _print_detail(detail)
