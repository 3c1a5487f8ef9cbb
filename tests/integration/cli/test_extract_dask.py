"""``microcareer extract`` with Parquet in and out, local worker processes, and a Dask scheduler's address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dask
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app

DOCS = [
    {"doc_id": "a", "text": "Python and SQL."},
    {"doc_id": "b", "text": "Statistics, then Haskell."},
    {"doc_id": "c", "text": "Nothing to find in this one."},
    {"doc_id": "d", "text": "SQL for statistics; Python at night."},
] + [{"doc_id": f"p{i:02}", "text": f"Posting {i}: Haskell, SQL and statistics.\n"} for i in range(12)]


@pytest.fixture
def runner(taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", taxonomy_platform.settings.database_url)
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", taxonomy_platform.settings.cache_dir)
    return CliRunner()


@pytest.fixture
def corpus_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps(d) for d in DOCS]
    lines.insert(2, '{"doc_id": "broken", "text": 42}')  # reported in its place, on every path
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus_parquet(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"doc_id": [d["doc_id"] for d in DOCS], "text": [d["text"] for d in DOCS]}), path)
    return path


def mentions(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["extract", *args, "-f", "mentions", "-q"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "error:" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_parquet_corpus_gives_what_the_same_jsonl_corpus_gives(
    runner: CliRunner, corpus_parquet: Path, corpus_jsonl: Path
) -> None:
    from_parquet = mentions(runner, str(corpus_parquet))
    assert from_parquet == mentions(runner, str(corpus_jsonl))
    assert {m["doc_id"] for m in from_parquet} == {"a", "b", "d"} | {f"p{i:02}" for i in range(12)}


def test_jsonl_in_parquet_out_has_a_row_per_mention_with_its_text_and_method(
    runner: CliRunner, corpus_jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mentions.parquet"
    result = runner.invoke(app, ["extract", str(corpus_jsonl), "-o", str(out), "-q"])  # format from the name
    assert result.exit_code == 1  # the broken line
    assert "line 3" in result.stderr
    rows = pq.read_table(out).to_pylist()
    assert [{k: r[k] for k in ("doc_id", "uri", "label", "start", "end", "score")} for r in rows] == mentions(
        runner, str(corpus_jsonl)
    )
    texts = {d["doc_id"]: d["text"] for d in DOCS}
    assert all(r["matched_text"] == texts[str(r["doc_id"])][r["start"] : r["end"]] for r in rows)
    assert {r["method"] for r in rows} == {"lexical"}


def test_skills_parquet_holds_each_document_skill_set(
    runner: CliRunner, corpus_parquet: Path, tmp_path: Path
) -> None:
    out = tmp_path / "skills.parquet"
    result = runner.invoke(
        app, ["extract", str(corpus_parquet), "-f", "skills-parquet", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    as_json = runner.invoke(app, ["extract", str(corpus_parquet), "-f", "json", "-q"])
    expected = [
        (doc["doc_id"], s["uri"], s["count"], s["confidence"], s["methods"])
        for doc in map(json.loads, as_json.stdout.splitlines())
        for s in doc["skills"]
    ]
    rows = pq.read_table(out).to_pylist()
    assert [(r["doc_id"], r["uri"], r["count"], r["score"], r["methods"]) for r in rows] == expected


def test_parquet_errors_name_the_file_and_the_column(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "postings.parquet"
    pq.write_table(pa.table({"doc_id": ["a"], "body": ["Python"]}), path)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    assert "postings.parquet, column 'text': no such column" in result.stderr
    assert "--text-column" in result.stderr
    assert "Traceback" not in result.output
    renamed = mentions(runner, str(path), "--text-column", "body")
    assert [m["doc_id"] for m in renamed] == ["a"]
    to_stdout = runner.invoke(app, ["extract", str(path), "--text-column", "body", "-f", "parquet"])
    assert to_stdout.exit_code == 1
    assert "name one with --output" in to_stdout.stderr


def test_two_worker_processes_give_the_mentions_of_one_in_the_same_order(
    runner: CliRunner, corpus_jsonl: Path
) -> None:
    one = mentions(runner, str(corpus_jsonl))
    assert mentions(runner, str(corpus_jsonl), "--workers", "2") == one  # a local Dask cluster
    assert len({m["doc_id"] for m in one}) == 15


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A small cluster in this process, reached over TCP as a remote one would be."""
    with LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # 8787 may be taken
    ) as cluster:
        yield str(cluster.scheduler_address)


def test_a_dask_scheduler_gives_the_same_mentions_in_order(
    runner: CliRunner, corpus_jsonl: Path, scheduler: str
) -> None:
    assert mentions(runner, str(corpus_jsonl), "--dask", scheduler) == mentions(runner, str(corpus_jsonl))


def test_an_unreachable_or_malformed_address_is_one_line(runner: CliRunner, corpus_jsonl: Path) -> None:
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = runner.invoke(app, ["extract", str(corpus_jsonl), "--dask", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "the Dask scheduler at tcp://127.0.0.1:1 cannot be reached" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    malformed = runner.invoke(app, ["extract", str(corpus_jsonl), "--dask", "scheduler-without-port"])
    assert malformed.exit_code == 1
    assert "is not a scheduler address" in malformed.stderr
    semantic = runner.invoke(
        app, ["extract", str(corpus_jsonl), "--dask", "tcp://127.0.0.1:1", "--methods", "semantic"]
    )
    assert semantic.exit_code == 1
    assert "not on Dask workers" in semantic.stderr
