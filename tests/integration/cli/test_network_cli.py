"""``microcareer network``, ``mentor`` and ``portfolio`` as a person runs them, on each database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.profiles.profile import Profile, Visibility
from tests.integration.store.marketplace_helpers import NOW, Market, make_market

PETE, CLARA, SAM = "pete@pro.test", "clara@client.test", "sam@else.test"


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


@pytest.fixture
def runner(market: Market, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    return CliRunner()


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fails(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    return result.output


def test_connect_and_see_how_you_know_them(runner: CliRunner) -> None:
    assert "clara" in ok(runner, "network", "proposals", "--user", PETE)
    made = ok(runner, "network", "connect", CLARA, "-m", "from the booking API", "--user", PETE)
    connection_id = made.split()[1].rstrip(":")
    assert "asks you" in ok(runner, "network", "list", "--user", CLARA)
    assert "no request" in fails(runner, "network", "accept", connection_id, "--user", SAM)
    ok(runner, "network", "accept", connection_id, "--user", CLARA)
    listed = json.loads(ok(runner, "network", "list", "--user", PETE, "--json"))
    assert listed[0]["state"] == "accepted"
    assert any("worked together on the contract" in line for line in listed[0]["how"])
    assert "no connections of user" in fails(runner, "network", "list", "--of", CLARA, "--user", SAM)
    ok(runner, "network", "privacy", "signed_in", "--user", CLARA)
    assert "pete" in ok(runner, "network", "list", "--of", CLARA, "--user", SAM)
    ok(runner, "network", "block", SAM, "--user", CLARA)
    assert "no user" in fails(runner, "network", "connect", CLARA, "--user", SAM)


def test_mentoring_from_offer_to_evidence(runner: CliRunner, taxonomy_platform: Platform) -> None:
    ok(runner, "mentor", "offer", "--skill", "python", "--hours", "4", "--user", CLARA)
    assert "clara" in ok(runner, "mentor", "find", "--skill", "python", "--user", PETE)
    asked = ok(runner, "mentor", "ask", CLARA, "--skill", "python", "--user", PETE)
    mentorship_id = asked.split()[1].rstrip(":")
    assert "only the mentor" in fails(runner, "mentor", "answer", mentorship_id, "--user", PETE)
    ok(runner, "mentor", "answer", mentorship_id, "--user", CLARA)
    today = datetime.now(UTC).date().isoformat()
    assert "1 session(s), 1.0 h" in ok(
        runner, "mentor", "session", mentorship_id, "--date", today, "--minutes", "60", "--user", PETE
    )
    assert "waiting for the other side" in ok(runner, "mentor", "complete", mentorship_id, "--user", PETE)
    assert "completed" in ok(runner, "mentor", "complete", mentorship_id, "--user", CLARA)
    shown = ok(runner, "profile", "show", "--user", PETE)
    assert "completed mentorship" in shown


def test_a_portfolio_a_stranger_reads(runner: CliRunner, taxonomy_platform: Platform, market: Market) -> None:
    assert market.professional.user_id is not None
    with taxonomy_platform.uow() as uow:
        uow.profiles.save(
            market.professional.user_id, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW
        )
        uow.commit()
    ok(runner, "portfolio", "set", "--handle", "pete", "--headline", "Backend", "--publish", "--user", PETE)
    item = ["--title", "Booking API", "--link", "https://example.org", "--skill", "python"]
    ok(runner, "portfolio", "add", *item, "--contract", str(market.fixed_id), "--user", PETE)
    assert "link" in fails(
        runner, "portfolio", "add", "--title", "X", "--link", "javascript:x", "--user", PETE
    )
    page = ok(runner, "portfolio", "show", "pete")
    assert "Booking API" in page
    assert "on microcareer" in page
    resume = json.loads(ok(runner, "portfolio", "show", "pete", "--json-resume"))
    assert resume["projects"][0]["name"] == "Booking API"
    ok(runner, "portfolio", "set", "--unpublish", "--user", PETE)
    assert "no portfolio 'pete'" in fails(runner, "portfolio", "show", "pete")
