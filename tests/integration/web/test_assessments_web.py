"""Assessment pages on each database: an attempt's page shows the server's timer and no answer; the
result, the dated evidence on the profile, the credential's score; a job requiring the assessment shows
its client who passed; the reviewer's scoring page; refusals as pages with their status."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.money import Money
from microcareer.services import job_applications
from tests.integration.assessment_helpers import (
    ITEMS,
    NOW,
    AssessmentWorld,
    make_assessment_world,
    post_open_job,
)
from tests.integration.web.test_network_web import sign_in


@pytest.fixture
def world(taxonomy_platform: Platform) -> AssessmentWorld:
    taxonomy_platform.clock = lambda: NOW
    return make_assessment_world(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform, world: AssessmentWorld) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def _form_answers(world: AssessmentWorld, html: str) -> dict[str, list[str]]:
    """The right answers to the questions on the page, as the form posts them."""
    by_id = dict(zip(world.item_ids, ITEMS, strict=True))
    posted: dict[str, list[str]] = {}
    for item_id in map(int, re.findall(r'id="question-(\d+)"', html)):
        item = by_id[item_id]
        if item.options:
            posted[f"item-{item_id}"] = [str(i) for i in item.correct]
        elif item.value is not None:
            posted[f"item-{item_id}"] = [str(item.value)]
        else:
            posted[f"item-{item_id}"] = [item.accepted[0]]
    return posted


def test_take_an_assessment_pass_and_be_seen_by_a_client(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    job_id = post_open_job(platform, world)
    proposal = Proposal(Money(18_000, "EUR"), 8, "I can do it this week.", 10)
    job_applications.apply(platform.uow(), actor=world.candidate, job_id=job_id, proposal=proposal, now=NOW)
    csrf = sign_in(client, platform, world.candidate)
    started = client.post(f"/assessments/{world.question_set_id}/start", data={"csrf_token": csrf})
    assert started.status_code == 303
    attempt_url = started.headers["location"]
    page = client.get(attempt_url).text
    timer = BeautifulSoup(page, "html.parser").select_one("#timer")
    assert timer is not None
    assert "20 min 0 s left" in timer.text
    assert "12:20:00 UTC" in timer.text
    for secret in ("pip3", "3.5", "✓", "accepted"):
        assert secret not in page
    assert client.get(f"/assessments/{world.question_set_id}").text.count('id="item-') == 0  # no bank
    done = client.post(f"{attempt_url}/submit", data={"csrf_token": csrf, **_form_answers(world, page)})
    assert done.status_code == 303
    result = BeautifulSoup(client.get(attempt_url).text, "html.parser")
    assert "100%" in result.select_one("#score").text  # type: ignore[union-attr]
    link = result.select_one("#credential-link")
    assert link is not None
    credential = client.get(str(link["href"]))
    results = BeautifulSoup(credential.text, "html.parser").select_one("#results")
    assert results is not None
    assert "score" in results.text
    assert "100" in results.text
    assert world.candidate.user_id is not None
    profile_page = client.get(f"/profiles/{world.candidate.user_id}").text
    assert f"assessment passed on {NOW.date().isoformat()} (100%)" in profile_page
    job_page = BeautifulSoup(client.get(f"/jobs/{job_id}").text, "html.parser")
    assert job_page.select_one("#assessments") is None  # none required yet

    csrf = sign_in(client, platform, world.client)
    saved = client.post(
        f"/assessment-requirements/{job_id}",
        data={"csrf_token": csrf, "assessment": str(world.question_set_id)},
    )
    assert saved.status_code == 303
    passes = BeautifulSoup(client.get(f"/jobs/{job_id}").text, "html.parser").select_one(
        f"#passes-{world.candidate.user_id}"
    )
    assert passes is not None
    assert f"passed {NOW.date().isoformat()} (100%)" in passes.text
    refused = client.post(
        f"/assessment-requirements/{job_id}", data={"csrf_token": csrf, "assessment": "999999"}
    )
    assert refused.status_code == 422
    assert "assessment_ids" in refused.text
    assert client.get(attempt_url).status_code == 404  # the client is not the candidate


def test_a_reviewer_scores_a_work_sample_on_its_page(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    platform = taxonomy_platform
    csrf = sign_in(client, platform, world.candidate)
    attempt_url = client.post(
        f"/assessments/{world.work_sample_id}/start", data={"csrf_token": csrf}
    ).headers["location"]
    assert "Write a script" in client.get(attempt_url).text
    assert client.post(f"{attempt_url}/submit", data={"csrf_token": csrf, "work": ""}).status_code == 422
    assert (
        client.post(
            f"{attempt_url}/submit", data={"csrf_token": csrf, "work": "https://git.example/w"}
        ).status_code
        == 303
    )
    csrf = sign_in(client, platform, world.reviewer)
    assert "waits for your score" in client.get(f"/assessments/{world.work_sample_id}").text
    page = BeautifulSoup(client.get(attempt_url).text, "html.parser")
    assert page.select_one("#score-form") is not None
    too_many = client.post(
        f"{attempt_url}/score", data={"csrf_token": csrf, "criterion-0": "9", "criterion-1": "1"}
    )
    assert too_many.status_code == 422
    scored = client.post(
        f"{attempt_url}/score",
        data={"csrf_token": csrf, "criterion-0": "6", "criterion-1": "2", "comment": "Good"},
    )
    assert scored.status_code == 303
    assert "8 of 10 points (80%)" in client.get(attempt_url).text


def test_an_author_sets_an_assessment_on_the_web(
    client: TestClient, taxonomy_platform: Platform, world: AssessmentWorld
) -> None:
    csrf = sign_in(client, taxonomy_platform, world.issuer_author)
    form = {
        "csrf_token": csrf,
        "owner": f"issuer:{world.issuer_id}",
        "title": "Python on the web",
        "skills": "Python",
        "kind": "question_set",
        "draw_count": "1",
        "pass_percent": "50",
    }
    made = client.post("/assessments/new", data=form)
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    bad = client.post(
        f"{url}/items",
        data={"csrf_token": csrf, "kind": "single_choice", "prompt": "?", "options": "a\nb", "correct": "3"},
    )
    assert bad.status_code == 422
    assert "correct" in bad.text
    item = {
        "csrf_token": csrf,
        "kind": "single_choice",
        "prompt": "Best language?",
        "options": "Python\nCobol",
        "correct": "1",
    }
    assert client.post(f"{url}/items", data=item).status_code == 303
    extra = {**item, "prompt": "A question to take out"}
    assert client.post(f"{url}/items", data=extra).status_code == 303
    removable = BeautifulSoup(client.get(url).text, "html.parser").select('form[action$="/remove"]')
    assert len(removable) == 2
    assert client.post(str(removable[1]["action"]), data={"csrf_token": csrf}).status_code == 303
    assert "A question to take out" not in client.get(url).text
    edited = client.post(
        f"{url}/edit", data={**form, "title": "Python on the web, edited", "pass_percent": "60"}
    )
    assert edited.status_code == 303
    settings = BeautifulSoup(client.get(url).text, "html.parser").select_one("#settings-form")
    assert settings is not None
    assert settings.select_one("[name=title]")["value"] == "Python on the web, edited"  # type: ignore[index]
    assert settings.select_one("[name=skills]")["value"] == "Python (computer programming)"  # type: ignore[index]
    assert client.post(f"{url}/state", data={"csrf_token": csrf, "state": "published"}).status_code == 303
    page = BeautifulSoup(client.get(url).text, "html.parser")
    assert page.select_one("#assessment-state").text == "published"  # type: ignore[union-attr]
    assert "Python ✓" in page.select_one("[id^=item-]").text  # type: ignore[union-attr]
    refused = client.post("/assessments/new", data={**form, "skills": "no such skill at all"})
    assert refused.status_code == 422
