"""GET /api/v1/taxonomy: what is loaded, for anyone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform


def test_taxonomy_info(taxonomy_platform: Platform) -> None:
    with TestClient(create_app(taxonomy_platform)) as client:
        response = client.get("/api/v1/taxonomy")
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["language"], body["revision"]) == ("mini", "en", 1)
    assert body["counts"]["skills"] == 14
    assert body["counts"]["occupation_skills"] == 12
