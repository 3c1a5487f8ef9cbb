"""/jobs/{id}/candidates and /users/{id}/recommendations over HTTP: shapes, who may ask, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile
from microcareer.services import profiles
from tests.integration.api.market_api import Market, make_market, ok, open_job
from tests.integration.job_market_helpers import NOW, TODAY, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def _skill(platform: Platform, user_id: int, uri: str, kind: EvidenceKind) -> None:
    profiles.save_profile(platform.uow(), actor=Actor.system(), user_id=user_id, profile=Profile(), now=NOW)
    with platform.uow() as uow:
        uow.profiles.set_skill(user_id, uri, 3, at=NOW)
        uow.profiles.add_evidence(user_id, uri, [Evidence(kind, TODAY, source="t")], at=NOW)
        uow.commit()


def _status(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


def test_candidates_explained_and_who_may_see_them(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    people = market.people
    _skill(taxonomy_platform, uid(people.pro), PYTHON, EvidenceKind.CREDENTIAL)
    _skill(taxonomy_platform, uid(people.stranger), HASKELL, EvidenceKind.CREDENTIAL)
    job = open_job(client, market.client)
    url = f"/api/v1/jobs/{job['id']}/candidates"
    found = ok(client.get(url, headers=market.client))
    assert [c["user_id"] for c in found["items"]] == [uid(people.pro), uid(people.stranger)]
    related = found["items"][1]["skills"][0]
    assert related["how"] == "related"
    assert related["via"] == "Haskell"
    assert related["link"] == "sibling skill"
    assert {f["name"] for f in found["items"][0]["factors"]} >= {"rate", "reputation", "required"}
    assert ok(client.get(url, headers=market.root))["items"]
    _status(client.get(url, headers=market.pro), 403)  # sees the job, may not manage it
    _status(client.get(url), 401)
    _status(client.get(url, params={"limit": 0}, headers=market.client), 422)
    _status(client.get("/api/v1/jobs/999999/candidates", headers=market.client), 404)
    internal = open_job(client, market.admin, audience="internal", organisation_id=people.acme)
    _status(client.get(f"/api/v1/jobs/{internal['id']}/candidates", headers=market.stranger), 404)
    _status(client.get(f"/api/v1/jobs/{internal['id']}/candidates", headers=market.manager), 403)
    ok(client.get(f"/api/v1/jobs/{internal['id']}/candidates", headers=market.admin))


def test_recommendations_save_dismiss_only_for_oneself_or_admins(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    people = market.people
    pro = uid(people.pro)
    _skill(taxonomy_platform, pro, PYTHON, EvidenceKind.CREDENTIAL)
    fit = open_job(client, market.client, nice_skills=[])
    stretch = open_job(
        client, market.client, title="Haskell and Python", required_skills=[PYTHON, HASKELL], nice_skills=[]
    )
    url = f"/api/v1/users/{pro}/recommendations"
    found = ok(client.get(url, headers=market.pro))
    assert [j["job_id"] for j in found["fit_now"]] == [fit["id"]]
    assert [j["job_id"] for j in found["stretch"]] == [stretch["id"]]
    haskell = [s["label"] for s in found["stretch"][0]["skills"] if s["uri"] == HASKELL]
    assert found["stretch"][0]["would_add"] == haskell
    _status(client.put(f"{url}/{fit['id']}", json={"mark": "saved"}, headers=market.pro), 204)
    _status(client.put(f"{url}/{stretch['id']}", json={"mark": "dismissed"}, headers=market.pro), 204)
    again = ok(client.get(url, headers=market.pro))
    assert again["saved"] == [fit["id"]]
    assert again["fit_now"][0]["saved"] is True
    assert again["stretch"] == []
    assert again["dismissed"] == 1
    _status(client.delete(f"{url}/{stretch['id']}", headers=market.pro), 204)
    assert [j["job_id"] for j in ok(client.get(url, headers=market.pro))["stretch"]] == [stretch["id"]]
    assert ok(client.get(url, headers=market.root))["user_id"] == pro
    for other in (market.client, market.admin, market.stranger):
        _status(client.get(url, headers=other), 403)
        _status(client.put(f"{url}/{fit['id']}", json={"mark": "saved"}, headers=other), 403)
    _status(client.get(url), 401)
    _status(client.put(f"{url}/{fit['id']}", json={"mark": "loved"}, headers=market.pro), 422)
    _status(client.put(f"{url}/999999", json={"mark": "saved"}, headers=market.pro), 404)
