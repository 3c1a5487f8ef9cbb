"""``--format parquet`` and ``skills-parquet``: a row per mention or per skill, across row groups."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from microcareer.cli.extraction_output import OutputFormat
from microcareer.cli.extraction_parquet import ParquetExtractionWriter
from microcareer.domain.extraction.mentions import DocumentExtraction, Method, SkillMention, skill_set


def extraction(doc_id: str, text: str, *spans: tuple[str, str, Method, float]) -> DocumentExtraction:
    mentions = []
    for uri, written, method, confidence in spans:
        start = text.index(written)
        mentions.append(
            SkillMention(uri, uri.upper(), start, start + len(written), written, written, method, confidence)
        )
    return DocumentExtraction(doc_id, tuple(mentions), skill_set(mentions))


FOUND = [
    extraction(
        "a",
        "Python, Pyhton and SQL",
        ("py", "Python", Method.LEXICAL, 0.9),
        ("py", "Pyhton", Method.FUZZY, 0.7),
        ("sql", "SQL", Method.LEXICAL, 0.8),
    ),
    extraction("b", "nothing here"),
    extraction("c", "welding", ("weld", "welding", Method.LEXICAL, 0.95)),
]


def test_mentions_are_rows_in_order_over_several_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    writer = ParquetExtractionWriter(path, OutputFormat.PARQUET, rows_per_group=2)
    for found in FOUND:
        writer.write(found)
    writer.close()
    assert pq.ParquetFile(path).metadata.num_row_groups == 2
    assert pq.read_table(path).to_pylist() == [
        {
            "doc_id": f.doc_id,
            "uri": m.uri,
            "label": m.label,
            "start": m.start,
            "end": m.end,
            "score": m.confidence,
            "matched_text": m.matched_text,
            "method": m.method.value,
        }
        for f in FOUND
        for m in f.mentions
    ]


def test_skills_are_rows_with_their_methods(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    writer = ParquetExtractionWriter(path, OutputFormat.SKILLS_PARQUET)
    for found in FOUND:
        writer.write(found)
    writer.close()
    rows = pq.read_table(path).to_pylist()
    assert [(r["doc_id"], r["uri"], r["count"], r["score"], r["methods"]) for r in rows] == [
        ("a", "py", 2, 0.9, ["lexical", "fuzzy"]),
        ("a", "sql", 1, 0.8, ["lexical"]),
        ("c", "weld", 1, 0.95, ["lexical"]),
    ]


def test_nothing_found_is_still_a_readable_file_with_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    writer = ParquetExtractionWriter(path, OutputFormat.PARQUET)
    writer.write(FOUND[1])
    writer.close()
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.schema.names == ["doc_id", "uri", "label", "start", "end", "score", "matched_text", "method"]
