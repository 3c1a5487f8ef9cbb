"""``microcareer skills``: search skills, show one with its neighbourhood, add an organisation's own."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.api.schemas.skills import SkillNamePublic
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation, SkillDetail
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.errors import NotFound
from microcareer.services import skill_names, taxonomy

skills_app = typer.Typer(help="ESCO skills and organisations' own skills.", no_args_is_help=True)


@skills_app.command("search")
@handle_errors
def search(
    query: str = typer.Argument(..., help="Words of a skill's label; typos are tolerated."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200, help="How many skills to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Search skills by label: exact matches first, then prefixes, word prefixes, typos."""
    with open_platform() as platform:
        page = taxonomy.search_skills(
            platform.uow(),
            taxonomy.label_index_cache(platform.caches),
            actor=Actor.system(),
            query=query,
            limit=limit,
        )
        found = skill_names.suggest_skills(
            platform.uow(), platform.caches, platform.lexicons, actor=Actor.system(), name=query
        )
    if as_json:
        print_json({"total": page.total, "items": [asdict(hit) for hit in page.hits]})
        return
    for named in skill_names.named_not_by_label(found):  # as the web's search shows them, first
        console.print(
            f"{escape(query)!r} names [bold]{escape(named.skill.preferred_label)}[/] ({escape(named.why)})",
            highlight=False,
        )
    table = Table(title=f"{page.total:,} skills match {query!r}", title_justify="left")
    for column in ("skill", "matched label", "match", "type", "key"):
        table.add_column(column, no_wrap=column == "key")
    for hit in page.hits:
        skill = hit.concept
        matched = hit.matched_label if hit.matched_label != skill.preferred_label else ""
        kind = skill.skill_type or skill.concept_type.value
        if skill.organisation_id is not None:
            kind = f"organisation {skill.organisation_id}"
        table.add_row(skill.preferred_label, matched, hit.match_kind.value, kind, concept_key(skill.uri))
    console.print(table)


def _print_detail(detail: SkillDetail) -> None:
    skill = detail.skill
    console.print(f"[bold]{skill.preferred_label}[/]  [dim]{skill.uri}[/]")
    facts = [skill.skill_type or skill.concept_type.value, skill.reuse_level, *skill.collections]
    console.print(" · ".join(fact for fact in facts if fact), highlight=False)
    if skill.description:
        console.print(skill.description, highlight=False)
    if skill.alt_labels:
        console.print(f"[dim]also:[/] {'; '.join(skill.alt_labels)}", highlight=False)
    for chain in detail.broader_chain:
        console.print("[dim]broader:[/] " + " > ".join(ref.preferred_label for ref in chain), highlight=False)
    console.print(
        f"needed by {detail.occupations_essential:,} occupations as essential, "
        f"{detail.occupations_optional:,} as optional"
    )
    if detail.narrower:
        console.print("[dim]narrower:[/] " + "; ".join(r.preferred_label for r in detail.narrower))
    if detail.related:
        table = Table(title="related skills", title_justify="left")
        table.add_column("relation")
        table.add_column("skill")
        table.add_column("key", no_wrap=True)
        for linked in detail.related:
            table.add_row(linked.relation, linked.skill.preferred_label, concept_key(linked.skill.uri))
        console.print(table)


@skills_app.command("resolve")
@handle_errors
def resolve(
    name: str = typer.Argument(..., help="A skill's name as people write it: Docker, python, SQL, ..."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=50, help="How many candidates to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (as the API gives it) instead."),
) -> None:
    """What a skill's name stands for: the skill it names, or the candidates, each with why it matched
    (how `profile skill add`, jobs and achievements read a name)."""
    with open_platform() as platform:
        found = skill_names.suggest_skills(
            platform.uow(), platform.caches, platform.lexicons, actor=Actor.system(), name=name, limit=limit
        )
    if as_json:
        print_json(SkillNamePublic.of(found).model_dump(mode="json"))
        return
    if found.chosen is not None:
        console.print(
            f"{found.name!r} names [bold]{escape(found.chosen.skill.preferred_label)}[/] "
            f"({escape(found.chosen.why)}) {concept_key(found.chosen.skill.uri)}",
            highlight=False,
        )
    else:
        console.print(escape(str(skill_names.unknown_name(found))), highlight=False)
    table = Table(title="candidates, best first", title_justify="left")
    for column in ("skill", "why", "key"):
        table.add_column(column, no_wrap=column == "key")
    for candidate in found.candidates:
        table.add_row(candidate.skill.preferred_label, candidate.why, concept_key(candidate.skill.uri))
    console.print(table)


@skills_app.command("show")
@handle_errors
def show(
    uri_or_key: str = typer.Argument(
        ..., help="The skill's URI, its key (the URI's last segment) or its name (a label, a tool name)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show a skill: labels, broader chains, narrower and related skills, occupations that need it."""
    with open_platform() as platform:
        detail = skill_names.resolve_skill(
            platform.uow(), platform.caches, platform.lexicons, actor=Actor.system(), text=uri_or_key
        )
    if as_json:
        print_json(asdict(detail))
        return
    _print_detail(detail)


@skills_app.command("add")
@handle_errors
def add(
    label: str = typer.Argument(..., help="The new skill's preferred label."),
    org: str | None = typer.Option(None, "--org", help="The organisation's slug."),
    org_id: int | None = typer.Option(None, "--org-id", help="The organisation's id (instead of --org)."),
    narrower: list[str] = typer.Option([], "--narrower", help="URI of a skill the new one is narrower than."),
    related: list[str] = typer.Option([], "--related", help="URI of a skill the new one is related to."),
    alt: list[str] = typer.Option([], "--alt", help="An alternative label (repeatable)."),
    description: str = typer.Option("", "--description", help="What the skill is."),
) -> None:
    """Add an organisation's own skill, linked to existing skills (as the local operator)."""
    if (org is None) == (org_id is None):
        raise typer.BadParameter("give the organisation as --org SLUG or --org-id ID (one of them)")
    links = [(uri, OrgLinkRelation.NARROWER) for uri in narrower]
    links += [(uri, OrgLinkRelation.RELATED) for uri in related]
    with open_platform() as platform:
        organisation_id = org_id
        if org is not None:
            with platform.uow() as uow:
                found = uow.accounts.get_organisation_by_slug(org)
            if found is None:
                raise NotFound(f"no organisation has the slug {org!r}", slug=org)
            organisation_id = found.id
        assert organisation_id is not None
        skill = taxonomy.add_org_skill(
            platform.uow(),
            actor=Actor.system(),
            clock=platform.clock,
            organisation_id=organisation_id,
            label=label,
            alt_labels=alt,
            description=description,
            links=links,
        )
    console.print(f"added {skill.preferred_label!r}: {skill.uri}", highlight=False)
