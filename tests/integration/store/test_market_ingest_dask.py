"""Ingest on Dask (issue 19, scale): records read, signed and extracted on a local cluster's workers
and stored here give the very store the single-process ingest gives on the same input (both stores):
the same postings, re-posts, skills, and counts of re-posts and bad rows; ingesting again changes
nothing. Parquet with several row groups (read on the workers) and JSON Lines (chunks sent out)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from microcareer.adapters.extraction_cluster import dask_client
from microcareer.adapters.market_cluster import DaskPostingAnalyser
from microcareer.adapters.posting_files import PostingFile
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.demo_corpus import generate
from microcareer.services import market_ingest
from microcareer.services.market_ingest import IngestReport
from microcareer.services.market_ports import PostingAnalyser

ROWS = 1_300  # over two of the ingest's batches of 500, and not a multiple of a row group or chunk


def _records() -> list[dict[str, object]]:
    records = list(generate(ROWS, seed=7))
    records[10] = {**records[10], "date": "not a date"}  # a bad row
    records[900] = {**records[3], "id": "again-3"}  # an exact copy under another id
    records[901] = dict(records[5])  # a repeated (source, id)
    return records


def _parquet(path: Path) -> Path:
    records = _records()
    columns = list(dict.fromkeys(k for r in records for k in r))
    table = pa.table(
        {c: [None if r.get(c) in ("", None) else str(r.get(c)) for r in records] for c in columns}
    )
    pq.write_table(table, path, row_group_size=300)  # five row groups, each read on a worker
    return path


def _jsonl(path: Path) -> Path:
    lines = [json.dumps(r) for r in _records()]
    lines.insert(700, '{"id": "broken", ')  # not JSON
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(platform: Platform, path: Path, analyser: PostingAnalyser | None) -> IngestReport:
    actor = Actor.system()
    checked = market_ingest.check_file(actor, file=PostingFile.at(path), columns="", source="demo")
    return market_ingest.ingest_checked(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, checked=checked, analyser=analyser
    )


def _store(platform: Platform) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every posting (re-posts naming their original by key, not row id) and every posting's skills."""
    engine = platform.engine
    assert engine is not None
    with engine.connect() as conn:
        postings = conn.execute(
            text(
                "SELECT p.source, p.external_id, p.content_hash, p.title, p.text, p.posted_on, p.place,"
                " p.pay, p.occupation_uri, p.signature, o.source, o.external_id FROM market_postings p"
                " LEFT JOIN market_postings o ON o.id = p.duplicate_of ORDER BY p.source, p.external_id"
            )
        ).all()
        skills = conn.execute(
            text(
                "SELECT p.source, p.external_id, s.skill_uri, s.confidence, s.month, s.pay"
                " FROM market_posting_skills s JOIN market_postings p ON p.id = s.posting_id"
                " ORDER BY p.source, p.external_id, s.skill_uri"
            )
        ).all()
    return [tuple(r) for r in postings], [tuple(r) for r in skills]


def _empty(platform: Platform) -> None:
    engine = platform.engine
    assert engine is not None
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM market_posting_skills"))
        conn.execute(text("UPDATE market_postings SET duplicate_of = NULL"))
        conn.execute(text("DELETE FROM market_postings"))


def _counts(report: IngestReport) -> tuple[object, ...]:
    return (report.read, report.added, report.reposts, report.known, report.matched_occupation, report.bad)


@pytest.mark.parametrize("write", [_parquet, _jsonl], ids=["parquet", "jsonl"])
def test_dask_ingest_stores_what_the_single_process_ingest_stores(
    taxonomy_platform: Platform, tmp_path: Path, write: object
) -> None:
    assert callable(write)
    path = write(tmp_path / ("postings.parquet" if write is _parquet else "postings.jsonl"))
    alone = _ingest(taxonomy_platform, path, None)
    stored_alone = _store(taxonomy_platform)
    assert min(alone.added, alone.reposts, alone.bad_count, alone.known) > 0
    assert len(stored_alone[1]) > 0
    _empty(taxonomy_platform)

    with dask_client(None, 2) as client:
        analyser = DaskPostingAnalyser(client)
        spread = _ingest(taxonomy_platform, path, analyser)
        assert _counts(spread) == _counts(alone)
        assert _store(taxonomy_platform) == stored_alone
        again = _ingest(taxonomy_platform, path, analyser)
    assert (again.added, again.reposts, again.known) == (0, 0, alone.read - alone.bad_count)
    assert _store(taxonomy_platform) == stored_alone
