"""Service offers over the API on each database: a seller publishes, a signed-out stranger finds the
offer and the storefront, a client orders, the seller delivers, the client accepts, and the contract's
ledger shows the seller paid; bad input is a 422 naming the field, refusals 401/403/404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from tests.integration.api.market_api import bearer
from tests.integration.store.test_offers import NOW, Shop, make_shop


@pytest.fixture
def shop(taxonomy_platform: Platform) -> Shop:
    taxonomy_platform.clock = lambda: NOW
    return make_shop(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, shop: Shop) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


OFFER = {
    "title": "Python data cleaning",
    "description": "A tested Python script that cleans and merges your CSV exports.",
    "skills": ["Python (computer programming)"],
    "packages": [
        {"name": "Basic", "price": {"amount": 5000, "currency": "EUR"}, "delivery_days": 3, "revisions": 1}
    ],
    "gallery": ["https://example.org/sample.png"],
}


def test_sell_a_package_over_the_api(client: TestClient, taxonomy_platform: Platform, shop: Shop) -> None:
    as_seller = bearer(taxonomy_platform, shop.seller.user_id or 0)
    as_client = bearer(taxonomy_platform, shop.client.user_id or 0)
    assert client.post("/api/v1/offers", json=OFFER).status_code == 401
    assert client.post("/api/v1/offers", json=OFFER, headers=as_client).status_code == 403
    bad = client.post("/api/v1/offers", json=OFFER | {"gallery": ["javascript:alert(1)"]}, headers=as_seller)
    assert bad.status_code == 422, bad.text
    assert "gallery[0]" in bad.json()["detail"]
    unknown = client.post("/api/v1/offers", json=OFFER | {"skills": ["no such skill xyz"]}, headers=as_seller)
    assert unknown.status_code == 422, unknown.text
    assert "skills[0]" in unknown.json()["detail"]
    made = client.post("/api/v1/offers", json=OFFER, headers=as_seller)
    assert made.status_code == 201, made.text
    offer = made.json()
    found = client.get("/api/v1/offers", params={"q": "csv", "skill": "Python (computer programming)"})
    assert [o["id"] for o in found.json()] == [offer["id"]]
    store = client.get(f"/api/v1/stores/{offer['store']}")
    assert store.status_code == 200
    assert store.json()["offers"][0]["title"] == OFFER["title"]

    too_short = client.post(
        f"/api/v1/offers/{offer['id']}/orders", json={"package": 0, "requirements": "x"}, headers=as_client
    )
    assert too_short.status_code == 422
    assert "requirements" in too_short.json()["detail"]
    no_package = client.post(
        f"/api/v1/offers/{offer['id']}/orders",
        json={"package": 2, "requirements": "Clean my files, please."},
        headers=as_client,
    )
    assert no_package.status_code == 422
    assert "package" in no_package.json()["detail"]
    ordered = client.post(
        f"/api/v1/offers/{offer['id']}/orders",
        json={"package": 0, "requirements": "Clean my files, please."},
        headers=as_client,
    )
    assert ordered.status_code == 201, ordered.text
    order = ordered.json()
    assert order["state"] == "funded"
    assert order["escrow"]["amount"] == 5000
    base = f"/api/v1/offers/orders/{order['id']}"
    assert client.post(f"{base}/accept", headers=as_client).status_code == 409  # nothing delivered yet
    delivered = client.post(f"{base}/deliver", json={"note": "Done."}, headers=as_seller)
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["state"] == "submitted"
    accepted = client.post(f"{base}/accept", headers=as_client)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "approved"
    assert accepted.json()["contract_state"] == "completed"
    ledger = client.get(f"/api/v1/contracts/{order['contract_id']}/ledger", headers=as_seller).json()
    assert ledger["released"]["amount"] == 4500, ledger
    assert ledger["fees"]["amount"] == 500
    paused = client.post(f"/api/v1/offers/{offer['id']}/pause", headers=as_client)
    assert paused.status_code == 403
    assert client.post(f"/api/v1/offers/{offer['id']}/pause", headers=as_seller).json()["on_sale"] is False
    assert client.get(f"/api/v1/offers/{offer['id']}").status_code == 404
