"""Skill embeddings on disk: a round trip, keys that must match, and files that cannot be trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("numpy", reason="skill embeddings need numpy: install microcareer[semantic]")

import numpy as np

from microcareer.adapters.semantic.embedding_cache import FileSkillEmbeddingStore
from microcareer.domain.extraction.semantic import SkillEmbeddings


def embeddings(rows: int = 3) -> SkillEmbeddings:
    vectors = np.eye(rows, 4, dtype=np.float32)
    return SkillEmbeddings(
        tuple(f"urn:s{i}" for i in range(rows)),
        tuple(f"skill {i}" for i in range(rows)),
        np.asarray([-1] * (rows - 1) + [7], dtype=np.int64),
        vectors,
    )


def test_saved_embeddings_load_back_equal(tmp_path: Path) -> None:
    store = FileSkillEmbeddingStore(tmp_path / "cache")
    store.save("model|label|1", "rev1", embeddings())
    stored = store.load("model|label|1")
    assert stored is not None
    revision, loaded = stored
    assert revision == "rev1"
    assert loaded.uris == embeddings().uris
    assert loaded.labels == embeddings().labels
    assert loaded.organisations.tolist() == [-1, -1, 7]
    assert loaded.vectors.dtype == np.float32
    assert np.array_equal(loaded.vectors, embeddings().vectors)
    assert not list((tmp_path / "cache").glob(".*.tmp")), "no temporary file is left behind"


def test_another_key_misses_and_a_newer_save_replaces_the_old_files(tmp_path: Path) -> None:
    store = FileSkillEmbeddingStore(tmp_path)
    store.save("model-a", "rev1", embeddings())
    assert store.load("model-b") is None
    store.save("model-a", "rev2", embeddings(2))
    stored = store.load("model-a")
    assert stored is not None
    assert stored[0] == "rev2"
    assert len(stored[1].uris) == 2
    store.save("model-b", "rev2", embeddings(2))
    assert store.load("model-a") is None
    assert len(list(tmp_path.glob("skill-embeddings-*"))) == 2  # one matrix, one index


def test_a_damaged_or_mismatched_pair_reads_as_missing(tmp_path: Path) -> None:
    store = FileSkillEmbeddingStore(tmp_path)
    store.save("model", "rev1", embeddings())
    index = store.index_path("model")
    matrix = tmp_path / json.loads(index.read_text(encoding="utf-8"))["matrix"]
    np.save(matrix, np.zeros((5, 4), dtype=np.float32))  # a matrix of another size than the index says
    assert store.load("model") is None
    index.write_text("{not json", encoding="utf-8")
    assert store.load("model") is None


def test_rows_that_disagree_in_length_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        SkillEmbeddings(("a",), ("x", "y"), np.asarray([-1], dtype=np.int64), np.zeros((1, 4), np.float32))


def test_a_store_of_several_keys_keeps_each_keys_latest_pair(tmp_path: Path) -> None:
    store = FileSkillEmbeddingStore(tmp_path, prefix="ranking-embeddings-", one_key=False)
    store.save("labels", "rev1", embeddings())
    store.save("descriptions", "rev1", embeddings())
    store.save("labels", "rev2", embeddings(2))
    labels, descriptions = store.load("labels"), store.load("descriptions")
    assert labels is not None
    assert labels[0] == "rev2"
    assert descriptions is not None
    assert len(list(tmp_path.glob("ranking-embeddings-*"))) == 4  # two kinds, a matrix and an index each
