"""POST /api/v1/market/postings on each database: who may upload, what an upload does (the CLI's
ingest: re-posts collapsed, bad rows by line, the same file again changes nothing), and bad uploads
answered 4xx naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.services import market_ingest
from tests.integration.api.market_api import Market, make_market
from tests.integration.market_postings import COLUMNS, write_postings

URL = "/api/v1/market/postings"
CSV = "job,title,body,date\nc1,Python developer,We need Python and SQL every day.,2026-03-01\n"


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def test_platform_admins_upload_postings_others_may_not(
    client: TestClient, market: Market, tmp_path: Path
) -> None:
    content = write_postings(tmp_path / "postings.jsonl").read_bytes()
    form = {"columns": COLUMNS, "source": "board"}
    files = {"file": ("postings.jsonl", content, "application/x-ndjson")}
    assert client.post(URL, data=form, files=files).status_code == 401
    assert client.post(URL, data=form, files=files, headers=market.pro).status_code == 403
    assert client.post(URL, data=form, files=files, headers=market.admin).status_code == 403  # an org's
    assert client.get("/api/v1/market/demand", headers=market.pro).json()["postings"] == 0

    first = client.post(URL, data=form, files=files, headers=market.root)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["read"], report["added"], report["reposts"], report["bad_count"]) == (11, 7, 2, 2)
    assert [(bad["line"], bad["message"][:8]) for bad in report["bad"]] == [(4, "not JSON"), (11, "date: mi")]
    assert client.get("/api/v1/market/demand", headers=market.pro).json()["postings"] == 7

    again = client.post(URL, data=form, files=files, headers=market.root).json()
    assert (again["added"], again["reposts"], again["known"]) == (0, 0, 9)
    tables = client.get("/api/v1/market/tables/postings", headers=market.root)
    assert len(tables.text.strip().splitlines()) == 10  # header, 7 originals, 2 re-posts: nothing new
    assert "board" in tables.text


@pytest.mark.parametrize(
    ("form", "name", "content", "status", "field"),
    [
        ({"columns": "id"}, "p.csv", CSV, 422, "columns"),  # not FIELD=COLUMN
        ({"columns": "colour=job"}, "p.csv", CSV, 422, "columns"),  # no such field
        ({}, "p.csv", CSV, 422, "columns"),  # the file has no column "id" nor "text"
        ({"columns": COLUMNS}, "p.txt", CSV, 422, "format"),  # no format from the suffix
        ({"columns": COLUMNS, "format": "xml"}, "p.csv", CSV, 422, "format"),
        ({"columns": COLUMNS}, "p.csv", "job,title,body,date\n", 422, "file"),  # zero rows
        ({"columns": COLUMNS}, "p.parquet", CSV, 422, "file"),  # not Parquet
        ({"columns": COLUMNS}, "p.csv", CSV * 40, 413, "file"),  # over the byte cap set below
        ({"columns": COLUMNS}, "p.csv", CSV + CSV.split("\n", 1)[1] * 3, 413, "file"),  # over 3 rows
        ({"columns": COLUMNS, "source": "s" * 101}, "p.csv", CSV, 422, "source"),
        ({"columns": COLUMNS}, None, None, 422, "file"),  # no file at all
    ],
)
def test_bad_uploads_are_a_4xx_naming_the_field(
    client: TestClient,
    market: Market,
    monkeypatch: pytest.MonkeyPatch,
    form: dict[str, str],
    name: str | None,
    content: str | None,
    status: int,
    field: str,
) -> None:
    monkeypatch.setattr(market_ingest, "UPLOAD_MAX_BYTES", 2_000)
    monkeypatch.setattr(market_ingest, "UPLOAD_MAX_ROWS", 3)
    files = {"file": (name, content.encode(), "text/csv")} if name and content else {"other": ("", b"")}
    response = client.post(URL, data=form, files=files, headers=market.root)
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert client.get("/api/v1/market/demand", headers=market.pro).json()["postings"] == 0
