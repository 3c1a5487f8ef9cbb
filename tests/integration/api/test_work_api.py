"""/api/v1/users/{id}/dashboard and /work-settings on each database: figures, permissions, validation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services.tokens import create_token
from tests.integration.dashboard_data import World, at, build_world

TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def world(platform: Platform) -> World:
    platform.clock = lambda: at(TODAY)
    return build_world(platform, TODAY)


@pytest.fixture
def client(platform: Platform, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client


def bearer(platform: Platform, user_id: int) -> dict[str, str]:
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


def test_the_dashboard_shows_income_runway_hours_and_milestones(
    client: TestClient, platform: Platform, world: World
) -> None:
    me = bearer(platform, world.pro)
    settings = {"cash": 300000, "monthly_spending": 150000, "workload_threshold_hours": 12}
    put = client.put(f"/api/v1/users/{world.pro}/work-settings", json=settings, headers=me)
    assert put.status_code == 200, put.text
    response = client.get(f"/api/v1/users/{world.pro}/dashboard", headers=me)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["today"] == "2026-11-23"
    assert body["settings_saved"] is True
    eur, usd = body["income"]
    assert (eur["currency"], usd["currency"]) == ("EUR", "USD")
    months = {m["month"]: m["amount_minor"] for m in eur["months"]}
    assert (months["2026-09"], months["2026-11"]) == (90000, 20000)  # net of the 10% fee
    assert eur["months"][-1]["formatted"] == "EUR 200.00"
    assert eur["volatility"]["level"] == "volatile"
    assert body["runway"]["months"] == 2.3
    assert body["runway"]["expected_minor_next_90_days"] == 45000
    workload = body["workload"]
    this_week = next(w for w in workload["weeks"] if w["position"] == 0)
    assert this_week["week"] == "2026-W48"
    assert (this_week["logged_hours"], this_week["planned_hours"], this_week["total_hours"]) == (6, 10, 16)
    assert this_week["over_threshold"] is True
    assert "4 h over" in workload["warning"]
    overdue = [m["title"] for m in body["upcoming_milestones"] if m["overdue"]]
    assert overdue == ["Build"]
    assert body["counts"] == {"active_contracts": 2, "open_applications": 2}


def test_settings_round_trip_and_default_to_the_platform_threshold(
    client: TestClient, platform: Platform, world: World
) -> None:
    me = bearer(platform, world.pro)
    url = f"/api/v1/users/{world.pro}/work-settings"
    first = client.get(url, headers=me).json()
    assert first["workload_threshold_hours"] == platform.settings.workload_warning_hours
    body = {
        "workload_threshold_hours": 30,
        "contracted_hours_per_week": 32,
        "monthly_spending": 180000,
        "cash": 500000,
        "currency": "chf",
        "manager_user_id": None,
    }
    saved = client.put(url, json=body, headers=me).json()
    assert saved == client.get(url, headers=me).json()
    assert saved == {**body, "currency": "CHF", "user_id": world.pro}
    # a manager approves internal gigs: an organisation admin names them, not the person
    refused = client.put(url, json={**body, "manager_user_id": world.client}, headers=me)
    assert refused.status_code == 403
    assert "only an admin" in refused.json()["detail"]


def test_only_the_person_and_admins_get_in(client: TestClient, platform: Platform, world: World) -> None:
    other = bearer(platform, world.other)
    for path in ("dashboard", "work-settings"):
        url = f"/api/v1/users/{world.pro}/{path}"
        assert client.get(url).status_code == 401
        assert client.get(url, headers=other).status_code == 404
        assert client.get(url, headers=bearer(platform, world.root)).status_code == 200
    put = client.put(f"/api/v1/users/{world.pro}/work-settings", json={}, headers=other)
    assert put.status_code == 404
    assert client.put(f"/api/v1/users/{world.pro}/work-settings", json={}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"workload_threshold_hours": 0}, "workload_threshold_hours"),
        ({"contracted_hours_per_week": 100}, "contracted_hours_per_week"),
        ({"monthly_spending": -1}, "monthly_spending"),
        ({"cash": -1}, "cash"),
        ({"currency": "ABC"}, "currency"),
        ({"manager_user_id": 999999}, "manager_user_id"),
    ],
)
def test_bad_settings_are_422_naming_the_field(
    client: TestClient, platform: Platform, world: World, body: dict[str, Any], field: str
) -> None:
    response = client.put(
        f"/api/v1/users/{world.pro}/work-settings", json=body, headers=bearer(platform, world.pro)
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_input"
    assert problem["field"] == field
    assert field in problem["detail"]
