"""The device cookie the web sign-in sets and records (hashed): two accounts signing in from one browser
raise the shared_device collusion signal (docs/trust.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services import collusion, users
from microcareer.web.devices import DEVICE_COOKIE
from tests.integration.web.test_accounts_web import PASSWORD, hidden

EMAILS = ("ada@example.org", "bob@example.org", "cy@example.org")


@pytest.fixture
def ids(platform: Platform) -> dict[str, int]:
    made = {}
    for email in EMAILS:
        made[email] = users.create_user(
            platform.uow(),
            actor=Actor.system(),
            email=email,
            display_name=email.split("@")[0],
            password=PASSWORD,
            roles=[Role.PROFESSIONAL, Role.CLIENT],
            passwords=platform.passwords,
            clock=platform.clock,
            allow_signup=False,
        ).id
    return made


@pytest.fixture
def browsers(platform: Platform) -> Iterator[tuple[TestClient, TestClient]]:
    app = create_app(platform)
    with TestClient(app, follow_redirects=False) as one, TestClient(app, follow_redirects=False) as two:
        yield one, two


def _sign_in(client: TestClient, email: str) -> None:
    client.cookies.delete("mc_session")  # the person signs out (their browser keeps its device id)
    page = client.get("/login")
    form = {"email": email, "password": PASSWORD, "csrf_token": hidden(page.text, "csrf_token"), "next": "/"}
    assert client.post("/login", data=form).status_code == 303


def test_two_accounts_on_one_browser_share_a_device(
    platform: Platform, ids: dict[str, int], browsers: tuple[TestClient, TestClient]
) -> None:
    one, two = browsers
    _sign_in(one, "ada@example.org")
    device = one.cookies.get(DEVICE_COOKIE)
    assert device is not None
    _sign_in(one, "bob@example.org")  # the same browser keeps its device id
    assert one.cookies.get(DEVICE_COOKIE) == device
    _sign_in(two, "cy@example.org")
    assert two.cookies.get(DEVICE_COOKIE) not in (None, device)
    with platform.uow() as uow:
        ada, bob, cy = (uow.marketplace.devices_of(ids[e]) for e in EMAILS)
        assert ada == bob == {collusion.device_hash(device)}  # only the hash is kept
        assert not ada & cy
        signals = collusion.contract_signals(uow, ids["ada@example.org"], ids["bob@example.org"])
        assert [s.value for s in signals] == ["shared_device"]
        assert collusion.contract_signals(uow, ids["ada@example.org"], ids["cy@example.org"]) == ()


def test_a_malformed_device_cookie_is_replaced(
    platform: Platform, ids: dict[str, int], browsers: tuple[TestClient, TestClient]
) -> None:
    one, _ = browsers
    one.cookies.set(DEVICE_COOKIE, "<script>", domain="testserver.local")
    _sign_in(one, "ada@example.org")
    (device,) = [c.value for c in one.cookies.jar if c.name == DEVICE_COOKIE]
    assert device is not None
    assert device != "<script>"
    assert len(device) == 32
    with platform.uow() as uow:
        assert uow.marketplace.devices_of(ids["ada@example.org"]) == {collusion.device_hash(device)}
