"""The ``microcareer`` command: set-up, serving, and one sub-command group per feature."""

from __future__ import annotations

import os
import sys

import typer

from microcareer import __version__
from microcareer.cli.lazy_group import LazyCommand, LazyGroup
from microcareer.cli.output import err_console

# Each group's module is imported when the group runs (or its help is asked for), not at start-up.


def _db(app: typer.Typer) -> None:
    from microcareer.cli import db

    db.register(app)


def _extract(app: typer.Typer) -> None:
    from microcareer.cli import extract

    extract.register(app)


def _gap_analysis(app: typer.Typer) -> None:
    from microcareer.cli import gap_analysis

    gap_analysis.register(app)


def _taxonomy(app: typer.Typer) -> None:
    from microcareer.cli import taxonomy

    taxonomy.register(app)


def _skills(app: typer.Typer) -> None:
    from microcareer.cli import skills

    app.add_typer(skills.skills_app, name="skills")


def _occupations(app: typer.Typer) -> None:
    from microcareer.cli import occupations

    app.add_typer(occupations.occupations_app, name="occupations")


def _users(app: typer.Typer) -> None:
    from microcareer.cli import users

    app.add_typer(users.users_app, name="users")


def _tokens(app: typer.Typer) -> None:
    from microcareer.cli import tokens

    app.add_typer(tokens.tokens_app, name="tokens")


def _orgs(app: typer.Typer) -> None:
    from microcareer.cli import orgs

    app.add_typer(orgs.orgs_app, name="orgs")


def _eval(app: typer.Typer) -> None:
    from microcareer.cli import evaluation

    app.add_typer(evaluation.eval_app, name="eval")


def _credentials(app: typer.Typer) -> None:
    from microcareer.cli import credential_issuing, credentials

    app.add_typer(credentials.credentials_app, name="credentials")
    credential_issuing.register(credentials.credentials_app)


def _issuers(app: typer.Typer) -> None:
    from microcareer.cli import issuers

    app.add_typer(issuers.issuers_app, name="issuers")


def _achievements(app: typer.Typer) -> None:
    from microcareer.cli import achievements

    app.add_typer(achievements.achievements_app, name="achievements")


def _profile(app: typer.Typer) -> None:
    from microcareer.cli import profile_import, profiles

    app.add_typer(profiles.profile_app, name="profile")
    profile_import.register(profiles.profile_app)


def _wallet(app: typer.Typer) -> None:
    from microcareer.cli import wallet

    app.add_typer(wallet.wallet_app, name="wallet")


def _work(app: typer.Typer) -> None:
    from microcareer.cli import work

    app.add_typer(work.work_app, name="work")


def _match(app: typer.Typer) -> None:
    from microcareer.cli import matching

    app.add_typer(matching.match_app, name="match")


def _jobs(app: typer.Typer) -> None:
    from microcareer.cli import jobs

    app.add_typer(jobs.jobs_app, name="jobs")


def _plan(app: typer.Typer) -> None:
    from microcareer.cli import pathways

    app.add_typer(pathways.plan_app, name="plan")


def _contracts(app: typer.Typer) -> None:
    from microcareer.cli import contracts

    app.add_typer(contracts.contracts_app, name="contracts")


def _network(app: typer.Typer) -> None:
    from microcareer.cli import network

    app.add_typer(network.network_app, name="network")


def _ideas(app: typer.Typer) -> None:
    from microcareer.cli import ideas

    app.add_typer(ideas.ideas_app, name="ideas")


def _mentor(app: typer.Typer) -> None:
    from microcareer.cli import mentoring

    app.add_typer(mentoring.mentor_app, name="mentor")


def _portfolio(app: typer.Typer) -> None:
    from microcareer.cli import portfolio

    app.add_typer(portfolio.portfolio_app, name="portfolio")


def _offers(app: typer.Typer) -> None:
    from microcareer.cli import offers

    app.add_typer(offers.offers_app, name="offers")


def _assessments(app: typer.Typer) -> None:
    from microcareer.cli import assessments

    app.add_typer(assessments.assessments_app, name="assessments")


def _market(app: typer.Typer) -> None:
    from microcareer.cli import market

    app.add_typer(market.market_app, name="market")


# The order of ``microcareer --help``; each line is the command's first help paragraph (a test checks).
COMMANDS: dict[str, LazyCommand] = {
    "init": LazyCommand("Create or upgrade the database and load the bundled ESCO taxonomy (once).", _db),
    "serve": LazyCommand("Serve the API and the web pages.", _db),
    "extract": LazyCommand(
        "Find ESCO skills in texts: each mention with its span and confidence, and each document's "
        "skill set.",
        _extract,
    ),
    "gap": LazyCommand(
        "The gap from a profile to an occupation (or a list of skills, or a micro-job), ranked, with "
        "the fit\nexplained.",
        _gap_analysis,
    ),
    "closest": LazyCommand(
        "The occupations a profile is closest to, best fit first, with the skills that bring them close.",
        _gap_analysis,
    ),
    "shape": LazyCommand(
        "The shape of a career (depth versus breadth, T-shape) and the skills going stale.", _gap_analysis
    ),
    "db": LazyCommand("The database: schema migrations.", _db),
    "taxonomy": LazyCommand("The ESCO skills taxonomy: import a download, see what is loaded.", _taxonomy),
    "skills": LazyCommand("ESCO skills and organisations' own skills.", _skills),
    "occupations": LazyCommand("ESCO occupations and the skills they need.", _occupations),
    "users": LazyCommand("Users and their platform roles.", _users),
    "tokens": LazyCommand("API tokens (personal access tokens).", _tokens),
    "orgs": LazyCommand("Organisations and their members.", _orgs),
    "eval": LazyCommand("Evaluate components on labelled data.", _eval),
    "credentials": LazyCommand(
        "Verifiable credentials (Open Badges 3.0, W3C VC): verify them.", _credentials
    ),
    "issuers": LazyCommand("Credential issuers and their signing keys (Open Badges 3.0).", _issuers),
    "achievements": LazyCommand(
        "Achievements: the microcredentials an issuer defines and awards.", _achievements
    ),
    "profile": LazyCommand(
        "A person's profile and skills (as the local operator; --user names the person).", _profile
    ),
    "wallet": LazyCommand(
        "A person's credential wallet (as the local operator; --user names the person).", _wallet
    ),
    "work": LazyCommand(
        "A professional's dashboard and work settings (as the local operator; --user names the person).",
        _work,
    ),
    "jobs": LazyCommand(
        "Micro-jobs: post, list, apply, shortlist, approve and accept (as the user --user names).", _jobs
    ),
    "match": LazyCommand(
        "Matching: people for a micro-job, micro-jobs for a person (fit now, stretch, internal).", _match
    ),
    "contracts": LazyCommand(
        "Contracts: milestones, hourly time, money, disputes and reviews (as the user --user names).",
        _contracts,
    ),
    "plan": LazyCommand(
        "Learning pathways: which steps close a gap, in what order, at what cost (--user names the person).",
        _plan,
    ),
    "network": LazyCommand(
        "Your network: connections and how you know them, blocks, introductions, referrals (as --user).",
        _network,
    ),
    "mentor": LazyCommand(
        "Mentoring: offer it, find mentors, ask, record sessions, complete (as --user).", _mentor
    ),
    "ideas": LazyCommand(
        "An organisation's ideas: pitch, support, join, sponsor, make internal gigs, outcome (as --user).",
        _ideas,
    ),
    "portfolio": LazyCommand("Your public portfolio page: settings, items, export (as --user).", _portfolio),
    "offers": LazyCommand(
        "Service offers: publish packages, browse, order, deliver, accept (as --user).", _offers
    ),
    "assessments": LazyCommand(
        "Skill assessments: set them, take them, score work samples, require them for jobs (as --user).",
        _assessments,
    ),
    "market": LazyCommand(
        "Labour-market intelligence from job postings: ingest, demand, trends, charts and exports.", _market
    ),
}


class Commands(LazyGroup):
    lazy_commands = COMMANDS


app = typer.Typer(
    name="microcareer",
    help="Careers built from microcompetencies, microcredentials and micro-jobs, on the ESCO skills graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    cls=Commands,
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
