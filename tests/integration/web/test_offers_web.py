"""The offers' pages on each database: a form with a bad value is a page naming the field, a forged
form is refused, a signed-out stranger reads the storefront, and a paused offer is a 404 page to
everyone but its seller."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from tests.integration.store.test_offers import NOW, Shop, make_shop
from tests.integration.web.sessions import sign_in_on


@pytest.fixture
def shop(taxonomy_platform: Platform) -> Shop:
    taxonomy_platform.clock = lambda: NOW
    return make_shop(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, shop: Shop) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, platform: Platform, actor: Actor) -> str:
    return sign_in_on(client, platform, actor, "/offers/new")


def form(csrf: str, **changes: str) -> dict[str, str]:
    fields = {
        "csrf_token": csrf,
        "title": "Python data cleaning",
        "description": "A tested Python script that cleans and merges your CSV exports.",
        "skills": "Python (computer programming)",
        "currency": "EUR",
        "package_name_0": "Basic",
        "package_price_0": "50.00",
        "package_days_0": "3",
        "package_revisions_0": "1",
        "gallery": "https://example.org/a.png",
    }
    return fields | changes


def test_offer_pages_refuse_bad_input_and_hide_paused_offers(
    client: TestClient, taxonomy_platform: Platform, shop: Shop
) -> None:
    csrf = sign_in(client, taxonomy_platform, shop.seller)
    for field, value, named in (
        ("gallery", "javascript:alert(1)", "gallery[0]"),
        ("package_days_0", "soon", "packages[0].delivery_days"),
        ("package_price_0", "0", "packages[0].price"),
        ("skills", "no such skill xyz", "skills[0]"),
    ):
        refused = client.post("/offers", data=form(csrf, **{field: value}))
        assert refused.status_code in (400, 404, 422), (field, refused.status_code)
        assert named in refused.text, (field, refused.text[-800:])
    assert client.post("/offers", data=form("forged")).status_code == 403
    made = client.post("/offers", data=form(csrf))
    assert made.status_code == 303
    offer_path = made.headers["location"]
    page = client.get(offer_path)
    assert "Pause the offer" in page.text
    handle = re.search(r'href="/store/([a-z0-9-]+)"', page.text)
    assert handle is not None
    assert client.post(f"{offer_path}/pause", data={"csrf_token": csrf}).status_code == 303
    assert "paused" in client.get(offer_path).text

    client.cookies.clear()
    assert client.get(offer_path).status_code == 404
    store = client.get(f"/store/{handle.group(1)}")
    assert store.status_code == 200
    assert "No offers on sale." in store.text
    assert client.get("/offers", params={"skill": "no such skill xyz"}).status_code == 422
