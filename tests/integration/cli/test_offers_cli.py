"""``microcareer offers`` as people run it, on each database: publish, find, order, deliver, accept,
and the seller's contract ledger paid; refusals are one line and exit 1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.store.test_offers import make_shop

SELA, CLARA = "sela@x.test", "clara@x.test"


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    make_shop(taxonomy_platform)
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_sell_a_package_from_the_command_line(runner: CliRunner) -> None:
    offer = [
        "--title",
        "Python data cleaning",
        "--description",
        "A tested script that cleans your CSV files.",
    ]
    skill = ["--skill", "Python (computer programming)"]
    refused = run(
        runner, "offers", "publish", *offer, *skill, "--package", "Basic:50", "--user", SELA, code=1
    )
    assert "packages[0]" in refused
    made = run(runner, "offers", "publish", *offer, *skill, "--package", "Basic:50.00:3:1", "--user", SELA)
    offer_id = made.split()[1].rstrip(":")
    assert "/store/sela-" in made
    listed = json.loads(run(runner, "offers", "list", "-q", "csv", "--json"))
    assert [o["id"] for o in listed] == [int(offer_id)]
    assert "order your own" in run(
        runner, "offers", "order", offer_id, "--requirements", "Mine, all mine.", "--user", SELA, code=1
    )
    ordered = run(
        runner, "offers", "order", offer_id, "--requirements", "Three files to merge.", "--user", CLARA
    )
    order_id = ordered.split()[1].rstrip(":")
    assert "funded" in ordered
    assert "EUR 50.00" in ordered
    assert "submit work as the client" in run(runner, "offers", "deliver", order_id, "--user", CLARA, code=1)
    run(runner, "offers", "deliver", order_id, "--note", "Done.", "--user", SELA)
    accepted = run(runner, "offers", "accept", order_id, "--user", CLARA)
    assert "approved" in accepted
    assert "completed" in accepted
    contract_id = accepted.split("contract ")[1].split()[0]
    ledger = run(runner, "contracts", "ledger", contract_id, "--user", SELA)
    assert "45.00" in ledger, ledger
    edited = run(runner, "offers", "edit", offer_id, "--title", "Python CSV cleaning", "--user", SELA)
    assert "Python CSV cleaning" in edited
    assert "Basic EUR 50.00" in edited
    assert "may not" in run(
        runner, "offers", "edit", offer_id, "--title", "Mine now", "--user", CLARA, code=1
    )
    run(runner, "offers", "pause", offer_id, "--user", SELA)
    assert json.loads(run(runner, "offers", "list", "--json")) == []
