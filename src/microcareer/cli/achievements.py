"""``microcareer achievements``: define the microcredentials an issuer awards, list and show them.

A definition comes from options or from a JSON or TOML file with the same names: ``name``,
``description``, ``criteria``, ``type``, ``skills`` (URIs, keys or names: labels, tool names), ``results``
(``"NAME:TYPE"`` strings or ``{name, type}`` tables), ``expiry_days``, ``proficiency``,
``suspendable``, ``parts`` (achievement ids), ``image_url``, ``criteria_url``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor, acting_user_option
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri
from microcareer.domain.credentials.open_badges import AchievementDefinition, ResultSpec, SkillAlignment
from microcareer.domain.credentials.records import Achievement
from microcareer.errors import InvalidInput
from microcareer.services import achievements, credential_issuers

achievements_app = typer.Typer(
    help="Achievements: the microcredentials an issuer defines and awards.", no_args_is_help=True
)

FILE_KEYS = frozenset(
    {
        "name", "description", "criteria", "type", "skills", "results", "expiry_days", "proficiency",
        "suspendable", "parts", "image_url", "criteria_url",
    }
)  # fmt: skip


def parse_result(text: str, where: str) -> ResultSpec:
    """``NAME:TYPE`` (``NAME`` alone is a ``Status`` result); the type may be ``ext:Name``."""
    name, _, result_type = text.partition(":")
    if not name.strip():
        raise InvalidInput(f"{where}: expected NAME:TYPE, got {text!r}", field=where)
    return ResultSpec(name.strip(), result_type.strip() or "Status")


def _read_definition_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read it ({error})", field="file") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: object = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            raise InvalidInput(f"{path}: expected a .json or .toml file", field="file")
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"{path}: not valid {suffix[1:].upper()} ({error})", field="file") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected an object (a table) of fields", field="file")
    return data


def _typed(path: Path, data: Mapping[str, Any], key: str, kind: type, default: Any = None) -> Any:
    value = data.get(key, default)
    if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
        raise InvalidInput(f"{path}: {key}: expected {kind.__name__}, got {value!r}", field=key)
    return value


def _list_of(path: Path, data: Mapping[str, Any], key: str, kind: type) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InvalidInput(f"{path}: {key}: expected a list", field=key)
    for i, item in enumerate(value):
        if not isinstance(item, kind) or isinstance(item, bool):
            raise InvalidInput(f"{path}: {key}[{i}]: expected {kind.__name__}, got {item!r}", field=key)
    return value


def _file_results(path: Path, data: Mapping[str, Any]) -> list[ResultSpec]:
    value = data.get("results", [])
    if not isinstance(value, list):
        raise InvalidInput(f"{path}: results: expected a list", field="results")
    specs = []
    for i, item in enumerate(value):
        where = f"{path}: results[{i}]"
        if isinstance(item, str):
            specs.append(parse_result(item, where))
        elif isinstance(item, dict) and isinstance(item.get("name"), str) and set(item) <= {"name", "type"}:
            specs.append(ResultSpec(item["name"], str(item.get("type", "Status"))))
        else:
            raise InvalidInput(f'{where}: expected "NAME:TYPE" or {{name, type}}', field="results")
    return specs


def definition_from_file(path: Path) -> tuple[AchievementDefinition, list[str]]:
    """The definition in a JSON or TOML file, and its skills as written (resolved later)."""
    data = _read_definition_file(path)
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise InvalidInput(
            f"{path}: unknown field {', '.join(unknown)} (known: {', '.join(sorted(FILE_KEYS))})",
            field=unknown[0],
        )
    definition = AchievementDefinition(
        name=_typed(path, data, "name", str, ""),
        description=_typed(path, data, "description", str, ""),
        criteria=_typed(path, data, "criteria", str, ""),
        achievement_type=_typed(path, data, "type", str, "MicroCredential"),
        image_url=_typed(path, data, "image_url", str),
        criteria_url=_typed(path, data, "criteria_url", str),
        results=tuple(_file_results(path, data)),
        expiry_days=_typed(path, data, "expiry_days", int),
        proficiency=_typed(path, data, "proficiency", int, 3),
        suspendable=_typed(path, data, "suspendable", bool, False),
        parts=tuple(_list_of(path, data, "parts", int)),
    )
    return definition, _list_of(path, data, "skills", str)


def _alignments(platform: Platform, skills: Sequence[str]) -> tuple[SkillAlignment, ...]:
    """URIs as given (the service checks them); keys and labels found in the taxonomy."""
    uris = [s.strip() if s.strip().startswith("http") else skill_uri(platform, s) for s in skills]
    return tuple(SkillAlignment(uri, "") for uri in uris)


def achievement_row(achievement: Achievement, issuer_slug: str) -> dict[str, Any]:
    d = achievement.definition
    return {
        "id": achievement.id,
        "issuer": issuer_slug,
        "name": d.name,
        "type": d.achievement_type,
        "description": d.description,
        "criteria": d.criteria,
        "criteria_url": d.criteria_url,
        "image_url": d.image_url,
        "skills": [{"uri": a.uri, "label": a.label, "framework": a.framework} for a in d.alignments],
        "results": [{"name": r.name, "type": r.result_type} for r in d.results],
        "expiry_days": d.expiry_days,
        "proficiency": d.proficiency,
        "suspendable": d.suspendable,
        "parts": list(d.parts),
        "created_at": achievement.created_at.isoformat(),
    }


def _issuer_slugs(platform: Platform) -> dict[int, str]:
    return {i.id: i.slug for i in credential_issuers.list_issuers(platform.uow())}


def _plain(text: str) -> None:
    """Print text as it is: no markup, highlighting or emoji codes (``did:key:`` stays text)."""
    console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


@achievements_app.command("define")
@handle_errors
def define(
    issuer_slug: str = typer.Argument(..., help="The issuer's slug."),
    file: Path | None = typer.Option(
        None,
        "--file",
        "-f",
        exists=True,
        dir_okay=False,
        readable=True,
        help="A .json or .toml definition (instead of the options below).",
    ),
    name: str | None = typer.Option(None, "--name", help="The achievement's name."),
    description: str | None = typer.Option(None, "--description", help="What it recognises."),
    criteria: str | None = typer.Option(None, "--criteria", help="How it is earned (a narrative)."),
    achievement_type: str = typer.Option(
        "MicroCredential", "--type", help="Open Badges AchievementType (Badge, Certificate, ...) or ext:Name."
    ),
    skill: list[str] = typer.Option(
        [],
        "--skill",
        help="An aligned skill: URI, key or name (a label, a tool name such as Docker; repeatable).",
    ),
    result: list[str] = typer.Option(
        [],
        "--result",
        help="A result recorded for each recipient, NAME:TYPE, e.g. grade:LetterGrade (repeatable).",
    ),
    expiry_days: int | None = typer.Option(
        None, "--expiry-days", help="Credentials expire after this many days."
    ),
    proficiency: int = typer.Option(3, "--proficiency", help="Level 1-5 recipients' profiles get per skill."),
    suspendable: bool = typer.Option(
        False,
        "--suspendable",
        help="Its credentials can be suspended and reinstated (they use a suspension list; "
        "revoking suspends for good).",
    ),
    part: list[int] = typer.Option([], "--part", help="Id of an achievement this one stacks (repeatable)."),
    image_url: str | None = typer.Option(None, "--image-url", help="The badge image's URL."),
    criteria_url: str | None = typer.Option(None, "--criteria-url", help="A page describing the criteria."),
    user: str | None = acting_user_option(),
) -> None:
    """Define an achievement an issuer awards, from options or from a --file."""
    if file is not None:
        given = [
            flag
            for flag, value in (
                ("--name", name), ("--description", description), ("--criteria", criteria),
                ("--skill", skill), ("--result", result), ("--expiry-days", expiry_days),
                ("--part", part), ("--image-url", image_url), ("--criteria-url", criteria_url),
            )
            if value not in (None, [])
        ]  # fmt: skip
        if given or achievement_type != "MicroCredential" or proficiency != 3 or suspendable:
            raise typer.BadParameter(
                f"give --file or the definition's options, not both ({', '.join(given) or 'options'})"
            )
        definition, skills = definition_from_file(file)
    else:
        missing = [
            f
            for f, v in (("--name", name), ("--description", description), ("--criteria", criteria))
            if not v
        ]
        if missing:
            raise typer.BadParameter(f"{', '.join(missing)} required (or give --file)")
        definition = AchievementDefinition(
            name=name or "",
            description=description or "",
            criteria=criteria or "",
            achievement_type=achievement_type,
            image_url=image_url,
            criteria_url=criteria_url,
            results=tuple(parse_result(r, f"--result {r}") for r in result),
            expiry_days=expiry_days,
            proficiency=proficiency,
            suspendable=suspendable,
            parts=tuple(part),
        )
        skills = list(skill)
    with open_platform() as platform:
        definition = replace(definition, alignments=_alignments(platform, skills))
        achievement = achievements.define_achievement(
            platform.uow(),
            actor=acting_actor(platform, user),
            issuer_slug=issuer_slug,
            definition=definition,
            now=platform.clock(),
        )
    console.print(
        f"defined achievement {achievement.id}: {achievement.definition.name}",
        markup=False,
        highlight=False,
        emoji=False,
    )


@achievements_app.command("list")
@handle_errors
def list_(
    issuer: str | None = typer.Option(None, "--issuer", help="Only this issuer's achievements (slug)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List achievements, of every issuer or of one."""
    with open_platform() as platform:
        found = achievements.list_achievements(platform.uow(), issuer)
        slugs = _issuer_slugs(platform)
    rows = [achievement_row(a, slugs.get(a.issuer_id, "")) for a in found]
    if as_json:
        print_json({"items": rows})
        return
    table = Table(title=f"{len(rows)} achievements", title_justify="left")
    for column in ("id", "name", "type", "issuer", "skills", "expires after", "parts"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for row in rows:
        table.add_row(
            str(row["id"]),
            Text(row["name"]),
            Text(row["type"]),
            Text(row["issuer"]),
            Text("; ".join(s["label"] for s in row["skills"])),
            "never" if row["expiry_days"] is None else f"{row['expiry_days']} days",
            ", ".join(str(p) for p in row["parts"]),
        )
    console.print(table)


@achievements_app.command("show")
@handle_errors
def show(
    achievement_id: int = typer.Argument(..., help="The achievement's id."),
    as_json: bool = typer.Option(False, "--json", help="Print the Open Badges 3.0 Achievement JSON."),
) -> None:
    """Show an achievement: criteria, aligned skills, results, expiry, parts."""
    with open_platform() as platform:
        if as_json:
            print_json(
                achievements.published_achievement(platform.uow(), achievement_id, platform.publication)
            )
            return
        achievement = achievements.get_achievement(platform.uow(), achievement_id)
        row = achievement_row(achievement, _issuer_slugs(platform).get(achievement.issuer_id, ""))
    console.print(
        f"[bold]{escape(row['name'])}[/] ({escape(row['type'])}, id {row['id']}, issuer {row['issuer']})",
        highlight=False,
        emoji=False,
    )
    _plain(row["description"])
    _plain(f"criteria: {row['criteria']}")
    for label in ("criteria_url", "image_url"):
        if row[label]:
            _plain(f"{label}: {row[label]}")
    expiry = "never" if row["expiry_days"] is None else f"after {row['expiry_days']} days"
    suspension = "; can be suspended" if row["suspendable"] else ""
    console.print(
        f"expires: {expiry}; profile level per skill: {row['proficiency']}/5{suspension}",
        highlight=False,
        emoji=False,
    )
    if row["parts"]:
        console.print(
            f"made of achievements: {', '.join(str(p) for p in row['parts'])}", highlight=False, emoji=False
        )
    if row["results"]:
        _plain("results: " + ", ".join(f"{r['name']} ({r['type']})" for r in row["results"]))
    if not row["skills"]:
        return
    table = Table(title=f"{len(row['skills'])} aligned skills", title_justify="left")
    for column in ("skill", "framework", "URI"):
        table.add_column(column, overflow="fold")
    for s in row["skills"]:
        table.add_row(Text(s["label"]), Text(s["framework"]), Text(s["uri"]))
    console.print(table)
