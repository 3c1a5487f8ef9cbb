"""``microcareer profile import-cv | import-json-resume | export-json-resume``: résumés in and out.

Registered on the ``profile`` group (``register``). As the other profile commands, the CLI is the local
operator: ``--user EMAIL`` (or ``MICROCAREER_USER``) names whose profile it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from microcareer.adapters.documents import read_document
from microcareer.bootstrap import Platform, document_limits
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, err_console, fail, handle_errors, print_json
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.cv_proposal import CvProposal
from microcareer.errors import InvalidInput
from microcareer.services import extraction, resume_import, skill_names, taxonomy_search, users

USER_HELP = "Email of the person whose profile it is (default: $MICROCAREER_USER)."


def register(group: typer.Typer) -> None:
    """Add the three commands to the ``profile`` command group."""
    group.command("import-cv")(import_cv)
    group.command("import-json-resume")(import_json_resume)
    group.command("export-json-resume")(export_json_resume)


@handle_errors
def import_cv(
    file: Path = typer.Argument(..., help="The CV: PDF, DOCX, HTML, Markdown or plain text."),
    user: str | None = typer.Option(None, "--user", "-u", envvar="MICROCAREER_USER", help=USER_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Save without asking."),
    as_json: bool = typer.Option(False, "--json", help="Print the proposal as JSON and save nothing."),
) -> None:
    """Propose experiences and skills from a CV; save them once confirmed (skills as CV evidence)."""
    document = read_document(file, limits=document_limits(Settings()))
    with open_platform() as platform:
        user_id = _user_id(platform, user) if user else None
        extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
        proposal = resume_import.propose_cv_import(
            extractor,
            actor=Actor.system(),
            user_id=user_id,
            source=file.name,
            text=document.text,
            today=platform.clock().date(),
        )
        if as_json:
            print_json(proposal.to_json())
            return
        _show(proposal)
        if user_id is None:
            raise fail("give --user EMAIL (or set MICROCAREER_USER) to save; --json shows the proposal alone")
        counts = f"{len(proposal.experiences)} experiences and {len(proposal.skills)} skills"
        question = f"Save {counts} to {user}'s profile?"
        if not yes and not typer.confirm(question, default=False, err=True):
            err_console.print("nothing saved")
            return
        saved = resume_import.confirm_cv_import(
            platform.uow(),
            actor=Actor.system(),
            user_id=user_id,
            proposal_accepted=proposal.to_json(),
            now=platform.clock(),
        )
    console.print(f"saved {saved.experiences} experiences and {len(saved.skills)} skills to {user}'s profile")


@handle_errors
def import_json_resume(
    file: Path = typer.Argument(..., help="A JSON Resume (schema v1) file."),
    user: str = typer.Option(..., "--user", "-u", envvar="MICROCAREER_USER", help=USER_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print what was imported as JSON."),
) -> None:
    """Import a JSON Resume: basics, experiences and extras replace the profile's; skills are mapped."""
    document = _read_json(file)
    with open_platform() as platform:
        try:
            result = resume_import.import_json_resume(
                platform.uow(),
                actor=Actor.system(),
                user_id=_user_id(platform, user),
                document=document,
                now=platform.clock(),
                cache=taxonomy_search.label_index_cache(platform.caches),
                lexicon=skill_names.extraction_lexicon(platform.uow(), platform.caches, platform.lexicons),
            )
        except InvalidInput as exc:
            raise InvalidInput(f"{file}: {exc}", **exc.extra) from None
    if as_json:
        print_json(
            {
                "experiences": result.experiences,
                "mapped": [vars_of(m) for m in result.mapped],
                "unmapped": [vars_of(u) for u in result.unmapped],
                "notes": list(result.notes),
            }
        )
        return
    console.print(f"imported {result.experiences} experiences and {len(result.mapped)} skills from {file}")
    if result.mapped:
        table = Table(title="skills", title_justify="left")
        for column in ("résumé", "skill", "uri"):
            table.add_column(column)
        for mapped in result.mapped:
            table.add_row(mapped.name, mapped.label, mapped.uri)
        console.print(table)
    for unmapped in result.unmapped:
        err_console.print(
            f"not mapped: {unmapped.name!r} ({unmapped.reason}); kept as written", highlight=False
        )
    for note in result.notes:
        err_console.print(f"note: {note}", highlight=False)


@handle_errors
def export_json_resume(
    user: str = typer.Option(..., "--user", "-u", envvar="MICROCAREER_USER", help=USER_HELP),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Export the profile as a JSON Resume (skills under ESCO's preferred labels)."""
    with open_platform() as platform:
        document = resume_import.export_json_resume(
            platform.uow(), actor=Actor.system(), user_id=_user_id(platform, user)
        )
    if output is None:
        print_json(document)
        return
    try:
        output.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{output}: cannot be written ({exc.strerror or exc})", field="output") from None
    err_console.print(f"wrote {output}")


def vars_of(item: object) -> dict[str, Any]:
    return {name: getattr(item, name) for name in getattr(item, "__slots__", ())}


def _user_id(platform: Platform, email: str) -> int:
    return users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email).id


def _read_json(file: Path) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file", field="file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot be read ({exc})", field="file") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{file}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", field="file"
        ) from None


def _show(proposal: CvProposal) -> None:
    """The proposal as two tables: experiences, then skills with the experiences they appear in."""
    experiences = Table(
        title=f"{len(proposal.experiences)} experiences in {proposal.source}", title_justify="left"
    )
    for column in ("ref", "kind", "title", "organisation", "from", "to"):
        experiences.add_column(column)
    for e in proposal.experiences:
        experiences.add_row(e.ref, e.kind.value, e.title, e.organisation, e.start or "", e.end or "now")
    console.print(experiences)
    skills = Table(title=f"{len(proposal.skills)} skills", title_justify="left")
    for column in ("skill", "found as", "in", "last used", "confidence"):
        skills.add_column(column)
    for s in proposal.skills:
        skills.add_row(
            s.label, ", ".join(s.mentions), ", ".join(s.experiences), s.last_used or "", f"{s.confidence:.2f}"
        )
    console.print(skills)
