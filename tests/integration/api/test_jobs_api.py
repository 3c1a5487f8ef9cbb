"""/api/v1/jobs, /applications, /talent and the gap to a job, on each database: the client's and the
professional's path over HTTP, internal jobs and a manager's approval, and refusals as problems."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import profiles
from tests.integration.api.market_api import (
    Market,
    contract_for,
    job_body,
    make_market,
    ok,
    open_job,
    proposal,
)
from tests.integration.job_market_helpers import NOW, TODAY, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, PYTHON_KEY


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def _problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["code"] == code
    return body


def test_a_client_posts_a_professional_applies_and_the_client_accepts(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    brief = "We need Python and SQL for a data mining job; some statistics helps."
    proposed = ok(client.post("/api/v1/jobs/skill-proposals", json={"brief": brief}, headers=market.client))
    found = {s["uri"]: s for s in [*proposed["required"], *proposed["nice"]]}
    assert PYTHON in found
    assert found[PYTHON]["key"] == PYTHON_KEY
    assert found[PYTHON]["label"]
    assert proposed["required"], "a job needs a required skill"
    assert all(0 < s["confidence"] <= 1 for s in found.values())

    draft = ok(client.post("/api/v1/jobs", json=job_body(), headers=market.client), 201)
    assert draft["state"] == "draft"
    assert draft["required_skills"] == [PYTHON]  # the key became the URI
    assert draft["budget"] == {"kind": "fixed", "amount": 50000, "currency": "EUR", "formatted": "EUR 500.00"}
    job_url = f"/api/v1/jobs/{draft['id']}"
    _problem(client.get(job_url, headers=market.pro), 404, "not_found")  # a draft: the poster's alone
    renamed = ok(client.put(job_url, json=job_body(title="Port a tool to Python"), headers=market.client))
    assert renamed["title"] == "Port a tool to Python"
    opened = ok(client.post(f"{job_url}/publish", headers=market.client))
    assert opened["state"] == "open"
    _problem(client.post(f"{job_url}/publish", headers=market.client), 409, "conflict")

    listed = ok(client.get("/api/v1/jobs", params={"skill": PYTHON_KEY}, headers=market.pro))
    assert [j["id"] for j in listed["items"]] == [draft["id"]]
    assert listed["total"] == 1
    assert ok(
        client.get("/api/v1/jobs", params={"skill": HASKELL, "state": "draft"}, headers=market.pro)
    ) == {
        "items": [],
        "total": 0,
        "limit": 20,
        "offset": 0,
        "facets": {},
        "widened": {},
    }
    mine = ok(client.get("/api/v1/jobs", params={"mine": "true"}, headers=market.client))
    assert [j["id"] for j in mine["items"]] == [draft["id"]]

    applied = ok(client.post(f"{job_url}/applications", json=proposal(), headers=market.pro), 201)
    assert (applied["state"], applied["approval"]) == ("submitted", "not_needed")
    assert applied["rate"] == {"amount": 48000, "currency": "EUR", "formatted": "EUR 480.00"}
    _problem(client.post(f"{job_url}/applications", json=proposal(), headers=market.pro), 409)
    _problem(client.post(f"{job_url}/applications", json=proposal(), headers=market.client), 403)
    other = ok(client.post(f"{job_url}/applications", json=proposal(45000), headers=market.stranger), 201)
    _problem(client.get(f"{job_url}/applications", headers=market.pro), 403)
    listed_apps = ok(client.get(f"{job_url}/applications", headers=market.client))
    assert [a["id"] for a in listed_apps["items"]] == [applied["id"], other["id"]]

    app_url = f"/api/v1/applications/{applied['id']}"
    assert ok(client.post(f"{app_url}/shortlist", headers=market.client))["state"] == "shortlisted"
    _problem(client.post(f"{app_url}/shortlist", headers=market.pro), 403)
    uneven: dict[str, Any] = {
        "milestones": [
            {"title": "Draft", "amount": {"amount": 30000, "currency": "EUR"}, "due": "2026-12-05"},
            {"title": "Final", "amount": {"amount": 10000, "currency": "EUR"}, "due": "2026-12-20"},
        ]
    }
    problem = _problem(client.post(f"{app_url}/accept", json=uneven, headers=market.client), 422)
    assert "EUR 400.00" in problem["detail"]
    assert "EUR 480.00" in problem["detail"]
    assert problem["field"] == "milestones"
    uneven["milestones"][1]["amount"]["amount"] = 18000
    contract = ok(client.post(f"{app_url}/accept", json=uneven, headers=market.client), 201)
    assert contract["kind"] == "fixed"
    assert contract["state"] == "active"
    assert contract["fee_bp"] == taxonomy_platform.settings.marketplace_fee_basis_points
    assert contract["professional_user_id"] == uid(market.people.pro)
    assert ok(client.get(job_url, headers=market.pro))["state"] == "in_progress"

    pro_id = uid(market.people.pro)
    own = ok(client.get(f"/api/v1/users/{pro_id}/applications", headers=market.pro))
    assert [(a["id"], a["state"]) for a in own["items"]] == [(applied["id"], "accepted")]
    stranger_apps = ok(
        client.get(f"/api/v1/users/{uid(market.people.stranger)}/applications", headers=market.stranger)
    )
    assert [a["state"] for a in stranger_apps["items"]] == ["declined"]  # the others were declined
    _problem(client.get(f"/api/v1/users/{pro_id}/applications", headers=market.stranger), 404)
    _problem(client.get(f"/api/v1/users/{pro_id}/applications"), 401)
    _problem(client.post(f"/api/v1/applications/{other['id']}/withdraw", headers=market.stranger), 409)


def test_withdraw_decline_and_cancel(client: TestClient, market: Market) -> None:
    job = open_job(client, market.client)
    first = ok(
        client.post(f"/api/v1/jobs/{job['id']}/applications", json=proposal(), headers=market.pro), 201
    )
    second = ok(
        client.post(f"/api/v1/jobs/{job['id']}/applications", json=proposal(), headers=market.stranger), 201
    )
    _problem(client.post(f"/api/v1/applications/{first['id']}/withdraw", headers=market.client), 403)
    assert ok(client.post(f"/api/v1/applications/{first['id']}/withdraw", headers=market.pro))["state"] == (
        "withdrawn"
    )
    assert ok(client.post(f"/api/v1/applications/{second['id']}/decline", headers=market.client))[
        "state"
    ] == ("declined")
    cancelled = ok(client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=market.client))
    assert cancelled["state"] == "cancelled"
    _problem(
        client.post(f"/api/v1/jobs/{job['id']}/applications", json=proposal(), headers=market.colleague), 409
    )


def test_an_internal_job_is_hidden_outside_and_needs_the_managers_approval(
    client: TestClient, market: Market
) -> None:
    people = market.people
    internal = open_job(client, market.admin, audience="internal", organisation_id=people.acme)
    url = f"/api/v1/jobs/{internal['id']}"
    for outsider in (market.stranger, market.pro, market.client):
        _problem(client.get(url, headers=outsider), 404, "not_found")  # not 403: it does not exist for them
        _problem(client.post(f"{url}/applications", json=proposal(), headers=outsider), 404)
        seen = ok(client.get("/api/v1/jobs", headers=outsider))
        assert internal["id"] not in [j["id"] for j in seen["items"]]
    assert ok(client.get(url, headers=market.employee))["audience"] == "internal"
    only_acme = ok(client.get("/api/v1/jobs", params={"organisation": people.acme}, headers=market.employee))
    assert [j["id"] for j in only_acme["items"]] == [internal["id"]]
    _problem(client.post(f"{url}/cancel", headers=market.employee), 403)  # seen, not managed

    settings = {"manager_user_id": uid(people.manager), "contracted_hours_per_week": 40}
    ok(client.put(f"/api/v1/users/{uid(people.employee)}/work-settings", json=settings, headers=market.root))
    applied = ok(
        client.post(f"{url}/applications", json=proposal(hours_per_week=4), headers=market.employee), 201
    )
    assert applied["approval"] == "pending"
    app_url = f"/api/v1/applications/{applied['id']}"
    waits = _problem(client.post(f"{app_url}/accept", headers=market.admin), 409)
    assert "manager" in waits["detail"]
    _problem(client.post(f"{app_url}/approve", headers=market.employee), 403)  # never your own
    _problem(client.post(f"{app_url}/approve", headers=market.colleague), 403)  # a member, not the manager
    _problem(client.post(f"{app_url}/approve", headers=market.stranger), 404)
    approved = ok(client.post(f"{app_url}/approve", headers=market.manager))
    assert (approved["approval"], approved["approver_user_id"]) == ("approved", uid(people.manager))
    _problem(client.post(f"{app_url}/refuse", headers=market.manager), 409)
    contract = ok(client.post(f"{app_url}/accept", headers=market.admin), 201)
    assert (contract["internal"], contract["fee_bp"], contract["organisation_id"]) == (True, 0, people.acme)
    [milestone] = ok(client.get(f"/api/v1/contracts/{contract['id']}", headers=market.admin))["milestones"]
    assert milestone["title"] == "Delivery"
    assert milestone["amount"]["amount"] == 48000


def test_the_internal_cap_holds(client: TestClient, market: Market) -> None:
    people = market.people
    internal = open_job(client, market.admin, audience="internal", organisation_id=people.acme)
    too_much = proposal(hours_per_week=30)
    problem = _problem(
        client.post(f"/api/v1/jobs/{internal['id']}/applications", json=too_much, headers=market.employee),
        409,
    )
    assert "internal cap" in problem["detail"]
    assert "30.0 h" in problem["detail"]


def _python_profile(platform: Platform, user_id: int, kind: EvidenceKind) -> None:
    profiles.save_profile(
        platform.uow(),
        actor=Actor.system(),
        user_id=user_id,
        profile=Profile(visibility=Visibility.PUBLIC, available=True),
        now=NOW,
    )
    with platform.uow() as uow:
        uow.profiles.set_skill(user_id, PYTHON, 4, at=NOW)
        uow.profiles.add_evidence(user_id, PYTHON, [Evidence(kind, TODAY, source=f"test:{kind}")], at=NOW)
        uow.commit()


def test_talent_search_ranks_by_evidence(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    people = market.people
    _python_profile(taxonomy_platform, uid(people.pro), EvidenceKind.SELF_CLAIM)
    _python_profile(taxonomy_platform, uid(people.stranger), EvidenceKind.CREDENTIAL)
    found = ok(client.get("/api/v1/talent", params={"skill": [PYTHON_KEY, HASKELL]}, headers=market.client))
    assert found["skills"] == [PYTHON, HASKELL]
    assert [c["user_id"] for c in found["items"]] == [uid(people.stranger), uid(people.pro)]
    best = found["items"][0]
    assert [c["uri"] for c in best["coverage"]] == [PYTHON, HASKELL]
    assert best["coverage"][1]["confidence"] == 0
    assert 0 < best["score"] < 1
    assert ok(client.get("/api/v1/talent", params={"skill": PYTHON, "limit": 1}, headers=market.client))[
        "items"
    ][0]["user_id"] == uid(people.stranger)
    _problem(client.get("/api/v1/talent", params={"skill": PYTHON}), 401)
    assert _problem(client.get("/api/v1/talent", headers=market.client), 422)["field"] == "skills"
    assert (
        _problem(client.get("/api/v1/talent", params={"skill": "nope"}, headers=market.client), 422)["field"]
        == "skill"
    )


def test_gap_to_a_posted_job(client: TestClient, taxonomy_platform: Platform, market: Market) -> None:
    people = market.people
    _python_profile(taxonomy_platform, uid(people.pro), EvidenceKind.CREDENTIAL)
    job = open_job(client, market.client)
    url = f"/api/v1/profiles/{uid(people.pro)}/gap"
    gap = ok(client.get(url, params={"job": job["id"]}, headers=market.pro))
    assert gap["target_label"] == job["title"]
    items = {item["uri"]: item for item in gap["items"]}
    assert set(items) == {PYTHON, HASKELL}
    assert (items[PYTHON]["importance"], items[PYTHON]["status"]) == (1, "covered")
    assert items[HASKELL]["importance"] == 0.5
    assert 0 < gap["fit"] < 1
    internal = open_job(client, market.admin, audience="internal", organisation_id=people.acme)
    _problem(client.get(url, params={"job": internal["id"]}, headers=market.pro), 404)
    _problem(client.get(url, headers=market.pro), 422)
    _problem(client.get(url, params={"job": job["id"], "occupation": "x"}, headers=market.pro), 422)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"required_skills": ["no-such-key"]}, "required_skills"),
        ({"nice_skills": ["http://example.org/nope"]}, "nice_skills"),
        ({"required_skills": []}, "required_skills"),
        ({"budget": {"kind": "fixed", "amount": 100, "currency": "XYZ"}}, "currency"),
        ({"budget": {"kind": "fixed", "amount": 0, "currency": "EUR"}}, "budget"),
        ({"title": "x"}, "title"),
        ({"remote": False, "place": ""}, "place"),
        ({"audience": "internal"}, "organisation_id"),
        ({"end": "2026-11-01", "start": None}, "end"),
    ],
)
def test_bad_jobs_are_422_naming_the_field(
    client: TestClient, market: Market, changes: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/jobs", json=job_body(**changes), headers=market.client)
    if field == "end":  # a past end is refused on publishing, not in a draft
        job = ok(response, 201)
        response = client.post(f"/api/v1/jobs/{job['id']}/publish", headers=market.client)
    problem = _problem(response, 422, "invalid_input")
    assert problem.get("field") == field, problem


def test_who_may_post_and_odd_requests_are_problems(client: TestClient, market: Market) -> None:
    _problem(client.post("/api/v1/jobs", json=job_body()), 401)
    _problem(client.post("/api/v1/jobs", json=job_body(), headers=market.pro), 403)  # no client
    internal = job_body(audience="internal", organisation_id=market.people.acme)
    _problem(client.post("/api/v1/jobs", json=internal, headers=market.employee), 403)
    _problem(client.post("/api/v1/jobs", json=job_body(organisation_id=2**40), headers=market.client), 422)
    _problem(client.get("/api/v1/jobs/999999", headers=market.client), 404)
    _problem(client.get("/api/v1/jobs/99999999999", headers=market.client), 422)
    _problem(client.post("/api/v1/applications/999999/accept", headers=market.client), 404)
    _problem(client.post("/api/v1/jobs/skill-proposals", json={"brief": " "}, headers=market.client), 422)
    _problem(client.post("/api/v1/jobs/skill-proposals", json={"brief": "Python"}), 401)
    job = open_job(client, market.client)
    nan = {**proposal(), "hours_per_week": "NaN"}
    _problem(client.post(f"/api/v1/jobs/{job['id']}/applications", json=nan, headers=market.pro), 422)
    dollars = {**proposal(), "rate": {"amount": 100, "currency": "usd"}}
    problem = _problem(
        client.post(f"/api/v1/jobs/{job['id']}/applications", json=dollars, headers=market.pro), 422
    )
    assert problem["field"] == "rate"
    contract = contract_for(client, market.client, market.pro, job=open_job(client, market.client))
    assert contract["state"] == "active"
    _problem(client.put(f"/api/v1/jobs/{contract['job_id']}", json=job_body(), headers=market.client), 409)


def test_searching_jobs_by_words_and_facets(client: TestClient, market: Market) -> None:
    """A misspelt word finds the job, facets narrow and count; another organisation's internal job
    is never found; bad search values are a 422 naming the parameter."""
    sales = open_job(client, market.client, title="Data analysis of sales", remote=False, place="Lyon")
    port = open_job(client, market.client)
    internal = open_job(client, market.admin, audience="internal", organisation_id=market.people.acme)
    found = ok(client.get("/api/v1/jobs", params={"q": "data anlysis"}, headers=market.pro))
    assert [j["id"] for j in found["items"]] == [sales["id"]]
    assert found["widened"] == {"anlysis": ["analysis"]}
    everything = ok(client.get("/api/v1/jobs", params={"q": "pyhton"}, headers=market.stranger))
    assert {j["id"] for j in everything["items"]} == {sales["id"], port["id"]}
    assert {(c["value"], c["count"]) for c in everything["facets"]["remote"]} == {
        ("remote", 1),
        ("on_site", 1),
    }
    inside = ok(
        client.get("/api/v1/jobs", params={"q": "pyhton", "audience": "internal"}, headers=market.employee)
    )
    assert [j["id"] for j in inside["items"]] == [internal["id"]]
    narrowed = ok(client.get("/api/v1/jobs", params={"q": "python", "remote": "true"}, headers=market.pro))
    assert [j["id"] for j in narrowed["items"]] == [port["id"]]
    for params, field in (
        ({"q": "x" * 201}, "q"),
        ({"budget_min": -1}, "budget_min"),
        ({"budget_min": 9, "budget_max": 1}, "budget_max"),
        ({"remote": "perhaps"}, "remote"),
        ({"offset": 20_000}, "offset"),
    ):
        problem = _problem(client.get("/api/v1/jobs", params=params, headers=market.pro), 422)
        assert field in str(problem), (params, problem)


def test_searching_people_by_words_and_facets(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    people = market.people
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(
            uid(people.pro), Profile(headline="Python developer in Lyon"), resume_extras={}, at=NOW
        )
        uow.profiles.save(
            uid(people.colleague), Profile(headline="Python analyst", visibility=Visibility.ORGANISATION),
            resume_extras={}, at=NOW,
        )  # fmt: skip
        uow.commit()
    _problem(client.get("/api/v1/people", params={"q": "python"}), 401)
    seen = ok(client.get("/api/v1/people", params={"q": "pyhton"}, headers=market.stranger))
    assert [p["user_id"] for p in seen["items"]] == [uid(people.pro)]
    assert seen["widened"] == {"pyhton": ["python"]}
    inside = ok(client.get("/api/v1/people", params={"q": "pyhton"}, headers=market.employee))
    assert {p["user_id"] for p in inside["items"]} == {uid(people.pro), uid(people.colleague)}
    assert inside["facets"]["visibility"] == [
        {"value": "organisation", "count": 1},
        {"value": "public", "count": 1},
    ]
    for params, field in (
        ({"q": "x" * 201}, "q"),
        ({"hours_min": 169}, "hours_min"),
        ({"rate_max": -1}, "rate_max"),
    ):
        problem = _problem(client.get("/api/v1/people", params=params, headers=market.pro), 422)
        assert field in str(problem), (params, problem)
