"""The /market upload form "in the background" on each database: the platform admin is sent to the
job's page, which shows progress while it runs (a refresh link; htmx polling where served) and the
report once done (bad rows by line and column); the page is the platform admins' alone, and a job
whose process ended reads interrupted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.adapters.posting_files import PostingFile
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.market.ingest_jobs import STALE_AFTER
from microcareer.services import market_ingest, market_ingest_jobs
from tests.integration.api.market_api import Market, make_market
from tests.integration.job_market_helpers import NOW
from tests.integration.market_postings import COLUMNS, write_postings
from tests.integration.web.test_marketplace_web import sign_in


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def _root(market: Market) -> Actor:
    return Actor(user_id=market.root_id, roles=frozenset({Role.PLATFORM_ADMIN}))


def test_an_upload_in_the_background_leads_to_its_job_page_and_report(
    client: TestClient, taxonomy_platform: Platform, market: Market, tmp_path: Path
) -> None:
    files = {"file": ("postings.jsonl", write_postings(tmp_path / "p.jsonl").read_bytes(), "text/plain")}
    token = sign_in(client, taxonomy_platform, _root(market))
    assert 'name="background"' in client.get("/market").text
    form = {"columns": COLUMNS, "source": "board", "background": "1", "csrf_token": token}
    started = client.post("/market/postings", data=form, files=files)
    assert started.status_code == 303, started.text[:300]
    where = started.headers["location"]
    assert re.fullmatch(r"/market/ingests/\d+", where)
    page = client.get(where)
    assert page.status_code == 200
    section = page.text[page.text.index('id="ingest-job"') : page.text.index("</section>")]
    assert 'data-state="done"' in section
    assert "7 postings added" in section
    assert "2 re-posts collapsed" in section
    assert re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", section) == [("4", ""), ("11", "date")]
    assert "hx-trigger" not in section
    assert 'id="refresh"' not in section
    assert 'href="' + where + '"' in client.get("/market").text  # listed under background ingests

    token = sign_in(client, taxonomy_platform, market.people.pro)
    assert client.get(where).status_code == 403
    refused = client.post("/market/postings", data={**form, "csrf_token": token}, files=files)
    assert refused.status_code == 403
    client.cookies.clear()
    assert client.get(where).headers["location"].startswith("/login")


def test_a_running_job_offers_a_refresh_and_a_dead_one_reads_interrupted(
    client: TestClient, taxonomy_platform: Platform, market: Market, tmp_path: Path
) -> None:
    file = PostingFile.at(write_postings(tmp_path / "p.jsonl"))
    checked = market_ingest.check_file(Actor.system(), file=file, columns=COLUMNS)
    uows = taxonomy_platform.uow
    dead = market_ingest_jobs.start(uows, actor=Actor.system(), checked=checked, now=NOW - 2 * STALE_AFTER)
    running = market_ingest_jobs.start(  # the dead one's heartbeat is stale: it gives way
        uows, actor=Actor.system(), checked=checked, now=NOW - timedelta(seconds=3)
    )
    sign_in(client, taxonomy_platform, _root(market))
    page = client.get(f"/market/ingests/{running.id}").text
    assert 'data-state="running"' in page
    assert f'href="/market/ingests/{running.id}" id="refresh"' in page
    assert "0 of 11 rows read" in page
    dead_page = client.get(f"/market/ingests/{dead.id}").text
    assert 'data-state="interrupted"' in dead_page
    assert "Interrupted" in dead_page
    assert "no heartbeat since" in dead_page  # the reason stored with it
    assert "Done" not in dead_page
    assert client.get("/market/ingests/999999").status_code == 404
