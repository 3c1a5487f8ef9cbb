"""``microcareer eval extraction DATASET``: score the extractor on a labelled data set."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import typer
from rich.table import Table

from microcareer.adapters.evaluation import FORMATS, load_dataset
from microcareer.cli.context import open_platform
from microcareer.cli.extract import ranking_note
from microcareer.cli.output import console, err_console, handle_errors, print_json, progress_bars
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.mentions import SkillMention
from microcareer.services import extraction
from microcareer.services.evaluation import evaluate_extraction, preferred_labels

eval_app = typer.Typer(help="Evaluate components on labelled data.", no_args_is_help=True)


@eval_app.command("extraction")
@handle_errors
def evaluate(
    dataset: Path = typer.Argument(
        ...,
        help="CoNLL BIO spans (.conll, may have a URI column) or sentence → skills (.jsonl, .csv, .tsv; "
        "a CSV label may be a URI or an ESCO preferred label, as the ESCO skill-extraction benchmark's "
        "sentence,span,sub_span,label files and SkillSkape's sentence,skills lists give them).",
    ),
    data_format: str | None = typer.Option(
        None, "--format", help=f"One of {', '.join(FORMATS)}; default: guessed."
    ),
    tag_column: int | None = typer.Option(
        None, help="CoNLL: the column of BIO tags (0-based; default the last)."
    ),
    uri_column: int | None = typer.Option(
        None, help="CoNLL: a column with each span's ESCO URI on its B- token."
    ),
    merge_tag_columns: bool = typer.Option(
        False, help="CoNLL with two tag columns (skill and knowledge, as SkillSpan): score both as spans."
    ),
    methods: str = typer.Option(
        "lexical,fuzzy,ranking", help="Comma-separated: lexical, fuzzy, semantic, ranking."
    ),
    min_score: float = typer.Option(
        0.5,
        "--min-score",
        min=0.0,
        max=1.0,
        help="P/R/F1 count the skills scored at least this; rankings read every one found.",
    ),
    k: int = typer.Option(5, "-k", min=1, help="The K of RP@K."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Span P/R/F1 (strict and overlap), skill-level P/R/F1, and RP@K, R-precision and MRR."""
    request = extraction.ExtractionRequest(
        methods=extraction.parse_methods(methods.split(",")), min_confidence=0.0
    )
    with open_platform() as platform:
        labels = preferred_labels(platform.uow())
        labelled = load_dataset(
            dataset,
            format=data_format,
            tag_column=tag_column,
            uri_column=uri_column,
            merge_tag_columns=merge_tag_columns,
            resolve=labels,
        )
        extractor = extraction.extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
    if not as_json:
        ranking_note(request.methods)
    options = extraction.options_for(Actor.system(), request, extractor)

    def extract(texts: Sequence[str]) -> list[tuple[SkillMention, ...]]:
        return [d.mentions for d in extractor.extract_many([("", t) for t in texts], options=options)]

    with progress_bars(quiet=quiet or as_json) as progress:
        started = time.perf_counter()
        report = evaluate_extraction(labelled, extract, progress=progress, k=k, threshold=min_score)
        seconds = time.perf_counter() - started
    speed = report.counts.sentences / seconds if seconds > 0 else 0.0
    missing = sum(labels.missing.values())
    if as_json:
        print_json(
            {
                **report.to_dict(),
                "methods": sorted(m.value for m in request.methods),
                "threshold": min_score,
                "sentences_per_second": round(speed, 1),
                "unmapped_gold_labels": dict(labels.missing),
            }
        )
        return
    if missing:
        err_console.print(
            f"{missing} gold label(s) are no preferred label of the taxonomy and were left out: "
            + ", ".join(sorted(labels.missing)[:5]),
            highlight=False,
        )
    table = Table(title=f"{dataset.name}: {report.counts.sentences} sentences", title_justify="left")
    for column in ("metric", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for metric, precision, recall, f1 in report.rows():
        table.add_row(metric, f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}")
    console.print(table)
    if report.ranking is not None:
        ranking = report.ranking
        console.print(
            f"ranking over {ranking.sentences} sentences with gold skills: "
            f"RP@{ranking.k} {ranking.rp_at_k:.3f}, "
            f"RP@10 {ranking.rp_at_10:.3f}, R-precision {ranking.r_precision:.3f}, MRR {ranking.mrr:.3f}",
            highlight=False,
        )
    console.print(
        f"P/R/F1 at score >= {min_score}; {speed:.1f} sentences/s (one process, model loaded)",
        highlight=False,
    )
