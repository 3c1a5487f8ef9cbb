"""CSV or TSV files of sentences and labels, one row per sentence or per (sentence, skill) pair.

The header names a sentence column (``sentence`` or ``text``), a label column (``label``, ``labels``,
``uris`` or ``skills``) and optionally an id column (``id`` or ``sentence_id``), in any case; other
columns (the benchmark's ``span`` and ``sub_span``) are read past. Rows of the same sentence (same id,
or same text when there is no id column) are grouped; a label cell may hold several URIs separated by
``|``, ``;`` or ``,``, or a Python-style list (``['label', ...]``, as SkillSkape writes them), and
``UNK``, ``LABEL NOT PRESENT``, ``UNDERSPECIFIED`` or an empty cell mean no skill.

Labels that are not URIs (the ESCO skill-extraction benchmark gives preferred labels) are turned into
URIs by ``resolve`` (the taxonomy's preferred labels); without one they are an error.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from microcareer.adapters.evaluation.labels import (
    LabelResolver,
    SentenceIds,
    cell_labels,
    checked_uris,
    read_text,
)
from microcareer.domain.evaluation.datasets import DatasetFormat, LabelledDataset, LabelledSentence
from microcareer.errors import DataFileError

TEXT_COLUMNS = ("sentence", "text")
LABEL_COLUMNS = ("label", "labels", "uris", "skills")
ID_COLUMNS = ("id", "sentence_id")


@dataclass(slots=True)
class _Group:
    line: int
    text: str
    given_id: str | None
    uris: set[str] = field(default_factory=set)


def find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [name.strip().lower() for name in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def read_table(path: Path, delimiter: str, resolve: LabelResolver | None = None) -> LabelledDataset:
    file = str(path)
    reader = csv.reader(read_text(path).splitlines(keepends=True), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
        text_col, label_col = find_column(header, TEXT_COLUMNS), find_column(header, LABEL_COLUMNS)
        if text_col is None or label_col is None:
            wanted = "a sentence column (sentence or text) and a label column (label, labels or uris)"
            raise DataFileError(file, 1, None, f"the header needs {wanted}")
        id_col = find_column(header, ID_COLUMNS)
        groups: dict[str, _Group] = {}
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                _add_row(groups, row, start, header, (text_col, label_col, id_col), file, resolve)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(file, reader.line_num, None, f"malformed CSV ({exc})") from None
    if not groups:
        raise DataFileError(file, None, None, "holds no sentence")
    ids = SentenceIds(file)
    sentences = tuple(
        LabelledSentence(ids.take(g.given_id, g.line, None), g.text, (), frozenset(g.uris))
        for g in groups.values()
    )
    return LabelledDataset(path.name, DatasetFormat.SENTENCE_URIS, sentences)


def _add_row(
    groups: dict[str, _Group],
    row: list[str],
    line: int,
    header: list[str],
    columns: tuple[int, int, int | None],
    file: str,
    resolve: LabelResolver | None,
) -> None:
    text_col, label_col, id_col = columns
    if len(row) != len(header):
        raise DataFileError(file, line, None, f"has {len(row)} fields but the header has {len(header)}")
    text = row[text_col].strip()
    if not text:
        raise DataFileError(file, line, header[text_col], "is empty but required")
    given_id = (row[id_col].strip() or None) if id_col is not None else None
    group = groups.setdefault(given_id or text, _Group(line, text, given_id))
    if group.text != text:
        problem = f"sentence id {given_id!r} has a different text on line {group.line}"
        raise DataFileError(file, line, header[text_col], problem)
    labels = cell_labels(row[label_col], file, line, header[label_col])
    group.uris |= checked_uris(labels, file, line, header[label_col], resolve)
