"""The network over the API on each database: connect and see how you know each other, block,
introductions by skill name, mentoring from request to evidence, and the public portfolio read by a
signed-out stranger; every refusal a 4xx that names what was wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.profiles.profile import Profile, Visibility
from tests.integration.api.market_api import bearer
from tests.integration.store.marketplace_helpers import NOW, Market, make_market
from tests.integration.taxonomy_helpers import PYTHON


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    taxonomy_platform.clock = lambda: NOW
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def ids(market: Market) -> tuple[int, int, int]:
    assert market.professional.user_id is not None
    assert market.client.user_id is not None
    assert market.stranger.user_id is not None
    return market.professional.user_id, market.client.user_id, market.stranger.user_id


def test_connect_accept_and_how_you_know_them(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    pro, clara, sam = ids(market)
    as_pro, as_clara, as_sam = (bearer(taxonomy_platform, u) for u in (pro, clara, sam))
    proposals = client.get(f"/api/v1/users/{pro}/connection-proposals", headers=as_pro)
    assert proposals.status_code == 200, proposals.text
    assert [p["user_id"] for p in proposals.json()] == [clara]
    asked = client.post(
        f"/api/v1/users/{pro}/connections", json={"user_id": clara, "message": "hi"}, headers=as_pro
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["state"] == "pending"
    connection_id = asked.json()["id"]
    # someone else cannot accept it for Clara
    assert (
        client.post(f"/api/v1/users/{clara}/connections/{connection_id}/accept", headers=as_sam).status_code
        == 403
    )
    accepted = client.post(f"/api/v1/users/{clara}/connections/{connection_id}/accept", headers=as_clara)
    assert accepted.status_code == 200, accepted.text
    how = accepted.json()["how"]
    assert any("worked together on the contract" in line for line in how)
    # Clara's connections: connections only by default, so Sam gets 404 and Pete sees them
    assert client.get(f"/api/v1/users/{clara}/connections", headers=as_sam).status_code == 404
    assert client.get(f"/api/v1/users/{clara}/connections", headers=as_pro).status_code == 200
    assert client.get(f"/api/v1/users/{clara}/connections").status_code == 401
    put = client.put(
        f"/api/v1/users/{clara}/network-settings",
        json={"connections_visibility": "signed_in"},
        headers=as_clara,
    )
    assert put.status_code == 200, put.text
    assert client.get(f"/api/v1/users/{clara}/connections", headers=as_sam).status_code == 200
    bad = client.put(
        f"/api/v1/users/{clara}/network-settings", json={"connections_visibility": "all"}, headers=as_clara
    )
    assert bad.status_code == 422
    # Clara blocks Sam: his request is the same 404 as no one
    assert (
        client.post(f"/api/v1/users/{clara}/blocks", json={"user_id": sam}, headers=as_clara).status_code
        == 204
    )
    refused = client.post(f"/api/v1/users/{sam}/connections", json={"user_id": clara}, headers=as_sam)
    assert refused.status_code == 404
    assert "no user" in refused.json()["detail"]
    assert client.get(f"/api/v1/users/{clara}/connections", headers=as_sam).status_code == 404
    assert client.get(f"/api/v1/users/{clara}/blocks", headers=as_clara).json() == [
        {"user_id": sam, "name": "sam"}
    ]
    too_big = client.post(f"/api/v1/users/{sam}/connections", json={"user_id": 2**40}, headers=as_sam)
    assert too_big.status_code == 422


def test_introductions_by_skill_name(client: TestClient, taxonomy_platform: Platform, market: Market) -> None:
    pro, clara, _ = ids(market)
    as_pro, as_clara = bearer(taxonomy_platform, pro), bearer(taxonomy_platform, clara)
    made = client.post(f"/api/v1/users/{pro}/connections", json={"user_id": clara}, headers=as_pro).json()
    client.post(f"/api/v1/users/{clara}/connections/{made['id']}/accept", headers=as_clara)
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(clara, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()
    put = client.put(f"/api/v1/profiles/{clara}/skills/python", json={"proficiency": 4}, headers=as_clara)
    assert put.status_code == 200, put.text
    found = client.get(f"/api/v1/users/{pro}/introductions", params={"skill": "python"}, headers=as_pro)
    assert found.status_code == 200, found.text
    assert [(i["user_id"], i["hops"]) for i in found.json()] == [(clara, 1)]
    assert "you know them: worked together" in found.json()[0]["why"]
    unknown = client.get(f"/api/v1/users/{pro}/introductions", params={"skill": "zzqx"}, headers=as_pro)
    assert unknown.status_code == 404
    assert (
        client.get(
            f"/api/v1/users/{pro}/introductions", params={"skill": "python"}, headers=as_clara
        ).status_code
        == 403
    )


def test_mentoring_from_request_to_evidence(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    pro, clara, sam = ids(market)
    as_pro, as_clara, as_sam = (bearer(taxonomy_platform, u) for u in (pro, clara, sam))
    offer = client.put(
        f"/api/v1/users/{clara}/mentor-offer",
        json={"skills": ["python"], "hours_per_month": 4},
        headers=as_clara,
    )
    assert offer.status_code == 200, offer.text
    mentors = client.get(f"/api/v1/users/{pro}/mentors", params={"skill": ["python"]}, headers=as_pro)
    assert [m["user_id"] for m in mentors.json()] == [clara]
    asked = client.post(
        f"/api/v1/users/{pro}/mentorships", json={"mentor_id": clara, "skills": ["python"]}, headers=as_pro
    )
    assert asked.status_code == 201, asked.text
    mid = asked.json()["id"]
    assert client.get(f"/api/v1/mentorships/{mid}", headers=as_sam).status_code == 404
    assert (
        client.post(f"/api/v1/mentorships/{mid}/answer", json={"accept": True}, headers=as_pro).status_code
        == 422
    )
    assert (
        client.post(f"/api/v1/mentorships/{mid}/answer", json={"accept": True}, headers=as_clara).status_code
        == 200
    )
    session = client.post(
        f"/api/v1/mentorships/{mid}/sessions",
        json={"date": "2026-11-10", "minutes": 60, "notes": "tests"},
        headers=as_pro,
    )
    assert session.status_code == 201, session.text
    future = client.post(
        f"/api/v1/mentorships/{mid}/sessions", json={"date": "2027-01-10", "minutes": 60}, headers=as_pro
    )
    assert future.status_code == 422
    assert "date" in future.json()["detail"]
    assert client.post(f"/api/v1/mentorships/{mid}/complete", headers=as_pro).json()["state"] == "active"
    done = client.post(f"/api/v1/mentorships/{mid}/complete", headers=as_clara)
    assert done.json()["state"] == "completed"
    profile = client.get(f"/api/v1/profiles/{pro}", headers=as_pro)
    assert profile.status_code == 200, profile.text
    skills = {s["uri"]: s for s in profile.json()["skills"]}
    assert "completed mentorship 2026-11" in skills[PYTHON]["explanation"]


def test_the_portfolio_read_by_a_signed_out_stranger(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    pro, _, sam = ids(market)
    as_pro, as_sam = bearer(taxonomy_platform, pro), bearer(taxonomy_platform, sam)
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(pro, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()
    settings = {
        "handle": "pete",
        "headline": "Backend",
        "narrative": "</script><script>alert(1)</script>",
        "published": True,
    }
    assert client.put(f"/api/v1/users/{pro}/portfolio", json=settings, headers=as_pro).status_code == 200
    assert client.put(f"/api/v1/users/{sam}/portfolio", json=settings, headers=as_sam).status_code == 409
    assert client.put(f"/api/v1/users/{pro}/portfolio", json=settings, headers=as_sam).status_code == 403
    item = {
        "title": "Booking API",
        "link": "https://example.org",
        "skills": ["python"],
        "contract_id": market.fixed_id,
    }
    added = client.post(f"/api/v1/users/{pro}/portfolio/items", json=item, headers=as_pro)
    assert added.status_code == 201, added.text
    assert "on microcareer" in added.json()["behind"]
    bad = client.post(
        f"/api/v1/users/{pro}/portfolio/items",
        json={"title": "x", "link": "javascript:alert(1)"},
        headers=as_pro,
    )
    assert bad.status_code == 422
    assert "link" in bad.json()["detail"]
    page = client.get("/api/v1/portfolios/pete")
    assert page.status_code == 200, page.text
    assert page.json()["items"][0]["title"] == "Booking API"
    resume = client.get("/api/v1/portfolios/pete/resume.json")
    assert resume.status_code == 200
    assert resume.json()["basics"]["url"].endswith("/p/pete")
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(pro, Profile(visibility=Visibility.PRIVATE), resume_extras={}, at=NOW)
        uow.commit()
    assert client.get("/api/v1/portfolios/pete").status_code == 404
    assert client.get("/api/v1/portfolios/pete", headers=as_pro).status_code == 200
