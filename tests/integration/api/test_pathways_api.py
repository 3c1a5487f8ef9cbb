"""/api/v1 pathways on each database: a plan made, read, progressed and deleted through the API, the
authorisation matrix (owner, platform admin, another person, signed out), and bad input as 4xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services.tokens import create_token
from tests.integration.job_market_helpers import make_people, uid
from tests.integration.store.test_pathways import CATALOGUE


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def bearer(platform: Platform, user_id: int) -> dict[str, str]:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


def test_plans_through_the_api_with_the_authorisation_matrix(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    with platform.uow() as uow:
        root = uow.accounts.add_user(
            email="root@x.test",
            display_name="Root",
            password_hash="x",
            roles=[Role.PLATFORM_ADMIN],
            created_at=platform.clock(),
        )
        uow.commit()
    pro, other, admin = (
        bearer(platform, uid(people.pro)),
        bearer(platform, uid(people.client)),
        bearer(platform, root.id),
    )
    body = {"text": CATALOGUE, "source": "c.csv"}
    assert client.post("/api/v1/pathway-catalogue", json=body, headers=pro).status_code == 403
    assert client.post("/api/v1/pathway-catalogue", json=body).status_code == 401
    imported = client.post("/api/v1/pathway-catalogue", json=body, headers=admin)
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"added": 4, "replaced": 0}
    bad = client.post(
        "/api/v1/pathway-catalogue",
        json={"text": CATALOGUE + "q,course,Q,,,Python,ten,0,EUR,,\n"},
        headers=admin,
    )
    assert bad.status_code == 422
    assert bad.json()["rows"] == [{"line": 6, "column": "hours", "message": "a number, not 'ten'"}]

    url = f"/api/v1/users/{uid(people.pro)}/plans"
    wanted = {"target_kind": "skills", "target": "Python, Haskell", "hours_per_week": 10}
    made = client.post(url, json=wanted, headers=pro)
    assert made.status_code == 201, made.text
    plan = made.json()
    assert plan["plan"]["steps"][0]["id"] == "prog"
    assert plan["plan"]["method"] == "exact"
    plan_url = f"/api/v1/plans/{plan['id']}"
    assert client.post(url, json=wanted, headers=other).status_code == 403
    assert client.post(url, json=wanted).status_code == 401
    assert client.get(url, headers=other).status_code == 403
    assert client.get(url, headers=admin).status_code == 200
    assert client.get(plan_url, headers=pro).status_code == 200
    assert client.get(plan_url, headers=admin).status_code == 200
    assert client.get(plan_url, headers=other).status_code == 404
    assert client.get(plan_url).status_code == 401
    assert client.post(f"{plan_url}/progress", json={"done": ["prog"]}, headers=other).status_code == 404
    moved = client.post(f"{plan_url}/progress", json={"done": ["prog"]}, headers=pro)
    assert moved.status_code == 200, moved.text
    assert moved.json()["revision"] == 2

    # the career shape shows the plan's effect, to the person and platform admins only
    shape_url = f"/api/v1/profiles/{uid(people.pro)}/shape"
    shape = client.get(shape_url, headers=pro)
    assert shape.status_code == 200, shape.text
    effect = shape.json()["after_plan"]
    assert effect["plan_id"] == plan["id"]
    assert effect["revision"] == 2
    assert effect["changes"]
    assert {c["effect"] for c in effect["changes"]} <= {"opens", "deepens"}
    assert all(c["after"] > c["before"] for c in effect["changes"])
    assert (
        client.get(f"{shape_url}?plan={plan['id']}", headers=admin).json()["after_plan"]["plan_id"]
        == plan["id"]
    )
    assert client.get(f"{shape_url}?plan={plan['id']}", headers=other).status_code == 404
    assert client.get(f"{shape_url}?plan=0", headers=pro).status_code == 422
    assert client.get(f"{shape_url}?plan=x", headers=pro).status_code == 422
    assert client.delete(plan_url, headers=other).status_code == 404
    assert client.delete(plan_url, headers=pro).status_code == 204
    assert client.get(plan_url, headers=pro).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours_per_week": 0}, "hours_per_week"),
        ({"hours_per_week": 500}, "hours_per_week"),
        ({"mode": "fastest-ever"}, "mode"),
        ({"budget": "12.345"}, "budget"),
        ({"mode": "income_floor"}, "income_floor"),
        ({"target_kind": "job", "target": "x"}, "target"),
        ({"target": "no such skill anywhere"}, None),
    ],
)
def test_bad_plan_input_is_a_4xx_naming_it(
    client: TestClient, taxonomy_platform: Platform, change: dict[str, object], field: str | None
) -> None:
    people = make_people(taxonomy_platform)
    body = {"target_kind": "skills", "target": "Python", **change}
    response = client.post(
        f"/api/v1/users/{uid(people.pro)}/plans",
        json=body,
        headers=bearer(taxonomy_platform, uid(people.pro)),
    )
    assert 400 <= response.status_code < 500, response.text
    if field is not None:
        assert field in response.text
