"""``microcareer extract``: skills from a document, a folder of them, JSON Lines, or standard input."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

import typer

from microcareer.adapters.documents import Document, count_corpus, iter_corpus, iter_jsonl, read_document
from microcareer.cli.context import open_platform
from microcareer.cli.extraction_output import ExtractionWriter, OutputFormat
from microcareer.cli.output import console, err_console, handle_errors, progress_bars
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.mentions import DocumentExtraction
from microcareer.errors import InvalidInput, UnreadableDocument
from microcareer.services import extraction

# Set in the parent before the pool forks, so workers share the lexicon's memory instead of loading it.
_WORKER: tuple[SkillExtractor, ExtractionOptions] | None = None


def _extract_in_worker(document: Document) -> DocumentExtraction:
    assert _WORKER is not None
    extractor, options = _WORKER
    return extractor.extract(document.text, doc_id=document.doc_id, options=options)


def _documents(source: str, jsonl: bool) -> tuple[Iterable[Document | UnreadableDocument], int | None, bool]:
    """The documents to read, how many (if cheap to know), and whether it is a corpus."""
    if source == "-":
        if jsonl:
            # surrogateescape: a line that is not UTF-8 becomes that line's error, not the end of the run
            lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
            return iter_jsonl(lines, source="<stdin>"), None, True
        return (
            [Document(doc_id="<stdin>", text=sys.stdin.read(), source="<stdin>", media_type="text/plain")],
            1,
            False,
        )
    path = Path(source)
    if not path.exists():
        raise InvalidInput(f"{source}: no such file or folder", field="source")
    if path.is_dir() or jsonl or path.suffix.casefold() in (".jsonl", ".ndjson"):
        return iter_corpus(path), count_corpus(path), True
    return [read_document(path)], 1, False


def _results(
    documents: Iterable[Document | UnreadableDocument], workers: int
) -> Iterator[DocumentExtraction | UnreadableDocument]:
    if workers <= 1:
        for item in documents:
            yield item if isinstance(item, UnreadableDocument) else _extract_in_worker(item)
        return
    # Unreadable ones are reported in order without a trip to a worker.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pending: list[Document | UnreadableDocument] = []
        for item in documents:
            pending.append(item)
            if len(pending) >= workers * 64:
                yield from _batch(pool, pending)
                pending = []
        yield from _batch(pool, pending)


def _batch(
    pool: object, items: list[Document | UnreadableDocument]
) -> Iterator[DocumentExtraction | UnreadableDocument]:
    readable = [item for item in items if isinstance(item, Document)]
    found = iter(pool.imap(_extract_in_worker, readable, chunksize=8))  # type: ignore[attr-defined]
    for item in items:
        yield item if isinstance(item, UnreadableDocument) else next(found)


@handle_errors
def extract(
    source: str = typer.Argument(
        ..., help="A file (txt, md, html, pdf, docx), a folder of them, a .jsonl corpus, or - for stdin."
    ),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Input is JSON Lines, {"doc_id": ..., "text": ...} per line (stdin or a file).'
    ),
    output_format: OutputFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="table (one document), mentions (JSON Lines: doc_id, uri, label, start, end, score; the default "
        "with --jsonl), json (a document a line, the default for folders), csv, skills-csv.",
    ),
    methods: str = typer.Option("lexical,fuzzy", help="Comma-separated: lexical, fuzzy, semantic."),
    min_score: float = typer.Option(
        0.5, "--min-score", min=0.0, max=1.0, help="Leave out mentions below this."
    ),
    workers: int = typer.Option(1, "--workers", "-w", min=0, help="Processes; 0 uses every core."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Find ESCO skills in texts: each mention with its span and confidence, and each document's skill set.

    Unreadable documents in a corpus are reported on stderr and skipped; the exit code is then 1.
    """
    global _WORKER
    request = extraction.ExtractionRequest(
        methods=extraction.parse_methods(methods.split(",")), min_confidence=min_score
    )
    documents, total, corpus = _documents(source, jsonl)
    chosen = output_format or (
        OutputFormat.MENTIONS if jsonl else OutputFormat.JSON if corpus else OutputFormat.TABLE
    )
    loading = err_console.status("loading the skills lexicon", spinner="dots") if not quiet else nullcontext()
    with open_platform() as platform, loading:
        extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    _WORKER = (extractor, extraction.options_for(Actor.system(), request, extractor))
    processes = (os.cpu_count() or 1) if workers == 0 else workers
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    failed = 0
    try:
        writer = ExtractionWriter(stream, chosen, console)
        show_progress = corpus and not quiet and source != "-"
        with progress_bars(quiet=not show_progress) as progress:
            progress.stage("extracting skills", total)
            for result in _results(documents, processes):
                if isinstance(result, UnreadableDocument):
                    failed += 1
                    err_console.print(f"skipped: {result}", highlight=False, soft_wrap=True)
                else:
                    writer.write(result)
                progress.advance()
    finally:
        if output:
            stream.close()
    if failed:
        err_console.print(f"{failed} document(s) could not be read (see above)")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
