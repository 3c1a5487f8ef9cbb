"""``microcareer contracts``: a fixed job from posting to reviews, hourly time paid by the week, a
dispute, and who is refused, acting as the people ``--user`` names (mini ESCO loaded)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from tests.integration.cli.market_cli import (
    BRIEF,
    CLIENT,
    PRO,
    STRANGER,
    cli_runner,
    in_days,
    make_people,
    run,
)
from tests.integration.taxonomy_helpers import PYTHON


@pytest.fixture
def runner(
    taxonomy_platform: Platform, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    make_people(taxonomy_platform)
    return cli_runner(database_url, tmp_path, monkeypatch)


def contract(runner: CliRunner, *accept: str, budget: str = "150", hourly: bool = False) -> int:
    """Post, publish, apply (at the budget) and accept; the contract's id."""
    posted = run(
        runner, "jobs", "post", "-u", CLIENT, "--title", "Port a script", "--brief", BRIEF,
        "--skill", PYTHON, "--budget", budget, "--hours", "10", "--end", in_days(30),
        "--hourly" if hourly else "--fixed", "--publish", "--json",
    )  # fmt: skip
    job = str(json.loads(posted)["id"])
    run(
        runner, "jobs", "apply", job, "-u", PRO, "--rate", budget, "--hours", "10", "--per-week", "5",
        "--message", "I can do this.",
    )  # fmt: skip
    app_id = str(json.loads(run(runner, "jobs", "my-applications", "-u", PRO, "--json"))["items"][0]["id"])
    run(runner, "jobs", "accept", app_id, "-u", CLIENT, *accept)
    found = json.loads(run(runner, "contracts", "list", "-u", PRO, "--json"))["items"]
    return int(found[0]["id"])


def milestones(runner: CliRunner, contract_id: int) -> list[int]:
    shown = json.loads(run(runner, "contracts", "show", str(contract_id), "-u", CLIENT, "--json"))
    return [m["id"] for m in shown["milestones"]]


def test_a_fixed_contract_from_funding_to_reviews(runner: CliRunner) -> None:
    terms = ["--milestone", f"Draft:100.00:{in_days(7)}", "--milestone", f"Final:50.00:{in_days(14)}"]
    c = str(contract(runner, *terms))
    first, second = (str(m) for m in milestones(runner, int(c)))
    assert "is funded" in run(runner, "contracts", "fund", c, first, "-u", CLIENT)
    assert "you cannot fund your own work" in run(runner, "contracts", "fund", c, second, "-u", PRO, code=1)
    assert "40 % done" in run(runner, "contracts", "progress", c, first, "40", "-u", PRO)
    assert "is submitted" in run(runner, "contracts", "submit", c, first, "-u", PRO, "--note", "draft ready")
    assert "you cannot approve your own work" in run(
        runner, "contracts", "approve", c, first, "-u", PRO, code=1
    )
    assert "is approved" in run(runner, "contracts", "approve", c, first, "-u", CLIENT)

    run(runner, "contracts", "fund", c, second, "-u", CLIENT)
    run(runner, "contracts", "submit", c, second, "-u", PRO)
    assert "changes_requested" in run(
        runner, "contracts", "changes", c, second, "-u", CLIENT, "--note", "add the README"
    )
    assert "not approved yet" in run(runner, "contracts", "complete", c, "-u", CLIENT, code=1)
    run(runner, "contracts", "submit", c, second, "-u", PRO, "--note", "README added")
    run(runner, "contracts", "approve", c, second, "-u", CLIENT)
    shown = run(runner, "contracts", "show", c, "-u", PRO)
    assert "Draft" in shown
    assert "EUR 100.00" in shown
    assert "escrow holds EUR 0.00" in shown

    assert "cannot review yet" in run(runner, "contracts", "review", c, "-u", CLIENT, "--rating", "5", code=1)
    done = run(runner, "contracts", "complete", c, "-u", CLIENT)
    assert "is completed" in done
    assert "1 skill(s) got micro-job evidence" in done
    assert f"5/5 for {PRO}" in run(
        runner, "contracts", "review", c, "-u", CLIENT, "--rating", "5", "--text", "Clean work."
    )
    run(runner, "contracts", "review", c, "-u", PRO, "--rating", "4")
    assert "already reviewed" in run(runner, "contracts", "review", c, "-u", PRO, "--rating", "4", code=1)

    ledger = run(runner, "contracts", "ledger", c, "-u", CLIENT)
    assert f"{CLIENT} paid EUR 100.00 into escrow" in ledger
    assert f"Escrow released EUR 100.00: {PRO} received EUR 90.00, platform fee (10%) EUR 10.00" in ledger
    assert "platform fee 10%" in ledger
    assert "client:" not in ledger
    assert "escrow:contract" not in ledger
    statement = json.loads(run(runner, "contracts", "ledger", c, "-u", CLIENT, "--json"))
    assert statement["funded"]["amount_minor"] == 15000
    assert statement["released"]["amount_minor"] == 13500  # less the 10 % fee
    assert statement["fees"]["amount_minor"] == 1500
    assert statement["escrow"]["amount_minor"] == 0
    balances = json.loads(run(runner, "contracts", "balances", "-u", PRO, "--json"))
    assert [m["amount_minor"] for m in balances["earned"]] == [13500]
    reputation = json.loads(run(runner, "contracts", "reputation", "--user-of", PRO, "--json"))
    assert (reputation["score"], reputation["contracts_counted"]) == (None, 1)  # a score needs 3
    assert reputation["breakdown"][0]["outcome"] == "completed"
    assert "no score yet: 1 contract" in reputation["explanation"][0]
    assert reputation["reviews"][0]["rating"] == 5
    assert "Clean work." in run(runner, "contracts", "reputation", "-u", PRO)
    assert "the ledger is balanced" in run(runner, "contracts", "ledger-check")


def test_hourly_time_within_the_weekly_limit_paid_by_the_week(runner: CliRunner) -> None:
    c = str(contract(runner, "--weekly-limit", "3", budget="40", hourly=True))
    today = datetime.now(UTC).date()
    year, week, _ = today.isocalendar()
    run(runner, "contracts", "log", c, "-u", PRO, "--minutes", "120", "--note", "parser")
    logged = run(
        runner, "contracts", "log", c, "-u", PRO,
        "--start", f"{today.isoformat()}T08:00", "--end", f"{today.isoformat()}T09:00",
    )  # fmt: skip
    assert "logged 1 h" in logged
    over = run(runner, "contracts", "log", c, "-u", PRO, "--minutes", "30", code=1)
    assert "weekly limit: 3 h used + 0.5 h new = 3.5 h, over the limit of 3 h" in over
    assert "only the professional may log time" in run(
        runner, "contracts", "log", c, "-u", CLIENT, "--minutes", "10", code=1
    )
    assert "in the future" in run(runner, "contracts", "log", c, "-u", PRO, "--minutes", "10",
                                  "--day", in_days(2), code=1)  # fmt: skip
    assert "--minutes" in run(runner, "contracts", "log", c, "-u", PRO, "--minutes", "10",
                              "--start", "2026-01-01T08:00", code=2)  # fmt: skip
    shown = run(runner, "contracts", "show", c, "-u", CLIENT)
    assert f"{year}-W{week:02d}" in shown
    assert "EUR 120.00" in shown  # 3 h at EUR 40.00

    assert "not an ISO week" in run(runner, "contracts", "approve-week", c, "next", "-u", CLIENT, code=1)
    paid = run(runner, "contracts", "approve-week", c, f"{year}-W{week:02d}", "-u", CLIENT)
    assert "3 h paid, EUR 120.00 (EUR 108.00 to the professional, fee EUR 12.00)" in paid
    assert "nothing to approve" in run(
        runner, "contracts", "approve-week", c, f"{year}-W{week:02d}", "-u", CLIENT, code=1
    )
    assert "is completed" in run(runner, "contracts", "complete", c, "-u", CLIENT)


def test_a_dispute_freezes_the_money_until_an_admin_resolves_it(runner: CliRunner) -> None:
    c = str(contract(runner, "--milestone", f"Whole job:150.00:{in_days(7)}"))
    (only,) = (str(m) for m in milestones(runner, int(c)))
    run(runner, "contracts", "fund", c, only, "-u", CLIENT)
    opened = run(runner, "contracts", "dispute", c, "-u", PRO, "--reason", "No answer for two weeks.")
    dispute = opened.split()[1]
    assert "is disputed, its money is frozen" in run(
        runner, "contracts", "submit", c, only, "-u", PRO, code=1
    )
    assert "No answer" in run(runner, "contracts", "disputes")
    assert "you may not do this (dispute.resolve)" in run(
        runner, "contracts", "resolve", dispute, "-u", PRO, "--professional-share", "50",
        "--outcome", "cancelled", "--resolution", "split", code=1,
    )  # fmt: skip
    assert "between EUR 0.00 and the EUR 150.00" in run(
        runner, "contracts", "resolve", dispute, "--professional-share", "200.00",
        "--outcome", "cancelled", "--resolution", "split", code=1,
    )  # fmt: skip
    assert "--outcome" in run(
        runner, "contracts", "resolve", dispute, "--professional-share", "1",
        "--outcome", "maybe", "--resolution", "split", code=2,
    )  # fmt: skip
    resolved = run(
        runner, "contracts", "resolve", dispute, "--professional-share", "50.00",
        "--outcome", "cancelled", "--resolution", "Half the work was delivered.",
    )  # fmt: skip
    assert "EUR 50.00 to the professional (fee EUR 5.00), EUR 100.00 back to the client" in resolved
    assert "the contract is cancelled" in resolved
    assert "the ledger is balanced" in run(runner, "contracts", "ledger-check")


def test_a_stranger_is_refused_and_a_person_is_needed(runner: CliRunner) -> None:
    c = str(contract(runner))
    (only,) = (str(m) for m in milestones(runner, int(c)))
    assert f"no contract {c}" in run(runner, "contracts", "show", c, "-u", STRANGER, code=1)
    assert f"no contract {c}" in run(runner, "contracts", "fund", c, only, "-u", STRANGER, code=1)
    assert f"no contract {c}" in run(runner, "contracts", "ledger", c, "-u", STRANGER, code=1)
    assert "you may not do this (ledger.audit)" in run(
        runner, "contracts", "ledger-check", "-u", STRANGER, code=1
    )
    assert "--user" in run(runner, "contracts", "fund", c, only, code=2)
    assert json.loads(run(runner, "contracts", "list", "-u", STRANGER, "--json"))["items"] == []
