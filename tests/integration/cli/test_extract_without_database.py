"""``microcareer extract`` on a fresh install: the bundled ESCO read directly, no database made or needed.

The bundle is the mini ESCO download here (``bundled_esco.BUNDLE`` pointed at it), so the tests build a
lexicon in moments; the full bundle gives the same rows a database loaded from it gives (checked below
on the mini one, row for row).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.adapters import bundled_esco
from microcareer.adapters.bundled_esco import BundledEsco
from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.conftest import MINI_ESCO

STDIN = '{"doc_id": "a", "text": "Python and SQL."}\n'
REPO = Path(__file__).resolve().parents[3]
# What extracting with the lexical path must not import: the credential stack, the store, the model
NOT_FOR_LEXICAL = (
    "cryptography",
    "pyld",
    "httpx",
    "jsonschema",
    "sqlalchemy",
    "alembic",
    "torch",
    "sklearn",
    "numpy",
    "microcareer.store",
)


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh install's settings: a SQLite file that is not there, an empty cache; the mini bundle."""
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'microcareer.sqlite3'}")
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bundled_esco, "BUNDLE", MINI_ESCO)
    return tmp_path


def _spans(stdout: str) -> list[str]:
    lines = [json.loads(line) for line in stdout.splitlines()]
    return ["Python and SQL."[line["start"] : line["end"]] for line in lines]


def test_extract_reads_the_bundle_when_there_is_no_database_and_makes_none(fresh: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--jsonl", "-", "--precise"], input=STDIN)
    assert result.exit_code == 0, result.output
    assert _spans(result.stdout) == ["Python", "SQL"]
    assert not (fresh / "db").exists(), "no database file is made"
    assert list((fresh / "cache").glob("lexicon-*.pickle")), "the lexicon is cached for the next run"
    again = CliRunner().invoke(app, ["extract", "--jsonl", "-", "--precise"], input=STDIN)
    assert again.stdout == result.stdout


def test_a_database_file_without_its_schema_is_read_as_no_database(fresh: Path) -> None:
    (fresh / "db").mkdir()
    (fresh / "db" / "microcareer.sqlite3").touch()  # made by something else, never initialised
    result = CliRunner().invoke(app, ["extract", "--jsonl", "-", "--precise"], input=STDIN)
    assert result.exit_code == 0, result.output
    assert _spans(result.stdout) == ["Python", "SQL"]


def test_other_commands_still_ask_for_init(fresh: Path) -> None:
    result = CliRunner().invoke(app, ["taxonomy", "info"])
    assert result.exit_code == 1
    assert "microcareer init" in result.output


def test_the_bundle_gives_the_rows_a_database_loaded_from_it_gives(taxonomy_platform: Platform) -> None:
    bundle = BundledEsco(MINI_ESCO)
    with taxonomy_platform.uow() as uow:
        assert list(bundle.extraction_label_rows()) == list(uow.taxonomy.extraction_label_rows())
        assert list(bundle.ranking_skill_rows()) == list(uow.taxonomy.ranking_skill_rows())
        assert list(bundle.occupation_skill_rows()) == list(uow.taxonomy.occupation_skill_rows())
        assert list(bundle.skill_broader_rows()) == list(uow.taxonomy.skill_broader_rows())
        assert list(bundle.skill_broader_rows())  # the mini bundle has a hierarchy to compare
    assert bundle.revision_id() == BundledEsco(MINI_ESCO).revision_id()
    assert bundle.revision_id().startswith("esco-bundle-")


def test_an_initialised_database_is_read_not_the_bundle(taxonomy_platform: Platform) -> None:
    assert not isinstance(taxonomy_platform.extraction_source(), BundledEsco)


def test_the_lexical_path_imports_neither_the_credential_stack_nor_the_store_nor_the_model(
    fresh: Path,
) -> None:
    """The start-up guard of ``extract --precise`` (bench/bench_startup.py times it): what it imports,
    asserted in a fresh interpreter, never how long it takes."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from microcareer.adapters import bundled_esco\n"
        f"bundled_esco.BUNDLE = Path({str(MINI_ESCO)!r})\n"
        "sys.argv = ['microcareer', 'extract', '--jsonl', '-', '--precise']\n"
        "from microcareer.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=STDIN,
        capture_output=True,
        text=True,
        cwd=fresh,
        env=_env(fresh),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _spans(done.stdout) == ["Python", "SQL"]
    modules = json.loads(done.stderr.split("MODULES ", 1)[1])
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_FOR_LEXICAL))
    assert heavy == []


def _env(fresh: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    env["MICROCAREER_DATABASE_URL"] = f"sqlite:///{fresh / 'db' / 'microcareer.sqlite3'}"
    env["MICROCAREER_CACHE_DIR"] = str(fresh / "cache")
    return env
