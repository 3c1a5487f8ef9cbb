"""``microcareer taxonomy import-esco`` and ``info`` on a real database, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.cli.main import app

MINI = Path(__file__).resolve().parents[2] / "data" / "esco" / "mini_en"


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    return CliRunner()


def test_import_prints_counts_and_skipped_references(runner: CliRunner) -> None:
    result = runner.invoke(app, ["taxonomy", "import-esco", str(MINI), "--version", "mini", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "imported ESCO mini (en): 14 skills" in result.output
    assert "left out 1 relation rows" in result.output
    assert "occupationSkillRelations_en.csv.gz:14" in result.output
    info = runner.invoke(app, ["taxonomy", "info", "--json"])
    assert info.exit_code == 0, info.output
    facts = json.loads(info.output)
    assert facts["version"] == "mini"
    assert facts["counts"]["occupations"] == 4


def test_a_broken_file_gives_one_line_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "esco"
    shutil.copytree(MINI, broken)
    path = broken / "ISCOGroups_en.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "ISCOGroup,http://data.europa.eu/esco/isco/C9,9,,released,,,\n", encoding="utf-8")
    bad_line = text.count("\n") + 1
    result = runner.invoke(app, ["taxonomy", "import-esco", str(broken), "--quiet"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}, line {bad_line}, column 'preferredLabel'" in result.output.replace("\n", "")
    info = runner.invoke(app, ["taxonomy", "info", "--json"])
    assert json.loads(info.output)["counts"]["skills"] == 0  # nothing was written


def test_a_missing_folder_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["taxonomy", "import-esco", str(tmp_path / "nowhere"), "--quiet"])
    assert result.exit_code == 1
    assert "not a folder" in result.output
    assert "Traceback" not in result.output
