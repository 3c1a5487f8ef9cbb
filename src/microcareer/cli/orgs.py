"""``microcareer orgs``: create organisations and manage who is in them."""

from __future__ import annotations

import typer
from rich.table import Table

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.services import organisations, users

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
