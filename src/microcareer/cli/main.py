"""The ``microcareer`` command: set-up, serving, and one sub-command group per feature."""

from __future__ import annotations

import os
import sys

import typer

from microcareer import __version__
from microcareer.cli import (
    achievements,
    contracts,
    credential_issuing,
    credentials,
    db,
    evaluation,
    extract,
    gap_analysis,
    issuers,
    jobs,
    occupations,
    orgs,
    profile_import,
    profiles,
    skills,
    taxonomy,
    tokens,
    users,
    wallet,
    work,
)
from microcareer.cli.output import err_console

app = typer.Typer(
    name="microcareer",
    help="Careers built from microcompetencies, microcredentials and micro-jobs, on the ESCO skills graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"microcareer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Careers built from microcompetencies, microcredentials and micro-jobs."""


db.register(app)
taxonomy.register(app)
extract.register(app)
app.add_typer(skills.skills_app, name="skills")
app.add_typer(occupations.occupations_app, name="occupations")
app.add_typer(users.users_app, name="users")
app.add_typer(tokens.tokens_app, name="tokens")
app.add_typer(orgs.orgs_app, name="orgs")
app.add_typer(evaluation.eval_app, name="eval")
app.add_typer(credentials.credentials_app, name="credentials")
credential_issuing.register(credentials.credentials_app)
app.add_typer(issuers.issuers_app, name="issuers")
app.add_typer(achievements.achievements_app, name="achievements")
app.add_typer(profiles.profile_app, name="profile")
profile_import.register(profiles.profile_app)
gap_analysis.register(app)
app.add_typer(wallet.wallet_app, name="wallet")
app.add_typer(work.work_app, name="work")
app.add_typer(jobs.jobs_app, name="jobs")
app.add_typer(contracts.contracts_app, name="contracts")


def main() -> None:
    """Run the command; a bug shows as one line (the traceback only with ``MICROCAREER_DEBUG=1``)."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("[bold red]interrupted[/]", highlight=False)
        sys.exit(130)
    except Exception as exc:  # a bug: every expected failure is a MicrocareerError, handled per command
        if os.environ.get("MICROCAREER_DEBUG"):
            raise
        err_console.print(
            f"[bold red]error:[/] unexpected {type(exc).__name__}: {exc}. This is a bug in microcareer: "
            "please report it; set MICROCAREER_DEBUG=1 to see where it happened.",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
