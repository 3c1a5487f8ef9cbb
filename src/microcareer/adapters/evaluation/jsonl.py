"""JSON Lines of sentences with their ESCO URIs: ``{"id": ..., "text": ..., "uris": [...]}`` per line.

``sentence`` may stand for ``text``, ``labels`` for ``uris`` and ``sentence_id`` for ``id``; the URIs
may be a list or one string of URIs separated by ``|``, ``;`` or ``,``. An empty list, or labels such
as ``UNK`` or ``LABEL NOT PRESENT``, mean the sentence names no skill.
"""

from __future__ import annotations

import json
from pathlib import Path

from microcareer.adapters.evaluation.labels import SentenceIds, checked_uris, read_text, split_uris
from microcareer.domain.evaluation.datasets import DatasetFormat, LabelledDataset, LabelledSentence
from microcareer.errors import DataFileError


def read_jsonl(path: Path) -> LabelledDataset:
    file = str(path)
    ids = SentenceIds(file)
    sentences: list[LabelledSentence] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            sentences.append(_sentence(line, number, ids, file))
    if not sentences:
        raise DataFileError(file, None, None, "holds no sentence")
    return LabelledDataset(path.name, DatasetFormat.SENTENCE_URIS, tuple(sentences))


def _sentence(line: str, number: int, ids: SentenceIds, file: str) -> LabelledSentence:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            file, number, None, f"not valid JSON ({exc.msg}, at character {exc.pos + 1})"
        ) from None
    if not isinstance(record, dict):
        raise DataFileError(file, number, None, "each line must be a JSON object")
    text_field = _field(record, ("text", "sentence"), number, file)
    text = record[text_field]
    if not isinstance(text, str) or not text.strip():
        raise DataFileError(file, number, text_field, "must be a non-empty string")
    uri_field = _field(record, ("uris", "labels"), number, file)
    uris = checked_uris(_labels(record[uri_field], number, uri_field, file), file, number, uri_field)
    given = record.get("id", record.get("sentence_id"))
    if given is not None and not isinstance(given, str | int):
        raise DataFileError(file, number, "id", "must be a string or a number")
    sentence_id = ids.take(None if given is None else str(given), number, "id")
    return LabelledSentence(sentence_id, text, (), uris)


def _field(record: dict[str, object], names: tuple[str, ...], number: int, file: str) -> str:
    for name in names:
        if name in record:
            return name
    raise DataFileError(file, number, names[0], f"is missing (give {' or '.join(map(repr, names))})")


def _labels(value: object, number: int, field: str, file: str) -> list[str]:
    if isinstance(value, str):
        return split_uris(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise DataFileError(file, number, field, "must be a list of URI strings")
