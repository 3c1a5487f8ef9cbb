"""``microcareer ideas`` as members and a manager run it, on each database: pitch, support, ask to join,
sponsor, make an internal gig within the budget, record the outcome; an outsider is told nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.store.idea_helpers import make_org

MONA, ALICE, BOB, OLGA = "mona@acme.test", "alice@acme.test", "bob@acme.test", "olga@other.test"


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    make_org(taxonomy_platform)
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["ideas", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_an_idea_from_pitch_to_internal_gigs_and_its_outcome(runner: CliRunner) -> None:
    out = run(
        runner, "pitch", "acme", "--title", "Expense bot", "--problem", "Expense reports take two days.",
        "--proposal", "A tool that fills them from card exports.", "--skill", "Python (computer programming)",
        "--hours", "30", "--user", ALICE,
    )  # fmt: skip
    idea = out.split()[1]
    run(runner, "support", "acme", idea, "--user", BOB)
    assert "you pitched this idea" in run(runner, "support", "acme", idea, "--user", ALICE, code=1)
    run(runner, "join", "acme", idea, "--note", "I know CSV", "--user", BOB)
    assert f"{BOB}: accepted" in run(runner, "answer", "acme", idea, BOB, "--accept", "--user", ALICE)
    again = run(runner, "answer", "acme", idea, BOB, "--decline", "--user", ALICE, code=1)
    assert "accepted already" in again
    assert "no organisation" in run(runner, "list", "acme", "--user", OLGA, code=1)
    run(runner, "sponsor", "acme", idea, "--hours", "12", "--user", MONA)
    brief = "Read the card exports and fill the report."
    gig = ["make-job", "acme", idea, "--title", "Card reader", "--brief", brief, "--budget", "30", "--hourly",
           "--user", MONA]  # fmt: skip
    made = json.loads(run(runner, *gig, "--hours", "8", "--json"))
    assert (made["state"], made["audience"], made["expected_hours"]) == ("open", "internal", 8)
    assert "4 hours left" in run(runner, *gig, "--hours", "5", code=1)
    run(runner, "outcome", "acme", idea, "shipped", "--note", "Live in March", "--user", ALICE)
    (shown,) = json.loads(run(runner, "list", "acme", "--user", BOB, "--json"))
    assert (shown["outcome"], shown["job_ids"], shown["supporters"] != []) == ("shipped", [made["id"]], True)
    assert "Live in March" in run(runner, "show", "acme", idea, "--user", BOB)
    assert "join request (accepted)" in run(runner, "show", "acme", idea, "--user", BOB)
