"""``microcareer tokens``: personal access tokens for the API (shown once), listed and revoked."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.table import Table

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, err_console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.services import tokens, users

tokens_app = typer.Typer(help="API tokens (personal access tokens).", no_args_is_help=True)


@tokens_app.command("create")
@handle_errors
def create(
    user: str = typer.Option(..., "--user", help="Email of the user the token acts for."),
    name: str = typer.Option(..., "--name", help="What the token is for."),
    expires_days: int | None = typer.Option(
        None,
        "--expires-days",
        min=1,
        max=3650,
        help="Days until it stops working (default: MICROCAREER_TOKEN_DEFAULT_DAYS); every token expires.",
    ),
) -> None:
    """Create a token and print it once, alone on stdout (it is not stored and cannot be shown again)."""
    with open_platform() as platform:
        owner = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=user)
        issued = tokens.create_token(
            platform.uow(),
            actor=Actor.system(),
            user_id=owner.id,
            name=name,
            expires_days=expires_days,
            default_days=platform.settings.token_default_days,
            clock=platform.clock,
        )
    expiry = (
        issued.token.expires_at.isoformat()
        if issued.token.expires_at
        else "never (made before tokens expired)"
    )
    err_console.print(
        f"token {issued.token.id} for {owner.email} (expires: {expiry}); store it now, it is shown once:"
    )
    typer.echo(issued.plaintext)


@tokens_app.command("list")
@handle_errors
def list_(
    user: str = typer.Option(..., "--user", help="Email of the user."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """A user's tokens: prefix, name, dates; never the token itself."""
    with open_platform() as platform:
        owner = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=user)
        found = tokens.list_tokens(platform.uow(), actor=Actor.system(), user_id=owner.id)
    if as_json:
        print_json([asdict(token) for token in found])
        return
    table = Table(title=f"{len(found)} tokens of {owner.email}", title_justify="left")
    for column in ("id", "prefix", "name", "created", "expires", "last used", "revoked"):
        table.add_column(column)
    for token in found:
        dates = (token.created_at, token.expires_at, token.last_used_at, token.revoked_at)
        shown = [d.strftime("%Y-%m-%d %H:%M") if d else "-" for d in dates]
        table.add_row(str(token.id), token.prefix + "...", token.name, *shown)
    console.print(table)


@tokens_app.command("revoke")
@handle_errors
def revoke(
    token_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="The token's id (see `tokens list`)."),
) -> None:
    """Revoke a token: it stops working at once."""
    with open_platform() as platform:
        token = tokens.revoke_token(
            platform.uow(), actor=Actor.system(), token_id=token_id, clock=platform.clock
        )
    console.print(f"revoked token {token.id} ({token.prefix}..., {token.name})")
