"""``microcareer assessments`` as authors, candidates and reviewers run it, on each database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from tests.integration.assessment_helpers import AssessmentWorld, make_assessment_world, post_open_job
from tests.integration.cli.test_network_cli import fails, ok

AUTHOR, CANDIDATE, REVIEWER, OTHER = (
    "school@assess.test",
    "cand@assess.test",
    "rev@assess.test",
    "other@assess.test",
)
CLIENT = "client@assess.test"


@pytest.fixture
def world(taxonomy_platform: Platform) -> AssessmentWorld:
    return make_assessment_world(taxonomy_platform)


@pytest.fixture
def runner(world: AssessmentWorld, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    return CliRunner()


def test_set_take_and_pass_an_assessment(runner: CliRunner, world: AssessmentWorld) -> None:
    made = json.loads(
        ok(
            runner,
            "assessments",
            "create",
            "--issuer",
            "python-academy",
            "--title",
            "Python quick check",
            "--skill",
            "Python",
            "--draw",
            "2",
            "--pass",
            "100",
            "--minutes",
            "10",
            "--user",
            AUTHOR,
            "--json",
        )
    )
    number = str(made["id"])
    assert "bank holds 0 items" in fails(runner, "assessments", "publish", number, "--user", AUTHOR)
    assert "correct" in fails(
        runner,
        "assessments",
        "add-item",
        number,
        "--kind",
        "single_choice",
        "--prompt",
        "2+2?",
        "--option",
        "4",
        "--option",
        "5",
        "--correct",
        "7",
        "--user",
        AUTHOR,
    )
    ok(
        runner,
        "assessments",
        "add-item",
        number,
        "--kind",
        "single_choice",
        "--prompt",
        "2+2?",
        "--option",
        "5",
        "--option",
        "4",
        "--correct",
        "1",
        "--user",
        AUTHOR,
    )
    ok(
        runner,
        "assessments",
        "add-item",
        number,
        "--kind",
        "short_text",
        "--prompt",
        "Snake language?",
        "--accept",
        "Python",
        "--user",
        AUTHOR,
    )
    assert "no assessment" in fails(runner, "assessments", "items", number, "--user", CANDIDATE)  # a draft
    assert json.loads(ok(runner, "assessments", "items", number, "--user", AUTHOR))[1]["accepted"] == [
        "Python"
    ]
    added = ok(
        runner,
        "assessments",
        "add-item",
        number,
        "--kind",
        "numeric",
        "--prompt",
        "7/2?",
        "--value",
        "3.5",
        "--user",
        AUTHOR,
    )
    ok(runner, "assessments", "remove-item", number, added.split()[1], "--user", AUTHOR)
    assert len(json.loads(ok(runner, "assessments", "items", number, "--user", AUTHOR))) == 2
    assert "may not" in fails(
        runner, "assessments", "edit", str(world.question_set_id), "--pass", "90", "--user", OTHER
    )
    assert "pass_percent" in fails(runner, "assessments", "edit", number, "--pass", "0", "--user", AUTHOR)
    assert "Python quick check, v2" in ok(
        runner, "assessments", "edit", number, "--title", "Python quick check, v2", "--user", AUTHOR
    )
    assert "published" in ok(runner, "assessments", "publish", number, "--user", AUTHOR)
    started = json.loads(ok(runner, "assessments", "start", number, "--user", CANDIDATE, "--json"))
    assert "accepted" not in json.dumps(started)
    answers = [
        f"{q['id']}=1" if q["kind"] == "single_choice" else f"{q['id']}=python" for q in started["questions"]
    ]
    assert "no attempt" in fails(runner, "assessments", "attempt", str(started["id"]), "--user", OTHER)
    args = [a for answer in answers for a in ("--answer", answer)]
    done = ok(runner, "assessments", "submit", str(started["id"]), *args, "--user", CANDIDATE)
    assert "passed, 100%" in done


def test_a_reviewer_scores_a_work_sample_and_a_client_requires_assessments(
    runner: CliRunner, world: AssessmentWorld, taxonomy_platform: Platform
) -> None:
    number = str(world.work_sample_id)
    started = json.loads(ok(runner, "assessments", "start", number, "--user", CANDIDATE, "--json"))
    assert "Write a script" in started["task"]
    attempt = str(started["id"])
    assert "awaiting_review" in ok(
        runner, "assessments", "submit", attempt, "--work", "https://git.example/w", "--user", CANDIDATE
    )
    assert "only the reviewer" in fails(
        runner, "assessments", "score", attempt, "--criterion", "works=6", "--user", CANDIDATE
    )
    assert "is not NAME=VALUE" in fails(
        runner, "assessments", "score", attempt, "--criterion", "works", "--user", REVIEWER
    )
    scored = ok(
        runner,
        "assessments",
        "score",
        attempt,
        "--criterion",
        "works=3",
        "--criterion",
        "readable=1",
        "--user",
        REVIEWER,
    )
    assert "failed, 40%" in scored
    job_id = str(post_open_job(taxonomy_platform, world))
    listed = json.loads(ok(runner, "assessments", "list", "--user", CLIENT, "--json"))
    assert {a["id"] for a in listed} == {world.question_set_id, world.work_sample_id}
    assert "may not" in fails(
        runner, "assessments", "require", job_id, "--assessment", str(world.question_set_id), "--user", OTHER
    )
    required = ok(
        runner, "assessments", "require", job_id, "--assessment", str(world.question_set_id), "--user", CLIENT
    )
    assert "requires: Python basics" in required
    seen = json.loads(ok(runner, "assessments", "job", job_id, "--user", CLIENT))
    assert [r["assessment_id"] for r in seen["required"]] == [world.question_set_id]
