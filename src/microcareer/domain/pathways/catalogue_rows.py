"""Importing a catalogue of outside steps: CSV or JSON, every bad row reported with its line.

Columns (CSV header or JSON keys): ``id``, ``kind`` (course, microcredential, assessment, micro_job),
``title``, ``provider``, ``url``, ``skills`` (``SKILL=LEVEL; SKILL=LEVEL``: a skill's URI, key or name,
the level 1-5 reached, 3 when left out), ``hours``, ``cost`` (decimal text, ``0`` for free), ``currency``
(ISO 4217), ``income`` (micro-jobs), ``language``, ``format`` (online, in_person, blended,
on_the_job), ``prerequisites`` (``SKILL=LEVEL`` or ``step:ID``, ``;``-separated) and ``quality`` (the
provider's standing, 0-1). ``id``, ``kind``, ``title``, ``skills``, ``hours`` and ``cost`` are required;
an unknown column is refused (a misspelt one would otherwise be dropped silently). JSON is a list of
objects with these keys, where ``skills`` may also be an object ``{SKILL: LEVEL}`` and
``prerequisites`` a list. Every row is checked before anything is kept; a file with any bad row imports
nothing, and each error names its line, its column and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from microcareer.domain.credentials.issue_rows import RowError, open_csv, reject
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.pathways.steps import SkillPrerequisite, Step, StepFormat, StepKind
from microcareer.errors import InvalidInput

MAX_ROWS = 20_000
REQUIRED = ("id", "kind", "title", "skills", "hours", "cost")
OPTIONAL = ("provider", "url", "currency", "income", "language", "format", "prerequisites", "quality")
COLUMNS = frozenset(REQUIRED + OPTIONAL)
DEFAULT_LEVEL = 3
STEP_PREFIX = "step:"

Resolve = Callable[[str], "tuple[str, str] | None"]
"""A skill reference (URI, key, name) → (URI, label), or None when it names no skill."""


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    line: int
    step: Step


def parse_catalogue(text: str, *, source: str, resolve: Resolve, currency: str = "EUR") -> list[CatalogueRow]:
    """The rows of a CSV (or, when it starts with ``[``, JSON) catalogue, or ``BatchRejected`` naming
    every bad row."""
    records = _json_records(text, source) if text.lstrip().startswith("[") else _csv_records(text, source)
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"{source}: at most {MAX_ROWS} rows, not {len(records)}", field="rows")
    errors: list[RowError] = []
    rows: list[CatalogueRow] = []
    seen: dict[str, int] = {}
    for line, record in records:
        unknown = sorted(set(record) - COLUMNS)
        if unknown:
            errors.append(RowError(line, unknown[0], f"unknown column (known: {', '.join(sorted(COLUMNS))})"))
            continue
        row_errors: list[RowError] = []
        step = _step(line, record, resolve, currency, row_errors)
        sid = str(record.get("id", "")).strip()
        if sid and sid in seen:
            row_errors.append(RowError(line, "id", f"{sid!r} is on line {seen[sid]} already"))
        elif sid:
            seen[sid] = line
        if row_errors or step is None:
            errors.extend(row_errors)
            continue
        rows.append(CatalogueRow(line, step))
    for row in rows:
        for needed in row.step.needs_steps:
            if needed not in seen:
                errors.append(
                    RowError(row.line, "prerequisites", f"no step with the id {needed!r} in the file")
                )
    if not records:
        raise InvalidInput(f"{source}: no rows", field="rows")
    if errors:
        raise reject(sorted(errors, key=lambda e: e.line), source=source, outcome="nothing was imported")
    return rows


def _csv_records(text: str, source: str) -> list[tuple[int, dict[str, object]]]:
    reader = open_csv(text, source=source)
    header = set(reader.fieldnames or ())
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"{source}: line 1: the header lacks the column {missing[0]!r}", field=missing[0])
    records: list[tuple[int, dict[str, object]]] = []
    for record in reader:
        if None in record:
            records.append((reader.line_num, {"": "more cells than the header names"}))
            continue
        records.append((reader.line_num, {k: v for k, v in record.items() if v not in (None, "")}))
    return records


def _json_records(text: str, source: str) -> list[tuple[int, dict[str, object]]]:
    """Each object of a JSON array with the line it starts on."""
    decoder = json.JSONDecoder()
    records: list[tuple[int, dict[str, object]]] = []
    at = text.index("[") + 1
    while True:
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text):
            raise InvalidInput(f"{source}: the JSON array is not closed", field="rows")
        if text[at] == "]":
            break
        line = text.count("\n", 0, at) + 1
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source}: line {exc.lineno}: not JSON ({exc.msg})", field="rows") from exc
        if not isinstance(value, dict):
            records.append((line, {"": "each item is an object"}))
            continue
        records.append((line, value))
        if len(records) > MAX_ROWS:
            break
    return records


def _text(record: Mapping[str, object], column: str, line: int, errors: list[RowError], *, limit: int) -> str:
    value = record.get(column, "")
    if not isinstance(value, str):
        errors.append(RowError(line, column, "text expected"))
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.append(RowError(line, column, f"at most {limit} characters"))
    return value


def _number(record: Mapping[str, object], column: str, line: int, errors: list[RowError]) -> float | None:
    value = record.get(column)
    try:
        number = (
            float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else None
        )
    except ValueError:
        number = None
    if number is None or number != number:
        errors.append(RowError(line, column, f"a number, not {value!r}"))
    return number


def _money(
    record: Mapping[str, object], column: str, currency: str, line: int, errors: list[RowError]
) -> Money:
    value = record.get(column, "0")
    text = str(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else "?"
    try:
        money = Money.parse(text, currency)
    except InvalidInput as exc:
        errors.append(RowError(line, column, str(exc).removeprefix("amount: ")))
        return Money.zero(currency)
    if money.amount < 0:
        errors.append(RowError(line, column, "not below 0"))
    return money


def _skill_levels(
    value: object, column: str, line: int, resolve: Resolve, errors: list[RowError]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """``SKILL=LEVEL; ...`` (or a JSON object / list) → URI → level, URI → label, and ``step:ID`` refs."""
    pairs: list[tuple[str, object]] = []
    if isinstance(value, Mapping):
        pairs = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        pairs = [_split(str(item)) for item in value]
    elif isinstance(value, str):
        pairs = [_split(part) for part in value.split(";") if part.strip()]
    else:
        errors.append(RowError(line, column, "text like 'Python=3; SQL=2' expected"))
    levels: dict[str, int] = {}
    labels: dict[str, str] = {}
    steps: list[str] = []
    for ref, level in pairs:
        if ref.startswith(STEP_PREFIX) and column == "prerequisites":
            steps.append(ref.removeprefix(STEP_PREFIX).strip())
            continue
        try:
            number = int(str(level))
        except ValueError:
            number = 0
        if not 1 <= number <= 5:
            errors.append(RowError(line, column, f"the level of {ref!r} is {level!r}, not 1 to 5"))
            continue
        found = resolve(ref)
        if found is None:
            errors.append(RowError(line, column, f"no skill named {ref!r}"))
            continue
        uri, label = found
        levels[uri] = max(levels.get(uri, 0), number)
        labels[uri] = label
    return levels, labels, steps


def _split(part: str) -> tuple[str, object]:
    ref, sep, level = part.strip().rpartition("=")
    return (ref.strip(), level.strip()) if sep else (part.strip(), DEFAULT_LEVEL)


def _step(
    line: int, record: Mapping[str, object], resolve: Resolve, default_currency: str, errors: list[RowError]
) -> Step | None:
    if "" in record:
        errors.append(RowError(line, "", str(record[""])))
        return None
    for column in REQUIRED:
        if record.get(column) in (None, ""):
            errors.append(RowError(line, column, "required"))
    if errors:
        return None
    sid = _text(record, "id", line, errors, limit=200)
    title = _text(record, "title", line, errors, limit=300)
    provider = _text(record, "provider", line, errors, limit=200)
    url = _text(record, "url", line, errors, limit=2000)
    if url and not url.startswith(("https://", "http://")):
        errors.append(RowError(line, "url", "an http(s) address"))
    language = _text(record, "language", line, errors, limit=35) or "en"
    kind_text = _text(record, "kind", line, errors, limit=40)
    try:
        kind = StepKind(kind_text)
    except ValueError:
        errors.append(RowError(line, "kind", f"{kind_text!r}: one of {', '.join(k.value for k in StepKind)}"))
        kind = StepKind.COURSE
    format_text = _text(record, "format", line, errors, limit=40) or StepFormat.ONLINE.value
    try:
        step_format = StepFormat(format_text)
    except ValueError:
        errors.append(
            RowError(line, "format", f"{format_text!r}: one of {', '.join(f.value for f in StepFormat)}")
        )
        step_format = StepFormat.ONLINE
    try:
        currency = currency_code(_text(record, "currency", line, errors, limit=3) or default_currency)
    except InvalidInput as exc:
        errors.append(RowError(line, "currency", str(exc)))
        currency = default_currency
    hours = _number(record, "hours", line, errors)
    if hours is not None and not 0 < hours <= 2000:
        errors.append(RowError(line, "hours", f"above 0 and at most 2000, not {hours:g}"))
    cost = _money(record, "cost", currency, line, errors)
    income = _money(record, "income", currency, line, errors)
    if income.amount and kind is not StepKind.MICRO_JOB:
        errors.append(RowError(line, "income", "only a micro-job pays"))
    quality = 0.5
    if "quality" in record:
        got = _number(record, "quality", line, errors)
        if got is not None and not 0 <= got <= 1:
            errors.append(RowError(line, "quality", "between 0 and 1"))
        quality = got if got is not None and 0 <= got <= 1 else 0.5
    teaches, labels, _ = _skill_levels(record.get("skills"), "skills", line, resolve, errors)
    if not teaches and not any(e.column == "skills" for e in errors):
        errors.append(RowError(line, "skills", "at least one skill"))
    needs, more_labels, step_ids = _skill_levels(
        record.get("prerequisites", ""), "prerequisites", line, resolve, errors
    )
    if sid in step_ids:
        errors.append(RowError(line, "prerequisites", "a step cannot need itself"))
    if errors or hours is None:
        return None
    try:
        return Step(
            id=sid,
            kind=kind,
            title=title,
            provider=provider,
            teaches=MappingProxyType(teaches),
            hours=hours,
            cost=cost,
            income=income,
            url=url,
            language=language,
            format=step_format,
            needs_skills=tuple(SkillPrerequisite(uri, level) for uri, level in needs.items()),
            needs_steps=tuple(step_ids),
            quality=quality,
            labels=MappingProxyType({**labels, **more_labels}),
        )
    except InvalidInput as exc:
        errors.append(RowError(line, str(exc.extra.get("field", "")), str(exc)))
        return None
