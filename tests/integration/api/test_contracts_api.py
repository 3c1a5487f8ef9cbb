"""/api/v1/contracts, /disputes, /ledger and reviews, reputation and balances, on each database: a fixed
and an hourly contract from acceptance to reviews over HTTP, a dispute frozen then resolved, and who
sees what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.profiles.profile import Profile, Visibility
from tests.integration.api.market_api import Market, contract_for, make_market, ok, open_job, proposal
from tests.integration.job_market_helpers import NOW, uid
from tests.integration.taxonomy_helpers import PYTHON


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, market: Market) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()  # type: ignore[no-any-return]


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR"}


TWO_MILESTONES = {
    "milestones": [
        {"title": "Draft", "amount": _money(30000), "due": "2026-12-05"},
        {"title": "Final", "amount": _money(18000), "due": "2026-12-20"},
    ]
}


def test_a_fixed_contract_from_funding_to_reviews(
    client: TestClient, taxonomy_platform: Platform, market: Market
) -> None:
    people = market.people
    contract = contract_for(client, market.client, market.pro, terms=TWO_MILESTONES)
    url = f"/api/v1/contracts/{contract['id']}"
    detail = ok(client.get(url, headers=market.pro))
    assert detail["role"] == "professional"
    assert detail["job_title"] == "Port a script to Python"
    assert (detail["client_user_id"], detail["professional_user_id"]) == (uid(people.client), uid(people.pro))
    first, second = detail["milestones"]
    assert [first["state"], second["amount"]["formatted"]] == ["pending", "EUR 180.00"]
    m1, m2 = f"{url}/milestones/{first['id']}", f"{url}/milestones/{second['id']}"

    _problem(client.post(f"{m1}/fund", headers=market.pro), 403)  # the professional never funds
    assert ok(client.post(f"{m1}/fund", headers=market.client))["state"] == "funded"
    assert ok(client.get(url, headers=market.client))["escrow"]["amount"] == 30000
    assert ok(client.put(f"{m1}/progress", json={"progress": 60}, headers=market.pro))["progress"] == 60
    _problem(client.put(f"{m1}/progress", json={"progress": 60}, headers=market.client), 403)
    _problem(client.post(f"{m1}/approve", headers=market.client), 409)  # nothing submitted yet
    assert (
        ok(client.post(f"{m1}/submit", json={"note": "first cut"}, headers=market.pro))["state"]
        == "submitted"
    )
    _problem(client.post(f"{m1}/approve", headers=market.pro), 403)  # no approving your own work
    sent_back = ok(client.post(f"{m1}/request-changes", json={"note": "add tests"}, headers=market.client))
    assert (sent_back["state"], sent_back["note"]) == ("changes_requested", "add tests")
    ok(client.post(f"{m1}/submit", headers=market.pro))
    approved = ok(client.post(f"{m1}/approve", headers=market.client))
    assert (approved["state"], approved["progress"]) == ("approved", 100)

    pro_id, client_id = uid(people.pro), uid(people.client)
    balances = ok(client.get(f"/api/v1/users/{pro_id}/balances", headers=market.pro))
    assert balances["earned"] == [
        {"amount": 27000, "currency": "EUR", "formatted": "EUR 270.00"}
    ]  # less 10 %
    paid = ok(client.get(f"/api/v1/users/{client_id}/balances", headers=market.client))["paid_in"]
    assert paid == [{"amount": -30000, "currency": "EUR", "formatted": "EUR -300.00"}]
    _problem(client.get(f"/api/v1/users/{pro_id}/balances", headers=market.client), 403)
    statement = ok(client.get(f"{url}/ledger", headers=market.client))
    assert (statement["funded"]["amount"], statement["released"]["amount"], statement["fees"]["amount"]) == (
        30000,
        27000,
        3000,
    )
    assert statement["escrow"]["amount"] == 0
    assert [t["kind"] for t in statement["transactions"]] == ["fund", "release"]
    release = statement["transactions"][1]
    assert {p["account"]: p["amount"]["amount"] for p in release["postings"]} == {
        f"escrow:contract:{contract['id']}": -30000,
        f"professional:{pro_id}": 27000,
        "platform:fees": 3000,
    }

    _problem(client.post(f"{url}/complete", headers=market.client), 409)  # "Final" is still pending
    _problem(client.post(f"{url}/reviews", json={"rating": 5}, headers=market.client), 409)  # not ended
    ok(client.post(f"{m2}/fund", headers=market.client))
    ok(client.post(f"{m2}/submit", headers=market.pro))
    ok(client.post(f"{m2}/approve", headers=market.client))
    _problem(client.post(f"{url}/complete", headers=market.pro), 403)
    done = ok(client.post(f"{url}/complete", headers=market.client))
    assert done["contract"]["state"] == "completed"
    assert done["evidence_skills"] == [PYTHON]
    earned = ok(client.get(f"/api/v1/users/{pro_id}/balances", headers=market.pro))["earned"]
    assert earned[0]["amount"] == 27000 + 16200

    review = ok(
        client.post(f"{url}/reviews", json={"rating": 5, "text": "Great work"}, headers=market.client), 201
    )
    assert (review["subject_user_id"], review["rating"]) == (pro_id, 5)
    ok(client.post(f"{url}/reviews", json={"rating": 4, "text": "Clear brief"}, headers=market.pro), 201)
    _problem(client.post(f"{url}/reviews", json={"rating": 5}, headers=market.client), 409)  # once
    bad = _problem(client.post(f"{url}/reviews", json={"rating": 9}, headers=market.pro), 422)
    assert bad["field"] == "rating"
    # the professional's profile is private (never written): their record is theirs and admins' alone
    for what in ("reviews", "reputation"):
        for headers in ({}, market.client):
            hidden = _problem(client.get(f"/api/v1/users/{pro_id}/{what}", headers=headers), 404)
            assert hidden["detail"] == f"no user {pro_id}"  # the same answer as for nobody at all
        ok(client.get(f"/api/v1/users/{pro_id}/{what}", headers=market.pro))
        ok(client.get(f"/api/v1/users/{pro_id}/{what}", headers=market.root))
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(pro_id, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()
    about_pro = ok(client.get(f"/api/v1/users/{pro_id}/reviews"))["items"]
    assert [(r["author_user_id"], r["text"]) for r in about_pro] == [(client_id, "Great work")]
    reputation = ok(client.get(f"/api/v1/users/{pro_id}/reputation"))
    assert reputation["contracts_counted"] == 1
    assert reputation["successful"] == 1
    assert reputation["breakdown"][0]["contract_id"] == contract["id"]
    assert reputation["explanation"]
    _problem(client.get("/api/v1/users/999999/reputation"), 404)

    check = ok(client.get("/api/v1/ledger/check", headers=market.root))
    assert check["ok"] is True
    assert check["totals"] == {"EUR": 0}
    assert check["fees"] == {"EUR": 4800}
    _problem(client.get("/api/v1/ledger/check", headers=market.client), 403)
    mine = ok(client.get("/api/v1/contracts", headers=market.pro))["items"]
    assert [c["id"] for c in mine] == [contract["id"]]
    assert ok(client.get("/api/v1/contracts", params={"state": "active"}, headers=market.pro))["items"] == []


def test_an_hourly_contract_logs_time_within_its_limit_and_pays_by_the_week(
    client: TestClient, market: Market, platform: Platform
) -> None:
    job = open_job(client, market.client, budget={"kind": "hourly", "amount": 4000, "currency": "EUR"})
    platform.clock = lambda: NOW - timedelta(days=4)  # the contract starts on Thursday of W47
    contract = contract_for(
        client, market.client, market.pro, job=job, offer=proposal(4000), terms={"weekly_limit_hours": 5}
    )
    platform.clock = lambda: NOW
    assert (contract["kind"], contract["weekly_limit_hours"]) == ("hourly", 5)
    assert contract["hourly_rate"]["formatted"] == "EUR 40.00"
    url = f"/api/v1/contracts/{contract['id']}"
    three = ok(
        client.post(
            f"{url}/time", json={"day": "2026-11-23", "minutes": 180, "note": "setup"}, headers=market.pro
        ),
        201,
    )
    assert (three["week"], three["hours"], three["paid"]) == ("2026-W48", 3, False)
    span = {"start": "2026-11-23T09:00:00+00:00", "end": "2026-11-23T11:30:00+00:00", "note": "tests"}
    over = _problem(client.post(f"{url}/time", json=span, headers=market.pro), 409)
    assert "3 h used + 2.5 h new = 5.5 h, over the limit of 5 h" in over["detail"]
    span["end"] = "2026-11-23T11:00:00+00:00"
    assert ok(client.post(f"{url}/time", json=span, headers=market.pro), 201)["minutes"] == 120
    ok(client.post(f"{url}/time", json={"day": "2026-11-20", "minutes": 60}, headers=market.pro), 201)  # W47
    before = _problem(
        client.post(f"{url}/time", json={"day": "2026-11-18", "minutes": 60}, headers=market.pro), 422
    )
    assert "2026-11-18 is outside the contract's dates (2026-11-19 to today)" in before["detail"]
    _problem(
        client.post(f"{url}/time", json={"day": "2026-11-23", "minutes": 30}, headers=market.client), 403
    )
    _problem(client.post(f"{url}/time", json={"day": "2026-11-30", "minutes": 30}, headers=market.pro), 422)
    _problem(client.post(f"{url}/time", json={**span, "minutes": 30}, headers=market.pro), 422)
    _problem(client.post(f"{url}/time", json={"start": span["start"]}, headers=market.pro), 422)

    week = ok(client.get(f"{url}/time", params={"week": "2026-W48"}, headers=market.client))
    assert (week["minutes"], week["unpaid_minutes"], week["monday"], week["sunday"]) == (
        300,
        300,
        "2026-11-23",
        "2026-11-29",
    )
    assert week["unpaid_charge"]["amount"] == 20000
    assert [e["note"] for e in week["entries"]] == ["setup", "tests"]
    assert ok(client.get(f"{url}/time", headers=market.pro))["week"] == "2026-W48"  # this week
    _problem(client.get(f"{url}/time", params={"week": "2026-W60"}, headers=market.pro), 422)
    _problem(client.get(f"{url}/time", params={"week": "soon"}, headers=market.pro), 422)

    _problem(client.post(f"{url}/weeks/2026-W48/approve", headers=market.pro), 403)
    paid = ok(client.post(f"{url}/weeks/2026-w48/approve", headers=market.client))
    assert (paid["week"], paid["minutes"]) == ("2026-W48", 300)
    assert (paid["charge"]["amount"], paid["fee"]["amount"], paid["net"]["amount"]) == (20000, 2000, 18000)
    _problem(client.post(f"{url}/weeks/2026-W48/approve", headers=market.client), 409)  # nothing left
    _problem(client.post(f"{url}/complete", headers=market.client), 409)  # W47's hour is unpaid
    ok(client.post(f"{url}/weeks/2026-W47/approve", headers=market.client))
    detail = ok(client.get(url, headers=market.client))
    assert [(w["week"], w["minutes"], w["unpaid_minutes"]) for w in detail["weeks"]] == [
        ("2026-W47", 60, 0),
        ("2026-W48", 300, 0),
    ]
    earned = ok(client.get(f"/api/v1/users/{uid(market.people.pro)}/balances", headers=market.pro))["earned"]
    assert earned[0]["amount"] == 18000 + 3600
    assert ok(client.post(f"{url}/complete", headers=market.client))["contract"]["state"] == "completed"
    _problem(client.post(f"{url}/time", json={"day": "2026-11-23", "minutes": 10}, headers=market.pro), 409)


def test_a_dispute_freezes_the_money_until_an_admin_resolves_it(client: TestClient, market: Market) -> None:
    contract = contract_for(client, market.client, market.pro, terms=TWO_MILESTONES)
    url = f"/api/v1/contracts/{contract['id']}"
    first, second = ok(client.get(url, headers=market.client))["milestones"]
    ok(client.post(f"{url}/milestones/{first['id']}/fund", headers=market.client))
    ok(client.post(f"{url}/milestones/{first['id']}/submit", headers=market.pro))
    _problem(client.post(f"{url}/disputes", json={"reason": "x"}, headers=market.stranger), 404)
    _problem(client.post(f"{url}/disputes", json={"reason": " "}, headers=market.pro), 422)
    dispute = ok(
        client.post(f"{url}/disputes", json={"reason": "the client does not answer"}, headers=market.pro), 201
    )
    assert dispute["state"] == "open"
    _problem(client.post(f"{url}/disputes", json={"reason": "again"}, headers=market.client), 409)
    frozen = _problem(client.post(f"{url}/milestones/{first['id']}/approve", headers=market.client), 409)
    assert "disputed" in frozen["detail"]
    _problem(client.post(f"{url}/milestones/{second['id']}/fund", headers=market.client), 409)
    assert ok(client.get(url, headers=market.client))["open_dispute"]["id"] == dispute["id"]

    assert [d["id"] for d in ok(client.get("/api/v1/disputes", headers=market.root))["items"]] == [
        dispute["id"]
    ]
    assert [d["id"] for d in ok(client.get("/api/v1/disputes", headers=market.client))["items"]] == [
        dispute["id"]
    ]
    assert ok(client.get("/api/v1/disputes", headers=market.stranger))["items"] == []
    _problem(client.get("/api/v1/disputes"), 401)

    ruling = {"professional_share": _money(20000), "resolution": "two thirds done", "outcome": "completed"}
    resolve = f"/api/v1/disputes/{dispute['id']}/resolve"
    _problem(client.post(resolve, json=ruling, headers=market.client), 403)
    too_much = {**ruling, "professional_share": _money(40000)}
    assert (
        _problem(client.post(resolve, json=too_much, headers=market.root), 422)["field"]
        == "professional_share"
    )
    done = ok(client.post(resolve, json=ruling, headers=market.root))
    assert done["contract_state"] == "completed"
    assert (done["released"]["amount"], done["fee"]["amount"], done["refunded"]["amount"]) == (
        20000,
        2000,
        10000,
    )
    assert done["refunded_milestones"] == [first["id"]]
    assert done["dispute"]["state"] == "resolved"
    _problem(client.post(resolve, json=ruling, headers=market.root), 409)
    assert ok(client.get("/api/v1/disputes", headers=market.root))["items"] == []
    assert ok(client.get(url, headers=market.pro))["escrow"]["amount"] == 0
    assert ok(client.get("/api/v1/ledger/check", headers=market.root))["ok"] is True


def test_who_sees_a_contract_and_cancelling(client: TestClient, market: Market) -> None:
    contract = contract_for(client, market.client, market.pro, terms=TWO_MILESTONES)
    url = f"/api/v1/contracts/{contract['id']}"
    _problem(client.get(url), 401)
    _problem(client.get(url, headers=market.stranger), 404)
    _problem(client.get(f"{url}/ledger", headers=market.stranger), 404)
    _problem(client.get("/api/v1/contracts/999999", headers=market.client), 404)
    looking_on = ok(client.get(url, headers=market.root))
    assert looking_on["role"] is None
    first = looking_on["milestones"][0]
    _problem(client.post(f"{url}/milestones/{first['id']}/fund", headers=market.root), 403)  # no party
    _problem(client.post(f"{url}/milestones/999999/fund", headers=market.client), 404)
    ok(client.post(f"{url}/milestones/{first['id']}/fund", headers=market.client))
    _problem(client.post(f"{url}/weeks/2026-W48/approve", headers=market.client), 409)  # not hourly
    _problem(client.post(f"{url}/cancel", json={"reason": ""}, headers=market.pro), 422)
    cancelled = ok(client.post(f"{url}/cancel", json={"reason": "the brief changed"}, headers=market.pro))
    assert cancelled["contract"]["state"] == "cancelled"
    assert cancelled["refunded"]["amount"] == 30000
    assert cancelled["refunded_milestones"] == [first["id"]]
    statement = ok(client.get(f"{url}/ledger", headers=market.client))
    assert (statement["refunded"]["amount"], statement["escrow"]["amount"]) == (30000, 0)
    job = ok(client.get(f"/api/v1/jobs/{contract['job_id']}", headers=market.client))
    assert job["state"] == "cancelled"


def test_an_admin_reverses_a_mistaken_transaction_with_a_correction(
    client: TestClient, market: Market
) -> None:
    contract = contract_for(client, market.client, market.pro, terms=TWO_MILESTONES)
    url = f"/api/v1/contracts/{contract['id']}"
    first = ok(client.get(url, headers=market.client))["milestones"][0]
    ok(client.post(f"{url}/milestones/{first['id']}/fund", headers=market.client))
    funding = ok(client.get(f"{url}/ledger", headers=market.client))["transactions"][-1]
    reverse = f"/api/v1/ledger/transactions/{funding['id']}/reverse"
    _problem(client.post(reverse, json={"memo": "oops"}, headers=market.client), 403)
    _problem(client.post(reverse, json={"memo": ""}, headers=market.root), 422)
    correction = client.post(reverse, json={"memo": "charged the wrong card"}, headers=market.root)
    assert correction.status_code == 201, correction.text
    assert correction.json()["kind"] == "correction"
    _problem(client.post(reverse, json={"memo": "again"}, headers=market.root), 409)
    statement = ok(client.get(f"{url}/ledger", headers=market.client))
    assert [t["kind"] for t in statement["transactions"]] == ["fund", "correction"]
    assert statement["escrow"]["amount"] == 0
    assert ok(client.get("/api/v1/ledger/check", headers=market.root))["ok"] is True
