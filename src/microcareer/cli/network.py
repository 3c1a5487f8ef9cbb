"""``microcareer network``: connections and how you know each person, blocks, who sees your
connections, who can introduce you to someone with a skill, and referrals.

Every command acts as the person ``--user EMAIL`` names (or ``MICROCAREER_USER``), with their roles,
so the same rules hold as on the web and the API. Other people are named by e-mail.
"""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from microcareer.api.schemas.network import (
    ConnectionPublic,
    IntroductionPublic,
    ProposalPublic,
    ReferralPublic,
)
from microcareer.cli.acting import acting_as
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_option
from microcareer.domain.network.connections import ConnectionsVisibility
from microcareer.services import connections, introductions, referrals

network_app = typer.Typer(
    help="Your network: connections and how you know them, blocks, introductions, referrals (as --user).",
    no_args_is_help=True,
)

ID_MAX = 2**31 - 1
JSON_HELP = "Print JSON instead of text."


@network_app.command("list")
@handle_errors
def list_(
    of: str | None = typer.Option(
        None, "--of", help="Someone else's connections (their e-mail), as they allow."
    ),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Connections with how you know each person; your own list shows pending requests too."""
    with acting_as(user) as me:
        owner = me.person(of) if of else me.user_id
        found = connections.connections(me.uow(), actor=me.actor, user_id=owner)
    if as_json:
        print_json([ConnectionPublic.of(v).model_dump(mode="json") for v in found])
        return
    if not found:
        console.print("no connections yet")
        return
    table = Table()
    for column in ("id", "person", "state", "how you know them"):
        table.add_column(column)
    for view in found:
        state = "asks you" if view.incoming else view.state.value
        table.add_row(str(view.id), escape(view.other_name), state, escape("\n".join(view.how)))
    console.print(table)


@network_app.command("proposals")
@handle_errors
def proposals(
    user: str = user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)
) -> None:
    """People you worked with (same contract, organisation, internal gig, mentorship), not yet connected."""
    with acting_as(user) as me:
        found = connections.proposals(me.uow(), actor=me.actor, user_id=me.user_id)
    if as_json:
        print_json([ProposalPublic.of(p).model_dump(mode="json") for p in found])
        return
    for proposal in found:
        console.print(
            f"[bold]{escape(proposal.name)}[/] (user {proposal.user_id}): {escape('; '.join(proposal.how))}",
            highlight=False,
        )
    if not found:
        console.print("no one to propose: nobody you worked with is left unconnected")


@network_app.command("connect")
@handle_errors
def connect(
    email: str = typer.Argument(..., help="Whom to ask (their e-mail)."),
    message: str = typer.Option("", "--message", "-m", help="A line on how you know them."),
    user: str = user_option(),
) -> None:
    """Ask someone to connect (a request they had sent you is accepted instead)."""
    with acting_as(user) as me:
        made = connections.request(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            other_id=me.person(email),
            message=message,
            now=me.now(),
        )
    console.print(f"connection {made.id}: {made.state.value}", highlight=False)


@network_app.command("accept")
@handle_errors
def accept(
    connection_id: int = typer.Argument(..., min=1, max=ID_MAX, help="The request's id."),
    user: str = user_option(),
) -> None:
    with acting_as(user) as me:
        connections.accept(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            connection_id=connection_id,
            now=me.now(),
        )
    console.print(f"connection {connection_id}: accepted", highlight=False)


@network_app.command("decline")
@handle_errors
def decline(
    connection_id: int = typer.Argument(..., min=1, max=ID_MAX, help="The request's id."),
    user: str = user_option(),
) -> None:
    with acting_as(user) as me:
        connections.decline(me.uow(), actor=me.actor, user_id=me.user_id, connection_id=connection_id)
    console.print(f"request {connection_id}: declined", highlight=False)


@network_app.command("remove")
@handle_errors
def remove(
    email: str = typer.Argument(..., help="The person (their e-mail)."), user: str = user_option()
) -> None:
    """End a connection, or withdraw a request not answered yet."""
    with acting_as(user) as me:
        connections.remove(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            other_id=me.person(email),
        )
    console.print("removed")


@network_app.command("block")
@handle_errors
def block(
    email: str = typer.Argument(..., help="The person (their e-mail)."), user: str = user_option()
) -> None:
    """Block someone: ends your connection; neither can ask the other, see the other's connections, or
    be proposed to the other."""
    with acting_as(user) as me:
        connections.block(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            other_id=me.person(email),
            now=me.now(),
        )
    console.print("blocked")


@network_app.command("unblock")
@handle_errors
def unblock(
    email: str = typer.Argument(..., help="The person (their e-mail)."), user: str = user_option()
) -> None:
    with acting_as(user) as me:
        connections.unblock(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            other_id=me.person(email),
        )
    console.print("unblocked")


@network_app.command("privacy")
@handle_errors
def privacy(
    value: ConnectionsVisibility | None = typer.Argument(
        None, help="Who sees your connections; left out: show it."
    ),
    user: str = user_option(),
) -> None:
    """Who sees your connections: only_me, connections, or signed_in (anyone signed in)."""
    with acting_as(user) as me:
        user_id = me.user_id
        if value is None:
            shown = connections.visibility(me.uow(), actor=me.actor, user_id=user_id)
        else:
            shown = connections.set_visibility(me.uow(), actor=me.actor, user_id=user_id, value=value)
    console.print(f"your connections are seen by: {shown.value}", highlight=False)


@network_app.command("introduce")
@handle_errors
def introduce(
    skill: str = typer.Argument(..., help="The skill: URI, key or name (a label, a tool name)."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Who in your network has the skill, or can introduce you to someone who does (two hops), ranked by
    evidence and closeness, explained."""
    with acting_as(user) as me:
        paths = introductions.who_can_introduce(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            skill=skill_uri(me.platform, skill),
            today=me.now().date(),
            policy=me.platform.evidence_policy,
        )
    if as_json:
        print_json([IntroductionPublic.of(p).model_dump(mode="json") for p in paths])
        return
    for path in paths:
        console.print(
            f"{path.introduction.score:.3f}  {path.why}", highlight=False, soft_wrap=True, markup=False
        )
    if not paths:
        console.print("no one in your network (two hops) shows this skill")


@network_app.command("refer")
@handle_errors
def refer(
    job_id: int = typer.Argument(..., min=1, max=ID_MAX, help="The micro-job's id."),
    email: str = typer.Argument(..., help="The connection you recommend (their e-mail)."),
    note: str = typer.Option("", "--note", help="Why them."),
    user: str = user_option(),
) -> None:
    """Recommend one of your connections for an open micro-job; its poster sees who referred whom."""
    with acting_as(user) as me:
        made = referrals.refer(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            job_id=job_id,
            candidate_id=me.person(email),
            note=note,
            now=me.now(),
        )
    console.print(f"referred {made.candidate_name} for “{made.job_title}”", highlight=False, markup=False)


@network_app.command("referrals")
@handle_errors
def list_referrals(
    job: int | None = typer.Option(
        None, "--job", min=1, max=ID_MAX, help="Who referred whom for this job of yours."
    ),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Your referrals and how they went (a completed contract counts), or those for a job you posted."""
    with acting_as(user) as me:
        if job is not None:
            found = referrals.for_job(me.uow(), actor=me.actor, job_id=job)
        else:
            found = referrals.made_by(me.uow(), actor=me.actor, user_id=me.user_id)
    if as_json:
        print_json([ReferralPublic.of(v).model_dump(mode="json") for v in found])
        return
    for view in found:
        mark = " (counts)" if view.counts else ""
        who = f"{view.referrer_name} referred {view.candidate_name}"
        console.print(f"{who} for “{view.job_title}”: {view.outcome}{mark}", highlight=False, markup=False)
    if not found:
        console.print("no referrals")
