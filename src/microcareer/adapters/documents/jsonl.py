"""JSON Lines corpora: one ``{"doc_id": ..., "text": ...}`` object per line, from a file or stdin.

A bad line is yielded as an error naming the stream, the line and the field, and reading goes on:
a corpus exported from another system often has a few broken records, and they should not cost the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from microcareer.adapters.documents import limits, model
from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.plain import normalise_newlines
from microcareer.errors import UnreadableDocument


def iter_jsonl(lines: Iterable[str], *, source: str) -> Iterator[Document | UnreadableDocument]:
    """One document per non-blank line; ``source`` (a path, ``<stdin>``) names the stream in errors.

    Each line is an object with ``doc_id`` (or ``id``: a string, or an integer that is turned into
    one) and ``text`` (a string); other fields are ignored. A document's ``source`` is ``source:line``.
    """
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            document = _jsonl_document(line, source, number)
        except UnreadableDocument as error:
            yield error
            continue
        if document.doc_id in first_line:
            yield UnreadableDocument(
                source,
                number,
                "doc_id",
                f"duplicate doc_id {document.doc_id!r} (first on line {first_line[document.doc_id]})",
            )
            continue
        first_line[document.doc_id] = number
        yield document


def _jsonl_document(line: str, source: str, number: int) -> Document:
    if not _is_utf8(line):
        raise UnreadableDocument(source, number, None, "the line is not valid UTF-8")
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UnreadableDocument(
            source, number, None, f"not valid JSON ({exc.msg} at character {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, nesting too deep
        raise UnreadableDocument(source, number, None, f"not usable JSON ({exc})") from None
    if not isinstance(record, dict):
        raise UnreadableDocument(source, number, None, f"expected a JSON object, found {_json_type(record)}")
    field = "doc_id" if "doc_id" in record or "id" not in record else "id"
    doc_id, text = record.get(field), record.get("text")
    if doc_id is None:
        raise UnreadableDocument(source, number, field, "the document id is missing (doc_id or id)")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip() or not _is_utf8(doc_id):
        raise UnreadableDocument(
            source,
            number,
            field,
            f"the document id must be a non-empty string or an integer, found {_json_type(doc_id)} "
            f"{json.dumps(doc_id)[:40]}",
        )
    if not isinstance(text, str):
        problem = "is missing" if text is None else f"must be a string, found {_json_type(text)}"
        raise UnreadableDocument(source, number, "text", f"the text field {problem}")
    if not _is_utf8(text):
        raise UnreadableDocument(source, number, "text", "holds a lone surrogate (a broken \\u escape)")
    limits.check_text_length(len(text), source, number, "text")
    return Document(
        doc_id=doc_id, text=normalise_newlines(text), source=f"{source}:{number}", media_type=model.PLAIN_TEXT
    )


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, as the person who wrote the file knows it."""
    if isinstance(value, bool):
        return "boolean"
    names = {dict: "object", list: "array", str: "string", int: "number", float: "number"}
    return names.get(type(value), "null")


def _is_utf8(value: str) -> bool:
    """False for lone surrogates: undecodable bytes (read with surrogateescape) or ``\\ud800`` escapes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
