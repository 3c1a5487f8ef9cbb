"""``microcareer extract``: skills from a document, a folder of them, JSON Lines, or standard input."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from microcareer.adapters.documents import Document, count_corpus, iter_corpus, iter_jsonl, read_document
from microcareer.bootstrap import document_limits
from microcareer.cli.context import open_extraction
from microcareer.cli.extraction_output import PARQUET_FORMATS, ExtractionWriter, OutputFormat
from microcareer.cli.extraction_workers import extraction_run
from microcareer.cli.output import console, err_console, handle_errors, progress_bars
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.mentions import Method
from microcareer.errors import InvalidInput, UnreadableDocument
from microcareer.services import extraction

if TYPE_CHECKING:
    from microcareer.cli.extraction_parquet import ParquetExtractionWriter as ParquetWriter

PARQUET_SUFFIXES = (".parquet", ".pq")


def _documents(
    source: str, jsonl: bool, id_column: str | None, text_column: str | None
) -> tuple[Iterable[Document | UnreadableDocument], int | None, bool]:
    """The documents to read, how many (if cheap to know), and whether it is a corpus."""
    path = Path(source)
    parquet = source != "-" and not jsonl and path.suffix.casefold() in PARQUET_SUFFIXES
    if not parquet and (id_column or text_column):
        raise InvalidInput("--id-column and --text-column apply to Parquet input only", field="source")
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
    if not path.exists():
        raise InvalidInput(f"{source}: no such file or folder", field="source")
    if parquet:
        # Imported here, as Dask is: pyarrow would slow every start-up, Parquet or not.
        from microcareer.adapters.documents.parquet import count_parquet, iter_parquet

        documents = iter_parquet(path, id_column=id_column or "doc_id", text_column=text_column or "text")
        # Checks the columns now, before the lexicon is loaded, not at the first row.
        first = next(documents, None)
        items = documents if first is None else _chain(first, documents)
        return items, count_parquet(path), True
    limits = document_limits(Settings())  # the server's limits (MICROCAREER_DOCUMENT_*), file by file
    if path.is_dir() or jsonl or path.suffix.casefold() in (".jsonl", ".ndjson"):
        return iter_corpus(path, limits), count_corpus(path), True
    return [read_document(path, limits=limits)], 1, False


def _chain(
    first: Document | UnreadableDocument, rest: Iterable[Document | UnreadableDocument]
) -> Iterable[Document | UnreadableDocument]:
    yield first
    yield from rest


def _output_format(
    chosen: OutputFormat | None, output: Path | None, jsonl: bool, corpus: bool
) -> OutputFormat:
    if chosen is None and output is not None and output.suffix.casefold() in PARQUET_SUFFIXES:
        chosen = OutputFormat.PARQUET
    chosen = chosen or (
        OutputFormat.MENTIONS if jsonl else OutputFormat.JSON if corpus else OutputFormat.TABLE
    )
    if chosen in PARQUET_FORMATS and output is None:
        raise InvalidInput(f"--format {chosen}: Parquet is a binary file format: name one with --output")
    return chosen


@handle_errors
def extract(
    source: str = typer.Argument(
        ...,
        help="A file (txt, md, html, pdf, docx), a folder of them, a .jsonl or .parquet corpus, "
        "or - for stdin.",
    ),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Input is JSON Lines, {"doc_id": ..., "text": ...} per line (stdin or a file).'
    ),
    id_column: str | None = typer.Option(
        None, "--id-column", help="Parquet input: the column of document ids (default doc_id)."
    ),
    text_column: str | None = typer.Option(
        None, "--text-column", help="Parquet input: the column of texts (default text)."
    ),
    output_format: OutputFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="table (one document), mentions (JSON Lines: doc_id, uri, label, start, end, score; the default "
        "with --jsonl), json (a document a line, the default for folders), csv, skills-csv, parquet (a "
        "mention a row, to --output; the default when it ends in .parquet), skills-parquet.",
    ),
    ranked: bool | None = typer.Option(
        None,
        "--ranked/--precise",
        help="ranked: every sentence's (or clause's) best ESCO skills with calibrated scores, best "
        "first, named or implied (the default with --jsonl); precise: what the text names, a "
        "recruiter's list (the default otherwise).",
    ),
    methods: str | None = typer.Option(
        None,
        help="Comma-separated: lexical, fuzzy, semantic, ranking. Default: lexical,fuzzy,ranking when "
        "ranked, lexical,fuzzy when precise.",
    ),
    min_score: float | None = typer.Option(
        None,
        "--min-score",
        min=0.0,
        max=1.0,
        help="Leave out mentions below this (default 0 when ranked, 0.5 when precise).",
    ),
    top: int = typer.Option(
        0, "--top", min=0, max=100, help="Ranking: skills kept per sentence or clause (default 20)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        "-w",
        min=0,
        help="Processes; 0 uses every core. On files, a local Dask cluster (a few seconds to start: "
        "worth it on large corpora); on stdin, a forked pool, which starts at once, as streams need.",
    ),
    dask: str | None = typer.Option(
        None,
        "--dask",
        metavar="ADDRESS",
        help="Run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); its workers need "
        "microcareer installed, not the database: the client sends them the lexicon.",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Find ESCO skills in texts: each mention with its span and confidence, and each document's skill set.

    Unreadable documents in a corpus are reported on stderr and skipped; the exit code is then 1.
    """
    view = extraction.view_defaults(jsonl if ranked is None else ranked)
    request = extraction.ExtractionRequest(
        methods=extraction.parse_methods((methods or view.methods).split(",")),
        min_confidence=view.min_confidence if min_score is None else min_score,
        top=top,
    )
    documents, total, corpus = _documents(source, jsonl, id_column, text_column)
    chosen = _output_format(output_format, output, jsonl, corpus)
    processes = (os.cpu_count() or 1) if workers == 0 else workers
    if Method.RANKING in request.methods and processes > 1 and dask is None:
        # a process forked after torch started can hang; torch spreads one batch over the cores itself
        err_console.print(
            "note: ranking runs in one process (its model uses several cores); --workers is ignored",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        processes = 1
    failed = 0

    def status(message: str) -> AbstractContextManager[object]:
        return nullcontext() if quiet else err_console.status(message, spinner="dots")

    def prepare() -> tuple[SkillExtractor, ExtractionOptions]:
        with open_extraction() as (platform, taxonomy), status("loading the skills lexicon"):
            extractor = extraction.extractor_cache(platform.caches).get(taxonomy, platform.lexicons)
        ranking_note(request.methods)
        # Checked once here; every worker, local or remote, applies these same options.
        with status("loading the skill ranker (the first run embeds the taxonomy: minutes)"):
            return extractor, extraction.options_for(Actor.system(), request, extractor)

    with (
        extraction_run(
            prepare,
            methods=request.methods,
            processes=processes if corpus else 1,  # no workers to start for one document
            dask_address=dask,
            streaming=source == "-",
            status=status,
        ) as run,
        _writer(chosen, output) as writer,
        progress_bars(quiet=quiet or not corpus or source == "-") as progress,
    ):
        progress.stage("extracting skills", total)
        for result in run(documents):
            if isinstance(result, UnreadableDocument):
                failed += 1
                err_console.print(f"skipped: {result}", highlight=False, soft_wrap=True)
            else:
                writer.write(result)
            progress.advance()
    if failed:
        err_console.print(f"{failed} document(s) could not be read (see above)")
        raise typer.Exit(1)


@contextmanager
def _writer(chosen: OutputFormat, output: Path | None) -> Iterator[ExtractionWriter | ParquetWriter]:
    if chosen in PARQUET_FORMATS:
        assert output is not None  # _output_format saw to it
        from microcareer.cli.extraction_parquet import ParquetExtractionWriter

        parquet = ParquetExtractionWriter(output, chosen)
        try:
            yield parquet
        finally:
            parquet.close()
        return
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        yield ExtractionWriter(stream, chosen, console)
    finally:
        if output:
            stream.close()


def ranking_note(methods: frozenset[Method]) -> None:
    """One line on stderr when ranking runs without its sentence-embedding model."""
    from microcareer.adapters.semantic import semantic_extra_installed

    if Method.RANKING in methods and not semantic_extra_installed():
        err_console.print(
            "note: no sentence-embedding model installed (microcareer[semantic]): ranking uses TF-IDF "
            "and lexical features only",
            highlight=False,
            markup=False,  # "[semantic]" is text, not a style
            soft_wrap=True,  # one line, whatever the terminal's width
        )


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
