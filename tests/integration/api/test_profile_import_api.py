"""/api/v1/profiles/{id}/cv and /json-resume on the mini ESCO, on each database: who may, what is saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Role
from tests.integration.api.test_extraction_api import bearer
from tests.integration.taxonomy_helpers import HASKELL, PYTHON
from tests.unit.domain.test_profiles_json_resume import FULL

CV = Path(__file__).resolve().parents[2] / "data" / "cvs" / "backend-developer.md"


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform)) as client:
        yield client


def _users(platform: Platform) -> tuple[int, int]:
    now = platform.clock()
    with platform.uow() as uow:
        ana = uow.accounts.add_user(
            email="ana@example.org",
            display_name="Ana Lima",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        otto = uow.accounts.add_user(
            email="otto@example.org",
            display_name="Otto",
            password_hash="x",
            roles=[Role.CLIENT],
            created_at=now,
        )
        uow.commit()
    return ana.id, otto.id


def test_cv_upload_proposes_and_confirm_saves_all_or_nothing(
    client: TestClient, taxonomy_platform: Platform
) -> None:
    ana, otto = _users(taxonomy_platform)
    files = {"file": ("cv.md", CV.read_bytes(), "text/markdown")}
    url = f"/api/v1/profiles/{ana}/cv"
    assert client.post(url, files=files).status_code == 401
    assert client.post(url, files=files, headers=bearer(taxonomy_platform, otto)).status_code == 403
    proposed = client.post(url, files=files, headers=bearer(taxonomy_platform, ana))
    assert proposed.status_code == 200, proposed.text
    proposal = proposed.json()
    assert {PYTHON, HASKELL} <= {s["uri"] for s in proposal["skills"]}
    assert client.get(f"/api/v1/profiles/{ana}/json-resume", headers=bearer(taxonomy_platform, ana)).json()[
        "basics"
    ] == {"name": "Ana Lima", "email": "ana@example.org"}  # nothing saved yet
    tampered = {**proposal, "skills": [*proposal["skills"], {"uri": "http://example.org/not-a-skill"}]}
    refused = client.post(f"{url}/confirm", json=tampered, headers=bearer(taxonomy_platform, ana))
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "not-a-skill" in refused.json()["detail"]
    with taxonomy_platform.uow() as uow:
        assert uow.profiles.skills(ana) == []
        assert uow.profiles.get(ana) is None
    confirmed = client.post(f"{url}/confirm", json=proposal, headers=bearer(taxonomy_platform, ana))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["experiences"] == 3
    with taxonomy_platform.uow() as uow:
        assert PYTHON in {s.uri for s in uow.profiles.skills(ana)}


def test_json_resume_put_and_get(client: TestClient, taxonomy_platform: Platform) -> None:
    ana, otto = _users(taxonomy_platform)
    url = f"/api/v1/profiles/{ana}/json-resume"
    assert client.put(url, json=FULL, headers=bearer(taxonomy_platform, otto)).status_code == 403
    bad = client.put(
        url, json={"work": [{"name": "A", "startDate": "2021-13"}]}, headers=bearer(taxonomy_platform, ana)
    )
    assert bad.status_code == 422
    assert "work[0].startDate" in bad.json()["detail"]
    imported = client.put(url, json=FULL, headers=bearer(taxonomy_platform, ana))
    assert imported.status_code == 200, imported.text
    assert next(m["uri"] for m in imported.json()["mapped"]) == PYTHON
    own = client.get(url, headers=bearer(taxonomy_platform, ana)).json()
    assert own["basics"] == FULL["basics"]
    assert own["work"] == FULL["work"]
    seen = client.get(url, headers=bearer(taxonomy_platform, otto))  # public profile: readable, no email
    assert seen.status_code == 200
    assert "email" not in seen.json()["basics"]
    assert client.get(url).status_code == 401
