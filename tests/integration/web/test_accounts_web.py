"""Sign-in and sign-out pages: CSRF on both forms, safe redirects, the signed-in user in the header."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.access_tokens import csrf_token_for
from microcareer.domain.accounts import Actor, Role
from microcareer.services import users
from microcareer.web.auth import page_context
from microcareer.web.routes.accounts import safe_next
from microcareer.web.templating import templates

PASSWORD = "correct horse battery"


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    users.create_user(
        platform.uow(),
        actor=Actor.system(),
        email="ada@example.org",
        display_name="Ada Lovelace",
        password=PASSWORD,
        roles=[Role.PROFESSIONAL],
        passwords=platform.passwords,
        clock=platform.clock,
        allow_signup=False,
    )
    app = create_app(platform)

    @app.get("/_test/page")
    def any_page(request: Request) -> HTMLResponse:
        context = page_context(request, next_url="/", error=None, login_csrf="")
        return templates.TemplateResponse(request, "login.html", context)

    with TestClient(app, follow_redirects=False) as client:
        yield client


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no hidden field {name}"
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, next_url: str = "/search") -> tuple[int, str]:
    page = client.get("/login")
    assert page.status_code == 200
    form = {"email": "ada@example.org", "password": password, "csrf_token": hidden(page.text, "csrf_token")}
    response = client.post("/login", data={**form, "next": next_url})
    return response.status_code, response.headers.get("location", response.text)


def test_sign_in_sets_the_session_and_redirects(client: TestClient) -> None:
    status, location = sign_in(client)
    assert (status, location) == (303, "/search")
    assert "mc_session" in client.cookies
    assert client.get("/api/v1/users/me").json()["display_name"] == "Ada Lovelace"
    again = client.get("/login?next=/search")
    assert again.status_code == 303


def test_wrong_password_shows_one_message_and_no_session(client: TestClient) -> None:
    status, body = sign_in(client, password="wrong password here")
    assert status == 400
    assert "email or password is wrong" in body
    assert "mc_session" not in client.cookies


def test_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"email": "ada@example.org", "password": PASSWORD, "csrf_token": "x"}
    )
    assert response.status_code == 403
    assert "mc_session" not in client.cookies


def test_sign_out_needs_the_session_csrf_token(client: TestClient, platform: Platform) -> None:
    sign_in(client)
    session = client.cookies["mc_session"]
    forged = client.post("/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert client.get("/api/v1/users/me").status_code == 200
    token = csrf_token_for(session, platform.settings.secret_key.get_secret_value())
    out = client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    client.cookies.set("mc_session", session)
    assert client.get("/api/v1/users/me").status_code == 401


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("/skills/x?q=1", "/skills/x?q=1"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_redirects_stay_on_this_site(given: str | None, safe: str) -> None:
    assert safe_next(given) == safe


def test_open_redirect_is_refused_on_sign_in(client: TestClient) -> None:
    status, location = sign_in(client, next_url="//evil.example/")
    assert (status, location) == (303, "/")


def test_pages_show_the_signed_in_user_and_a_working_sign_out_form(client: TestClient) -> None:
    signed_out = client.get("/_test/page").text
    assert 'href="/login"' in signed_out
    assert "Ada Lovelace" not in signed_out
    sign_in(client)
    page = client.get("/_test/page").text
    assert "Ada Lovelace" in page
    out = client.post("/logout", data={"csrf_token": hidden(page, "csrf_token")})
    assert out.status_code == 303
    assert client.get("/api/v1/users/me").status_code == 401
