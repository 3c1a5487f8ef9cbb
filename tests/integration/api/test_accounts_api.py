"""Accounts over HTTP on a real database: sign-up, cookie sign-in with CSRF, bearer tokens, organisations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services import users

PASSWORD = "correct horse battery"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code"}


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client


def make_user(platform: Platform, email: str, *roles: Role) -> int:
    user = users.create_user(
        platform.uow(),
        actor=Actor.system(),
        email=email,
        display_name=email.split("@")[0].title(),
        password=PASSWORD,
        roles=roles or (Role.PROFESSIONAL,),
        passwords=platform.passwords,
        clock=platform.clock,
        allow_signup=False,
    )
    return user.id


def bearer(client: TestClient, email: str, **body: object) -> dict[str, str]:
    """Sign in with a cookie on a fresh client, mint a token, and return its header."""
    with TestClient(client.app) as other:
        login = other.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
        assert login.status_code == 201, login.text
        csrf = login.json()["csrf_token"]
        created = other.post("/api/v1/tokens", json={"name": "t", **body}, headers={"X-CSRF-Token": csrf})
        assert created.status_code == 201, created.text
        return {"Authorization": f"Bearer {created.json()['token']}"}


def assert_problem(response_json: dict[str, object], status: int, code: str) -> None:
    assert set(response_json) >= PROBLEM_KEYS
    assert response_json["status"] == status
    assert response_json["code"] == code


def test_sign_up_then_sign_in_with_a_cookie(client: TestClient) -> None:
    created = client.post(
        "/api/v1/users",
        json={"email": "Ada@Example.org", "display_name": "Ada", "password": PASSWORD, "roles": ["client"]},
    )
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "accepted"
    assert "password" not in created.text.replace("password you chose", "").replace("'s password", "")
    assert "argon2" not in created.text

    login = client.post("/api/v1/sessions", json={"email": "ada@example.org", "password": PASSWORD})
    assert login.status_code == 201
    assert login.json()["user"]["roles"] == ["client"]
    cookie = login.headers["set-cookie"]
    assert "mc_session=" in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # cookie_secure is off in tests
    me = client.get("/api/v1/users/me")
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.org"
    assert client.get("/api/v1/sessions/current").json()["csrf_token"] == login.json()["csrf_token"]


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org")
    wrong = client.post("/api/v1/sessions", json={"email": "ada@example.org", "password": "not it at all"})
    unknown = client.post("/api/v1/sessions", json={"email": "who@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert_problem(wrong.json(), 401, "not_authenticated")
    assert "set-cookie" not in wrong.headers


def test_cookie_requests_that_change_things_need_the_csrf_header(
    client: TestClient, platform: Platform
) -> None:
    make_user(platform, "ada@example.org")
    login = client.post("/api/v1/sessions", json={"email": "ada@example.org", "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    refused = client.post("/api/v1/tokens", json={"name": "cli"})
    assert refused.status_code == 403
    assert_problem(refused.json(), 403, "permission_denied")
    assert "X-CSRF-Token" in refused.json()["detail"]
    forged = client.post("/api/v1/tokens", json={"name": "cli"}, headers={"X-CSRF-Token": "0" * 64})
    assert forged.status_code == 403
    with platform.uow() as uow:
        assert uow.accounts.tokens_of(1) == []
    allowed = client.post("/api/v1/tokens", json={"name": "cli"}, headers={"X-CSRF-Token": csrf})
    assert allowed.status_code == 201
    # reading needs no CSRF header
    assert client.get("/api/v1/tokens").status_code == 200


def test_sign_out_ends_the_session(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org")
    login = client.post("/api/v1/sessions", json={"email": "ada@example.org", "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    token = client.cookies["mc_session"]
    assert client.delete("/api/v1/sessions/current").status_code == 403
    out = client.delete("/api/v1/sessions/current", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    client.cookies.set("mc_session", token)  # a stolen copy of the cookie no longer works
    assert client.get("/api/v1/users/me").status_code == 401


def test_bearer_token_lifecycle(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org")
    headers = bearer(client, "ada@example.org")
    assert client.get("/api/v1/users/me", headers=headers).json()["email"] == "ada@example.org"
    # a bearer token needs no CSRF header: browsers never attach it on their own
    second = client.post("/api/v1/tokens", json={"name": "ci", "expires_days": 30}, headers=headers)
    assert second.status_code == 201
    listed = client.get("/api/v1/tokens", headers=headers).json()["items"]
    assert [t["name"] for t in listed] == ["t", "ci"]
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert all(t["prefix"].startswith("mcp_") for t in listed)
    revoked = client.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=headers)
    assert revoked.status_code == 204
    after = client.get("/api/v1/users/me", headers=headers)
    assert after.status_code == 401
    assert_problem(after.json(), 401, "not_authenticated")
    assert after.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer mcp_notarealtokenatallnotarealtoken", "Bearer ", "Basic YWRhOnB3", "mcp_x"]
)
def test_bad_authorization_is_401_never_anonymous(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/users/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert_problem(response.json(), 401, "not_authenticated")
    health = client.get("/api/v1/skills/search?q=x", headers={"Authorization": header})
    assert health.status_code == 401


def test_expired_token_is_401(platform: Platform, client: TestClient) -> None:
    make_user(platform, "ada@example.org")
    headers = bearer(client, "ada@example.org", expires_days=1)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    start = platform.clock()
    platform.clock = lambda: start + timedelta(days=1, seconds=1)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_others_tokens_cannot_be_revoked(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org")
    make_user(platform, "eve@example.org")
    ada = bearer(client, "ada@example.org")
    eve = bearer(client, "eve@example.org")
    ada_token = client.get("/api/v1/tokens", headers=ada).json()["items"][0]["id"]
    response = client.delete(f"/api/v1/tokens/{ada_token}", headers=eve)
    assert response.status_code == 404
    assert client.get("/api/v1/users/me", headers=ada).status_code == 200


def test_admin_lists_users_and_others_cannot(client: TestClient, platform: Platform) -> None:
    make_user(platform, "root@example.org", Role.PLATFORM_ADMIN)
    for i in range(3):
        make_user(platform, f"user{i}@example.org")
    admin = bearer(client, "root@example.org")
    page = client.get("/api/v1/users?limit=2&offset=1", headers=admin).json()
    assert page["total"] == 4
    assert [u["email"] for u in page["items"]] == ["user0@example.org", "user1@example.org"]
    assert "hash" not in str(page)
    pro = bearer(client, "user0@example.org")
    assert client.get("/api/v1/users", headers=pro).status_code == 403
    assert client.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/users/1", headers=pro).status_code == 403
    raised = client.put("/api/v1/users/2/roles", json={"roles": ["issuer"]}, headers=admin)
    assert raised.json()["roles"] == ["issuer"]


def test_sign_up_cannot_choose_admin_or_pass_bad_input(client: TestClient) -> None:
    admin = client.post(
        "/api/v1/users",
        json={
            "email": "eve@example.org",
            "display_name": "Eve",
            "password": PASSWORD,
            "roles": ["platform_admin"],
        },
    )
    assert admin.status_code == 403
    bad = client.post("/api/v1/users", json={"email": "eve", "display_name": "Eve", "password": PASSWORD})
    assert bad.status_code == 422
    assert_problem(bad.json(), 422, "invalid_input")
    assert bad.json()["field"] == "email"
    short = client.post(
        "/api/v1/users", json={"email": "eve@example.org", "display_name": "Eve", "password": "hunter2"}
    )
    assert short.status_code == 422
    assert "hunter2" not in short.text
    missing = client.post("/api/v1/users", json={"email": "eve@example.org"})
    assert missing.status_code == 422
    assert_problem(missing.json(), 422, "invalid_input")
    not_json = client.post("/api/v1/users", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 422


def test_sign_up_closed(platform: Platform) -> None:
    platform.settings.allow_signup = False
    with TestClient(create_app(platform)) as client:
        response = client.post(
            "/api/v1/users", json={"email": "eve@example.org", "display_name": "Eve", "password": PASSWORD}
        )
    assert response.status_code == 403
    assert "sign-up is closed" in response.json()["detail"]


def test_sign_up_with_a_taken_email_answers_as_a_new_one_and_changes_nothing(
    client: TestClient, platform: Platform
) -> None:
    make_user(platform, "ada@example.org")
    taken = client.post(
        "/api/v1/users",
        json={"email": "ADA@example.org", "display_name": "Not Ada", "password": "another long secret"},
    )
    new = client.post(
        "/api/v1/users",
        json={"email": "bob@example.org", "display_name": "Bob", "password": "another long secret"},
    )
    assert (taken.status_code, taken.json()) == (new.status_code, new.json()) == (202, taken.json())
    kept = client.post("/api/v1/sessions", json={"email": "ada@example.org", "password": PASSWORD})
    assert kept.status_code == 201
    assert kept.json()["user"]["display_name"] == "Ada"


def test_an_admin_creating_a_taken_email_is_told_409(client: TestClient, platform: Platform) -> None:
    make_user(platform, "root@example.org", Role.PLATFORM_ADMIN)
    make_user(platform, "ada@example.org")
    admin = bearer(client, "root@example.org")
    response = client.post(
        "/api/v1/users",
        json={"email": "ADA@example.org", "display_name": "Ada", "password": PASSWORD},
        headers=admin,
    )
    assert response.status_code == 409
    assert_problem(response.json(), 409, "conflict")


def test_organisation_people_stay_inside(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org", Role.CLIENT)
    bob_id = make_user(platform, "bob@example.org")
    make_user(platform, "eve@example.org")
    ada, bob, eve = (bearer(client, f"{n}@example.org") for n in ("ada", "bob", "eve"))

    created = client.post("/api/v1/organisations", json={"slug": "acme", "name": "Acme"}, headers=ada)
    assert created.status_code == 201
    added = client.put(f"/api/v1/organisations/acme/members/{bob_id}", json={"role": "member"}, headers=ada)
    assert added.json()["role"] == "member"

    members = client.get("/api/v1/organisations/acme/members", headers=bob)
    assert [m["email"] for m in members.json()["items"]] == ["ada@example.org", "bob@example.org"]
    assert client.get("/api/v1/organisations/acme", headers=bob).json()["name"] == "Acme"

    for path in ["/api/v1/organisations/acme", "/api/v1/organisations/acme/members"]:
        hidden = client.get(path, headers=eve)
        assert hidden.status_code == 404
        assert "bob" not in hidden.text
        assert client.get(path).status_code == 401
    forbidden = client.put(
        f"/api/v1/organisations/acme/members/{bob_id}", json={"role": "admin"}, headers=bob
    )
    assert forbidden.status_code == 403
    outsider = client.put(f"/api/v1/organisations/acme/members/{bob_id}", json={"role": "admin"}, headers=eve)
    assert outsider.status_code == 404

    assert client.delete(f"/api/v1/organisations/acme/members/{bob_id}", headers=ada).status_code == 204
    assert client.get("/api/v1/organisations/acme/members", headers=bob).status_code == 404


def test_organisation_bad_input(client: TestClient, platform: Platform) -> None:
    make_user(platform, "ada@example.org")
    ada = bearer(client, "ada@example.org")
    bad = client.post("/api/v1/organisations", json={"slug": "Not a slug!", "name": "X"}, headers=ada)
    assert bad.status_code == 422
    assert bad.json()["field"] == "slug"
    client.post("/api/v1/organisations", json={"slug": "acme", "name": "Acme"}, headers=ada)
    again = client.post("/api/v1/organisations", json={"slug": "acme", "name": "Acme"}, headers=ada)
    assert again.status_code == 409
    role = client.put("/api/v1/organisations/acme/members/1", json={"role": "owner"}, headers=ada)
    assert role.status_code == 422


@pytest.mark.parametrize(
    "path", ["/api/v1/users/99999999999999999999", "/api/v1/users/0", "/api/v1/tokens/3000000000"]
)
def test_ids_out_of_range_are_422_not_a_database_error(
    client: TestClient, platform: Platform, path: str
) -> None:
    make_user(platform, "root@example.org", Role.PLATFORM_ADMIN)
    admin = bearer(client, "root@example.org")
    method = client.delete if "tokens" in path else client.get
    response = method(path, headers=admin)
    assert response.status_code == 422
    assert_problem(response.json(), 422, "invalid_input")
