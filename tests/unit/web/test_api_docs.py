"""/api/v1/docs: Swagger UI from the platform's own files (works offline), or a page saying what to run."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcareer.web.api_docs import SWAGGER_FILES, include_api_docs

ASSET = re.compile(r'(?:src|href)="([^"]*)"')


def docs_client(folder: Path) -> TestClient:
    app = FastAPI(title="microcareer", docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json")
    include_api_docs(app, docs_url="/api/v1/docs", openapi_url="/api/v1/openapi.json", folder=folder)
    return TestClient(app)


def test_the_docs_page_loads_swagger_ui_from_local_files_only(tmp_path: Path) -> None:
    for name in SWAGGER_FILES:
        (tmp_path / name).write_text("x")
    page = docs_client(tmp_path).get("/api/v1/docs")
    assert page.status_code == 200
    assets = ASSET.findall(page.text)
    assert sorted(assets) == [
        "/static/vendor/swagger-ui/favicon-32x32.png",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ]
    assert "://" not in page.text  # no CDN, no validator badge: nothing from another site
    assert "url: '/api/v1/openapi.json'" in page.text
    assert '"validatorUrl": null' in page.text


def test_without_the_files_the_page_says_what_to_run_instead_of_staying_blank(tmp_path: Path) -> None:
    (tmp_path / "swagger-ui.css").write_text("x")  # one file is not enough
    page = docs_client(tmp_path).get("/api/v1/docs")
    assert page.status_code == 503
    assert "make web-assets" in page.text
    assert '<a href="/api/v1/openapi.json">' in page.text
    assert all(url.startswith("/") for url in ASSET.findall(page.text))
