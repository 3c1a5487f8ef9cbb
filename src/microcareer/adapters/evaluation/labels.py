"""What every reader shares: reading a file as text, telling URIs from junk, and "no skill" labels."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

from microcareer.errors import DataFileError

# ESCO concepts are http(s) URIs; an organisation's own skills are URNs (urn:microcareer:org:...).
_URI = re.compile(r"^(?:https?://[^\s/?#]+/\S*|urn:[A-Za-z0-9][A-Za-z0-9-]*:\S+)$")
# Labels that benchmark files use for "this sentence names no skill".
NO_SKILL = frozenset({"", "unk", "label not present", "underspecified", "none", "_"})
# A skill label that is not a URI → its URI, or None when the taxonomy has no such label
LabelResolver = Callable[[str], str | None]
_SEPARATORS = re.compile(r"[|;,]")
# What a CoNLL URI column holds on tokens that carry no URI.
PLACEHOLDERS = frozenset({"", "_", "-"})


def read_text(path: Path) -> str:
    """The whole file as text (UTF-8, a byte order mark allowed); unreadable files are data errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(str(path), None, None, f"cannot be read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(str(path), line, None, f"not UTF-8 text ({exc.reason})") from None


def is_uri(value: str) -> bool:
    return bool(_URI.match(value))


def is_no_skill(label: str) -> bool:
    return label.strip().lower() in NO_SKILL


def split_uris(value: str) -> list[str]:
    """Several URIs in one field, separated by ``|``, ``;`` or ``,``."""
    return [part.strip() for part in _SEPARATORS.split(value)]


def cell_labels(value: str, file: str, line: int, field: str) -> list[str]:
    """The labels of one cell: a Python-style list of strings, URIs separated by ``|``, ``;`` or
    ``,``, or else one label (preferred labels may hold commas: "manage staff, ...")."""
    stripped = value.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        try:
            parsed = ast.literal_eval(stripped)
        except (ValueError, SyntaxError):
            parsed = None
        if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
            raise DataFileError(file, line, field, "a list of labels must be ['label', ...] of strings")
        return list(parsed)
    parts = split_uris(value)
    if all(is_uri(part) or is_no_skill(part) for part in parts):
        return parts
    return [value]


def checked_uris(
    labels: list[str], file: str, line: int, field: str, resolve: LabelResolver | None = None
) -> frozenset[str]:
    """The labels that name a skill as URIs; "no skill" markers are dropped. A label that is not a
    URI goes through ``resolve`` (a label the taxonomy lacks is dropped: the resolver counts it);
    without a resolver it is an error."""
    uris: set[str] = set()
    for label in labels:
        if is_no_skill(label):
            continue
        if is_uri(label.strip()):
            uris.add(label.strip())
            continue
        if resolve is None:
            raise DataFileError(
                file,
                line,
                field,
                f"{label.strip()[:80]!r} is not a URI (http(s):// or urn:); skill labels are "
                "read through the taxonomy's preferred labels only where a taxonomy is loaded",
            )
        uri = resolve(label.strip())
        if uri is not None:
            uris.add(uri)
    return frozenset(uris)


class SentenceIds:
    """Hands out sentence ids: the file's own when it gives one (never twice), else the sentence number."""

    def __init__(self, file: str) -> None:
        self._file = file
        self._lines: dict[str, int] = {}

    def take(self, given: str | None, line: int, field: str | None) -> str:
        sentence_id = given.strip() if given and given.strip() else str(len(self._lines) + 1)
        if sentence_id in self._lines:
            problem = f"sentence id {sentence_id!r} is already used on line {self._lines[sentence_id]}"
            raise DataFileError(self._file, line, field, problem)
        self._lines[sentence_id] = line
        return sentence_id
