"""The bad rows of a rejected CSV batch (issuing, revoking), one ``FILE:LINE: COLUMN: message`` each."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

from microcareer.cli.output import err_console
from microcareer.domain.credentials.issue_rows import BatchRejected


def print_row_errors(rejected: BatchRejected, source: str, *, outcome: str = "nothing was issued") -> None:
    """Each bad row as ``FILE:LINE: COLUMN: message`` on stderr, then what (did not) happen."""
    rows: list[dict[str, Any]] = rejected.extra.get("rows", [])
    for row in rows:
        column = f"{row['column']}: " if row.get("column") else ""
        typer.echo(f"{source}:{row['line']}: {column}{row['message']}", err=True)
    err_console.print(
        f"[bold red]error:[/] {len(rows)} bad rows in {escape(source)}; {outcome}",
        highlight=False,
        emoji=False,
    )
