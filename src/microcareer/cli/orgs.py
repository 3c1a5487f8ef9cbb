"""``microcareer orgs``: create organisations, manage who is in them, see their skills and gaps."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.services import org_skills, organisations, users, work_dashboard

orgs_app = typer.Typer(help="Organisations and their members.", no_args_is_help=True)


@orgs_app.command("create")
@handle_errors
def create(
    slug: str = typer.Argument(..., help="3-64 of a-z, 0-9 and hyphens; used in URLs."),
    name: str = typer.Option(..., "--name", help="The organisation's name."),
    admin: str = typer.Option(..., "--admin", help="Email of its first admin."),
) -> None:
    """Create an organisation with its first admin."""
    with open_platform() as platform:
        user = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=admin)
        organisation = organisations.create_organisation(
            platform.uow(),
            actor=Actor.system(),
            slug=slug,
            name=name,
            clock=platform.clock,
            admin_user_id=user.id,
        )
    console.print(f"created organisation {organisation.slug} ({organisation.name}); admin: {user.email}")


@orgs_app.command("add-member")
@handle_errors
def add_member(
    slug: str = typer.Argument(..., help="The organisation's slug."),
    email: str = typer.Argument(..., help="Email of the user to add."),
    role: OrgRole = typer.Option(OrgRole.MEMBER, "--role", help="member or admin."),
) -> None:
    """Add a user to an organisation, or change their role there."""
    with open_platform() as platform:
        user = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email)
        member = organisations.add_member(
            platform.uow(), actor=Actor.system(), slug=slug, user_id=user.id, role=role, clock=platform.clock
        )
    console.print(f"{member.user.email} is now {member.role.value} of {slug}")


@orgs_app.command("remove-member")
@handle_errors
def remove_member(
    slug: str = typer.Argument(..., help="The organisation's slug."),
    email: str = typer.Argument(..., help="Email of the user to remove."),
) -> None:
    """Take a user out of an organisation (its last admin stays)."""
    with open_platform() as platform:
        user = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email)
        organisations.remove_member(platform.uow(), actor=Actor.system(), slug=slug, user_id=user.id)
    console.print(f"{user.email} left {slug}")


@orgs_app.command("set-manager")
@handle_errors
def set_manager(
    email: str = typer.Argument(..., help="Email of the employee."),
    manager: str | None = typer.Option(
        None,
        "--manager",
        help="Email of their manager; leave out to clear (the organisation's admins approve).",
    ),
) -> None:
    """Name who approves an employee's internal gigs (as the local operator)."""
    with open_platform() as platform:
        person = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email)
        boss = (
            None
            if manager is None
            else users.find_user_by_email(platform.uow(), actor=Actor.system(), email=manager)
        )
        work_dashboard.set_manager(
            platform.uow(),
            actor=Actor.system(),
            user_id=person.id,
            manager_user_id=None if boss is None else boss.id,
            now=platform.clock(),
        )
    console.print(
        f"{person.email}: internal gigs approved by {boss.email if boss else 'the organisation admins'}"
    )


@orgs_app.command("members")
@handle_errors
def members(slug: str = typer.Argument(..., help="The organisation's slug.")) -> None:
    """List an organisation's members."""
    with open_platform() as platform:
        found = organisations.list_members(platform.uow(), actor=Actor.system(), slug=slug)
    table = Table(title=f"{len(found)} members of {slug}", title_justify="left")
    for column in ("user", "email", "name", "role"):
        table.add_column(column)
    for member in found:
        user = member.user
        table.add_row(str(user.id), user.email, user.display_name, member.role.value)
    console.print(table)


@orgs_app.command("skills")
@handle_errors
def skills(
    slug: str = typer.Argument(..., help="The organisation's slug."),
    limit: int = typer.Option(30, "--limit", "-n", min=1, help="How many skills to list."),
) -> None:
    """The skills inventory of an organisation's members (as the operator: private profiles count too)."""
    with open_platform() as platform:
        inventory = org_skills.skills_inventory(
            platform.uow(),
            actor=Actor.system(),
            slug=slug,
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
    count = inventory.count
    table = Table(
        title=f"{len(inventory.skills)} skills held by {count.shown} of {count.members} members of {slug}",
        title_justify="left",
    )
    for column in ("skill", "members", "levels 1-5", "mean confidence", "who (level)"):
        table.add_column(column)
    for skill in inventory.skills[:limit]:
        who = ", ".join(f"{h.display_name} ({h.proficiency})" for h in skill.holders[:5])
        more = f" +{len(skill.holders) - 5}" if len(skill.holders) > 5 else ""
        table.add_row(
            skill.label,
            str(len(skill.holders)),
            " ".join(str(n) for n in skill.levels),
            f"{skill.mean_confidence:.2f}",
            who + more,
        )
    console.print(table)
    if count.left_out:
        console.print(
            f"{count.left_out} members keep their profiles private and are left out", highlight=False
        )


@orgs_app.command("gap")
@handle_errors
def gap(
    slug: str = typer.Argument(..., help="The organisation's slug."),
    role: list[str] = typer.Option(
        ..., "--role", "-r", help="A target role: ESCO occupation URI, key or exact label (repeatable)."
    ),
) -> None:
    """Who could grow into what: for each target role, the members ranked by fit, with what they lack."""
    from microcareer.services import gap_analysis, taxonomy

    with open_platform() as platform:
        result = org_skills.organisation_gap(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            taxonomy.label_index_cache(platform.caches),
            actor=Actor.system(),
            slug=slug,
            roles=role,
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
    for target in result.roles:
        if target.matched:
            console.print(f"[bold]{escape(target.matched)}.[/]", highlight=False)
        if target.note:
            console.print(f"{target.label}: {target.note}", highlight=False)
            continue
        table = Table(title=f"{target.label}: {len(target.candidates)} members", title_justify="left")
        for column in ("member", "fit", "covered", "partial", "missing", "top missing essential skills"):
            table.add_column(column)
        for candidate in target.candidates:
            parts = candidate.breakdown
            table.add_row(
                candidate.display_name,
                f"{candidate.fit:.2f}",
                str(parts.covered),
                str(parts.partial),
                str(parts.missing),
                "; ".join(candidate.top_missing),
            )
        console.print(table)
    if result.count.left_out:
        console.print(
            f"{result.count.left_out} members keep their profiles private and are left out", highlight=False
        )
