"""``MICROCAREER_RANKING_QUERIES``: which copy of the model embeds the sentences that skill ranking reads."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from microcareer.bootstrap import LazyRanking, skill_ranking
from microcareer.config import Settings


def test_sentences_are_embedded_by_the_int8_copy_unless_float_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MICROCAREER_RANKING_QUERIES", raising=False)
    assert Settings().ranking_queries == "int8"
    monkeypatch.setenv("MICROCAREER_RANKING_QUERIES", "float")
    assert Settings().ranking_queries == "float"
    for quantized in (True, False):
        ranking = skill_ranking(None, quantized=quantized)
        assert isinstance(ranking, LazyRanking)
        assert ranking.quantized is quantized


def test_another_query_model_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_RANKING_QUERIES", "fp16")
    with pytest.raises(ValidationError, match="ranking_queries"):
        Settings()
