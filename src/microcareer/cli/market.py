"""``microcareer market``: job postings in (ingest, demo corpus), demand, trends, one skill, a profile's
skills at risk, occupations, charts (SVG) and tables (CSV, Parquet) out. The CLI is the local operator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import typer
from rich.table import Table as RichTable

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, err_console, handle_errors, print_json, progress_bars
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput
from microcareer.services.market_demand import Selection

market_app = typer.Typer(
    help="Labour-market intelligence from job postings: ingest, demand, trends, charts and exports.",
    no_args_is_help=True,
)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: {value!r} is not a date (YYYY-MM-DD)", field=name) from None


def _selection(start: str | None, end: str | None, place: str, occupation: str, group: str) -> Selection:
    return Selection(_date(start, "start"), _date(end, "end"), place, occupation, group)


Report = TypeVar("Report")


def _report(
    service: Callable[..., Report],
    start: str | None,
    end: str | None,
    place: str,
    occupation: str,
    group: str,
    limit: int,
) -> Report:
    """Runs a market report (demand, trends) over the selected postings as the local operator."""
    from microcareer.services.gap_analysis import graph_cache

    selection = _selection(start, end, place, occupation, group)
    with open_platform() as platform:
        return service(
            platform.uow(),
            graph_cache(platform.caches),
            actor=Actor.system(),
            selection=selection,
            limit=limit,
        )


START = typer.Option(None, "--from", help="First day (YYYY-MM-DD).")
END = typer.Option(None, "--to", help="Last day (YYYY-MM-DD).")
PLACE = typer.Option("", "--place", help="Only postings in this place (as written in the postings).")
OCCUPATION = typer.Option("", "--occupation", help="Only postings matched to this ESCO occupation URI.")
GROUP = typer.Option("", "--skill-group", help="Only skills under this ESCO skill group URI.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def ingest_file(
    platform: Platform,
    path: Path,
    *,
    file_format: str | None,
    columns: str,
    source: str,
    quiet: bool,
    workers: int = 0,
    dask: str | None = None,
) -> object:
    """The file at ``path`` checked as ``market_ingest.ingest_file`` checks it (as the API and the web
    upload do, without their row cap), then ingested as a job of this process with a progress bar: one
    ingest job at a time across the CLI and every server on the database (else ``Busy``). With
    ``workers`` or ``dask`` the records are read, signed and extracted on Dask (a local cluster of
    ``workers`` processes, or the scheduler at ``dask``) and stored here: the same store."""
    from contextlib import ExitStack

    from microcareer.adapters.posting_files import PostingFile
    from microcareer.services import market_ingest
    from microcareer.services.market_ports import PostingAnalyser

    actor = Actor.system()
    file = PostingFile.at(path, file_format)
    checked = market_ingest.check_file(actor, file=file, columns=columns, source=source)
    with ExitStack() as stack:
        analyser: PostingAnalyser | None = None
        if dask or workers:
            from microcareer.adapters.extraction_cluster import dask_client
            from microcareer.adapters.market_cluster import DaskPostingAnalyser

            # the cluster first: the job's heartbeat starts with its run, not while processes start
            analyser = DaskPostingAnalyser(stack.enter_context(dask_client(dask, workers or 2)))
        jobs = platform.ingest_jobs
        job = jobs.start(actor, checked)
        with progress_bars(quiet=quiet) as progress:
            return jobs.run_attached(actor, job, checked, shown=progress, analyser=analyser)


@market_app.command("ingest")
@handle_errors
def ingest(
    path: Path = typer.Argument(..., help="A CSV, JSON Lines or Parquet file of postings."),
    file_format: str | None = typer.Option(None, "--format", help="csv, jsonl or parquet (default: suffix)."),
    columns: str = typer.Option(
        "", "--columns", help="FIELD=COLUMN pairs, e.g. 'id=job_id,text=description'."
    ),
    source: str = typer.Option("", "--source", help="Source name for rows without one (default: file name)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    show_bad: int = typer.Option(20, "--show-bad", help="How many bad rows to list."),
    workers: int = typer.Option(
        0, "--workers", min=0, max=256, help="Extract on a local Dask cluster of N processes."
    ),
    dask: str | None = typer.Option(None, "--dask", help="Extract on a running Dask scheduler's workers."),
) -> None:
    """Ingest postings: HTML stripped, re-posts collapsed, skills extracted; re-running changes nothing.
    With --workers/--dask the extraction runs on Dask and the store ends up the same."""
    with open_platform() as platform:
        report = ingest_file(
            platform,
            path,
            file_format=file_format,
            columns=columns,
            source=source,
            quiet=quiet,
            workers=workers,
            dask=dask,
        )
    from microcareer.services.market_ingest import IngestReport

    assert isinstance(report, IngestReport)
    console.print(report.summary(), soft_wrap=True, highlight=False)
    for line, message in report.bad[:show_bad]:
        err_console.print(f"{path.name}:{line}: {message}", soft_wrap=True, highlight=False)


@market_app.command("demo-corpus")
@handle_errors
def demo_corpus(
    out: Path = typer.Argument(..., help="Where to write (.jsonl, .csv or .parquet)."),
    postings: int = typer.Option(2_000, "--postings", min=1, max=5_000_000),
    seed: int = typer.Option(19, "--seed"),
    end: str | None = typer.Option(None, "--end", help="Last month's date (default 2026-12-01)."),
) -> None:
    """Write a seeded demo corpus: two years of postings with rising and fading skills."""
    from microcareer.adapters.posting_files import write_records
    from microcareer.domain.market.demo_corpus import generate

    n = write_records(out, generate(postings, seed=seed, end=_date(end, "end")))
    console.print(f"{n:,} postings written to {out}")


@market_app.command("demand")
@handle_errors
def demand(
    start: str | None = START,
    end: str | None = END,
    place: str = PLACE,
    occupation: str = OCCUPATION,
    group: str = GROUP,
    limit: int = typer.Option(20, "--limit"),
    as_json: bool = JSON,
) -> None:
    """Skill shares of postings and the pay of postings naming a skill."""
    from microcareer.services import market_demand
    from microcareer.services.market_tables import demand_table, pay_table

    report = _report(market_demand.demand, start, end, place, occupation, group, limit)
    if as_json:
        print_json(
            {"postings": report.postings, "skills": demand_table(report).rows, "pay": pay_table(report).rows}
        )
        return
    table = RichTable(title=f"Demand over {report.postings:,} postings", title_justify="left")
    for column in ("skill", "postings", "share"):
        table.add_column(column, justify="left" if column == "skill" else "right")
    for s in report.skills:
        table.add_row(s.label, f"{s.postings:,}", f"{100 * s.share:.1f}%")
    console.print(table)


@market_app.command("trends")
@handle_errors
def trends(
    start: str | None = START,
    end: str | None = END,
    place: str = PLACE,
    occupation: str = OCCUPATION,
    group: str = GROUP,
    limit: int = typer.Option(15, "--limit"),
    as_json: bool = JSON,
) -> None:
    """Rising and fading skills: monthly shares, growth, a trend test with false-discovery control."""
    from microcareer.services import market_trends
    from microcareer.services.market_tables import trends_table

    report = _report(market_trends.trends, start, end, place, occupation, group, limit)
    if as_json:
        print_json(
            {
                "months": report.months,
                "tested": report.tested,
                "note": report.note,
                "trends": trends_table(report).rows,
            }
        )
        return
    for title, found in (("rising", report.rising), ("fading", report.fading)):
        table = RichTable(title=f"{title.capitalize()} ({len(found)})", title_justify="left")
        for column in ("skill", "postings", "first half", "second half", "q"):
            table.add_column(column, justify="left" if column == "skill" else "right")
        for t in found:
            table.add_row(
                t.label,
                f"{t.total:,}",
                f"{100 * t.share_first:.1f}%",
                f"{100 * t.share_last:.1f}%",
                f"{t.q_value:.2g}" if t.q_value is not None else "",
            )
        console.print(table)
    err_console.print(report.note, soft_wrap=True, highlight=False)


@market_app.command("skill")
@handle_errors
def skill(
    name: str = typer.Argument(..., help="A skill's URI, key or name."),
    start: str | None = START,
    end: str | None = END,
    place: str = PLACE,
    occupation: str = OCCUPATION,
    as_json: bool = JSON,
) -> None:
    """One skill: its share, trend and test, the skills that go with it (lift), and its pay."""
    from microcareer.cli.profiles import skill_uri
    from microcareer.services import market_demand, market_trends
    from microcareer.services.gap_analysis import graph_cache
    from microcareer.services.market_tables import _trend_row

    with open_platform() as platform:
        uri = skill_uri(platform, name)
        selection = _selection(start, end, place, occupation, "")
        graphs = graph_cache(platform.caches)
        found = market_demand.skill_demand(
            platform.uow(), graphs, actor=Actor.system(), uri=uri, selection=selection
        )
        trend = market_trends.skill_trend(
            platform.uow(), graphs, actor=Actor.system(), uri=uri, selection=selection
        )
    if as_json:
        print_json(
            {
                "uri": uri,
                "label": found.label,
                "postings": found.postings,
                "share": found.share,
                "trend": _trend_row(trend),
                "together": [
                    {"uri": c.uri, "label": c.label, "together": c.together, "lift": c.lift}
                    for c in found.together
                ],
            }
        )
        return
    console.print(
        f"{found.label}: {found.postings:,} of {found.total:,} postings ({100 * found.share:.1f}%), "
        f"{trend.direction.value}" + (f" (q = {trend.q_value:.2g})" if trend.q_value is not None else ""),
        highlight=False,
    )
    for c in found.together:
        console.print(f"  with {c.label}: lift {c.lift:.2f} ({c.together:,} postings)", highlight=False)


@market_app.command("at-risk")
@handle_errors
def at_risk(
    user: str = typer.Option(..., "--user", "-u", envvar="MICROCAREER_USER", help="The person's e-mail."),
    as_json: bool = JSON,
) -> None:
    """A profile's skills whose demand is falling significantly."""
    from microcareer.cli.profiles import user_id_of
    from microcareer.services import market_trends
    from microcareer.services.gap_analysis import graph_cache

    with open_platform() as platform:
        found = market_trends.skills_at_risk(
            platform.uow(),
            graph_cache(platform.caches),
            actor=Actor.system(),
            user_id=user_id_of(platform, user),
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
    if as_json:
        print_json(
            {
                "held": found.held,
                "in_postings": found.in_postings,
                "at_risk": [{"uri": t.uri, "label": t.label, "q_value": t.q_value} for t in found.at_risk],
            }
        )
        return
    console.print(f"{found.name}: {len(found.at_risk)} of {found.held} skills at risk", highlight=False)
    for t in found.at_risk:
        console.print(
            f"  {t.label}: {100 * t.share_first:.1f}% → {100 * t.share_last:.1f}% of postings",
            highlight=False,
        )


@market_app.command("export")
@handle_errors
def export(
    table: str = typer.Argument(
        ..., help="demand, pay, trends, series, occupations, postings or posting_skills."
    ),
    out: Path = typer.Argument(..., help="The file (.csv or .parquet)."),
    start: str | None = START,
    end: str | None = END,
    place: str = PLACE,
    occupation: str = OCCUPATION,
    group: str = GROUP,
    limit: int = typer.Option(200, "--limit"),
) -> None:
    """Write a market table as CSV or Parquet (by the file's suffix)."""
    from microcareer.adapters.table_export import export as write_table
    from microcareer.services import market_tables

    file_format = "parquet" if out.suffix.lower() in (".parquet", ".pq") else "csv"
    with open_platform() as platform:
        columns, rows = market_tables.table_named(
            platform.uow(),
            platform.caches,
            actor=Actor.system(),
            name=table,
            selection=_selection(start, end, place, occupation, group),
            limit=limit,
        )
        data = write_table(columns, rows, file_format)
    out.write_bytes(data)
    console.print(f"{table} written to {out} ({file_format})")


@market_app.command("chart")
@handle_errors
def chart(
    kind: str = typer.Argument(..., help="demand or trends."),
    out: Path = typer.Argument(..., help="The SVG file."),
    start: str | None = START,
    end: str | None = END,
    place: str = PLACE,
    occupation: str = OCCUPATION,
    group: str = GROUP,
    limit: int = typer.Option(8, "--limit"),
) -> None:
    """Write a demand or trend chart as SVG."""
    from microcareer.services import market_tables

    with open_platform() as platform:
        svg = market_tables.chart_named(
            platform.uow(),
            platform.caches,
            actor=Actor.system(),
            kind=kind,
            selection=_selection(start, end, place, occupation, group),
            limit=limit,
        )
    out.write_text(svg, encoding="utf-8")
    console.print(f"{kind} chart written to {out}")


@market_app.command("aggregate")
@handle_errors
def aggregate(
    paths: list[Path] = typer.Argument(..., help="Partitions: Parquet (or JSON Lines, CSV) files, in order."),
    workers: int = typer.Option(0, "--workers", min=0, max=256, help="A local Dask cluster of N processes."),
    dask: str | None = typer.Option(None, "--dask", help="A running Dask scheduler's address."),
    columns: str = typer.Option("", "--columns", help="FIELD=COLUMN pairs, as for ingest."),
    source: str = typer.Option("corpus", "--source", help="Source name for rows without one."),
    limit: int = typer.Option(15, "--limit", min=1, max=200),
    as_json: bool = JSON,
) -> None:
    """Demand and trends of a corpus without storing it: in this process, or on Dask (same result)."""
    from microcareer.adapters.market_cluster import aggregate_in_process, aggregate_on_dask
    from microcareer.domain.market.demand import shares
    from microcareer.domain.market.postings import BadRow, ColumnMapping
    from microcareer.domain.market.trends import Direction, skill_trends
    from microcareer.services import market_ingest
    from microcareer.services.access import Action, authorize
    from microcareer.services.extraction import ExtractionRequest, options_for
    from microcareer.services.market_demand import labels_of

    actor = Actor.system()
    authorize(actor, Action.MARKET_READ)
    try:
        mapping = ColumnMapping.parse(columns)
    except BadRow as error:
        raise InvalidInput(str(error), field="columns") from None
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise InvalidInput(f"no such file: {missing[0]}", field="paths")
    with open_platform() as platform:
        extractor, _ = market_ingest.prepare(platform.uow(), platform.caches, platform.lexicons)
        options = options_for(actor, ExtractionRequest(), extractor)
        if dask or workers:
            from microcareer.adapters.extraction_cluster import dask_client

            with dask_client(dask, workers or 2) as client:
                counts, _ = aggregate_on_dask(
                    client, paths, mapping=mapping, source=source, extractor=extractor, options=options
                )
        else:
            counts, _ = aggregate_in_process(
                paths, mapping=mapping, source=source, extractor=extractor, options=options
            )
        by_skill = counts.skill_counts()
        with platform.uow() as uow:
            labels = labels_of(uow, list(by_skill))
    top = shares(counts.postings, by_skill, labels, limit)
    found = skill_trends(counts.month_totals, counts.by_skill(), labels)
    rising = [t for t in found if t.direction is Direction.RISING][:limit]
    fading = [t for t in found if t.direction is Direction.FADING][:limit]
    if as_json:
        print_json(
            {
                "postings": counts.postings,
                "bad_rows": counts.bad,
                "skills": [
                    {"uri": s.uri, "label": s.label, "postings": s.postings, "share": s.share} for s in top
                ],
                "rising": [{"uri": t.uri, "label": t.label, "q_value": t.q_value} for t in rising],
                "fading": [{"uri": t.uri, "label": t.label, "q_value": t.q_value} for t in fading],
            }
        )
        return
    console.print(f"{counts.postings:,} postings ({counts.bad:,} bad rows skipped)", highlight=False)
    for s in top:
        console.print(f"  {s.label}: {100 * s.share:.1f}%", highlight=False)
    console.print("rising: " + ", ".join(t.label for t in rising), highlight=False)
    console.print("fading: " + ", ".join(t.label for t in fading), highlight=False)


@market_app.command("issuer")
@handle_errors
def issuer(slug: str = typer.Argument(..., help="The issuer's slug."), as_json: bool = JSON) -> None:
    """An issuer's checkable parts: standing, ESCO alignment, expiry, holders' outcomes, demand."""
    from microcareer.services import market_credentials
    from microcareer.services.gap_analysis import graph_cache

    with open_platform() as platform:
        signal = market_credentials.issuer_signal(
            platform.uow(),
            graph_cache(platform.caches),
            actor=Actor.system(),
            slug=slug,
            now=platform.clock(),
        )
    if as_json:
        print_json(
            {
                "slug": signal.slug,
                "name": signal.name,
                "parts": [
                    {
                        "name": p.name,
                        "value": p.value,
                        "measured_on": p.measured_on,
                        "explanation": p.explanation,
                    }
                    for p in signal.parts
                ],
            }
        )
        return
    console.print(signal.name, highlight=False)
    for part in signal.parts:
        value = f"{100 * part.value:.0f}%" if part.value is not None else "n/a"
        console.print(f"  {part.name}: {value} - {part.explanation}", soft_wrap=True, highlight=False)


@market_app.command("credential")
@handle_errors
def credential(
    achievement_id: int = typer.Argument(..., help="The achievement's id."), as_json: bool = JSON
) -> None:
    """Demand and trend of the skills a microcredential aligns to."""
    from microcareer.services import market_credentials
    from microcareer.services.gap_analysis import graph_cache

    with open_platform() as platform:
        value = market_credentials.credential_value(
            platform.uow(), graph_cache(platform.caches), actor=Actor.system(), achievement_id=achievement_id
        )
    if as_json:
        print_json(
            {
                "achievement_id": value.achievement_id,
                "name": value.name,
                "summary": value.summary,
                "skills": [
                    {
                        "uri": s.uri,
                        "label": s.label,
                        "postings": s.postings,
                        "share": s.share,
                        "direction": s.direction.value,
                        "q_value": s.q_value,
                    }
                    for s in value.skills
                ],
            }
        )
        return
    console.print(f"{value.name}: {value.summary}", soft_wrap=True, highlight=False)
    for s in value.skills:
        console.print(f"  {s.label}: {100 * s.share:.1f}% of postings, {s.direction.value}", highlight=False)
