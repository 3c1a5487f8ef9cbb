"""Bounded uploads through the API and the web (issue 15): bodies over the limit are refused before they
are read, and hostile documents come back as a 422 problem naming the file and the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from tests.integration.api.test_extraction_api import bearer
from tests.integration.taxonomy_helpers import make_organisation
from tests.unit.adapters.hostile_documents import empty_paragraphs_docx, many_pages_pdf

PROBLEM = "application/problem+json"


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform)) as client:
        yield client


@pytest.fixture
def headers(taxonomy_platform: Platform) -> dict[str, str]:
    return bearer(taxonomy_platform, make_organisation(taxonomy_platform).outsider.user_id)


def test_a_json_body_over_the_limit_is_refused_by_its_declared_length(client: TestClient) -> None:
    limit = client.app.state.platform.settings.max_body_bytes  # type: ignore[attr-defined]
    body = b'{"documents": [{"text": "' + b"a" * limit + b'"}]}'
    response = client.post("/api/v1/extract", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["code"] == "body_too_large"
    assert f"over the limit of {limit:,} bytes" in problem["detail"]
    assert "MICROCAREER_MAX_BODY_BYTES" in problem["detail"]


def test_a_chunked_body_is_stopped_once_it_passes_the_limit(client: TestClient) -> None:
    limit = client.app.state.platform.settings.max_body_bytes  # type: ignore[attr-defined]
    sent = 0

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server can only count
        nonlocal sent
        yield b'{"documents": [{"text": "'
        for _ in range(limit // 65536 + 2):
            sent += 65536
            yield b"a" * 65536
        yield b'"}]}'

    response = client.post("/api/v1/extract", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_a_page_gets_a_page_for_a_body_over_the_limit(client: TestClient) -> None:
    limit = client.app.state.platform.settings.max_body_bytes  # type: ignore[attr-defined]
    response = client.post(
        "/login",
        content=b"a" * (limit + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "MICROCAREER_MAX_BODY_BYTES" in response.text


def test_a_hostile_docx_upload_is_a_422_naming_the_file_and_limit(
    client: TestClient, headers: dict[str, str]
) -> None:
    files = {"file": ("spacing.docx", empty_paragraphs_docx(), "application/octet-stream")}
    response = client.post("/api/v1/extract/file", files=files, data={"methods": "lexical"}, headers=headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unreadable_document"
    assert problem["detail"].startswith("spacing.docx: ")
    assert "100,000 paragraphs" in problem["detail"]


def test_a_pdf_of_too_many_pages_is_a_422_naming_the_limit(
    client: TestClient, headers: dict[str, str]
) -> None:
    files = {"file": ("book.pdf", many_pages_pdf(1001), "application/pdf")}
    response = client.post("/api/v1/extract/file", files=files, data={"methods": "lexical"}, headers=headers)
    assert response.status_code == 422
    assert "book.pdf: the PDF has more than the limit of 1,000 pages" in response.json()["detail"]
