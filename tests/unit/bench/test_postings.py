"""The benchmark corpus generator: same seed, same bytes; postings about the size asked for."""

from __future__ import annotations

from pathlib import Path

from bench.postings import SIZE, postings, write


def test_the_same_seed_gives_the_same_postings_and_another_seed_others() -> None:
    first = list(postings(20, seed=7))
    assert first == list(postings(20, seed=7))
    assert [d["text"] for d in first] != [d["text"] for d in postings(20, seed=8)]


def test_postings_reach_the_size_asked_for_and_ids_name_the_trade() -> None:
    documents = list(postings(50))
    assert all(SIZE <= len(d["text"]) <= SIZE + 300 for d in documents)
    assert [d["doc_id"][:13] for d in documents[:2]] == ["posting-00000", "posting-00001"]
    assert len({d["doc_id"].rsplit("-", 1)[1] for d in documents}) > 3  # several trades


def test_write_gives_one_json_line_per_posting(tmp_path: Path) -> None:
    path = write(tmp_path / "corpus.jsonl", 5, size=1000)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 5
