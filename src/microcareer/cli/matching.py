"""``microcareer match``: people for a micro-job, micro-jobs for a person, saving and dismissing.

``match people JOB`` acts as ``--user`` (the job's poster, an admin of its organisation) or as the local
operator; ``match jobs`` lists the three lists (fit now, stretch, internal) for ``--for EMAIL`` or, by
default, for the ``--user`` acting; ``match save/dismiss/forget JOB`` mark a recommendation for them.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.matching.scoring import Match
from microcareer.services import gap_analysis, matching, users
from microcareer.services.matching import JobResult, Mark

match_app = typer.Typer(
    help="Matching: people for a micro-job, micro-jobs for a person (fit now, stretch, internal).",
    no_args_is_help=True,
)
JSON_HELP = "Print JSON instead of text."
FOR_HELP = "The person whose recommendations to list or mark (default: the --user acting)."


def match_json(found: Match) -> dict[str, Any]:
    return {
        "score": found.score,
        "skills_score": found.skills_score,
        "skills": [
            {
                "uri": s.uri,
                "label": s.label,
                "required": s.required,
                "coverage": s.coverage,
                "how": s.how.value,
                "link": s.link.value if s.link else None,
                "via": s.source if s.link and s.how.value == "related" else None,
                "through": s.through,
                "explanation": s.line,
            }
            for s in found.skills
        ],
        "factors": [{"name": f.name, "value": round(f.value, 4), "note": f.note} for f in found.factors],
    }


def _person(platform: Platform, actor: Actor, email: str | None) -> int:
    if email is not None:
        return users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email).id
    if actor.user_id is None:
        raise typer.BadParameter("give --for EMAIL or --user EMAIL: whose recommendations")
    return actor.user_id


@match_app.command("people")
@handle_errors
def people(
    job_id: int = typer.Argument(..., help="The micro-job's id."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=matching.LIMIT_MAX, help="How many people."),
    language: list[str] = typer.Option([], "--language", help="A language the work needs (repeat for more)."),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """The best people for a job you manage, each with the skills matched, how, and what is missing."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        found = matching.people_for_job(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            job_id=job_id,
            today=platform.clock().date(),
            limit=limit,
            languages=language,
            policy=platform.evidence_policy,
            index=platform.candidate_index,
        )
    if as_json:
        print_json(
            {
                "job_id": job_id,
                "considered": found.considered,
                "items": [
                    {"user_id": p.user_id, "display_name": p.display_name, **match_json(p.match)}
                    for p in found.people
                ],
            }
        )
        return
    table = Table(title=f"{len(found.people)} people for job {job_id}", title_justify="left")
    for column in ("person", "score", "why"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for p in found.people:
        table.add_row(escape(p.display_name), f"{p.match.score:.2f}", escape("; ".join(p.match.explanation)))
    console.print(table)
    if not found.people:
        console.print("nobody you may see holds a skill leading to this job", highlight=False)


def _job_row(result: JobResult) -> dict[str, Any]:
    return {
        "job_id": result.job.id,
        "title": result.job.job.title,
        "kind": result.kind.value,
        "would_add": list(result.would_add),
        "saved": result.saved,
        **match_json(result.match),
    }


@match_app.command("jobs")
@handle_errors
def jobs(
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=matching.LIMIT_MAX, help="How many a list."),
    person: str | None = typer.Option(None, "--for", help=FOR_HELP),
    user: str | None = acting_user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Micro-jobs for a person: fit now, stretch (with the skills each would add), internal gigs."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        found = matching.jobs_for_person(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=actor,
            user_id=_person(platform, actor, person),
            today=platform.clock().date(),
            limit=limit,
            policy=platform.evidence_policy,
            index=platform.job_index,
        )
    lists = {"fit_now": found.fit_now, "stretch": found.stretch, "internal": found.internal}
    if as_json:
        print_json(
            {
                "user_id": found.user_id,
                **{name: [_job_row(r) for r in results] for name, results in lists.items()},
                "saved": list(found.saved),
                "dismissed": found.dismissed,
            }
        )
        return
    for name, results in lists.items():
        table = Table(title=f"{name.replace('_', ' ')}: {len(results)}", title_justify="left")
        for column in ("job", "title", "score", "would add", "why"):
            table.add_column(column, justify="right" if column in ("job", "score") else "left")
        for r in results:
            title = ("★ " if r.saved else "") + r.job.job.title
            table.add_row(
                str(r.job.id),
                escape(title),
                f"{r.match.score:.2f}",
                escape(", ".join(r.would_add)),
                escape("; ".join(s.line for s in r.match.skills)),
            )
        console.print(table)
    if found.dismissed:
        console.print(f"{found.dismissed} dismissed job(s) left out", highlight=False)


def _mark(job_id: int, mark: Mark | None, person: str | None, user: str | None) -> None:
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        user_id = _person(platform, actor, person)
        matching.mark_job(
            platform.uow(), actor=actor, user_id=user_id, job_id=job_id, mark=mark, now=platform.clock()
        )
    said = {Mark.SAVED: "saved", Mark.DISMISSED: "dismissed", None: "mark removed from"}[mark]
    console.print(f"{said} job {job_id}", highlight=False)


@match_app.command("save")
@handle_errors
def save(
    job_id: int = typer.Argument(..., help="The micro-job's id."),
    person: str | None = typer.Option(None, "--for", help=FOR_HELP),
    user: str | None = acting_user_option(),
) -> None:
    """Save a recommended job to come back to."""
    _mark(job_id, Mark.SAVED, person, user)


@match_app.command("dismiss")
@handle_errors
def dismiss(
    job_id: int = typer.Argument(..., help="The micro-job's id."),
    person: str | None = typer.Option(None, "--for", help=FOR_HELP),
    user: str | None = acting_user_option(),
) -> None:
    """Dismiss a recommended job: it is left out of the lists from now on."""
    _mark(job_id, Mark.DISMISSED, person, user)


@match_app.command("forget")
@handle_errors
def forget(
    job_id: int = typer.Argument(..., help="The micro-job's id."),
    person: str | None = typer.Option(None, "--for", help=FOR_HELP),
    user: str | None = acting_user_option(),
) -> None:
    """Remove a saved or dismissed mark."""
    _mark(job_id, None, person, user)
