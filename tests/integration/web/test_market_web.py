"""/market's upload form on each database: shown to platform admins only, refused (403) to anyone
else who posts it, and an upload answered with its report (added, re-posts, bad rows by line) above
the demand it changed, or with what was wrong, naming the field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from tests.integration.api.market_api import Market, make_market
from tests.integration.market_postings import COLUMNS, write_postings
from tests.integration.web.test_marketplace_web import sign_in

URL = "/market/postings"


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def test_only_platform_admins_see_and_may_post_the_upload_form(
    client: TestClient, taxonomy_platform: Platform, market: Market, tmp_path: Path
) -> None:
    files = {"file": ("postings.jsonl", write_postings(tmp_path / "p.jsonl").read_bytes(), "text/plain")}
    assert client.post(URL, data={"columns": COLUMNS}, files=files).headers["location"].startswith("/login")
    token = sign_in(client, taxonomy_platform, market.people.pro)
    assert 'id="ingest-form"' not in client.get("/market").text
    refused = client.post(URL, data={"columns": COLUMNS, "csrf_token": token}, files=files)
    assert refused.status_code == 403
    assert "Only platform admins" in refused.text

    root = Actor(user_id=market.root_id, roles=frozenset({Role.PLATFORM_ADMIN}))
    token = sign_in(client, taxonomy_platform, root)
    assert 'id="ingest-form"' in client.get("/market").text
    forged = client.post(URL, data={"columns": COLUMNS, "csrf_token": "forged"}, files=files)
    assert forged.status_code == 403
    bad = client.post(URL, data={"columns": "id", "csrf_token": token}, files=files)
    assert bad.status_code == 422
    assert "column mapping" in bad.text
    assert 'value="id"' in bad.text  # the form keeps what was sent

    done = client.post(URL, data={"columns": COLUMNS, "csrf_token": token}, files=files)
    assert done.status_code == 200, done.text[:500]
    report = done.text[done.text.index('id="ingest-report"') : done.text.index("</section>")]
    assert "7 postings added" in report
    assert "2 re-posts collapsed" in report
    assert re.findall(r"<tr><td>(\d+)</td>", report) == ["4", "11"]
    assert "Demand over 7 postings" in done.text
    again = client.post(URL, data={"columns": COLUMNS, "csrf_token": token}, files=files)
    assert "0 postings added" in again.text
    assert "9 already stored" in again.text
    assert "Demand over 7 postings" in again.text
