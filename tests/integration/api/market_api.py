"""Shared pieces of the marketplace API tests: people with bearer tokens, and jobs made over HTTP.

The platform clock stands at ``NOW`` (Monday 2026-11-23, ISO week 2026-W48); the people are those of
``job_market_helpers.make_people`` plus a platform admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services.tokens import create_token
from tests.integration.job_market_helpers import NOW, People, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON_KEY

Headers = dict[str, str]
BRIEF = "Rewrite a small Haskell tool in Python, with tests and a short README."


def bearer(platform: Platform, user_id: int) -> Headers:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


@dataclass(frozen=True)
class Market:
    people: People
    root_id: int
    client: Headers
    pro: Headers
    admin: Headers  # admin of acme
    employee: Headers
    colleague: Headers
    manager: Headers
    stranger: Headers
    root: Headers  # platform admin


def make_market(platform: Platform) -> Market:
    platform.clock = lambda: NOW
    people = make_people(platform)
    with platform.uow() as uow:
        root = uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=NOW,
        )
        uow.commit()
    return Market(
        people=people,
        root_id=root.id,
        client=bearer(platform, uid(people.client)),
        pro=bearer(platform, uid(people.pro)),
        admin=bearer(platform, uid(people.admin)),
        employee=bearer(platform, uid(people.employee)),
        colleague=bearer(platform, uid(people.colleague)),
        manager=bearer(platform, uid(people.manager)),
        stranger=bearer(platform, uid(people.stranger)),
        root=bearer(platform, root.id),
    )


def job_body(**changes: Any) -> dict[str, Any]:
    """A fixed EUR 500.00 remote job needing Python (given by key), Haskell nice to have (by URI)."""
    body: dict[str, Any] = {
        "title": "Port a script to Python",
        "brief": BRIEF,
        "required_skills": [PYTHON_KEY],
        "nice_skills": [HASKELL],
        "budget": {"kind": "fixed", "amount": 50000, "currency": "EUR"},
        "expected_hours": 20,
        "start": "2026-12-01",
        "end": "2026-12-20",
        "remote": True,
    }
    body.update(changes)
    return body


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def open_job(client: TestClient, poster: Headers, **changes: Any) -> dict[str, Any]:
    """Post and publish a job; its JSON."""
    job = ok(client.post("/api/v1/jobs", json=job_body(**changes), headers=poster), 201)
    return ok(client.post(f"/api/v1/jobs/{job['id']}/publish", headers=poster))  # type: ignore[no-any-return]


def proposal(amount: int = 48000, hours_per_week: float = 5.0) -> dict[str, Any]:
    return {
        "rate": {"amount": amount, "currency": "EUR"},
        "hours": 10,
        "message": "I have done this before.",
        "hours_per_week": hours_per_week,
    }


def contract_for(
    client: TestClient,
    poster: Headers,
    applicant: Headers,
    *,
    job: dict[str, Any] | None = None,
    offer: dict[str, Any] | None = None,
    terms: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Open a job (unless given), apply, accept: the contract's JSON."""
    job = job or open_job(client, poster)
    application = ok(
        client.post(f"/api/v1/jobs/{job['id']}/applications", json=offer or proposal(), headers=applicant),
        201,
    )
    url = f"/api/v1/applications/{application['id']}/accept"
    return ok(client.post(url, json=terms or {}, headers=poster), 201)  # type: ignore[no-any-return]
