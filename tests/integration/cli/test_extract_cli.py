"""``microcareer extract`` on the mini ESCO taxonomy, on each database: the stream protocol and corpora."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from tests.integration.taxonomy_helpers import PYTHON
from tests.unit.adapters.hostile_documents import empty_paragraphs_docx, many_pages_pdf

STREAM_FIELDS = {"doc_id", "uri", "label", "start", "end", "score"}


@pytest.fixture
def runner(taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", taxonomy_platform.settings.database_url)
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", taxonomy_platform.settings.cache_dir)
    return CliRunner()  # click 8.2+: stdout and stderr kept apart


def test_the_jsonl_stream_gives_one_mention_a_line_with_the_six_fields(
    runner: CliRunner, taxonomy_platform: Platform
) -> None:
    docs: list[dict[str, str | int]] = [
        {"doc_id": "a", "text": "Python and SQL."},
        {"doc_id": 7, "text": "Statistics, then Haskell."},
    ]
    stdin = "".join(json.dumps(d) + "\n" for d in docs)
    # --precise: the skills the texts name, in text order (the ranked default is tested below)
    result = runner.invoke(app, ["extract", "--jsonl", "-", "--precise"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(line) == STREAM_FIELDS for line in lines)
    texts = {str(d["doc_id"]): str(d["text"]) for d in docs}
    spans = [(line["doc_id"], texts[line["doc_id"]][line["start"] : line["end"]]) for line in lines]
    assert spans == [("a", "Python"), ("a", "SQL"), ("7", "Statistics"), ("7", "Haskell")]
    assert all(0 < line["score"] <= 1 for line in lines)
    assert list(Path(taxonomy_platform.settings.cache_dir).glob("lexicon-*.pickle")), "the lexicon is cached"


def test_the_jsonl_stream_ranks_skills_best_first_by_default(runner: CliRunner) -> None:
    docs = [
        {"doc_id": "a", "text": "You will write Python and SQL every day."},
        {"doc_id": "b", "text": "Functional programming in Haskell."},
    ]
    stdin = "".join(json.dumps(d) + "\n" for d in docs)
    result = runner.invoke(app, ["extract", "--jsonl", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(line) == STREAM_FIELDS for line in lines)
    for doc in docs:
        mine = [line for line in lines if line["doc_id"] == doc["doc_id"]]
        assert 0 < len(mine) <= 20  # a short text is one unit: its 20 best skills
        scores = [line["score"] for line in mine]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert len({line["uri"] for line in mine}) == len(mine)
    named = {line["uri"]: line for line in lines if line["doc_id"] == "a"}
    assert PYTHON in named
    assert docs[0]["text"][named[PYTHON]["start"] : named[PYTHON]["end"]] == "Python"  # a named skill's span
    top = runner.invoke(app, ["extract", "--jsonl", "-", "--top", "3"], input=stdin)
    assert max(Counter(json.loads(line)["doc_id"] for line in top.stdout.splitlines()).values()) == 3


def test_a_bad_line_is_reported_and_the_rest_goes_on(runner: CliRunner) -> None:
    stdin = '{"doc_id": "a", "text": "Python"}\nnot json\n{"doc_id": "c", "text": "SQL"}\n'
    result = runner.invoke(app, ["extract", "--jsonl", "-"], input=stdin)
    assert result.exit_code == 1
    # ranked (the --jsonl default): several lines a document, documents in input order
    doc_ids = [json.loads(line)["doc_id"] for line in result.stdout.splitlines()]
    assert list(dict.fromkeys(doc_ids)) == ["a", "c"]
    assert "line 2" in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_corpus_as_csv_with_two_workers_matches_one_worker(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"doc{i:02}.txt").write_text(
            f"Posting {i}: Python, SQL and statistics.\n", encoding="utf-8"
        )
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    one = runner.invoke(app, ["extract", str(corpus), "-f", "csv", "-q"])
    two = runner.invoke(app, ["extract", str(corpus), "-f", "csv", "-q", "--workers", "2"])
    assert one.exit_code == two.exit_code == 1  # the broken PDF
    assert "broken.pdf" in one.stderr
    assert one.stdout == two.stdout
    rows = one.stdout.splitlines()
    assert rows[0] == "doc_id,uri,label,start,end,matched_text,method,confidence"
    assert len(rows) == 1 + 12 * 3


def test_one_document_as_a_table_and_as_json(runner: CliRunner, tmp_path: Path) -> None:
    posting = tmp_path / "posting.md"
    posting.write_text("# Data analyst\n\n- SQL\n- statistics\n- Python\n", encoding="utf-8")
    table = runner.invoke(app, ["extract", str(posting)])
    assert table.exit_code == 0, table.output
    assert "3 skills" in table.stdout
    as_json = runner.invoke(app, ["extract", str(posting), "-f", "json"])
    document = json.loads(as_json.stdout)
    assert document["doc_id"] == "posting.md"
    assert {s["label"] for s in document["skills"]} == {"SQL", "statistics", "Python (computer programming)"}


def test_unknown_methods_and_missing_files_are_one_line_errors(runner: CliRunner, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["extract", "-", "--methods", "magic"], input="x")
    assert bad.exit_code == 1
    assert "'magic' is not one of lexical, fuzzy, semantic" in bad.output
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1
    assert "no such file or folder" in missing.output


def test_without_the_model_ranking_falls_back_to_tfidf_and_says_so(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import microcareer.adapters.semantic as semantic

    monkeypatch.setattr(semantic, "semantic_extra_installed", lambda: False)
    stdin = json.dumps({"doc_id": "a", "text": "You will write Python every day."}) + "\n"
    result = runner.invoke(app, ["extract", "--jsonl", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    assert "ranking uses TF-IDF and lexical features only" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["uri"] == PYTHON  # named, so ranked first even without embeddings


def test_ranking_with_workers_runs_in_one_process_and_says_so(runner: CliRunner) -> None:
    stdin = "".join(json.dumps({"doc_id": str(i), "text": "Python and SQL."}) + "\n" for i in range(3))
    one = runner.invoke(app, ["extract", "--jsonl", "-"], input=stdin)
    forked = runner.invoke(app, ["extract", "--jsonl", "-", "--workers", "2"], input=stdin)
    assert forked.exit_code == 0, forked.output
    assert "--workers is ignored" in forked.stderr
    # the same results, up to the last digits (texts batched differently embed a hair differently)
    a = [json.loads(line) for line in one.stdout.splitlines()]
    b = [json.loads(line) for line in forked.stdout.splitlines()]
    assert [(x["doc_id"], x["uri"]) for x in a[:5]] == [(x["doc_id"], x["uri"]) for x in b[:5]]
    assert all(abs(x["score"] - y["score"]) < 0.01 for x, y in zip(a[:5], b[:5], strict=True))


def test_a_folder_corpus_is_read_within_the_document_limits_file_by_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCAREER_DOCUMENT_MAX_PAGES", "5")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-spacing.docx").write_bytes(empty_paragraphs_docx())
    (corpus / "b-book.pdf").write_bytes(many_pages_pdf(6))
    (corpus / "c-posting.txt").write_text("Python and SQL.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(corpus), "-f", "csv", "-q", "--precise"])
    assert result.exit_code == 1  # two files refused, the run went on
    assert "a-spacing.docx: the DOCX has more than the limit of 100,000 paragraphs" in result.stderr
    assert "b-book.pdf: the PDF has more than the limit of 5 pages" in result.stderr
    assert {row.split(",")[0] for row in result.stdout.splitlines()[1:]} == {"c-posting.txt"}
