"""The search page (plain form and htmx fragment) and the skill and occupation pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.services import taxonomy
from microcareer.services.sessions import SESSION_COOKIE, start_session
from tests.integration.taxonomy_helpers import (
    DEBUGGING_TOOLS,
    DEVELOPER_KEY,
    PYTHON,
    PYTHON_KEY,
    make_organisation,
    use_tool_names,
)


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform)) as client:
        yield client


def test_home_page_has_a_search_form_that_works_without_javascript(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<form method="get" action="/search"' in response.text
    assert 'name="q"' in response.text


def test_search_for_python_shows_python_computer_programming_first(client: TestClient) -> None:
    response = client.get("/search", params={"q": "python"})
    assert response.status_code == 200
    assert "<html" in response.text
    first_row = response.text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Python (computer programming)" in first_row
    assert f'href="/skills/{PYTHON_KEY}"' in first_row


def test_a_tool_name_shows_the_skill_it_names_above_the_label_matches(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    use_tool_names(taxonomy_platform, {"Docker": DEBUGGING_TOOLS})
    response = client.get("/search", params={"q": "Docker"})
    assert response.status_code == 200
    named = response.text.split('id="named-skills"', 1)[1].split("</section>", 1)[0]
    assert "ICT debugging tools</a>" in named
    assert "tool name: Docker" in named


def test_htmx_request_gets_the_results_fragment_only(client: TestClient) -> None:
    response = client.get("/search", params={"q": "python"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Python (computer programming)" in response.text


def test_occupation_search_and_pages(client: TestClient) -> None:
    found = client.get("/search", params={"q": "software developer", "kind": "occupations"})
    assert f'href="/occupations/{DEVELOPER_KEY}"' in found.text
    page = client.get(f"/occupations/{DEVELOPER_KEY}")
    assert page.status_code == 200
    assert "Essential skills (5)" in page.text
    skill = client.get(f"/skills/{PYTHON_KEY}")
    assert skill.status_code == 200
    assert "Python (computer programming)" in skill.text
    assert 'href="/skills/0613"' in skill.text


@pytest.mark.parametrize("path", ["/skills/no-such-key", "/occupations/no-such-key"])
def test_unknown_concepts_get_a_404_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "no-such-key" in response.text


def test_a_too_long_query_is_explained_not_an_error_page(client: TestClient) -> None:
    response = client.get("/search", params={"q": "x" * 300})
    assert response.status_code == 200
    assert "longer than 200 characters" in response.text
    assert client.get("/search", params={"kind": "planets", "q": "x"}).status_code == 422


def test_labels_are_escaped(client: TestClient) -> None:
    response = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text


def test_org_skill_pages_show_to_members_and_look_missing_to_others(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    skill = taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="Acme Python style",
        links=[(PYTHON, OrgLinkRelation.NARROWER)],
    )
    key = skill.uri.rsplit(":", 1)[1]
    hidden = client.get(f"/skills/{key}")
    assert hidden.status_code == 404
    assert "Acme" not in hidden.text
    assert "Acme Python style" not in client.get("/search", params={"q": "acme"}).text
    assert org.admin.user_id is not None
    with taxonomy_platform.uow() as uow:
        admin = uow.accounts.get_user(org.admin.user_id)
    assert admin is not None
    session = start_session(
        taxonomy_platform.uow(), user=admin, clock=taxonomy_platform.clock, session_hours=1
    )
    client.cookies.set(SESSION_COOKIE, session.token)
    shown = client.get(f"/skills/{key}")
    assert shown.status_code == 200
    assert "Acme Python style" in shown.text
    assert "Acme Python style" in client.get("/search", params={"q": "acme"}).text
