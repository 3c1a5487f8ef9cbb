"""The ``microcareer`` command: set-up, serving, and one sub-command group per feature."""

from __future__ import annotations

import typer

from microcareer import __version__
from microcareer.cli import db, evaluation, extract, occupations, orgs, skills, taxonomy, tokens, users

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


def main() -> None:
    app()
