"""Many documents: a folder of files, or JSON Lines (one ``{"doc_id": ..., "text": ...}`` per line).

Iteration never stops at a bad document: it yields an ``UnreadableDocument`` in that document's place
and goes on, so one encrypted CV does not sink a run over a thousand. Only a corpus that cannot be
opened at all raises.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from microcareer.adapters.documents.jsonl import iter_jsonl
from microcareer.adapters.documents.limits import DocumentLimits
from microcareer.adapters.documents.model import Document
from microcareer.adapters.documents.reader import SUPPORTED_EXTENSIONS, read_document
from microcareer.errors import UnreadableDocument

JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})


def is_jsonl_corpus(path: Path) -> bool:
    """Whether ``path`` names a JSON Lines corpus (by its extension: the content is read later)."""
    return path.suffix.lower() in JSONL_EXTENSIONS


def iter_corpus(path: Path, limits: DocumentLimits | None = None) -> Iterator[Document | UnreadableDocument]:
    """Every document under a folder, or on each line of a ``.jsonl`` file, or the one file named.

    A folder is read recursively in order of relative path, supported extensions only; hidden files
    and folders (and Office's ``~$`` lock files) are skipped, and ``doc_id`` is the relative path in
    POSIX form so ids are the same on every platform. Each file is read within ``limits`` (bytes,
    paragraphs, pages, characters, seconds); one over a limit is yielded as its ``UnreadableDocument``.
    """
    try:
        is_folder, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a path under a folder we may not enter
        raise UnreadableDocument(str(path), None, None, f"cannot be read ({exc.strerror or exc})") from None
    if is_folder:
        yield from _iter_folder(path, limits)
    elif not exists:
        raise UnreadableDocument(str(path), None, None, "no such file or folder")
    elif is_jsonl_corpus(path):
        yield from _iter_jsonl_file(path)
    else:
        yield _read_or_error(path, path.name, limits)


def count_corpus(path: Path) -> int | None:
    """How many documents ``iter_corpus`` will yield, bad ones included; None when that is unknown."""
    try:
        if path.is_dir():
            files, problems = _folder_files(path)
            return len(files) + len(problems)
        if is_jsonl_corpus(path):
            with path.open("rb") as stream:
                return sum(1 for raw in stream if raw.strip())
        return 1 if path.exists() else None
    except OSError:
        return None


def _iter_jsonl_file(path: Path) -> Iterator[Document | UnreadableDocument]:
    try:
        stream = path.open("r", encoding="utf-8", errors="surrogateescape", newline="\n")
    except OSError as exc:
        raise UnreadableDocument(str(path), None, None, f"cannot be read ({exc.strerror or exc})") from None
    with stream:
        try:
            yield from iter_jsonl(stream, source=str(path))
        except OSError as exc:  # the disk or network share failed mid-file
            raise UnreadableDocument(
                str(path), None, None, f"reading stopped ({exc.strerror or exc})"
            ) from None


def _iter_folder(folder: Path, limits: DocumentLimits | None) -> Iterator[Document | UnreadableDocument]:
    files, problems = _folder_files(folder)
    yield from problems
    for relative in files:
        yield _read_or_error(folder.joinpath(relative), relative.as_posix(), limits)


def _read_or_error(path: Path, doc_id: str, limits: DocumentLimits | None) -> Document | UnreadableDocument:
    try:
        return read_document(path, doc_id=doc_id, limits=limits)
    except UnreadableDocument as error:
        return error


def _folder_files(folder: Path) -> tuple[list[PurePosixPath], list[UnreadableDocument]]:
    """Supported files under ``folder``, sorted by relative path, and the folders that could not be listed."""
    files: list[PurePosixPath] = []
    problems: list[UnreadableDocument] = []

    def unlistable(exc: OSError) -> None:
        problems.append(
            UnreadableDocument(str(exc.filename), None, None, f"cannot list folder ({exc.strerror or exc})")
        )

    for root, dirs, names in os.walk(folder, onerror=unlistable):
        dirs[:] = [name for name in dirs if not _hidden(name)]
        base = PurePosixPath(Path(root).relative_to(folder).as_posix())
        files.extend(
            base / name
            for name in names
            if not _hidden(name) and PurePosixPath(name).suffix.lower() in SUPPORTED_EXTENSIONS
        )
    return sorted(files), problems


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))
