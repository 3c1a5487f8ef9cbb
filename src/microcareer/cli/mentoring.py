"""``microcareer mentor``: offer mentoring, find mentors for the skills of your gap, ask, answer,
record sessions, and confirm a mentorship complete (both sides; then it is evidence for both).

Acts as ``--user EMAIL`` (or ``MICROCAREER_USER``); other people are named by e-mail.
"""

from __future__ import annotations

import typer
from rich.markup import escape

from microcareer.api.schemas.network import MentorPublic, MentorshipPublic
from microcareer.cli.acting import acting_as
from microcareer.cli.jobs import parse_day
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_option
from microcareer.services import mentorship
from microcareer.services.mentorship import MentorshipView

mentor_app = typer.Typer(
    help="Mentoring: offer it, find mentors, ask, record sessions, complete (as --user).",
    no_args_is_help=True,
)

ID_MAX = 2**31 - 1
JSON_HELP = "Print JSON instead of text."


def _print(view: MentorshipView) -> None:
    m = view.mentorship
    skills = ", ".join(label for _, label in view.skills)
    who = escape(f"{view.mentor_name} mentors {view.mentee_name} on {skills}")
    console.print(
        f"[bold]mentorship {m.id}[/]: {who}: {m.state.value}, "
        f"{len(view.sessions)} session(s), {view.hours:.1f} h",
        highlight=False,
    )
    for s in view.sessions:
        console.print(f"  {s.held_on.isoformat()}  {s.minutes} min  {s.notes}", highlight=False, markup=False)


@mentor_app.command("offer")
@handle_errors
def offer(
    skill: list[str] = typer.Option(..., "--skill", help="A skill you mentor on (URI, key or name); repeat."),
    hours: int = typer.Option(..., "--hours", help="Hours a month you offer (1 to 80)."),
    note: str = typer.Option("", "--note", help="When and how."),
    stop: bool = typer.Option(False, "--stop", help="Withdraw the offer (kept, not shown)."),
    user: str = user_option(),
) -> None:
    with acting_as(user) as me:
        made = mentorship.offer(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            skills=tuple(skill_uri(me.platform, s) for s in skill),
            hours_per_month=hours,
            note=note,
            active=not stop,
            now=me.now(),
        )
    state = "offered" if made.active else "withdrawn"
    console.print(
        f"mentoring {state}: {len(made.skills)} skill(s), {made.hours_per_month} h a month", highlight=False
    )


@mentor_app.command("find")
@handle_errors
def find(
    skill: list[str] = typer.Option(..., "--skill", help="A skill of your gap (URI, key or name); repeat."),
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Mentors for the skills of your gap, most skills matched first."""
    with acting_as(user) as me:
        found = mentorship.find_mentors(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            skills=tuple(skill_uri(me.platform, s) for s in skill),
        )
    if as_json:
        print_json([MentorPublic.of(m).model_dump(mode="json") for m in found])
        return
    for match in found:
        skills = ", ".join(label for _, label in match.skills)
        console.print(
            f"[bold]{escape(match.name)}[/] (user {match.user_id}): {escape(skills)}; "
            f"{match.hours_per_month} h a month",
            highlight=False,
        )
    if not found:
        console.print("no mentor offers these skills yet")


@mentor_app.command("ask")
@handle_errors
def ask(
    mentor: str = typer.Argument(..., help="The mentor (their e-mail)."),
    skill: list[str] = typer.Option(..., "--skill", help="A skill they offer; repeat."),
    message: str = typer.Option("", "--message", "-m"),
    user: str = user_option(),
) -> None:
    with acting_as(user) as me:
        made = mentorship.ask(
            me.uow(),
            actor=me.actor,
            user_id=me.user_id,
            mentor_id=me.person(mentor),
            skills=tuple(skill_uri(me.platform, s) for s in skill),
            message=message,
            now=me.now(),
        )
    console.print(f"mentorship {made.id}: requested", highlight=False)


@mentor_app.command("answer")
@handle_errors
def answer(
    mentorship_id: int = typer.Argument(..., min=1, max=ID_MAX),
    decline: bool = typer.Option(False, "--decline", help="Decline instead of accepting."),
    user: str = user_option(),
) -> None:
    """Accept (or --decline) a request for mentoring: the mentor's answer."""
    with acting_as(user) as me:
        state = mentorship.answer(me.uow(), actor=me.actor, mentorship_id=mentorship_id, accept=not decline)
    console.print(f"mentorship {mentorship_id}: {state.value}", highlight=False)


@mentor_app.command("session")
@handle_errors
def session(
    mentorship_id: int = typer.Argument(..., min=1, max=ID_MAX),
    on: str = typer.Option(..., "--date", help="When it was held, like 2026-11-23."),
    minutes: int = typer.Option(..., "--minutes", help="How long (1 to 480)."),
    notes: str = typer.Option("", "--notes"),
    user: str = user_option(),
) -> None:
    with acting_as(user) as me:
        now = me.now()
        mentorship.record_session(
            me.uow(),
            actor=me.actor,
            mentorship_id=mentorship_id,
            held_on=parse_day(on, "--date"),
            minutes=minutes,
            notes=notes,
            today=now.date(),
            now=now,
        )
        _print(mentorship.get(me.uow(), actor=me.actor, mentorship_id=mentorship_id))


@mentor_app.command("complete")
@handle_errors
def complete(mentorship_id: int = typer.Argument(..., min=1, max=ID_MAX), user: str = user_option()) -> None:
    """Confirm your side; once both confirmed, it is evidence for both."""
    with acting_as(user) as me:
        view = mentorship.confirm_complete(
            me.uow(), actor=me.actor, mentorship_id=mentorship_id, now=me.now()
        )
    _print(view)
    if view.mentorship.state.value != "completed":
        console.print("waiting for the other side to confirm")


@mentor_app.command("list")
@handle_errors
def list_(user: str = user_option(), as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    with acting_as(user) as me:
        found = mentorship.mentorships_of(me.uow(), actor=me.actor, user_id=me.user_id)
    if as_json:
        print_json([MentorshipPublic.of(v).model_dump(mode="json") for v in found])
        return
    for view in found:
        _print(view)
    if not found:
        console.print("no mentorships")
