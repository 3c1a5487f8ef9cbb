"""``microcareer eval extraction`` on the mini ESCO taxonomy: both data set formats, one report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


@pytest.fixture
def runner(taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", taxonomy_platform.settings.database_url)
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", taxonomy_platform.settings.cache_dir)
    return CliRunner()


def test_sentence_to_uris_scores_skills_and_ranking(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "dev.jsonl"
    rows = [
        {"id": "1", "text": "Python and SQL daily.", "uris": [PYTHON, SQL]},
        {"id": "2", "text": "Functional code in Haskell.", "uris": [HASKELL, PYTHON]},
        {"id": "3", "text": "Nothing to see here.", "uris": []},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # the lexical path (the default is ranking, tested below): exact figures can be asserted
    result = runner.invoke(app, ["eval", "extraction", str(data), "--json", "--methods", "lexical,fuzzy"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    micro = report["skills_micro"]
    assert (micro["precision"], micro["recall"]) == (1.0, 0.75)  # 3 of 4 gold skills found, nothing wrong
    assert report["span_strict"] is None
    assert report["ranking"]["mrr"] == 1.0


def test_bio_spans_score_strict_and_overlap(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "dev.conll"
    data.write_text("I\tO\nwrite\tO\nPython\tB-SKILL\ncode\tI-SKILL\n.\tO\n", encoding="utf-8")
    lexical = ["--methods", "lexical,fuzzy"]  # spans as the lexical path writes them
    result = runner.invoke(app, ["eval", "extraction", str(data), *lexical])
    assert result.exit_code == 0, result.output
    assert "span strict" in result.stdout
    assert "span overlap" in result.stdout
    as_json = json.loads(runner.invoke(app, ["eval", "extraction", str(data), "--json", *lexical]).stdout)
    assert as_json["span_strict"]["f1"] == 0.0  # "Python" against the gold "Python code"
    assert as_json["span_overlap"]["f1"] == 1.0


def test_a_malformed_file_is_one_line_naming_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "bad.conll"
    data.write_text("I\tO\nwrite\tX-SKILL\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "extraction", str(data)])
    assert result.exit_code == 1
    assert "bad.conll" in result.output
    assert "line 2" in result.output
    assert "Traceback" not in result.output


BENCHMARK_CSV = """sentence,span,sub_span,label
You will write Python and SQL daily.,Python,,Python (computer programming)
You will write Python and SQL daily.,SQL,,SQL
You will write Python and SQL daily.,daily,,LABEL NOT PRESENT
Track down and fix bugs in our software.,fix bugs,,debug software
Track down and fix bugs in our software.,bugs,,a skill this taxonomy lacks
Be nice.,nice,,UNDERSPECIFIED
"""


def test_the_benchmark_csv_is_ranked_and_scored_like_the_field(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "tech_validation_annotations.csv"
    data.write_text(BENCHMARK_CSV, encoding="utf-8")
    result = runner.invoke(app, ["eval", "extraction", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["methods"] == ["fuzzy", "lexical", "ranking"]
    assert report["counts"]["sentences"] == 3
    assert report["ranking"]["sentences"] == 2  # "Be nice." has no ESCO label
    assert report["unmapped_gold_labels"] == {"a skill this taxonomy lacks": 1}
    assert report["ranking"]["rp@10"] >= report["ranking"]["rp@5"] > 0.5  # Python and SQL are named
    assert report["sentences_per_second"] > 0
    assert report["threshold"] == 0.5
    table = runner.invoke(app, ["eval", "extraction", str(data)])
    assert table.exit_code == 0, table.output
    assert "RP@10" in table.stdout
    assert "1 gold label(s) are no preferred label" in table.stderr
