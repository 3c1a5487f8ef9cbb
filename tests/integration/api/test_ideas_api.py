"""Ideas over the API on each database: pitch with skills by name, support, ask to join, sponsor, make an
internal micro-job within the budget, record the outcome; outsiders get 404, signed-out callers 401, and
bad input a 4xx naming its field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from tests.integration.api.market_api import bearer
from tests.integration.store.idea_helpers import Org, make_org
from tests.integration.store.marketplace_helpers import NOW
from tests.integration.taxonomy_helpers import PYTHON

BOARD = "/api/v1/organisations/acme/ideas"


@pytest.fixture
def org(taxonomy_platform: Platform) -> Org:
    taxonomy_platform.clock = lambda: NOW
    return make_org(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, org: Org) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def test_pitch_support_sponsor_and_make_a_job_over_the_api(
    client: TestClient, taxonomy_platform: Platform, org: Org
) -> None:
    manager, author, member, outsider = (
        bearer(taxonomy_platform, a.user_id or 0)
        for a in (org.manager, org.author, org.member, org.other_org_member)
    )
    pitch = {
        "title": "Self-service expense reports",
        "problem": "Expense reports take the accounts team two days every month.",
        "proposal": "A small tool that reads the card exports and fills the report.",
        "skills": ["Python (computer programming)"],
        "hours": 40,
    }
    made = client.post(BOARD, json=pitch, headers=author)
    assert made.status_code == 201, made.text
    idea = made.json()
    assert idea["skills"] == [{"uri": PYTHON, "label": "Python (computer programming)"}]
    url = f"{BOARD}/{idea['id']}"
    assert client.post(f"{url}/support", headers=member).status_code == 204
    assert client.post(f"{url}/support", headers=member).status_code == 409
    assert client.post(f"{url}/join-requests", json={"note": "I know CSV"}, headers=member).status_code == 204
    answer_url = f"{url}/join-requests/{org.member.user_id}"
    assert client.put(answer_url, json={"accept": True}, headers=member).status_code == 403
    assert client.put(answer_url, json={"accept": "maybe"}, headers=author).status_code == 422
    answered = client.put(answer_url, json={"accept": True}, headers=author)
    assert answered.status_code == 200, answered.text
    assert [r["state"] for r in answered.json()["join_requests"]] == ["accepted"]
    assert client.put(answer_url, json={"accept": False}, headers=author).status_code == 409

    # the board is the organisation's alone
    assert client.get(BOARD, headers=outsider).status_code == 404
    assert client.get(url, headers=outsider).status_code == 404
    assert client.get(url).status_code == 401
    assert client.put(f"{url}/sponsorship", json={"budget_hours": 30}, headers=member).status_code == 403

    bad = client.put(f"{url}/sponsorship", json={"budget_hours": 0}, headers=manager)
    assert bad.status_code == 422
    assert "budget_hours" in bad.text
    sponsored = client.put(f"{url}/sponsorship", json={"budget_hours": 30}, headers=manager)
    assert sponsored.status_code == 200, sponsored.text
    job = {
        "title": "Card export reader",
        "brief": "Read the card exports (CSV) and fill the monthly expense report.",
        "expected_hours": 20,
        "budget": {"kind": "hourly", "amount": 3000, "currency": "EUR"},
    }
    posted = client.post(f"{url}/jobs", json=job, headers=manager)
    assert posted.status_code == 201, posted.text
    assert (posted.json()["state"], posted.json()["audience"]) == ("open", "internal")
    over = client.post(f"{url}/jobs", json=job, headers=manager)
    assert over.status_code == 422
    assert over.json()["field"] == "expected_hours"

    outcome = client.put(f"{url}/outcome", json={"outcome": "shipped", "note": "Live"}, headers=author)
    assert outcome.status_code == 200, outcome.text
    board = client.get(BOARD, headers=member).json()
    assert [(i["outcome"], i["job_ids"], i["hours_left"]) for i in board] == [
        ("shipped", [posted.json()["id"]], 10)
    ]
    assert board[0]["join_requests"][0]["name"] == "Bob"
    wrong = client.put(f"{url}/outcome", json={"outcome": "maybe"}, headers=author)
    assert wrong.status_code == 422
    assert "outcome" in wrong.text
