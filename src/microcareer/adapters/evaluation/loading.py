"""One call to read a labelled data set, its format told by the file's extension or, failing that, content."""

from __future__ import annotations

from pathlib import Path

from microcareer.adapters.evaluation.conll import ConllColumns, read_conll
from microcareer.adapters.evaluation.jsonl import read_jsonl
from microcareer.adapters.evaluation.labels import LabelResolver, read_text
from microcareer.adapters.evaluation.table import LABEL_COLUMNS, TEXT_COLUMNS, find_column, read_table
from microcareer.domain.evaluation.datasets import LabelledDataset
from microcareer.errors import DataFileError, InvalidInput

FORMATS = ("conll", "jsonl", "csv", "tsv")
_BY_EXTENSION = {
    ".conll": "conll",
    ".conllu": "conll",
    ".bio": "conll",
    ".iob": "conll",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}


def load_dataset(
    path: Path | str,
    *,
    format: str | None = None,
    tag_column: int | None = None,
    uri_column: int | None = None,
    merge_tag_columns: bool = False,
    resolve: LabelResolver | None = None,
) -> LabelledDataset:
    """Read a labelled data set; ``format`` (one of ``FORMATS``) overrides detection.

    The column options apply to CoNLL files only (see ``ConllColumns``); ``resolve`` turns CSV/TSV
    labels that are not URIs (preferred labels, as the ESCO skill-extraction benchmark writes them)
    into URIs.
    """
    file = Path(path)
    if format is not None and format not in FORMATS:
        raise InvalidInput(f"unknown data set format {format!r}: use one of {', '.join(FORMATS)}")
    chosen = format or detect_format(file)
    if chosen == "conll":
        return read_conll(file, ConllColumns(tag_column, uri_column, merge_tag_columns))
    if chosen == "jsonl":
        return read_jsonl(file)
    return read_table(file, "\t" if chosen == "tsv" else ",", resolve)


def detect_format(path: Path) -> str:
    """By extension; else a first line that opens a JSON object, a table header, or a CoNLL token line."""
    known = _BY_EXTENSION.get(path.suffix.lower())
    if known:
        return known
    first = next((line for line in read_text(path).splitlines() if line.strip()), None)
    if first is None:
        raise DataFileError(str(path), None, None, "is empty")
    if first.lstrip().startswith("{"):
        return "jsonl"
    for name, delimiter in (("tsv", "\t"), ("csv", ",")):
        header = first.split(delimiter)
        if find_column(header, TEXT_COLUMNS) is not None and find_column(header, LABEL_COLUMNS) is not None:
            return name
    return "conll"
