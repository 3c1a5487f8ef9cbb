"""``microcareer work dashboard`` and ``work settings`` as the operator runs them, on each database.

The CLI reads today from the real clock, so these checks hold on any day of the week: income and
milestones are placed relative to today, and 6 h are logged today (this week is always at least 6 h).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.dashboard_data import PRO_EMAIL, World, build_world


@pytest.fixture
def today() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
def world(platform: Platform, today: date) -> World:
    return build_world(platform, today)


@pytest.fixture
def runner(world: World, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    monkeypatch.delenv("MICROCAREER_WORKLOAD_WARNING_HOURS", raising=False)
    return CliRunner()


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fails(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    return result.output


def test_the_dashboard_as_json_matches_the_ledger(runner: CliRunner, today: date) -> None:
    ok(runner, "work", "settings", "--user", PRO_EMAIL, "--cash", "3000", "--spending", "1500.00")
    board = json.loads(ok(runner, "work", "dashboard", "--user", PRO_EMAIL, "--json"))
    assert board["today"] == today.isoformat()
    eur = board["income"][0]
    assert eur["currency"] == "EUR"
    assert eur["total_minor"] == 110000  # EUR 900.00 net of the fee + EUR 200.00
    assert eur["months"][-1]["amount_minor"] == 20000
    assert board["runway"]["expected_minor_next_90_days"] == 45000
    assert board["runway"]["months"] == 2.3
    assert [(m["title"], m["overdue"]) for m in board["upcoming_milestones"]] == [
        ("Build", True),
        ("Launch", False),
    ]


def test_the_dashboard_in_the_terminal(runner: CliRunner) -> None:
    ok(runner, "work", "settings", "-u", PRO_EMAIL, "--threshold", "5")
    text = ok(runner, "work", "dashboard", "--user", PRO_EMAIL)
    assert "Income by month (EUR)" in text
    assert "Income by month (USD)" in text
    assert "EUR 900.00" in text
    assert "█" * 40 in text  # the best month has the full bar
    assert "volatile" in text
    assert "(this week)" in text
    assert "warning: workload above your limit of 5 h a week" in text
    assert "overdue by 3 days" in text
    assert "2 active contracts · 2 open applications" in text


def test_settings_change_only_what_is_given(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = json.loads(ok(runner, "work", "settings", "--user", PRO_EMAIL, "--json"))
    assert shown["workload_threshold_hours"] == 45  # the platform default, never saved
    monkeypatch.setenv("MICROCAREER_USER", PRO_EMAIL)
    ok(runner, "work", "settings", "--contracted", "32", "--currency", "chf", "--manager", "client@x.test")
    ok(runner, "work", "settings", "--cash", "1234.5")
    saved = json.loads(ok(runner, "work", "settings", "--json"))
    assert (saved["contracted_hours_per_week"], saved["currency"], saved["cash"]) == (32, "CHF", 123450)
    assert saved["workload_threshold_hours"] == 45
    text = ok(runner, "work", "settings")
    assert "manager: client@x.test" in text
    assert "cash: CHF 1234.50" in text
    ok(runner, "work", "settings", "--no-manager")
    assert json.loads(ok(runner, "work", "settings", "--json"))["manager_user_id"] is None


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--threshold", "200"), "--threshold"),
        (("--contracted", "0"), "--contracted"),
        (("--spending", "-5"), "--spending"),
        (("--cash", "12.345"), "--cash"),
        (("--currency", "XYZ"), "--currency"),
        (("--manager", PRO_EMAIL), "--manager"),
        (("--manager", "nobody@x.test"), "--manager"),
    ],
)
def test_bad_settings_name_the_option(runner: CliRunner, args: tuple[str, str], option: str) -> None:
    output = fails(runner, "work", "settings", "--user", PRO_EMAIL, *args)
    assert f"error: {option}:" in output
    assert "Traceback" not in output
