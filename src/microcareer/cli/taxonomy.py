"""``microcareer taxonomy``: import an ESCO CSV download, and show what taxonomy is loaded."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from microcareer.adapters.esco_csv import EscoCsvDirectory, bundled_taxonomy
from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json, progress_bars
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import TaxonomyCounts
from microcareer.domain.taxonomy.imports import ImportReport
from microcareer.services.ports import Progress
from microcareer.services.taxonomy_import import import_taxonomy, taxonomy_info

taxonomy_app = typer.Typer(
    help="The ESCO skills taxonomy: import a download, see what is loaded.", no_args_is_help=True
)


def load_bundled_taxonomy(platform: Platform, progress: Progress) -> ImportReport:
    """Load the ESCO build shipped with microcareer, replacing the stored ESCO taxonomy."""
    return import_taxonomy(platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=progress)


def _counts_line(counts: TaxonomyCounts) -> str:
    return (
        f"{counts.skills:,} skills, {counts.skill_groups:,} skill groups, "
        f"{counts.occupations:,} occupations, "
        f"{counts.isco_groups:,} ISCO groups, {counts.occupation_skills:,} occupation-skill relations, "
        f"{counts.skill_relations:,} skill-skill relations, {counts.labels:,} skill labels"
    )


@taxonomy_app.command("import-esco")
@handle_errors
def import_esco(
    folder: Path = typer.Argument(..., help="Folder of the official ESCO CSV download (.csv or .csv.gz)."),
    language: str | None = typer.Option(
        None, "--language", help="Language to import when the folder holds several (e.g. en, de)."
    ),
    version: str | None = typer.Option(None, "--version", help="ESCO version of the download, e.g. 1.2.0."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Replace the ESCO taxonomy with a full ESCO CSV download; organisation skills are kept."""
    source = EscoCsvDirectory(folder, language=language, version=version)
    with open_platform() as platform, progress_bars(quiet=quiet) as progress:
        report = import_taxonomy(platform.uow(), actor=Actor.system(), source=source, progress=progress)
    console.print(f"imported ESCO {report.version} ({report.language}): {_counts_line(report.counts)}")
    if report.skipped:
        console.print(
            f"left out {report.skipped_rows:,} relation rows naming concepts that no concept file holds:",
            highlight=False,
        )
        for skipped in report.skipped:
            console.print(
                f"  {skipped.file}: {skipped.count:,} rows, e.g. {skipped.examples[0]}", highlight=False
            )


@taxonomy_app.command("info")
@handle_errors
def info(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Which ESCO taxonomy is loaded: source, version, language, when, and how much."""
    with open_platform() as platform:
        facts = taxonomy_info(platform.uow(), actor=Actor.system())
    if as_json:
        print_json(asdict(facts))
        return
    console.print(f"source: {facts.source or '(none loaded)'}", highlight=False)
    console.print(f"version: {facts.version or '-'}  language: {facts.language or '-'}", highlight=False)
    console.print(f"imported at: {facts.imported_at or '-'}  revision: {facts.revision}", highlight=False)
    console.print(_counts_line(facts.counts), highlight=False)
    console.print(f"{facts.counts.organisation_skills:,} organisation skills", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(taxonomy_app, name="taxonomy")
