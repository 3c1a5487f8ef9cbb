"""Job board pages remembered per process (issue 17, ``services/recent_reads.py``): a change committed
through this process shows at once, one made elsewhere within the remembered seconds, and a viewer is
never given a page remembered for a viewer who may see other jobs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.services.recent_reads import RecentReads
from microcareer.store.tables.marketplace import MicroJobRow
from microcareer.store.tables.profiles import ProfileRow
from tests.integration.api.market_api import Market, make_market, ok, open_job
from tests.integration.job_market_helpers import uid


class Ticks:
    """The cache's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def ticks(taxonomy_platform: Platform) -> Ticks:
    ticks = Ticks()
    platform = taxonomy_platform
    assert platform.commit_count is not None  # a store that counts its commits: the cache is on
    platform.caches["recent_reads"] = RecentReads(
        platform.settings.read_cache_seconds, changes=platform.commit_count, monotonic=ticks
    )
    return ticks


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market, ticks: Ticks) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def board(client: TestClient, headers: dict[str, str]) -> list[int]:
    return [job["id"] for job in ok(client.get("/api/v1/jobs", headers=headers))["items"]]


def test_the_default_is_a_moment(taxonomy_platform: Platform) -> None:
    assert 0 < taxonomy_platform.settings.read_cache_seconds <= 5
    assert taxonomy_platform.recent_reads.ttl_seconds == taxonomy_platform.settings.read_cache_seconds


def test_a_job_published_through_this_process_is_on_the_board_at_once(
    client: TestClient, market: Market
) -> None:
    first = open_job(client, market.client)
    assert board(client, market.pro) == [first["id"]]
    second = open_job(client, market.client)  # no time passes: only the commit makes the page lapse
    assert board(client, market.pro) == [second["id"], first["id"]]


def test_a_job_closed_through_another_process_leaves_the_board_within_the_seconds(
    client: TestClient, market: Market, taxonomy_platform: Platform, ticks: Ticks
) -> None:
    job = open_job(client, market.client)
    assert board(client, market.pro) == [job["id"]]
    assert taxonomy_platform.engine is not None
    with taxonomy_platform.engine.begin() as connection:  # as another process's commit looks to this one
        connection.execute(update(MicroJobRow).values(state="closed"))
    assert board(client, market.pro) == [job["id"]]  # remembered: the price, for the seconds
    ticks.now += taxonomy_platform.settings.read_cache_seconds + 0.01
    assert board(client, market.pro) == []


def test_a_page_remembered_for_a_member_is_never_given_to_an_outsider(
    client: TestClient, market: Market
) -> None:
    public = open_job(client, market.client)
    internal = open_job(client, market.admin, audience="internal", organisation_id=market.people.acme)
    assert set(board(client, market.employee)) == {public["id"], internal["id"]}
    assert board(client, market.stranger) == [public["id"]]
    assert board(client, market.pro) == [public["id"]]
    assert set(board(client, market.employee)) == {public["id"], internal["id"]}


def test_a_remembered_answer_is_the_answer_the_store_gives(
    client: TestClient, market: Market, taxonomy_platform: Platform, ticks: Ticks
) -> None:
    """The API keeps the page's answer as sent (on the event loop): the same bytes and headers as an
    answer read from the store with nothing remembered, for each page, filter and viewer."""
    first = open_job(client, market.client)
    open_job(client, market.client)
    skill = first["required_skills"][0]
    asks: list[dict[str, str | list[str]]] = [
        {},
        {"limit": "1", "offset": "1"},
        {"q": "job", "remote": "true", "state": ["open", "draft"]},
        {"skill": skill, "budget_min": "0"},
    ]
    remembered = [client.get("/api/v1/jobs", params=p, headers=market.pro) for p in asks]
    again = [client.get("/api/v1/jobs", params=p, headers=market.pro) for p in asks]
    taxonomy_platform.caches["recent_reads"] = RecentReads(0)  # nothing remembered: the store answers
    fresh = [client.get("/api/v1/jobs", params=p, headers=market.pro) for p in asks]
    for one, two, three in zip(remembered, again, fresh, strict=True):
        assert one.status_code == two.status_code == three.status_code == 200
        assert one.content == two.content == three.content
        assert one.headers == two.headers == three.headers
    assert first["id"] in [job["id"] for job in remembered[3].json()["items"]]


def test_a_remembered_skill_search_is_the_answer_the_store_gives(
    client: TestClient, market: Market, taxonomy_platform: Platform
) -> None:
    """The skills search's answer kept as sent: the same bytes and headers as one read from the store
    with nothing remembered; and a query refused before is refused the same way."""
    asks = [{"q": "python"}, {"q": "python", "limit": "2", "offset": "1"}, {"q": "pyhton"}]
    remembered = [client.get("/api/v1/skills", params=p, headers=market.pro) for p in asks]
    again = [client.get("/api/v1/skills", params=p, headers=market.pro) for p in asks]
    taxonomy_platform.caches["recent_reads"] = RecentReads(0)
    fresh = [client.get("/api/v1/skills", params=p, headers=market.pro) for p in asks]
    for one, two, three in zip(remembered, again, fresh, strict=True):
        assert one.status_code == two.status_code == three.status_code == 200
        assert one.content == two.content == three.content
        assert one.headers == two.headers == three.headers
    assert remembered[0].json()["items"]
    blank = client.get("/api/v1/skills", params={"q": "   "}, headers=market.pro)
    assert blank.status_code == 422
    assert "empty" in blank.json()["detail"]


def test_an_org_skill_added_through_this_process_is_found_at_once_and_only_by_members(
    client: TestClient, market: Market
) -> None:
    assert (
        client.get("/api/v1/skills", params={"q": "house style"}, headers=market.employee).json()["items"]
        == []
    )
    body = {
        "organisation_id": market.people.acme,
        "label": "Acme house style",
        "links": [],
    }
    created = client.post("/api/v1/skills", json=body, headers=market.admin)
    assert created.status_code == 201, created.text
    uri = created.json()["uri"]
    for _ in range(2):  # read from the store, then remembered: the same for each viewer
        member = client.get("/api/v1/skills", params={"q": "house style"}, headers=market.employee).json()
        assert [item["skill"]["uri"] for item in member["items"]] == [uri]
        outsider = client.get("/api/v1/skills", params={"q": "house style"}, headers=market.stranger).json()
        assert uri not in [item["skill"]["uri"] for item in outsider["items"]]


def test_an_own_profile_remembered_is_the_answer_the_store_gives_and_each_readers_own(
    client: TestClient, market: Market, taxonomy_platform: Platform, ticks: Ticks
) -> None:
    """``GET /api/v1/profiles/me`` kept as sent: the same bytes and headers as one read from the store
    with nothing remembered, each reader's own; a change through this process shows at once, one made
    elsewhere within the seconds; the signed-out are refused as before."""
    readers = [market.pro, market.employee, market.admin, market.root]
    ids = [uid(market.people.pro), uid(market.people.employee), uid(market.people.admin), market.root_id]
    remembered = [client.get("/api/v1/profiles/me", headers=h) for h in readers]
    again = [client.get("/api/v1/profiles/me", headers=h) for h in readers]
    taxonomy_platform.caches["recent_reads"] = RecentReads(0)
    fresh = [client.get("/api/v1/profiles/me", headers=h) for h in readers]
    for one, two, three in zip(remembered, again, fresh, strict=True):
        assert one.status_code == two.status_code == three.status_code == 200
        assert one.content == two.content == three.content
        assert one.headers == two.headers == three.headers
    assert [answer.json()["user_id"] for answer in remembered] == ids
    assert client.get("/api/v1/profiles/me").status_code == 401

    platform = taxonomy_platform
    assert platform.commit_count is not None
    platform.caches["recent_reads"] = RecentReads(
        platform.settings.read_cache_seconds, changes=platform.commit_count, monotonic=ticks
    )
    pro = uid(market.people.pro)
    mine = ok(client.get("/api/v1/profiles/me", headers=market.pro))
    edited = {"headline": "Written here", "summary": "", "visibility": "public", "experiences": []}
    written = client.put(f"/api/v1/profiles/{pro}", json=edited, headers=market.pro)
    assert written.status_code == 200, written.text
    assert ok(client.get("/api/v1/profiles/me", headers=market.pro))["headline"] == "Written here"
    assert mine["headline"] != "Written here"
    assert platform.engine is not None
    with platform.engine.begin() as connection:  # as another process's commit looks to this one
        connection.execute(update(ProfileRow).where(ProfileRow.user_id == pro).values(headline="Elsewhere"))
    assert ok(client.get("/api/v1/profiles/me", headers=market.pro))["headline"] == "Written here"
    ticks.now += platform.settings.read_cache_seconds + 0.01
    assert ok(client.get("/api/v1/profiles/me", headers=market.pro))["headline"] == "Elsewhere"
