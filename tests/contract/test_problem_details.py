"""Every API error has one shape: RFC 9457 problem details with a stable code, and never a trace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.errors import NotFound

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code"}


@pytest.fixture
def app(platform: Platform) -> FastAPI:
    app = create_app(platform)

    @app.get("/api/v1/_test/boom")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/api/v1/_test/missing")
    def missing() -> None:
        raise NotFound("no skill with URI http://example.org/x")

    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_problem(response_json: dict[str, object], status: int, code: str) -> None:
    assert set(response_json) >= PROBLEM_KEYS
    assert response_json["status"] == status
    assert response_json["code"] == code
    assert str(response_json["type"]).endswith("/" + code)


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert_problem(response.json(), 404, "not_found")


def test_microcarreer_error_keeps_its_status_and_detail(client: TestClient) -> None:
    response = client.get("/api/v1/_test/missing")
    assert response.status_code == 404
    body = response.json()
    assert_problem(body, 404, "not_found")
    assert body["detail"] == "no skill with URI http://example.org/x"
    assert body["instance"] == "/api/v1/_test/missing"


def test_unexpected_error_is_a_500_problem_without_internals(client: TestClient) -> None:
    response = client.get("/api/v1/_test/boom")
    assert response.status_code == 500
    body = response.json()
    assert_problem(body, 500, "internal")
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


def test_health_reports_the_database(client: TestClient, backend: str) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["database"] == backend


def test_health_is_503_before_init(tmp_path: object) -> None:
    from microcareer.bootstrap import bootstrap
    from microcareer.config import Settings

    platform = bootstrap(Settings(database_url=f"sqlite:///{tmp_path}/empty.sqlite3"))
    with TestClient(create_app(platform)) as client:
        response = client.get("/api/v1/health")
    platform.dispose()
    assert response.status_code == 503
    assert_problem(response.json(), 503, "not_ready")
    assert "microcareer init" in response.json()["detail"]
