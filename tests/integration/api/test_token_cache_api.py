"""Bearer tokens remembered per process (issue 17, ``services/token_cache.py``): what is remembered,
and that revocation and changed roles still take effect: at once through this process, within the
remembered seconds through another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Role
from microcareer.services.token_cache import TokenIdentities
from microcareer.store.tables.accounts import ApiTokenRow
from tests.integration.api.test_accounts_api import bearer, make_user


class Ticks:
    """The cache's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks(platform: Platform) -> Ticks:
    ticks = Ticks()
    assert platform.identity_changes is not None  # a store that counts its changes: the cache is on
    platform.caches["token_identities"] = TokenIdentities(
        platform.settings.token_cache_seconds, changes=platform.identity_changes, monotonic=ticks
    )
    return ticks


@pytest.fixture
def client(platform: Platform, ticks: Ticks) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client


def revoke_elsewhere(platform: Platform, headers: dict[str, str]) -> None:
    """Revoke every token in the store directly, as another server process's commit looks to this one
    (not through this process's unit of work, which would count the change)."""
    assert headers
    assert platform.engine is not None
    with platform.engine.begin() as connection:
        connection.execute(update(ApiTokenRow).values(revoked_at=platform.clock()))


def test_the_default_is_a_few_seconds(platform: Platform) -> None:
    assert 0 < platform.settings.token_cache_seconds <= 10
    assert platform.token_identities.ttl_seconds == platform.settings.token_cache_seconds


def test_a_token_revoked_through_this_process_is_refused_at_once(
    client: TestClient, platform: Platform
) -> None:
    make_user(platform, "ada@example.org")
    headers = bearer(client, "ada@example.org")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    assert len(platform.token_identities) == 1  # remembered
    token_id = client.get("/api/v1/tokens", headers=headers).json()["items"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_a_token_revoked_elsewhere_works_here_at_most_the_remembered_seconds(
    client: TestClient, platform: Platform, ticks: Ticks
) -> None:
    make_user(platform, "ada@example.org")
    headers = bearer(client, "ada@example.org")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    revoke_elsewhere(platform, headers)
    # the price of remembering: until the seconds pass, this process still takes the token
    ticks.now += platform.settings.token_cache_seconds - 0.5
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    ticks.now += 0.5
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_without_remembering_a_token_revoked_elsewhere_is_refused_at_once(
    client: TestClient, platform: Platform
) -> None:
    platform.caches["token_identities"] = TokenIdentities(0)
    make_user(platform, "ada@example.org")
    headers = bearer(client, "ada@example.org")
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    revoke_elsewhere(platform, headers)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_roles_changed_through_this_process_apply_to_the_next_request(
    client: TestClient, platform: Platform
) -> None:
    ada_id = make_user(platform, "ada@example.org")
    make_user(platform, "root@example.org", Role.PLATFORM_ADMIN)
    ada, root = bearer(client, "ada@example.org"), bearer(client, "root@example.org")
    assert client.get("/api/v1/users", headers=ada).status_code == 403
    granted = client.put(f"/api/v1/users/{ada_id}/roles", json={"roles": ["platform_admin"]}, headers=root)
    assert granted.status_code == 200, granted.text
    assert client.get("/api/v1/users", headers=ada).status_code == 200
    taken = client.put(f"/api/v1/users/{ada_id}/roles", json={"roles": ["professional"]}, headers=root)
    assert taken.status_code == 200
    assert client.get("/api/v1/users", headers=ada).status_code == 403


def test_a_membership_removed_through_this_process_applies_to_the_next_request(
    client: TestClient, platform: Platform
) -> None:
    make_user(platform, "ada@example.org")
    bob_id = make_user(platform, "bob@example.org")
    ada, bob = bearer(client, "ada@example.org"), bearer(client, "bob@example.org")
    assert (
        client.post("/api/v1/organisations", json={"slug": "acme", "name": "Acme"}, headers=ada).status_code
        == 201
    )
    added = client.put(f"/api/v1/organisations/acme/members/{bob_id}", json={"role": "admin"}, headers=ada)
    assert added.status_code == 200, added.text
    assert client.get("/api/v1/organisations/acme/members", headers=bob).status_code == 200
    assert client.delete(f"/api/v1/organisations/acme/members/{bob_id}", headers=ada).status_code == 204
    assert client.get("/api/v1/organisations/acme/members", headers=bob).status_code in (403, 404)
