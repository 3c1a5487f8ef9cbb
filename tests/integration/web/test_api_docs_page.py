"""The app's /api/v1/docs asks nothing of another site: its assets are this platform's static files."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.web.api_docs import swagger_installed


def test_the_api_docs_reference_only_local_assets_that_are_served(platform: Platform) -> None:
    with TestClient(create_app(platform)) as client:
        page = client.get("/api/v1/docs")
        assert page.status_code == (200 if swagger_installed() else 503)  # 503: says to run make web-assets
        assert "://" not in page.text
        assets = re.findall(r'(?:src|href)="([^"]*)"', page.text)
        assert assets
        assert all(url.startswith("/") for url in assets)
        for url in assets:
            assert client.get(url).status_code == 200, url
        assert client.get("/api/v1/openapi.json").status_code == 200
        assert client.get("/redoc").status_code == 404  # ReDoc (a CDN script) is not served
