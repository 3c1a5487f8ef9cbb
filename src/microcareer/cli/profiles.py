"""``microcareer profile``: show and edit a person's profile, and put skills on it with evidence.

The CLI is the local operator (``Actor.system()``, a platform admin's rights), as in ``users`` and
``tokens``: ``--user EMAIL`` (or ``MICROCAREER_USER``) names whose profile a command reads or changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum

import typer
from rich.table import Table

from microcareer.api.schemas.profiles import ProfilePublic
from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import PartialDate, Visibility
from microcareer.errors import NotFound
from microcareer.services import profiles, skill_names, users
from microcareer.services.profiles import ProfileView

profile_app = typer.Typer(
    help="A person's profile and skills (as the local operator; --user names the person).",
    no_args_is_help=True,
)
skill_app = typer.Typer(help="Skills on a profile, with evidence.", no_args_is_help=True)
profile_app.add_typer(skill_app, name="skill")

USER_HELP = "Email of the person whose profile it is."


def user_option() -> str:
    """``--user EMAIL``, read from ``MICROCAREER_USER`` when not given."""
    email: str = typer.Option(..., "--user", "-u", envvar="MICROCAREER_USER", help=USER_HELP)
    return email


class EvidenceChoice(StrEnum):
    SELF = "self"
    CV = "cv"


_EVIDENCE_KINDS = {
    EvidenceChoice.SELF: EvidenceKind.SELF_CLAIM,
    EvidenceChoice.CV: EvidenceKind.CV_EXTRACTION,
}


def user_id_of(platform: Platform, email: str) -> int:
    return users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email).id


def skill_uri(platform: Platform, text: str) -> str:
    """A skill by URI, key or name: a label, a tool name ("Docker"), as ``skills show`` finds it."""
    return skill_names.resolve_skill(
        platform.uow(), platform.caches, platform.lexicons, actor=Actor.system(), text=text
    ).skill.uri


def read_profile(platform: Platform, user_id: int) -> ProfileView:
    return profiles.get_profile(
        platform.uow(),
        actor=Actor.system(),
        user_id=user_id,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )


def _print_profile(view: ProfileView) -> None:
    profile = view.profile
    console.print(f"[bold]{view.display_name}[/]  {profile.headline}", highlight=False)
    facts = [
        f"visibility: {profile.visibility.value}",
        "available" if profile.available else "hidden from searches",
    ]
    if profile.hours_per_week is not None:
        facts.append(f"{profile.hours_per_week} h/week")
    if profile.hourly_rate is not None:
        facts.append(f"{profile.hourly_rate:g} {profile.currency}/h")
    if str(profile.location):
        facts.append(str(profile.location))
    if profile.languages:
        facts.append("speaks " + ", ".join(lang.language for lang in profile.languages))
    console.print(" · ".join(facts), highlight=False)
    if profile.summary:
        console.print(profile.summary, highlight=False)
    for experience in profile.experiences:
        when = " to ".join(d.text for d in (experience.start, experience.end) if d is not None)
        where = f" at {experience.organisation}" if experience.organisation else ""
        console.print(f"[dim]{experience.kind.value}:[/] {experience.title}{where} {when}", highlight=False)
    table = Table(title=f"{len(view.skills)} skills", title_justify="left")
    for column in ("skill", "level", "confidence", "why"):
        table.add_column(column, justify="right" if column in ("level", "confidence") else "left")
    for held in view.skills:
        label = held.label + (" [yellow](stale)[/]" if held.confidence.stale else "")
        label += "" if held.known else " [red](no longer in the taxonomy)[/]"
        table.add_row(
            label, f"{held.proficiency}/5", f"{held.confidence.value:.2f}", held.confidence.explanation
        )
    console.print(table)


@profile_app.command("show")
@handle_errors
def show(
    user: str = user_option(),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (as the API gives it) instead of text."),
) -> None:
    """Show a profile: who, availability, experiences, and skills with confidence and why."""
    with open_platform() as platform:
        view = read_profile(platform, user_id_of(platform, user))
    if as_json:
        print_json(ProfilePublic.of(view).model_dump(mode="json"))
        return
    _print_profile(view)


@profile_app.command("set")
@handle_errors
def set_(
    user: str = user_option(),
    headline: str | None = typer.Option(None, "--headline", help="One line about the person."),
    summary: str | None = typer.Option(None, "--summary", help="A paragraph about the person."),
    rate: float | None = typer.Option(None, "--rate", help="Hourly rate, in --currency."),
    currency: str | None = typer.Option(None, "--currency", help="ISO 4217 code of the rate (EUR, ...)."),
    hours: int | None = typer.Option(None, "--hours", help="Hours a week the person can take on."),
    available: bool | None = typer.Option(
        None, "--available/--hidden", help="Show the profile in searches, or hide it."
    ),
    visibility: Visibility | None = typer.Option(None, "--visibility", help="Who may read the profile."),
) -> None:
    """Change some fields of a profile; those not given stay as they are."""
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        current = read_profile(platform, user_id).profile
        changes: dict[str, object] = {
            "headline": headline,
            "summary": summary,
            "hourly_rate": rate,
            "currency": currency,
            "hours_per_week": hours,
            "available": available,
            "visibility": visibility,
        }
        given = {name: value for name, value in changes.items() if value is not None}
        if not given:
            raise typer.BadParameter("give at least one field to change (see --help)")
        profiles.save_profile(
            platform.uow(),
            actor=Actor.system(),
            user_id=user_id,
            profile=replace(current, **given),  # type: ignore[arg-type]
            now=platform.clock(),
        )
    console.print(f"{user}: set {', '.join(sorted(given))}", highlight=False)


@skill_app.command("add")
@handle_errors
def skill_add(
    skill: str = typer.Argument(
        ..., help="The skill's URI, key or name (a label, a tool name such as Docker)."
    ),
    level: int = typer.Option(
        ..., "--level", "-l", min=1, max=5, help="Proficiency, 1 (novice) to 5 (expert)."
    ),
    evidence: EvidenceChoice = typer.Option(
        EvidenceChoice.SELF,
        "--evidence",
        help="self: the person says so; cv: found in their CV and confirmed.",
    ),
    last_used: str | None = typer.Option(
        None, "--last-used", help="When the skill was last used (2024, 2024-05 or 2024-05-31); default today."
    ),
    source: str = typer.Option(
        "", "--source", help="What the evidence points at, such as the CV's file name."
    ),
    user: str = user_option(),
) -> None:
    """Put a skill on a profile (or change its level) with a self-claim or a CV finding as evidence."""
    used = PartialDate.parse(last_used, field="--last-used")
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        uri = skill_uri(platform, skill)
        today: date = platform.clock().date()
        proof = Evidence(_EVIDENCE_KINDS[evidence], used.first_day if used else today, source)
        profiles.set_skill(
            platform.uow(),
            actor=Actor.system(),
            user_id=user_id,
            uri=uri,
            proficiency=level,
            evidence=[proof],
            now=platform.clock(),
        )
        held = {h.uri: h for h in read_profile(platform, user_id).skills}[uri]
    console.print(
        f"{held.label}: level {held.proficiency}/5, confidence {held.confidence.value:.2f} "
        f"({held.confidence.explanation})",
        highlight=False,
    )


@skill_app.command("remove")
@handle_errors
def skill_remove(
    skill: str = typer.Argument(
        ..., help="The skill's URI, key or name (a label, a tool name such as Docker)."
    ),
    user: str = user_option(),
) -> None:
    """Take a skill (and its evidence) off a profile."""
    with open_platform() as platform:
        user_id = user_id_of(platform, user)
        try:
            uri = skill_uri(platform, skill)
        except NotFound:
            if "/" not in skill:
                raise
            uri = skill  # a URI a newer taxonomy retired can still be taken off
        profiles.remove_skill(platform.uow(), actor=Actor.system(), user_id=user_id, uri=uri)
    console.print(f"removed {skill} from {user}'s profile", highlight=False)
