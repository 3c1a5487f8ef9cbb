"""/api/v1/skills and /api/v1/occupations on the mini ESCO taxonomy: pages, look-ups, problems."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.services import taxonomy
from microcareer.services.tokens import create_token
from tests.integration.taxonomy_helpers import (
    DEBUGGING_TOOLS,
    DEVELOPER,
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


def test_python_search_shows_python_computer_programming_first(client: TestClient) -> None:
    response = client.get("/api/v1/skills", params={"q": "python"})
    assert response.status_code == 200
    body = response.json()
    first = body["items"][0]
    assert first["skill"]["preferred_label"] == "Python (computer programming)"
    assert (first["matched_label"], first["match_kind"]) == ("Python", "exact")
    assert first["skill"]["key"] == PYTHON_KEY
    assert (body["limit"], body["offset"]) == (20, 0)


def test_resolve_says_which_skill_a_name_stands_for_and_why(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    use_tool_names(taxonomy_platform, {"Docker": DEBUGGING_TOOLS})
    body = client.get("/api/v1/skills/resolve", params={"name": "docker"}).json()
    assert body["chosen"]["skill"]["uri"] == DEBUGGING_TOOLS
    assert (body["chosen"]["match"], body["chosen"]["why"]) == ("tool", "tool name: Docker")
    typo = client.get("/api/v1/skills/resolve", params={"name": "pythn"}).json()
    assert typo["chosen"] is None
    assert typo["candidates"][0]["skill"]["uri"] == PYTHON
    assert typo["candidates"][0]["names_the_skill"] is False
    assert client.get("/api/v1/skills/resolve", params={"name": ""}).status_code == 422


def test_search_pages_through_one_ranking(client: TestClient) -> None:
    whole = client.get("/api/v1/skills", params={"q": "software", "limit": 50}).json()
    assert whole["total"] >= 3
    keys = [item["skill"]["key"] for item in whole["items"]]
    second = client.get("/api/v1/skills", params={"q": "software", "limit": 1, "offset": 1}).json()
    assert [item["skill"]["key"] for item in second["items"]] == keys[1:2]
    assert second["total"] == whole["total"]


def test_skill_by_key_and_by_uri(client: TestClient) -> None:
    by_key = client.get(f"/api/v1/skills/{PYTHON_KEY}")
    by_uri = client.get("/api/v1/skills/by-uri", params={"uri": PYTHON})
    assert by_key.status_code == by_uri.status_code == 200
    assert by_key.json() == by_uri.json()
    body = by_key.json()
    assert [ref["key"] for ref in body["broader_chains"][0]] == ["061", "0613"]
    assert body["related"][0]["relation"] == "essential"
    assert body["occupations_optional"] == 1


def test_occupation_search_and_look_up(client: TestClient) -> None:
    found = client.get("/api/v1/occupations", params={"q": "software dev"}).json()
    assert found["items"][0]["occupation"]["uri"] == DEVELOPER
    body = client.get(f"/api/v1/occupations/{DEVELOPER_KEY}").json()
    assert body["isco_group"]["code"] == "2512"
    assert body["has_skill_list"] is True
    assert [s["preferred_label"] for s in body["optional_skills"]] == [
        "Haskell",
        "Python (computer programming)",
        "SQL",
    ]
    assert client.get("/api/v1/occupations/by-uri", params={"uri": DEVELOPER}).json() == body


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/v1/skills/no-such-key", {}, 404, "not_found"),
        ("/api/v1/skills/by-uri", {"uri": "http://example.org/x"}, 404, "not_found"),
        ("/api/v1/occupations/no-such-key", {}, 404, "not_found"),
        ("/api/v1/skills", {}, 422, "invalid_input"),
        ("/api/v1/skills", {"q": ""}, 422, "invalid_input"),
        ("/api/v1/skills", {"q": "   "}, 422, "invalid_input"),
        ("/api/v1/skills", {"q": "x" * 201}, 422, "invalid_input"),
        ("/api/v1/skills", {"q": "python", "limit": 0}, 422, "invalid_input"),
        ("/api/v1/skills", {"q": "python", "offset": -1}, 422, "invalid_input"),
        ("/api/v1/occupations", {"q": "nurse", "limit": "many"}, 422, "invalid_input"),
        ("/api/v1/skills/by-uri", {}, 422, "invalid_input"),
    ],
)
def test_unknown_and_bad_requests_are_problems(
    client: TestClient, path: str, params: dict[str, str | int], status: int, code: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_posting_an_org_skill_needs_a_signed_in_admin(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    body = {
        "organisation_id": org.organisation_id,
        "label": "Acme Python style",
        "links": [{"uri": PYTHON, "relation": "narrower"}],
    }
    response = client.post("/api/v1/skills", json=body)
    assert response.status_code == 401
    bad = client.post("/api/v1/skills", json={**body, "links": [{"uri": PYTHON, "relation": "parent"}]})
    assert bad.status_code == 422
    assert client.get("/api/v1/skills", params={"q": "acme"}).json()["total"] == 0


def test_org_skills_are_hidden_from_anonymous_callers(
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
    assert client.get("/api/v1/skills", params={"q": "acme"}).json()["total"] == 0
    key = skill.uri.rsplit(":", 1)[1]
    assert client.get(f"/api/v1/skills/{key}").status_code == 401
    python = client.get(f"/api/v1/skills/{PYTHON_KEY}").json()
    assert skill.uri not in [ref["uri"] for ref in python["narrower"]]


def test_an_org_admin_with_a_token_adds_a_skill_that_members_then_find(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    assert org.admin.user_id is not None
    issued = create_token(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=org.admin.user_id,
        name="test",
        clock=taxonomy_platform.clock,
    )
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    body = {
        "organisation_id": org.organisation_id,
        "label": "Acme Python style",
        "alt_labels": ["house style"],
        "links": [{"uri": PYTHON, "relation": "narrower"}],
    }
    created = client.post("/api/v1/skills", json=body, headers=headers)
    assert created.status_code == 201, created.text
    uri = created.json()["uri"]
    found = client.get("/api/v1/skills", params={"q": "house style"}, headers=headers).json()
    assert [item["skill"]["uri"] for item in found["items"]] == [uri]
    missing = client.post(
        "/api/v1/skills",
        json={**body, "links": [{"uri": PYTHON + "-gone", "relation": "related"}]},
        headers=headers,
    )
    assert missing.status_code == 404
    assert PYTHON + "-gone" in missing.json()["detail"]
