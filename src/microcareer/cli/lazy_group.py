"""A Typer group whose sub-commands are imported when first used: ``microcareer --help`` and
``microcareer extract`` do not pay for the credential and marketplace modules (cryptography, pyld,
httpx, jsonschema, the tables).

Click's documented pattern for lazy sub-commands (``list_commands`` / ``get_command``): each name maps to
a ``LazyCommand`` (its one-line help, shown in the group's help without importing anything, and the
function that registers it on a Typer app). The group's own help and shell completion of its names use
that line; running a command, or asking for its help, imports its module. ``tests/unit/test_cli_lazy.py``
keeps every line equal to the command's real help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Any

import typer
from typer import _click as click  # Typer's own copy of click, which its groups are built on
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

Registrar = Callable[[typer.Typer], None]


@dataclass(frozen=True)
class LazyCommand:
    """A sub-command by its first help paragraph and the function that adds it to a Typer app."""

    help: str
    register: Registrar


@cache
def registered(register: Registrar) -> TyperGroup:
    """The click commands ``register`` adds, built once per process (a registrar may add commands to
    a module's own Typer app, which must happen once)."""
    holder = typer.Typer()
    register(holder)
    return typer.main.get_group(holder)


class LazyGroup(TyperGroup):
    """Set ``commands`` (name → ``LazyCommand``, in the order of the help) on a subclass."""

    lazy_commands: Mapping[str, LazyCommand] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False  # while true, names resolve to their help line only: nothing is imported

    def list_commands(self, ctx: click.Context) -> list[str]:
        eager = [name for name in super().list_commands(ctx) if name not in self.lazy_commands]
        return [*self.lazy_commands, *eager]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, help=lazy.help)
        command = registered(lazy.register).commands[cmd_name]
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with self._names_only():
            super().format_help(ctx, formatter)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        with self._names_only():
            return super().shell_complete(ctx, incomplete)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:  # Typer's suggestions read ``commands``: only those loaded
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches and "Did you mean" not in error.message:
                suggestions = ", ".join(f"{match!r}" for match in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    @contextmanager
    def _names_only(self) -> Iterator[None]:
        before, self._listing = self._listing, True
        try:
            yield
        finally:
            self._listing = before
