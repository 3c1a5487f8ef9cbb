"""The ranking index on disk: a warm start neither reads the taxonomy nor refits TF-IDF, and ranks the
same; another revision, or a damaged file, is a miss."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microcareer.adapters.ranking.index_cache import FileRankingIndexStore
from microcareer.adapters.ranking.model import bundled_scorer
from microcareer.adapters.ranking.tfidf import LabelTfidf
from microcareer.services.skill_ranking import RankingTaxonomy, SkillRanking
from tests.unit.services.test_skill_ranking import ESCO, LABELS, SKILLS

TEXTS = ["You will lead a team and work with databases.", "Python every day."]


def _taxonomy(reads: list[str]) -> RankingTaxonomy:
    reads.append("read")
    return RankingTaxonomy.of(LABELS, SKILLS, [ESCO + "py"])


def _ranking(folder: Path) -> SkillRanking:
    return SkillRanking(
        LabelTfidf.of_analyzer, bundled_scorer, None, None, indexes=FileRankingIndexStore(folder)
    )


def test_a_warm_start_loads_the_index_and_ranks_the_same(tmp_path: Path) -> None:
    reads: list[str] = []
    cold = _ranking(tmp_path)("rev-1", lambda: _taxonomy(reads)).ready()
    assert reads == ["read"]
    assert len(list(tmp_path.glob("ranking-index-*.pickle"))) == 1
    warm = _ranking(tmp_path)("rev-1", lambda: _taxonomy(reads)).ready()
    assert reads == ["read"], "the taxonomy is not read again"
    assert warm.taxonomy.uris == cold.taxonomy.uris
    for name in ("tfidf_word", "tfidf_char"):
        assert np.array_equal(warm.sparse[name].scores(TEXTS), cold.sparse[name].scores(TEXTS))


def test_another_revision_or_a_damaged_file_is_a_miss(tmp_path: Path) -> None:
    store = FileRankingIndexStore(tmp_path)
    reads: list[str] = []
    _ranking(tmp_path)("rev-1", lambda: _taxonomy(reads)).ready()
    assert store.load("rev-2") is None
    store.path_for("rev-1").write_bytes(b"not a pickle")
    assert store.load("rev-1") is None
    _ranking(tmp_path)("rev-2", lambda: _taxonomy(reads)).ready()
    assert reads == ["read", "read"]
    assert [p.name for p in tmp_path.glob("ranking-index-*.pickle")] == [store.path_for("rev-2").name]
