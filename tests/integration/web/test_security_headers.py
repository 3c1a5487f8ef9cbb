"""Pages run no inline script and cannot be framed; nothing is sniffed; referrers stay on the site."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.web.api_docs import swagger_installed

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "microcareer" / "web" / "templates"


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_html_pages_carry_a_policy_with_no_inline_script_and_no_framing(platform: Platform) -> None:
    with TestClient(create_app(platform)) as client:
        for url in ("/", "/login", "/no-such-page"):
            page = client.get(url, headers={"accept": "text/html"})
            assert page.headers["content-type"].startswith("text/html"), url
            policy = _directives(page.headers["content-security-policy"])
            assert policy["script-src"] == ["'self'"], url
            assert policy["frame-ancestors"] == ["'none'"], url
            assert "'unsafe-inline'" not in policy["style-src"], url
            assert page.headers["x-content-type-options"] == "nosniff", url
            assert page.headers["referrer-policy"] == "same-origin", url


def test_api_answers_are_not_sniffed(platform: Platform) -> None:
    with TestClient(create_app(platform)) as client:
        for url in ("/api/v1/openapi.json", "/api/v1/users/me", "/static/site.css"):
            response = client.get(url)
            assert response.headers["x-content-type-options"] == "nosniff", url
            assert "content-security-policy" not in response.headers or url.endswith(".html"), url


@pytest.mark.skipif(not swagger_installed(), reason="Swagger UI's files are not installed (make web-assets)")
def test_the_api_docs_page_allows_exactly_its_own_boot_script(platform: Platform) -> None:
    with TestClient(create_app(platform)) as client:
        page = client.get("/api/v1/docs")
    scripts = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", page.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = _directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_templates_hold_no_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        # a JSON-LD data block is never run (and CSP's script-src does not cover it); code is
        assert not re.search(r"<script(?![^>]*\ssrc=)(?!\s+type=\"application/ld\+json\">)", text), (
            template.name
        )
        handler = r"<[^>]*\son(click|load|error|submit|change|input|focus|blur|key\w+|mouse\w+)\s*="
        assert not re.search(handler, text, re.IGNORECASE), template.name
        assert not re.search(r"\shx-on[:-]", text), template.name
        assert "javascript:" not in text, template.name
