"""``PrefixRouter``: a path that starts with none of a router's literal parts is turned away without
matching its routes; every other request is routed as a plain ``APIRouter`` routes it (405s, path
parameters, trailing-slash redirects, a prefix given at inclusion, a root path)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.types import Scope

from microcareer.api.prefix_router import PrefixRouter

tried: list[str] = []


class CountingRoute(APIRoute):
    def matches(self, scope: Scope) -> Any:
        tried.append(self.path)
        return super().matches(scope)


def build(router_class: type[APIRouter]) -> FastAPI:
    app = FastAPI()
    jobs = router_class(route_class=CountingRoute)
    people = router_class(prefix="/people", route_class=CountingRoute)

    @jobs.get("/jobs")
    def list_jobs() -> dict[str, str]:
        return {"at": "jobs"}

    @jobs.get("/jobs/{job_id}")
    def one_job(job_id: int) -> dict[str, object]:
        return {"at": "job", "id": job_id}

    @jobs.post("/jobs-{kind}/count")
    def count(kind: str) -> dict[str, str]:
        return {"at": "count", "kind": kind}

    @people.get("/me")
    def me() -> dict[str, str]:
        return {"at": "me"}

    @people.get("/{person}")
    def person(person: str) -> dict[str, str]:
        return {"at": "person", "who": person}

    for router in (jobs, people):
        if isinstance(router, PrefixRouter):
            router.include_in(app, "/api/v1")
        else:
            app.include_router(router, prefix="/api/v1")
    return app


REQUESTS = [
    ("GET", "/api/v1/jobs"),
    ("GET", "/api/v1/jobs/7"),
    ("GET", "/api/v1/jobs/x"),  # 422
    ("DELETE", "/api/v1/jobs/7"),  # 405: a partial match
    ("POST", "/api/v1/jobs-fixed/count"),
    ("GET", "/api/v1/jobs-fixed/count"),  # 405
    ("GET", "/api/v1/people/me"),
    ("GET", "/api/v1/people/ada"),
    ("GET", "/api/v1/people/me/"),  # redirected to /api/v1/people/me
    ("GET", "/api/v1/people"),  # 404
    ("GET", "/api/v1/nothing"),
    ("GET", "/jobs"),
    ("GET", "/"),
]


def answers(app: FastAPI, **client: Any) -> list[tuple[int, str]]:
    with TestClient(app, follow_redirects=False, **client) as http:
        return [(r.status_code, r.text) for r in (http.request(m, p) for m, p in REQUESTS)]


def test_every_request_is_answered_as_a_plain_router_answers_it() -> None:
    assert answers(build(PrefixRouter)) == answers(build(APIRouter))
    assert answers(build(PrefixRouter), root_path="/under") == answers(build(APIRouter), root_path="/under")


def test_a_path_no_route_of_a_router_can_match_tries_none_of_its_routes() -> None:
    with TestClient(build(PrefixRouter)) as http:
        tried.clear()
        assert http.get("/api/v1/people/me").json() == {"at": "me"}
        assert all(path.startswith("/people") for path in tried)  # the jobs routes were never tried
        tried.clear()
        assert http.get("/elsewhere").status_code == 404
        assert tried == []
        tried.clear()
        assert http.get("/api/v1/jobs/3").json() == {"at": "job", "id": 3}
        assert tried
        assert all(path.startswith("/jobs") for path in tried)
    with TestClient(build(APIRouter)) as http:  # the plain router tries them: what the test relies on
        tried.clear()
        http.get("/elsewhere")
        assert tried


def test_included_some_other_way_it_matches_as_a_plain_router() -> None:
    router = PrefixRouter()

    @router.get("/here")
    def here() -> dict[str, str]:
        return {"at": "here"}

    app = FastAPI()
    app.include_router(router, prefix="/x")  # the prefix is not known to the router
    assert router.heads() is None
    with TestClient(app) as http:
        assert http.get("/x/here").json() == {"at": "here"}
