"""``microcareer users``: create users (the password is read hidden or from stdin), list them, set roles,
lift sign-in locks."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor, Role, User
from microcareer.errors import InvalidInput
from microcareer.services import sessions, users

users_app = typer.Typer(help="Users and their platform roles.", no_args_is_help=True)


def read_password(from_stdin: bool) -> str:
    """The new password: first line of stdin, or typed twice at a prompt that does not echo it."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("password: nothing was read from stdin")
        return password
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


def user_row(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "is_active": user.is_active,
        "created_at": user.created_at.isoformat(),
    }


@users_app.command("create")
@handle_errors
def create(
    email: str = typer.Argument(..., help="The user's email address (their sign-in name)."),
    name: str = typer.Option(..., "--name", help="The name others see."),
    role: list[Role] = typer.Option(
        [Role.PROFESSIONAL], "--role", help="A platform role; repeat for several."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
) -> None:
    """Create a user with any roles (as the local operator)."""
    password = read_password(password_stdin)
    with open_platform() as platform:
        user = users.create_user(
            platform.uow(),
            actor=Actor.system(),
            email=email,
            display_name=name,
            password=password,
            roles=role,
            passwords=platform.passwords,
            clock=platform.clock,
            allow_signup=platform.settings.allow_signup,
        )
    console.print(f"created user {user.id}: {user.email} ({', '.join(sorted(user.roles))})")


@users_app.command("list")
@handle_errors
def list_(
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=1000, help="How many users to list."),
    offset: int = typer.Option(0, "--offset", min=0, help="How many to skip."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List users in the order they were created."""
    with open_platform() as platform:
        found, total = users.list_users(platform.uow(), actor=Actor.system(), offset=offset, limit=limit)
    if as_json:
        print_json({"total": total, "items": [user_row(u) for u in found]})
        return
    table = Table(title=f"{total:,} users", title_justify="left")
    for column in ("id", "email", "name", "roles", "active"):
        table.add_column(column)
    for user in found:
        active = "yes" if user.is_active else "no"
        table.add_row(str(user.id), user.email, user.display_name, ", ".join(sorted(user.roles)), active)
    console.print(table)


@users_app.command("set-roles")
@handle_errors
def set_roles(
    email: str = typer.Argument(..., help="The user's email address."),
    role: list[Role] = typer.Option(..., "--role", help="A platform role; repeat for several."),
) -> None:
    """Replace a user's platform roles."""
    with open_platform() as platform:
        user = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email)
        updated = users.set_roles(platform.uow(), actor=Actor.system(), user_id=user.id, roles=role)
    console.print(f"{updated.email}: {', '.join(sorted(updated.roles))}")


@users_app.command("unlock")
@handle_errors
def unlock(
    email: str | None = typer.Argument(None, help="The account's e-mail, as typed at sign-in."),
    address: str | None = typer.Option(None, "--address", help="A client address (IPv4 or IPv6) to unlock."),
) -> None:
    """Lift a sign-in lock now: forget the failed sign-ins of an account, of an address, or both."""
    with open_platform() as platform:
        cleared = sessions.unlock_sign_in(platform.uow(), actor=Actor.system(), email=email, address=address)
    console.print(f"unlocked {' and '.join(cleared)}; sign-in there is counted afresh")
