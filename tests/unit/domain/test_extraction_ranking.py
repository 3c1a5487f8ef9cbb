"""Skill ranking's arithmetic: z-scores, candidates and their features, the scorer, unit spans."""

from __future__ import annotations

import numpy as np
import pytest

from microcareer.domain.extraction.mentions import Method, SkillMention
from microcareer.domain.extraction.ranked_mentions import WHOLE_TEXT_CHARS, ranking_units, unit_mention
from microcareer.domain.extraction.ranking import (
    REUSE_LEVELS,
    LexicalHit,
    LinearScorer,
    SkillFacts,
    candidate_features,
    content_words,
    context_match,
    feature_names,
    rank,
    zscores,
)

RETRIEVERS = ("a", "b")
FACTS = SkillFacts.of(
    ["knowledge", "skill/competence", None, "knowledge"],
    ["transversal", "occupation-specific", None, "sector-specific"],
    ["python", "manage staff", "x y z", "sql"],
    [0, 3, 1, 10],
)


def _scores() -> dict[str, np.ndarray]:
    return {
        "a": np.array([[0.9, 0.1, 0.2, 0.3]], dtype=np.float32),
        "b": np.array([[0.8, 0.7, 0.0, 0.1]], dtype=np.float32),
    }


def test_zscores_standardise_each_row() -> None:
    z = zscores(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]], dtype=np.float32))
    assert np.allclose(z[0], [-1.2247, 0.0, 1.2247], atol=1e-4)
    assert np.allclose(z[1], 0.0)  # a flat row says nothing


def test_candidates_are_the_fused_best_plus_lexical_finds() -> None:
    [(chosen, features)] = candidate_features(
        _scores(), FACTS, [{2: 0.9}], retrievers=RETRIEVERS, candidates=2
    )
    assert chosen.tolist() == [0, 1, 2]  # 0 and 1 lead the fusion; 2 is there because a label names it
    names = feature_names(RETRIEVERS)
    assert features.shape == (3, len(names))
    row = dict(zip(names, features[0], strict=True))
    assert row["a_score"] == pytest.approx(0.9)
    assert row["a_rank"] == 0.0  # log(1 + rank 0)
    assert row["knowledge"] == 1.0
    assert row["reuse_transversal"] == 1.0
    assert row["occupations"] == pytest.approx(0.0)
    assert dict(zip(names, features[2], strict=True))["lexical"] == pytest.approx(0.9)
    assert len(REUSE_LEVELS) == 4


def test_lexical_features_say_how_a_skill_was_named_and_how_much_of_its_label_the_text_writes() -> None:
    tool = LexicalHit(0.8, frozenset({"tool", "capitalised"}))
    [(chosen, features)] = candidate_features(
        _scores(),
        FACTS,
        [{3: tool, 1: 0.5}],
        texts=["We manage the SQL servers"],
        retrievers=RETRIEVERS,
        candidates=4,
    )
    names = feature_names(RETRIEVERS)
    rows = {int(j): dict(zip(names, f, strict=True)) for j, f in zip(chosen, features, strict=True)}
    assert rows[3]["lexical"] == pytest.approx(0.8)
    kinds = ("lexical_tool", "lexical_capitalised", "lexical_preferred")
    assert [rows[3][kind] for kind in kinds] == [1, 1, 0]
    assert rows[1]["lexical"] == pytest.approx(0.5)  # a bare confidence: no kind known
    assert rows[1]["lexical_tool"] == 0.0
    assert (rows[3]["label_cover"], rows[3]["label_all"]) == (1.0, 1.0)  # "sql"
    assert (rows[1]["label_cover"], rows[1]["label_all"]) == (0.5, 0.0)  # "manage", not "staff"
    assert rows[0]["label_cover"] == 0.0  # "python"
    [(_, without)] = candidate_features(_scores(), FACTS, [{}], retrievers=RETRIEVERS, candidates=4)
    assert not without[:, names.index("label_cover")].any()  # no text given: nothing is covered


def test_content_words_fold_case_and_drop_stop_words() -> None:
    assert content_words("Knowledge of C++ and the .NET Framework, C#") == {
        "knowledge",
        "c++",
        "net",
        "framework",
        "c#",
    }


def test_token_attention_finds_the_part_of_a_sentence_a_skill_matches() -> None:
    rng = np.random.default_rng(0)
    tokens = rng.normal(size=(6, 16)).astype(np.float32)
    skills = np.vstack([tokens[2] / np.linalg.norm(tokens[2]), rng.normal(size=16)]).astype(np.float32)
    skills[1] /= np.linalg.norm(skills[1])
    sharp = context_match(tokens, skills, temperature=0.01)
    assert sharp[0] == pytest.approx(1.0, abs=1e-4)  # it attends to the one token it matches
    assert sharp[1] < sharp[0]
    flat = context_match(tokens, skills, temperature=1e6)  # uniform attention: the mean of unit tokens
    mean = (tokens / np.linalg.norm(tokens, axis=1, keepdims=True)).mean(axis=0)
    assert flat[1] == pytest.approx(float(skills[1] @ mean / np.linalg.norm(mean)), abs=1e-4)
    assert context_match(np.zeros((0, 16), dtype=np.float32), skills).tolist() == [0.0, 0.0]


def test_hidden_skills_are_never_candidates() -> None:
    hidden = np.array([True, False, False, False])
    [(chosen, _)] = candidate_features(
        _scores(), FACTS, [{0: 0.95}], retrievers=RETRIEVERS, candidates=2, hidden=hidden
    )
    assert 0 not in chosen.tolist()


def test_the_scorer_round_trips_and_ranks_best_first() -> None:
    names = feature_names(RETRIEVERS)
    weights = np.zeros(len(names))
    weights[names.index("a_score")] = 4.0
    scorer = LinearScorer.logistic(names, np.zeros(len(names)), np.ones(len(names)), weights, -2.0)
    again = LinearScorer.from_json(scorer.to_json())
    [(chosen, features)] = candidate_features(_scores(), FACTS, [{}], retrievers=RETRIEVERS, candidates=4)
    ranked = rank(again, chosen, features, top=2)
    assert [r.index for r in ranked] == [0, 3]
    assert ranked[0].probability == pytest.approx(1 / (1 + np.exp(-(4 * 0.9 - 2))), abs=1e-6)
    with pytest.raises(ValueError, match="one value per feature"):
        LinearScorer.from_json('{"names": ["a"], "mean": [0, 0], "scale": [1], "layers": []}')
    with pytest.raises(ValueError, match="do not fit"):
        LinearScorer.from_json(
            '{"names": ["a"], "mean": [0], "scale": [1], "layers": [{"weights": [[1, 2]], "bias": [0]}]}'
        )


def test_a_hidden_layer_is_a_relu_between_two_affine_maps() -> None:
    hidden = '{"weights": [[1.0, -1.0]], "bias": [0.0, 0.0]}'
    out = '{"weights": [[2.0], [3.0]], "bias": [-1.0]}'
    model = f'{{"names": ["x"], "mean": [1.0], "scale": [2.0], "layers": [{hidden}, {out}]}}'
    scorer = LinearScorer.from_json(model)
    # x = 5 → (5 - 1) / 2 = 2 → relu(2, -2) = (2, 0) → 2 * 2 - 1 = 3
    assert scorer.probabilities(np.array([[5.0]], dtype=np.float32))[0] == pytest.approx(1 / (1 + np.exp(-3)))


def test_short_texts_rank_whole_and_long_ones_by_clause() -> None:
    assert [u.text for u in ranking_units("  Build our data pipelines.  ")] == ["Build our data pipelines."]
    long = "You will build our data pipelines in Python. " * (WHOLE_TEXT_CHARS // 40)
    units = ranking_units(long)
    assert len(units) > 1
    assert all(long[u.start : u.end] == u.text for u in units)
    assert ranking_units("   ") == []


def test_a_named_skill_keeps_its_span_an_implied_one_gets_the_clause() -> None:
    text = "You will build data pipelines in Python"
    [unit] = ranking_units(text)
    python = SkillMention("py", "Python", 33, 39, "Python", "Python", Method.LEXICAL, 0.95)
    named = unit_mention(unit, "py", "Python", 0.8, [python])
    assert (named.start, named.end, named.matched_text, named.method) == (33, 39, "Python", Method.RANKING)
    implied = unit_mention(unit, "db", "use databases", 0.4, [python])
    assert (implied.start, implied.end) == (0, len(text))
    assert implied.confidence == 0.4


def test_nothing_to_rank_when_every_skill_is_hidden() -> None:
    hidden = np.ones(4, dtype=np.bool_)
    [(chosen, features)] = candidate_features(_scores(), FACTS, [{}], retrievers=RETRIEVERS, hidden=hidden)
    assert chosen.size == 0
    assert features.shape == (0, len(feature_names(RETRIEVERS)))
