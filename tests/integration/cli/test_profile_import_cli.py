"""``microcareer profile import-cv | import-json-resume | export-json-resume`` on the mini ESCO."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Role
from tests.integration.taxonomy_helpers import PYTHON
from tests.unit.domain.test_profiles_json_resume import FULL

CV = Path(__file__).resolve().parents[2] / "data" / "cvs" / "data-analyst.txt"


@pytest.fixture
def runner(taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", taxonomy_platform.settings.database_url)
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", taxonomy_platform.settings.cache_dir)
    with taxonomy_platform.uow() as uow:
        uow.accounts.add_user(
            email="ana@example.org",
            display_name="Ana Lima",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=taxonomy_platform.clock(),
        )
        uow.commit()
    return CliRunner()


def test_import_cv_json_proposes_and_saves_nothing_then_yes_saves(
    runner: CliRunner, taxonomy_platform: Platform
) -> None:
    shown = runner.invoke(app, ["profile", "import-cv", str(CV), "--json"])
    assert shown.exit_code == 0, shown.output
    proposal = json.loads(shown.stdout)
    assert [e["organisation"] for e in proposal["experiences"]][:2] == [
        "Brightwell Retail Ltd",
        "Halden Insurance Group",
    ]
    assert PYTHON in {s["uri"] for s in proposal["skills"]}
    declined = runner.invoke(app, ["profile", "import-cv", str(CV), "--user", "ana@example.org"], input="n\n")
    assert declined.exit_code == 0
    assert "nothing saved" in declined.stderr
    with taxonomy_platform.uow() as uow:
        user = uow.accounts.get_user_by_email("ana@example.org")
        assert user is not None
        assert uow.profiles.skills(user.id) == []
    saved = runner.invoke(app, ["profile", "import-cv", str(CV), "--user", "ana@example.org", "--yes"])
    assert saved.exit_code == 0, saved.output
    assert "saved 3 experiences" in saved.stdout
    with taxonomy_platform.uow() as uow:
        assert PYTHON in {s.uri for s in uow.profiles.skills(user.id)}


def test_json_resume_in_and_out(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(FULL), encoding="utf-8")
    imported = runner.invoke(app, ["profile", "import-json-resume", str(source), "--user", "ana@example.org"])
    assert imported.exit_code == 0, imported.output
    assert "imported 5 experiences and 2 skills" in imported.stdout
    target = tmp_path / "out.json"
    exported = runner.invoke(
        app, ["profile", "export-json-resume", "--user", "ana@example.org", "-o", str(target)]
    )
    assert exported.exit_code == 0, exported.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["basics"] == FULL["basics"]
    assert [s["name"] for s in document["skills"]] == ["Python (computer programming)", "SQL"]


def test_errors_name_the_file_and_the_json_path(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"work": [', encoding="utf-8")
    result = runner.invoke(app, ["profile", "import-json-resume", str(broken), "--user", "ana@example.org"])
    assert result.exit_code == 1
    assert "broken.json: not JSON (line 1" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"work": [{"name": "Acme", "startDate": "2021-13"}]}), encoding="utf-8")
    result = runner.invoke(app, ["profile", "import-json-resume", str(bad), "--user", "ana@example.org"])
    assert result.exit_code == 1
    assert "bad.json: work[0].startDate" in result.stderr
    missing = runner.invoke(app, ["profile", "import-cv", str(tmp_path / "none.pdf"), "--json"])
    assert missing.exit_code == 1
    assert "none.pdf" in missing.stderr
    assert "Traceback" not in result.output + missing.output
