"""POST /api/v1/market/ingests on each database: a file ingested in the background (202 and a job),
the job polled at GET /api/v1/market/ingests/{id} by platform admins alone, its progress written per
batch, bad rows by line and column, the same file again adding nothing, one job at a time across processes,
a job whose process ended read as interrupted (never done), and bad uploads refused before any job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.domain.market.ingest_jobs import STALE_AFTER, JobOwner, JobProgress, JobState
from microcareer.services import market_ingest, market_ingest_jobs
from microcareer.store.repositories.market_jobs import SqlAlchemyIngestJobRepository
from tests.integration.api.market_api import Market, make_market
from tests.integration.job_market_helpers import NOW
from tests.integration.market_postings import COLUMNS, write_postings

URL = "/api/v1/market/ingests"
CSV = "job,title,body,date\nc1,Python developer,We need Python and SQL every day.,2026-03-01\n"


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(autouse=True)
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def _upload(tmp_path: Path) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    content = write_postings(tmp_path / "postings.jsonl").read_bytes()
    return {"columns": COLUMNS, "source": "board"}, {
        "file": ("postings.jsonl", content, "application/x-ndjson")
    }


def test_a_platform_admin_ingests_in_the_background_and_polls_the_job(
    client: TestClient, market: Market, tmp_path: Path, own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form, files = _upload(tmp_path)
    monkeypatch.setattr(market_ingest, "BATCH", 4)
    written: list[int] = []
    record = SqlAlchemyIngestJobRepository.record_progress

    def spy(self: SqlAlchemyIngestJobRepository, job_id: int, progress: JobProgress, at: object) -> bool:
        written.append(progress.rows_done)
        return record(self, job_id, progress, at)  # type: ignore[arg-type]

    monkeypatch.setattr(SqlAlchemyIngestJobRepository, "record_progress", spy)
    started = client.post(URL, data=form, files=files, headers=market.root)
    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["state"], job["rows_total"], job["file_name"], job["source"]) == (
        "running",
        11,
        "postings.jsonl",
        "board",
    )
    assert started.headers["location"] == f"{URL}/{job['id']}"
    # the test client returns once the background task has ended: the job is finished
    done = client.get(started.headers["location"], headers=market.root).json()
    assert (done["state"], done["rows_done"], done["added"], done["reposts"], done["bad_count"]) == (
        "done",
        11,
        7,
        2,
        2,
    )
    assert [(b["line"], b["column"], b["message"][:8]) for b in done["bad"]] == [
        (4, None, "not JSON"),
        (11, "date", "date: mi"),
    ]
    assert written == [4, 8, 11]  # counts written after each batch
    assert list(own_temp.iterdir()) == []  # the spooled file is removed once the job ends
    assert client.get("/api/v1/market/demand", headers=market.pro).json()["postings"] == 7

    again = client.post(URL, data=form, files=files, headers=market.root)
    assert again.status_code == 202
    second = client.get(again.headers["location"], headers=market.root).json()
    assert (second["state"], second["added"], second["reposts"], second["known"]) == ("done", 0, 0, 9)
    listed = client.get(URL, headers=market.root).json()
    assert [j["id"] for j in listed] == [second["id"], done["id"]]


def test_jobs_are_for_platform_admins_alone(client: TestClient, market: Market, tmp_path: Path) -> None:
    form, files = _upload(tmp_path)
    assert client.post(URL, data=form, files=files).status_code == 401
    for someone in (market.pro, market.admin, market.client):  # an org's admin is not a platform admin
        assert client.post(URL, data=form, files=files, headers=someone).status_code == 403
    started = client.post(URL, data=form, files=files, headers=market.root)
    where = started.headers["location"]
    assert client.get(where).status_code == 401
    assert client.get(URL).status_code == 401
    for someone in (market.pro, market.admin, market.stranger):
        assert client.get(where, headers=someone).status_code == 403
        assert client.get(URL, headers=someone).status_code == 403
    assert client.get(f"{URL}/999999", headers=market.root).status_code == 404


def test_a_job_whose_process_ended_reads_interrupted_never_done(
    taxonomy_platform: Platform, client: TestClient, market: Market, tmp_path: Path
) -> None:
    """A restart: the job was recorded running by a process that is gone (its heartbeat stops)."""
    from microcareer.adapters.posting_files import PostingFile

    file = PostingFile.at(write_postings(tmp_path / "p.jsonl"))
    root = Actor.system()
    checked = market_ingest.check_file(root, file=file, columns=COLUMNS)
    old = market_ingest_jobs.start(
        taxonomy_platform.uow, actor=root, checked=checked, now=NOW - 2 * STALE_AFTER
    )
    fresh = market_ingest_jobs.start(  # the old one's heartbeat is stale: it is marked, this one starts
        taxonomy_platform.uow, actor=root, checked=checked, now=NOW - timedelta(seconds=5)
    )
    seen = client.get(f"{URL}/{old.id}", headers=market.root).json()
    assert (seen["state"], seen["added"]) == ("interrupted", 0)
    assert "no heartbeat since" in seen["error"]
    assert client.get(f"{URL}/{fresh.id}", headers=market.root).json()["state"] == "running"
    with taxonomy_platform.uow() as uow:  # stored as interrupted: a late heartbeat cannot revive it
        assert not uow.market_jobs.heartbeat(old.id, NOW)
        assert not uow.market_jobs.finish(old.id, JobState.DONE, NOW)
        uow.commit()
    assert client.get(f"{URL}/{old.id}", headers=market.root).json()["state"] == "interrupted"


def test_a_job_that_fails_says_so(
    client: TestClient, market: Market, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(market_ingest, "ingest_checked", broken)
    form, files = _upload(tmp_path)
    started = client.post(URL, data=form, files=files, headers=market.root)
    job = client.get(started.headers["location"], headers=market.root).json()
    assert job["state"] == "failed"
    assert "server error" in job["error"]
    assert "fire" not in job["error"]


def test_one_job_at_a_time_across_processes(
    taxonomy_platform: Platform,
    settings: Settings,
    client: TestClient,
    market: Market,
    tmp_path: Path,
    own_temp: Path,
) -> None:
    """A job of another server process (another instance on the same database, of another host) runs:
    an upload is refused with 503 and Retry-After, and leaves neither a job nor its file behind."""
    from microcareer.adapters.posting_files import PostingFile

    elsewhere = bootstrap(settings)
    try:
        checked = market_ingest.check_file(
            Actor.system(), file=PostingFile.at(write_postings(tmp_path / "p.jsonl")), columns=COLUMNS
        )
        running = market_ingest_jobs.start(
            elsewhere.uow,
            actor=Actor.system(),
            checked=checked,
            now=taxonomy_platform.clock(),
            owner=JobOwner("another-host", 1, "x"),
        )
    finally:
        elsewhere.dispose()
    form, files = _upload(tmp_path)
    refused = client.post(URL, data=form, files=files, headers=market.root)
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "busy"
    assert refused.headers["retry-after"] == str(market_ingest_jobs.BUSY_RETRY_SECONDS)
    assert [j["id"] for j in client.get(URL, headers=market.root).json()] == [running.id]
    assert list(own_temp.iterdir()) == []
    with taxonomy_platform.uow() as uow:
        assert uow.market_jobs.finish(running.id, JobState.DONE, taxonomy_platform.clock())
        uow.commit()
    form, files = _upload(tmp_path)
    assert client.post(URL, data=form, files=files, headers=market.root).status_code == 202


@pytest.mark.parametrize(
    ("form", "name", "content", "status", "field"),
    [
        ({"columns": "id"}, "p.csv", CSV, 422, "columns"),
        ({}, "p.csv", CSV, 422, "columns"),
        ({"columns": COLUMNS, "format": "xml"}, "p.csv", CSV, 422, "format"),
        ({"columns": COLUMNS}, "p.csv", "job,title,body,date\n", 422, "file"),
        ({"columns": COLUMNS}, "p.parquet", CSV, 422, "file"),
        ({"columns": COLUMNS}, "p.csv", CSV * 40, 413, "file"),  # over the byte cap set below
        ({"columns": COLUMNS}, "p.csv", CSV + CSV.split("\n", 1)[1] * 3, 413, "file"),  # over 3 rows
        ({"columns": COLUMNS, "source": "s" * 101}, "p.csv", CSV, 422, "source"),
        ({"columns": COLUMNS}, None, None, 422, "file"),
    ],
)
def test_bad_uploads_start_no_job(
    client: TestClient,
    market: Market,
    own_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: dict[str, str],
    name: str | None,
    content: str | None,
    status: int,
    field: str,
) -> None:
    monkeypatch.setattr(market_ingest_jobs, "JOB_MAX_BYTES", 2_000)
    monkeypatch.setattr(market_ingest_jobs, "JOB_MAX_ROWS", 3)
    files = {"file": (name, content.encode(), "text/csv")} if name and content else {"other": ("", b"")}
    response = client.post(URL, data=form, files=files, headers=market.root)
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert client.get(URL, headers=market.root).json() == []
    assert list(own_temp.iterdir()) == []
