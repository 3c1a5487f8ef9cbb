"""Job postings as read from a file: the column mapping, cleaning (HTML stripped, whitespace folded),
checks that name what is wrong with a row, and the content hash that makes re-ingesting idempotent."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime

MAX_TITLE = 500
MAX_TEXT = 100_000
MAX_SHORT = 200
FIELDS = ("id", "title", "text", "date", "place", "organisation", "pay", "source")
REQUIRED = ("id", "title", "text", "date")
BAD_KEY = "\x00bad"  # a record a reader could not read holds only this key: what was wrong

_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")
_PAY = re.compile(r"[-+]?\d[\d,. ]*")


class BadRow(ValueError):
    """A row that cannot be a posting; the message names the field and what is wrong."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the file holds each field; ``place``, ``organisation``, ``pay`` and ``source`` may
    be absent (empty). ``source`` falls back to ``default_source`` (the file's name, usually)."""

    id: str = "id"
    title: str = "title"
    text: str = "text"
    date: str = "date"
    place: str = "place"
    organisation: str = "organisation"
    pay: str = "pay"
    source: str = "source"

    @classmethod
    def parse(cls, pairs: str) -> ColumnMapping:
        """``"id=job_id,text=description"`` → a mapping; fields not named keep their own name."""
        given: dict[str, str] = {}
        for part in (p.strip() for p in pairs.split(",")):
            if not part:
                continue
            name, sep, column = part.partition("=")
            name, column = name.strip(), column.strip()
            if not sep or not column:
                raise BadRow(f"column mapping: {part!r} is not FIELD=COLUMN")
            if name not in FIELDS:
                raise BadRow(f"column mapping: {name!r} is not one of {', '.join(FIELDS)}")
            given[name] = column
        return cls(**given)

    def as_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Posting:
    """One posting, cleaned: text without markup, the date, the place and organisation as given."""

    source: str
    external_id: str
    title: str
    text: str
    posted_on: date
    place: str
    organisation: str
    pay: float | None

    @property
    def month(self) -> str:
        return self.posted_on.strftime("%Y-%m")

    @property
    def content_hash(self) -> str:
        """SHA-256 of the title and text as cleaned and case-folded: the same posting under another id."""
        folded = f"{' '.join(self.title.casefold().split())}\n{' '.join(self.text.casefold().split())}"
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def strip_html(text: str) -> str:
    """Markup to plain text: scripts and styles dropped, block ends as line breaks, entities decoded."""
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK.sub("\n", text)
        text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _SPACE.sub(" ", text)
    return _LINES.sub("\n", text).strip()


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise BadRow("date: empty")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadRow(f"date: {text[:40]!r} is not an ISO date (YYYY-MM-DD)") from None


def parse_pay(value: object) -> float | None:
    """A number (``"52,000"``, ``"EUR 4500"``, ``"40000-50000"`` → the middle); empty is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        amount = float(value)
    else:
        found = [p.replace(",", "").replace(" ", "") for p in _PAY.findall(str(value))]
        numbers = []
        for part in found:
            try:
                numbers.append(abs(float(part.rstrip("."))))
            except ValueError:
                continue
        if not numbers:
            if str(value).strip():
                raise BadRow(f"pay: {str(value)[:40]!r} has no number")
            return None
        amount = sum(numbers[:2]) / len(numbers[:2])
    if amount != amount or amount < 0 or amount > 1e9:  # NaN, negative, absurd
        raise BadRow(f"pay: {amount!r} is out of range")
    return amount


def _cell(record: Mapping[str, object], column: str) -> object:
    value = record.get(column)
    return "" if value is None else value


def _short(value: object, name: str, limit: int = MAX_SHORT) -> str:
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise BadRow(f"{name}: over {limit} characters")
    return text


def read_posting(record: Mapping[str, object], mapping: ColumnMapping, default_source: str) -> Posting:
    """A file's record → a ``Posting``, or ``BadRow`` naming the first thing wrong."""
    if BAD_KEY in record:
        raise BadRow(str(record[BAD_KEY]))
    for name in REQUIRED:
        column = getattr(mapping, name)
        if str(_cell(record, column)).strip() == "":
            raise BadRow(f"{name}: missing (column {column!r})")
    title = strip_html(str(_cell(record, mapping.title)))
    text = strip_html(str(_cell(record, mapping.text)))
    if not text:
        raise BadRow("text: empty once markup is stripped")
    if len(text) > MAX_TEXT:
        raise BadRow(f"text: over {MAX_TEXT:,} characters")
    source = _short(_cell(record, mapping.source), "source", 100) or default_source
    return Posting(
        source=source,
        external_id=_short(_cell(record, mapping.id), "id"),
        title=_short(title, "title", MAX_TITLE),
        text=text,
        posted_on=parse_date(_cell(record, mapping.date)),
        place=_short(_cell(record, mapping.place), "place"),
        organisation=_short(_cell(record, mapping.organisation), "organisation"),
        pay=parse_pay(record.get(mapping.pay)),
    )


def place_key(place: str) -> str:
    """How places are compared: case-folded, spaces folded."""
    return " ".join(place.casefold().split())
