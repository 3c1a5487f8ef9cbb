"""The OpenAPI document is valid, every operation is summarised, and every path sits under /api/v1
but the published documents credentials link to (DID documents, status lists, achievements)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform

PUBLISHED = {"/issuers/{slug}/did.json", "/status-lists/{list_id}", "/achievements/{achievement_id}"}


def test_openapi_document_is_valid_and_versioned(platform: Platform) -> None:
    with TestClient(create_app(platform)) as client:
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["paths"], "the API documents no paths"
    assert set(document["paths"]) >= PUBLISHED
    for path, operations in document["paths"].items():
        assert path.startswith("/api/v1/") or path in PUBLISHED, path
        if path in PUBLISHED:
            assert set(operations) == {"get"}, path
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
