"""/api/v1/extract on the mini ESCO taxonomy, on each database: who may, what comes back, uploads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.services import extraction, taxonomy
from microcareer.services.tokens import create_token
from tests.integration.taxonomy_helpers import PYTHON, make_organisation

TEXT = "We want Python and SQL, plus statistcs skills."


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform)) as client:
        yield client


def bearer(platform: Platform, user_id: int | None) -> dict[str, str]:
    assert user_id is not None
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=user_id, name="t", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


def test_signed_out_callers_get_a_401_problem(client: TestClient) -> None:
    response = client.post("/api/v1/extract", json={"documents": [{"text": TEXT}]})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_mentions_spans_and_skill_set(client: TestClient, taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    body = {"documents": [{"doc_id": "p1", "text": TEXT}, {"doc_id": "empty", "text": ""}]}
    response = client.post(
        "/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.outsider.user_id)
    )
    assert response.status_code == 200, response.text
    first, empty = response.json()["documents"]
    assert empty == {"doc_id": "empty", "mentions": [], "skills": [], "text": None}
    assert first["doc_id"] == "p1"
    spans = {(m["label"], TEXT[m["start"] : m["end"]], m["method"]) for m in first["mentions"]}
    assert spans == {
        ("Python (computer programming)", "Python", "lexical"),
        ("SQL", "SQL", "lexical"),
        ("statistics", "statistcs", "fuzzy"),
    }
    assert PYTHON in {s["uri"] for s in first["skills"]}
    assert all(0 < s["confidence"] <= 1 for s in first["skills"])
    lexical_only = client.post(
        "/api/v1/extract",
        json={**body, "methods": ["lexical"]},
        headers=bearer(taxonomy_platform, org.outsider.user_id),
    ).json()["documents"][0]
    assert "statistics" not in {m["label"] for m in lexical_only["mentions"]}


def test_organisation_skills_are_found_for_members_only(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=org.admin,
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="Acme deployment train",
        links=[(PYTHON, OrgLinkRelation.RELATED)],
    )
    body = {"documents": [{"text": "Runs the Acme deployment train in Python."}]}
    member = client.post("/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.admin.user_id))
    outsider = client.post(
        "/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.outsider.user_id)
    )
    labels = {m["label"] for m in member.json()["documents"][0]["mentions"]}
    assert "Acme deployment train" in labels
    assert "Acme deployment train" not in {m["label"] for m in outsider.json()["documents"][0]["mentions"]}


def test_an_uploaded_file_comes_back_with_its_text(client: TestClient, taxonomy_platform: Platform) -> None:
    org = make_organisation(taxonomy_platform)
    headers = bearer(taxonomy_platform, org.outsider.user_id)
    upload = {"file": ("cv.txt", b"Skills: Haskell, statistics.", "text/plain")}
    response = client.post("/api/v1/extract/file", files=upload, headers=headers)
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["text"] == "Skills: Haskell, statistics."
    assert {found["text"][m["start"] : m["end"]] for m in found["mentions"]} == {"Haskell", "statistics"}
    broken = client.post(
        "/api/v1/extract/file",
        files={"file": ("cv.pdf", b"%PDF-1.7 broken", "application/pdf")},
        headers=headers,
    )
    assert broken.status_code == 422
    assert "cv.pdf" in broken.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"documents": []}, "documents"),
        ({"documents": [{"text": "x"}], "methods": ["magic"]}, "methods"),
        ({"documents": [{"text": "x"}], "min_confidence": 2}, "min_confidence"),
    ],
)
def test_bad_requests_are_422_problems_naming_the_field(
    client: TestClient, taxonomy_platform: Platform, body: dict[str, object], field: str
) -> None:
    org = make_organisation(taxonomy_platform)
    response = client.post(
        "/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.outsider.user_id)
    )
    assert response.status_code == 422
    assert field in response.text


def test_semantic_is_refused_with_a_reason_without_the_extra(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    taxonomy_platform.caches[extraction.CACHE_KEY] = extraction.ExtractorCache()  # no semantic matcher
    body = {"documents": [{"text": "x"}], "methods": ["semantic"]}
    response = client.post(
        "/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.outsider.user_id)
    )
    assert response.status_code == 422
    assert "install microcareer[semantic]" in response.json()["detail"]


def test_ranking_through_the_api_is_best_first_and_hides_other_organisations_skills(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform)
    taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=org.admin,
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="Acme deployment train",
        links=[(PYTHON, OrgLinkRelation.RELATED)],
    )
    body = {
        "documents": [{"doc_id": "r", "text": "Runs the Acme deployment train in Python."}],
        "methods": ["ranking"],
        "min_confidence": 0.0,
    }
    outsider = client.post(
        "/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.outsider.user_id)
    )
    assert outsider.status_code == 200, outsider.text
    mentions = outsider.json()["documents"][0]["mentions"]
    scores = [m["confidence"] for m in mentions]
    assert scores == sorted(scores, reverse=True)
    assert {m["method"] for m in mentions} == {"ranking"}
    assert PYTHON in {m["uri"] for m in mentions}
    assert not any(m["uri"].startswith("urn:") for m in mentions)  # not the outsider's organisation
    member = client.post("/api/v1/extract", json=body, headers=bearer(taxonomy_platform, org.admin.user_id))
    assert any(m["uri"].startswith("urn:") for m in member.json()["documents"][0]["mentions"])
