"""The idea pages on each database: the board and an idea are the organisation's alone (an outsider gets
the 404 page on every read and every form, a signed-out visitor the sign-in page), each reader sees the
buttons that are theirs, and a refused form is a page that names the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services import ideas
from tests.integration.store.idea_helpers import PITCH, Org, make_org
from tests.integration.store.marketplace_helpers import NOW
from tests.integration.web.sessions import sign_in_on


@pytest.fixture
def org(taxonomy_platform: Platform) -> Org:
    taxonomy_platform.clock = lambda: NOW
    return make_org(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, org: Org) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, platform: Platform, actor: Actor) -> str:
    return sign_in_on(client, platform, actor, "/network")


def buttons(client: TestClient, url: str) -> set[str]:
    page = BeautifulSoup(client.get(url).text, "html.parser")
    return {b.get_text(strip=True) for b in page.select("main form button")}


def test_the_board_is_the_organisations_alone_and_buttons_follow_the_reader(
    client: TestClient, taxonomy_platform: Platform, org: Org
) -> None:
    idea = ideas.pitch(taxonomy_platform.uow(), actor=org.author, slug="acme", pitch=PITCH, now=NOW)
    board, url = "/organisations/acme/ideas", f"/organisations/acme/ideas/{idea.id}"
    assert client.get(url).status_code == 303  # to the sign-in page

    csrf = sign_in(client, taxonomy_platform, org.other_org_member)
    for read in (board, url):
        assert client.get(read).status_code == 404
    for action in ("support", "join", "sponsor", "jobs", "outcome"):
        assert client.post(f"{url}/{action}", data={"csrf_token": csrf}).status_code == 404, action
    assert client.post(board, data={"csrf_token": csrf, "title": "x"}).status_code == 404

    sign_in(client, taxonomy_platform, org.author)
    seen = client.get(board).text
    assert PITCH.title in seen
    assert "/organisations/acme/skills" not in seen  # a member's tabs: the idea board alone
    assert buttons(client, url) == {"Record the outcome"}
    sign_in(client, taxonomy_platform, org.member)
    assert buttons(client, url) == {"Support", "Ask to join"}
    csrf = sign_in(client, taxonomy_platform, org.manager)
    assert buttons(client, url) == {"Support", "Ask to join", "Sponsor"}
    refused = client.post(f"{url}/sponsor", data={"csrf_token": csrf, "budget_hours": "lots"})
    assert refused.status_code == 422
    assert "budget_hours" in refused.text
    assert client.post(f"{url}/sponsor", data={"csrf_token": csrf, "budget_hours": "20"}).status_code == 303
    assert buttons(client, url) == {
        "Support",
        "Ask to join",
        "Change the budget",
        "Make an internal gig",
        "Record the outcome",
    }
