"""/api/v1/market on each database: who may read what, bad input named, tables and charts out."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from tests.integration.api.market_api import Market, make_market
from tests.integration.market_postings import ingest_file, write_postings
from tests.integration.taxonomy_helpers import ESCO, PYTHON


@pytest.fixture
def market(taxonomy_platform: Platform, tmp_path: Path) -> Market:
    people = make_market(taxonomy_platform)
    ingest_file(taxonomy_platform, write_postings(tmp_path / "postings.jsonl"))
    return people


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def test_signed_in_people_read_demand_trends_and_a_skill(client: TestClient, market: Market) -> None:
    assert client.get("/api/v1/market/demand").status_code == 401
    demand = client.get("/api/v1/market/demand", headers=market.pro)
    assert demand.status_code == 200, demand.text
    body = demand.json()
    assert body["postings"] == 7
    assert {s["uri"]: s["share"] for s in body["skills"]}[PYTHON] == 1.0
    trends = client.get("/api/v1/market/trends", headers=market.pro, params={"limit": 5})
    assert trends.status_code == 200, trends.text
    assert "Benjamini-Hochberg" in trends.json()["method"]
    skill = client.get("/api/v1/market/skill", headers=market.pro, params={"uri": PYTHON})
    assert skill.status_code == 200, skill.text
    assert skill.json()["postings"] == 7
    assert client.get("/api/v1/market/at-risk/999999", headers=market.pro).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/v1/market/demand", {"start": "soon"}, 422, "start"),
        ("/api/v1/market/demand", {"start": "2026-05-01", "end": "2026-01-01"}, 422, "start"),
        ("/api/v1/market/demand", {"limit": 0}, 422, "limit"),
        ("/api/v1/market/demand", {"occupation": ESCO + "occupation/none"}, 404, None),
        ("/api/v1/market/trends", {"skill_group": ESCO + "skill/none"}, 404, None),
        ("/api/v1/market/skill", {"uri": ESCO + "skill/none"}, 404, None),
        ("/api/v1/market/tables/nonsense", {}, 422, "table"),
        ("/api/v1/market/charts/pie.svg", {}, 422, None),
    ],
)
def test_bad_input_is_a_4xx_that_names_it(
    client: TestClient,
    market: Market,
    path: str,
    params: dict[str, str | int],
    status: int,
    field: str | None,
) -> None:
    response = client.get(path, headers=market.pro, params=params)
    assert response.status_code == status, response.text
    if field is not None:
        assert field in response.text


def test_tables_as_csv_and_parquet_and_stored_postings_for_platform_admins_only(
    client: TestClient, market: Market
) -> None:
    csv = client.get("/api/v1/market/tables/demand", headers=market.pro)
    assert csv.status_code == 200, csv.text
    assert csv.text.splitlines()[0] == "skill_uri,skill,postings,share,of_postings"
    parquet = client.get("/api/v1/market/tables/series", headers=market.pro, params={"format": "parquet"})
    assert parquet.status_code == 200, parquet.text
    table = pq.read_table(io.BytesIO(parquet.content))
    assert "month" in table.column_names
    assert client.get("/api/v1/market/tables/postings", headers=market.pro).status_code == 403
    postings = client.get("/api/v1/market/tables/postings", headers=market.root)
    assert postings.status_code == 200, postings.text
    assert len(postings.text.strip().splitlines()) == 10  # header, 7 originals, 2 re-posts


def test_charts_are_svg_with_escaped_labels(client: TestClient, market: Market) -> None:
    for kind in ("demand", "trends"):
        response = client.get(f"/api/v1/market/charts/{kind}.svg", headers=market.pro)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.text.startswith("<svg ")
        assert "<script" not in response.text
