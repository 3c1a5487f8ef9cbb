"""``microcareer market`` as the operator runs it, on each database: a CSV with a column mapping, bad
rows reported with their line, re-ingesting changes nothing, demand, trends, tables and charts out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.taxonomy_helpers import PYTHON


@pytest.fixture
def runner(
    taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("MICROCAREER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["job_id", "title", "description", "posted", "city"])
        writer.writerow(
            ["1", "Software developer", "<p>Python and SQL every day</p>", "2026-01-05", "Lisbon"]
        )
        writer.writerow(["2", "Data scientist", "Statistics, Python and data mining.", "2026-02-05", "Porto"])
        writer.writerow(["3", "Software developer", "Python.", "not a date", "Lisbon"])
    return path


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_ingest_a_mapped_csv_then_read_demand_trends_tables_and_charts(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "jobs.csv")
    mapping = "id=job_id,text=description,date=posted,place=city"
    first = ok(runner, "market", "ingest", str(path), "--columns", mapping, "-q")
    assert "3 read: 2 added" in first
    assert "1 bad rows skipped" in first
    assert "jobs.csv:4: date: 'not a date' is not an ISO date" in first
    again = ok(runner, "market", "ingest", str(path), "--columns", mapping, "-q")
    assert "0 added" in again
    assert "2 already stored" in again

    demand = json.loads(ok(runner, "market", "demand", "--json"))
    assert demand["postings"] == 2
    assert {s["skill_uri"]: s["share"] for s in demand["skills"]}[PYTHON] == 1.0
    assert json.loads(ok(runner, "market", "demand", "--place", "porto", "--json"))["postings"] == 1
    trends = json.loads(ok(runner, "market", "trends", "--json"))
    assert trends["months"] == ["2026-01", "2026-02"]

    out = tmp_path / "series.parquet"
    ok(runner, "market", "export", "series", str(out))
    assert "share" in pq.read_table(out).column_names
    chart = tmp_path / "demand.svg"
    ok(runner, "market", "chart", "demand", str(chart))
    assert chart.read_text(encoding="utf-8").startswith("<svg ")

    bad = runner.invoke(app, ["market", "ingest", str(path), "--columns", "salary=pay"])
    assert bad.exit_code == 1
    assert "salary" in bad.output
    assert runner.invoke(app, ["market", "export", "nonsense", str(tmp_path / "x.csv")]).exit_code == 1


def test_an_ingest_is_a_job_and_waits_its_turn_behind_a_server_s(
    runner: CliRunner, taxonomy_platform: Platform, tmp_path: Path
) -> None:
    """The CLI and the servers share the one-job-at-a-time rule: a running job of a server (another
    host's, its heartbeat fresh) refuses the CLI's ingest, which then leaves no job; once it ends the
    CLI's ingest runs as a job of its own, stored done with its counts."""
    from microcareer.adapters.posting_files import PostingFile
    from microcareer.domain.accounts import Actor
    from microcareer.domain.market.ingest_jobs import JobOwner, JobState
    from microcareer.services import market_ingest, market_ingest_jobs

    path = _csv(tmp_path / "jobs.csv")
    mapping = "id=job_id,text=description,date=posted,place=city"
    checked = market_ingest.check_file(Actor.system(), file=PostingFile.at(path), columns=mapping)
    server = market_ingest_jobs.start(
        taxonomy_platform.uow,
        actor=Actor.system(),
        checked=checked,
        now=taxonomy_platform.clock(),
        owner=JobOwner("a-server", 1, "x"),
    )
    refused = runner.invoke(app, ["market", "ingest", str(path), "--columns", mapping, "-q"])
    assert refused.exit_code == 1
    assert "a background ingest runs already" in refused.output
    with taxonomy_platform.uow() as uow:
        assert [j.id for j in uow.market_jobs.recent_jobs(10)] == [server.id]
        assert uow.market_jobs.finish(server.id, JobState.DONE, taxonomy_platform.clock())
        uow.commit()
    assert "3 read: 2 added" in ok(runner, "market", "ingest", str(path), "--columns", mapping, "-q")
    with taxonomy_platform.uow() as uow:
        mine = uow.market_jobs.recent_jobs(1)[0]
    assert (mine.state, mine.file_name, mine.rows_done, mine.added, mine.bad_count) == (
        JobState.DONE,
        "jobs.csv",
        3,
        2,
        1,
    )
    assert mine.owner == str(market_ingest_jobs.this_process())


def test_ingest_and_aggregate_on_a_local_dask_cluster_agree_with_the_store(
    runner: CliRunner, taxonomy_platform: Platform, tmp_path: Path
) -> None:
    """``market ingest --workers 2`` extracts on a local Dask cluster and stores here, as a job with its
    counts; ``market aggregate --workers 2`` counts the same file without storing: the same postings
    and skill counts as the store's demand."""
    from microcareer.domain.market.ingest_jobs import JobState

    corpus = tmp_path / "corpus.parquet"
    ok(runner, "market", "demo-corpus", str(corpus), "--postings", "700", "--seed", "3")
    summary = ok(runner, "market", "ingest", str(corpus), "--workers", "2", "-q")
    assert " added " in summary
    assert "re-posts collapsed" in summary
    with taxonomy_platform.uow() as uow:
        job = uow.market_jobs.recent_jobs(1)[0]
    assert job.state is JobState.DONE
    assert job.rows_done == job.rows_total == pq.ParquetFile(corpus).metadata.num_rows
    assert f"{job.added:,} added" in summary
    assert job.added > 0
    again = ok(runner, "market", "ingest", str(corpus), "--workers", "2", "-q")
    assert "0 added" in again
    assert "0 re-posts collapsed" in again

    demand = json.loads(ok(runner, "market", "demand", "--limit", "200", "--json"))
    counted = json.loads(
        ok(runner, "market", "aggregate", str(corpus), "--workers", "2", "--limit", "200", "--json")
    )
    assert counted["postings"] == demand["postings"] == job.added
    assert {s["uri"]: s["postings"] for s in counted["skills"]} == {
        s["skill_uri"]: s["postings"] for s in demand["skills"]
    }
