"""Skill assessments over the API on each database: the authorisation matrix (author issuer, author
organisation, reviewer, candidate, another user, signed out x create, edit, read items, start, submit,
score, see results), answers never sent before submission, hiring with assessments, and bad input a
4xx that names the field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from tests.integration.api.market_api import bearer
from tests.integration.assessment_helpers import ITEMS, NOW, AssessmentWorld, make_assessment_world
from tests.integration.taxonomy_helpers import PYTHON

ACTORS = ("issuer_author", "org_admin", "reviewer", "candidate", "other", "anonymous")


@pytest.fixture
def world(taxonomy_platform: Platform) -> AssessmentWorld:
    taxonomy_platform.clock = lambda: NOW
    return make_assessment_world(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, world: AssessmentWorld) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), raise_server_exceptions=False) as client:
        yield client


def _headers(platform: Platform, world: AssessmentWorld) -> dict[str, dict[str, str]]:
    def of(actor: Actor) -> dict[str, str]:
        assert actor.user_id is not None
        return bearer(platform, actor.user_id)

    made = {name: of(getattr(world, name)) for name in ACTORS[:-1]}
    return made | {"anonymous": {}}


def _settings(**changes: Any) -> dict[str, Any]:
    return {"title": "Python again", "skills": [PYTHON], "draw_count": 3, "pass_percent": 60} | changes


def test_who_may_do_what_with_assessments(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    h = _headers(taxonomy_platform, world)
    qs, ws = world.question_set_id, world.work_sample_id
    got: dict[tuple[str, str], int] = {}
    for name in ACTORS:
        got["create", name] = client.post(
            "/api/v1/assessments", json=_settings(issuer_id=world.issuer_id), headers=h[name]
        ).status_code
        got["edit", name] = client.put(
            f"/api/v1/assessments/{qs}", json=_settings(), headers=h[name]
        ).status_code
        got["read items", name] = client.get(f"/api/v1/assessments/{qs}/items", headers=h[name]).status_code
        got["read", name] = client.get(f"/api/v1/assessments/{qs}", headers=h[name]).status_code
        got["start", name] = client.post(f"/api/v1/assessments/{qs}/attempts", headers=h[name]).status_code
    started = client.post(f"/api/v1/assessments/{ws}/attempts", headers=h["candidate"])
    assert started.status_code == 201, started.text
    mine = client.post(f"/api/v1/assessments/{qs}/attempts", headers=h["candidate"]).json()["id"]
    sample = started.json()["id"]
    for name in ACTORS:
        if name != "candidate":
            got["submit", name] = client.post(
                f"/api/v1/assessment-attempts/{sample}/submit", json={"work": "mine"}, headers=h[name]
            ).status_code
    got["submit", "candidate"] = client.post(
        f"/api/v1/assessment-attempts/{sample}/submit",
        json={"work": "https://x.example/w"},
        headers=h["candidate"],
    ).status_code
    for name in ACTORS:
        got["see result", name] = client.get(
            f"/api/v1/assessment-attempts/{mine}", headers=h[name]
        ).status_code
        got["see sample", name] = client.get(
            f"/api/v1/assessment-attempts/{sample}", headers=h[name]
        ).status_code
        got["list attempts", name] = client.get(
            f"/api/v1/assessments/{ws}/attempts", headers=h[name]
        ).status_code
    score = {"criteria": [{"name": "works", "points": 6}, {"name": "readable", "points": 4}]}
    for name in ("issuer_author", "org_admin", "candidate", "other", "anonymous", "reviewer"):
        got["score", name] = client.post(
            f"/api/v1/assessment-attempts/{sample}/score", json=score, headers=h[name]
        ).status_code
    expected = {
        #               issuer_author org_admin reviewer candidate other anonymous
        "create": (201, 403, 403, 403, 403, 401),
        "edit": (200, 403, 403, 403, 403, 401),
        "read items": (200, 403, 403, 403, 403, 401),
        "read": (200, 200, 200, 200, 200, 401),
        "start": (403, 201, 201, 201, 201, 401),
        "submit": (404, 404, 404, 200, 404, 401),
        "see result": (200, 404, 404, 200, 404, 401),
        "see sample": (404, 200, 200, 200, 404, 401),
        "list attempts": (403, 200, 200, 403, 403, 401),
        "score": (404, 403, 200, 403, 404, 401),
    }
    assert {k: tuple(got[k, a] for a in ACTORS) for k in expected} == expected


def test_answers_never_reach_the_candidate_before_submitting(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    h = _headers(taxonomy_platform, world)
    started = client.post(f"/api/v1/assessments/{world.question_set_id}/attempts", headers=h["candidate"])
    assert started.status_code == 201, started.text
    for text in (
        started.text,
        client.get(f"/api/v1/assessment-attempts/{started.json()['id']}", headers=h["candidate"]).text,
    ):
        assert "pip3" not in text  # an accepted answer
        assert '"correct"' not in text
        assert '"accepted"' not in text
        assert '"tolerance"' not in text
        assert "3.5" not in text  # the numeric answer
    questions = started.json()["questions"]
    assert len(questions) == 3
    assert all(set(q) == {"id", "kind", "prompt", "options", "points"} for q in questions)
    drawn = [q["id"] for q in questions]
    answers = [
        {"item_id": i, **answer}
        for i, answer in (
            (i, {"choices": [0]} if ITEMS[world.item_ids.index(i)].kind.value == "single_choice" else {})
            for i in drawn
        )
    ]
    done = client.post(
        f"/api/v1/assessment-attempts/{started.json()['id']}/submit",
        json={"answers": answers},
        headers=h["candidate"],
    )
    assert done.status_code == 200, done.text
    assert done.json()["state"] in {"passed", "failed"}
    assert done.json()["percent"] is not None


def test_a_submission_after_the_deadline_is_refused(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    h = _headers(taxonomy_platform, world)
    started = client.post(
        f"/api/v1/assessments/{world.question_set_id}/attempts", headers=h["candidate"]
    ).json()
    taxonomy_platform.clock = lambda: NOW + timedelta(minutes=21)
    late = client.post(
        f"/api/v1/assessment-attempts/{started['id']}/submit",
        json={"answers": [{"item_id": q["id"], "text": "pip"} for q in started["questions"]]},
        headers=h["candidate"],
    )
    assert late.status_code == 409
    assert "time is up" in late.json()["detail"]
    after = client.get(f"/api/v1/assessment-attempts/{started['id']}", headers=h["candidate"]).json()
    assert after["state"] == "expired"
    assert after["percent"] is None


def test_bad_input_is_a_4xx_naming_the_field(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    h = _headers(taxonomy_platform, world)
    author = h["issuer_author"]
    cases = [
        (
            "post",
            "/api/v1/assessments",
            _settings(issuer_id=world.issuer_id, pass_percent=0),
            422,
            "pass_percent",
        ),
        ("post", "/api/v1/assessments", _settings(), 422, "owner"),
        (
            "post",
            "/api/v1/assessments",
            _settings(issuer_id=world.issuer_id, kind="work_sample", task="Do it"),
            422,
            "rubric",
        ),
        (
            "post",
            f"/api/v1/assessments/{world.question_set_id}/items",
            {"kind": "single_choice", "prompt": "x", "options": ["a", "b"], "correct": [5]},
            422,
            "correct",
        ),
        (
            "post",
            f"/api/v1/assessments/{world.question_set_id}/items",
            {"kind": "short_text", "prompt": "x"},
            422,
            "accepted",
        ),
        ("put", "/api/v1/jobs/999999/assessments", {"assessment_ids": [1]}, 404, None),
    ]
    cases.append(
        (
            "post",
            "/api/v1/assessments",
            _settings(issuer_id=world.issuer_id, skills=["no such skill"]),
            422,
            "skills",
        )
    )
    for method, url, body, status, field in cases:
        response = client.request(method, url, json=body, headers=author)
        assert response.status_code == status, (url, body, response.text)
        if field is not None:
            assert field in response.json()["detail"].split(":")[0], response.json()
    started = client.post(
        f"/api/v1/assessments/{world.question_set_id}/attempts", headers=h["candidate"]
    ).json()
    absent = next(i for i in world.item_ids if i not in [q["id"] for q in started["questions"]])
    bad = client.post(
        f"/api/v1/assessment-attempts/{started['id']}/submit",
        json={"answers": [{"item_id": absent, "text": "x"}]},
        headers=h["candidate"],
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == f"answers.{absent}"
