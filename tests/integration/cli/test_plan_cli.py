"""``microcareer plan`` on the mini ESCO: import a catalogue (bad rows printed by line), make, show, list,
progress and delete a plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Role
from tests.integration.store.test_pathways import CATALOGUE

EMAIL = "pat@x.test"


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    with taxonomy_platform.uow() as uow:
        uow.accounts.add_user(
            email=EMAIL,
            display_name="Pat",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    return CliRunner()


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_make_show_progress_and_delete(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CATALOGUE + "z,course,Z,,,Python,-3,0,EUR,,\n", encoding="utf-8")
    refused = runner.invoke(app, ["plan", "catalogue", "import", str(bad)])
    assert refused.exit_code == 1
    assert "bad.csv:6: hours:" in refused.output
    good = tmp_path / "good.csv"
    good.write_text(CATALOGUE, encoding="utf-8")
    assert "imported 4 new steps" in ok(runner, "plan", "catalogue", "import", str(good))

    made = json.loads(
        ok(runner, "plan", "create", "--skills", "Python,Haskell", "--hours", "10", "--user", EMAIL, "--json")
    )
    assert made["plan"]["steps"][0]["id"] == "prog"
    assert made["plan"]["method"] == "exact"
    text = ok(runner, "plan", "show", str(made["id"]))
    assert "Programming foundations" in text
    assert "exact (SciPy milp, HiGHS): optimal" in text
    listed = json.loads(ok(runner, "plan", "list", "--user", EMAIL, "--json"))
    assert [p["id"] for p in listed] == [made["id"]]
    moved = json.loads(ok(runner, "plan", "progress", str(made["id"]), "--done", "prog", "--json"))
    assert moved["revision"] == 2
    assert "prog" not in [s["id"] for s in moved["plan"]["steps"]]
    shape = json.loads(ok(runner, "shape", "--user", EMAIL, "--plan", str(made["id"]), "--json"))
    assert shape["after_plan"]["plan_id"] == made["id"]
    assert shape["after_plan"]["changes"]
    shown = ok(runner, "shape", "--user", EMAIL)
    assert f"after plan {made['id']}" in shown
    assert "opens " in shown
    missing = runner.invoke(app, ["shape", "--user", EMAIL, "--plan", "9999"])
    assert missing.exit_code == 1
    assert "no plan 9999" in missing.output
    wrong = runner.invoke(app, ["plan", "progress", str(made["id"]), "--done", "nope"])
    assert wrong.exit_code == 1
    assert "not a step" in wrong.output
    ok(runner, "plan", "delete", str(made["id"]))
    assert json.loads(ok(runner, "plan", "list", "--user", EMAIL, "--json")) == []
