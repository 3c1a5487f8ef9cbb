"""An unknown address in a browser answers a page of the site; API clients keep problem-details JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform)) as client:
        yield client


def test_a_browser_gets_a_page_naming_the_missing_address_escaped(client: TestClient) -> None:
    response = client.get("/no-such-page/<b>", headers=BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text
    assert "<main>" in response.text
    assert "There is no page at /no-such-page/&lt;b&gt;." in response.text
    htmx = client.get("/no-such-fragment", headers={"HX-Request": "true"})
    assert htmx.status_code == 404
    assert "<main>" in htmx.text  # what base.html's htmx-config swaps in, instead of emptying the page


def test_api_clients_and_machine_readers_keep_problem_details(client: TestClient) -> None:
    for path, headers in (
        ("/api/v1/no-such-thing", BROWSER),
        ("/no-such-page", {"Accept": "application/json"}),
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"


def test_a_method_a_page_does_not_take_answers_a_page_too(client: TestClient) -> None:
    response = client.put("/login", headers=BROWSER)
    assert response.status_code == 405
    assert "Not allowed here" in response.text
    assert response.headers["allow"]
