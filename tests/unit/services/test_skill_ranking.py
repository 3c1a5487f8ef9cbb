"""The skill ranker end to end on a tiny taxonomy, without the sentence-embedding model (TF-IDF and
lexical features, the bundled fallback scorer): what CI can afford, and what an install without the
``semantic`` extra runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from microcareer.adapters.ranking.model import bundled_gate, bundled_scorer
from microcareer.adapters.ranking.tfidf import LabelTfidf
from microcareer.adapters.semantic.sentence_embeddings import MODEL_NAME, encoder_name
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import Method
from microcareer.domain.extraction.query_adapter import QueryAdapter
from microcareer.domain.extraction.ranking import ADAPTED, RETRIEVERS, SPARSE, LinearScorer, feature_names
from microcareer.domain.extraction.semantic import FloatMatrix
from microcareer.services.skill_ranking import RankingTaxonomy, SkillRanking, dense_vectors

ESCO = "http://data.europa.eu/esco/skill/"
LABELS: list[LabelRow] = [
    (ESCO + "py", "Python (computer programming)", "preferred", None),
    (ESCO + "py", "Python", "alt", None),
    (ESCO + "sql", "SQL", "preferred", None),
    (ESCO + "db", "use databases", "preferred", None),
    (ESCO + "db", "work with databases", "alt", None),
    (ESCO + "team", "manage a team", "preferred", None),
    (ESCO + "team", "lead a team", "alt", None),
    (ESCO + "cook", "prepare meals", "preferred", None),
    (ESCO + "acme", "Acme build tooling", "preferred", 7),  # organisation 7's own skill
]
SKILLS = [
    (ESCO + "py", "knowledge", "cross-sector", "A programming language."),
    (ESCO + "sql", "knowledge", "cross-sector", "A query language for databases."),
    (ESCO + "db", "skill/competence", "transversal", "Use databases to store and query data."),
    (ESCO + "team", "skill/competence", "transversal", "Lead people towards goals."),
    (ESCO + "cook", "skill/competence", "sector-specific", "Cook food."),
    (ESCO + "acme", None, None, ""),
]


def _ranker() -> tuple[SkillExtractor, ExtractionOptions]:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [ESCO + "py", ESCO + "py", ESCO + "team"])
    ranking = SkillRanking(LabelTfidf.of_analyzer, bundled_scorer, None, None)
    ranker = ranking("rev-1", lambda: taxonomy)
    options = ExtractionOptions(
        methods=frozenset({Method.RANKING}), min_confidence=0.0, visible_orgs=frozenset()
    )
    return SkillExtractor(Lexicon(LABELS), ranker=ranker), options


def test_the_taxonomy_keeps_every_label_and_the_facts() -> None:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [ESCO + "py"])
    assert taxonomy.uris[0] == ESCO + "py"
    assert sorted(taxonomy.label_texts) == sorted(label for _, label, _, _ in LABELS)
    assert taxonomy.facts.knowledge.tolist() == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert taxonomy.descriptions[-1] == "Acme build tooling"  # no description: the label stands in


def test_the_taxonomy_keeps_each_skills_broader_concepts_and_occupations_as_ids() -> None:
    group = "http://data.europa.eu/esco/skill/group-ict"
    taxonomy = RankingTaxonomy.of(
        LABELS,
        SKILLS,
        [ESCO + "py", ESCO + "sql"],
        broader=[(ESCO + "py", group), (ESCO + "sql", group), (group, "top"), (ESCO + "py", ESCO + "db")],
        occupation_skills=[("dev", ESCO + "py"), ("dev", ESCO + "sql"), ("dba", ESCO + "sql")],
    )
    py, sql, db, team = (taxonomy.uris.index(ESCO + s) for s in ("py", "sql", "db", "team"))
    assert taxonomy.groups[py] & taxonomy.groups[sql]  # the same skill group
    assert py in taxonomy.groups[py]
    assert db in taxonomy.groups[py]
    assert taxonomy.groups[team] == frozenset({team})
    assert len(taxonomy.occupations[sql]) == 2
    assert taxonomy.occupations[py] < taxonomy.occupations[sql]
    assert taxonomy.occupations[team] == frozenset()
    bare = RankingTaxonomy.of(LABELS, SKILLS, [])
    assert bare.groups == ()
    assert bare.occupations == ()


def test_tfidf_scores_a_skill_by_its_closest_label() -> None:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    tfidf = LabelTfidf.of_analyzer(taxonomy.label_texts, taxonomy.label_owners, len(taxonomy.uris), "char_wb")
    scores = tfidf.scores(["You will lead a team of five."])
    assert scores.shape == (1, len(taxonomy.uris))
    assert int(np.argmax(scores[0])) == taxonomy.uris.index(ESCO + "team")  # via its alternative label


def test_the_bundled_scorers_read_the_rankers_features() -> None:
    assert bundled_scorer(True).names in (feature_names(RETRIEVERS), feature_names(ADAPTED))
    assert bundled_scorer(False).names == feature_names(SPARSE)


def test_ranked_mentions_are_best_first_with_spans_and_visibility() -> None:
    extractor, options = _ranker()
    text = "You will write Python and SQL and work with databases."
    [found] = extractor.extract_many([("d", text)], options=options)
    scores = [m.confidence for m in found.mentions]
    assert scores == sorted(scores, reverse=True)
    assert all(m.method is Method.RANKING for m in found.mentions)
    by_uri = {m.uri: m for m in found.mentions}
    assert text[by_uri[ESCO + "py"].start : by_uri[ESCO + "py"].end] == "Python"  # named: its words
    top = [m.uri for m in found.mentions[:3]]
    assert set(top) == {ESCO + "py", ESCO + "sql", ESCO + "db"}
    assert ESCO + "acme" not in by_uri  # organisation 7's skill, and the actor is in no organisation
    precise = ExtractionOptions(methods=options.methods, min_confidence=0.99, visible_orgs=frozenset())
    assert all(m.confidence >= 0.99 for m in extractor.extract(text, options=precise).mentions)


class _HashEmbedder:
    """A stand-in for the model: a fixed vector per text, and a count of the texts it embedded."""

    model_name = "fake-embedder"

    def __init__(self) -> None:
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        self.embedded += len(texts)
        rows = [np.random.default_rng(sum(map(ord, text))).normal(size=8) for text in texts]
        matrix: FloatMatrix = np.asarray(rows, dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix


class _Stages:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None]] = []
        self.done = 0

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append((name, total))

    def advance(self, amount: int = 1) -> None:
        self.done += amount


def test_building_the_ranker_shows_the_taxonomys_embedding_as_progress() -> None:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    embedder = _HashEmbedder()
    ranking = SkillRanking(LabelTfidf.of_analyzer, bundled_scorer, embedder, None)
    progress = _Stages()
    ranking("rev-1", lambda: taxonomy).ready(progress)
    assert [name for name, _ in progress.stages] == [
        "embedding the skills' preferred labels",
        "embedding the skills' labels",
        "embedding the skills' descriptions",
    ]
    totals = [total for _, total in progress.stages]
    assert totals == [len(taxonomy.uris), len(taxonomy.label_texts), len(taxonomy.uris)]
    assert progress.done == sum(t for t in totals if t is not None)
    assert embedder.embedded == progress.done + 1  # and one warm-up text


def _gate(embedder: _HashEmbedder, bias: float) -> LinearScorer:
    """A sentence gate for the stand-in's 8-wide vectors that reads nothing but its bias."""
    names = tuple(f"{embedder.model_name}/{i}" for i in range(8))
    return LinearScorer.logistic(names, np.zeros(8), np.ones(8), np.zeros(8), bias)


def _ranked(gate_bias: float | None) -> list[tuple[str, float]]:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    embedder = _HashEmbedder()
    gate = None if gate_bias is None else _gate(embedder, gate_bias)
    ranking = SkillRanking(LabelTfidf.of_analyzer, bundled_scorer, embedder, None, gate=gate)
    extractor = SkillExtractor(Lexicon(LABELS), ranker=ranking("rev-1", lambda: taxonomy))
    options = ExtractionOptions(
        methods=frozenset({Method.RANKING}), min_confidence=0.0, visible_orgs=frozenset()
    )
    [found] = extractor.extract_many([("d", "Salary: 55,000 for Python work.")], options=options)
    return [(m.uri, m.confidence) for m in found.mentions]


def test_a_sentence_the_gate_doubts_keeps_its_order_with_every_score_scaled_down() -> None:
    plain, doubted = _ranked(None), _ranked(-3.0)
    assert [uri for uri, _ in doubted] == [uri for uri, _ in plain]
    ask = 2 / (1 + np.exp(3.0))  # below even odds the gate's probability, doubled, scales the scores
    # mentions keep four decimals
    assert [score for _, score in doubted] == pytest.approx([score * ask for _, score in plain], abs=1e-4)
    assert max(score for _, score in doubted) < 0.1
    assert _ranked(3.0) == plain  # a gate sure of a skill changes nothing


def test_the_bundled_gate_reads_only_the_model_it_was_trained_for() -> None:
    gate = bundled_gate(encoder_name())  # the shipped encoder's (the packaged model's, or with its delta)
    assert gate is not None
    assert len(gate.names) == 384
    assert bundled_gate("fake-embedder") is None
    if encoder_name() != MODEL_NAME:
        assert bundled_gate(MODEL_NAME) is None  # a gate fitted to the fine-tuned vectors only


class _TokenEmbedder(_HashEmbedder):
    """The stand-in that also gives token embeddings (one per word): the token attention reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.token_calls = 0

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[FloatMatrix, list[FloatMatrix]]:
        self.token_calls += 1
        return self.embed(texts), [self.embed(text.split()) for text in texts]


def test_features_say_a_tool_name_named_the_skill_and_token_attention_scores_the_pool() -> None:
    tool: LabelRow = (ESCO + "db", "Postgres", "tool", None)
    taxonomy = RankingTaxonomy.of([*LABELS, tool], SKILLS, [])
    embedder = _TokenEmbedder()
    names = feature_names(RETRIEVERS)
    scorer = LinearScorer.logistic(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0)
    ranker = SkillRanking(LabelTfidf.of_analyzer, lambda dense: scorer, embedder, None).build("r", taxonomy)
    extractor = SkillExtractor(Lexicon([*LABELS, tool]))
    texts = ["Experience with Postgres and Python.", "You will lead a team."]
    found = [extractor.extract(t, options=ExtractionOptions(min_confidence=0.0)).mentions for t in texts]
    (chosen, matrix), (other, other_matrix) = ranker.features(texts, found)
    rows = {
        taxonomy.uris[int(j)]: dict(zip(names, f, strict=True)) for j, f in zip(chosen, matrix, strict=True)
    }
    assert (rows[ESCO + "db"]["lexical_tool"], rows[ESCO + "db"]["lexical_capitalised"]) == (1.0, 1.0)
    assert (rows[ESCO + "py"]["lexical_alternative"], rows[ESCO + "py"]["lexical_tool"]) == (1.0, 0.0)
    assert rows[ESCO + "team"]["lexical"] == 0.0
    team = {
        taxonomy.uris[int(j)]: dict(zip(names, f, strict=True))
        for j, f in zip(other, other_matrix, strict=True)
    }
    assert (team[ESCO + "team"]["lexical_alternative"], team[ESCO + "team"]["label_all"]) == (1.0, 0.0)
    assert embedder.token_calls == 1  # the sentence vectors and tokens came from one pass
    assert all(-1.0 <= r["dense_ctx_score"] <= 1.0 for r in rows.values())
    assert len({round(float(r["dense_ctx_score"]), 5) for r in rows.values()}) > 1


def test_a_tool_name_ranks_its_skill_above_a_skill_that_merely_looks_like_it() -> None:
    """ "Docker" is a tool name of *manage ICT virtualisation environments* (O*NET's tools, bundled);
    character n-grams find *dock operations* closer. The bundled scorer trusts the tool-name hit."""
    labels: list[LabelRow] = [
        (ESCO + "dock", "dock operations", "preferred", None),
        (ESCO + "dock", "dock functions", "alt", None),
        (ESCO + "coord", "coordinate dock operations", "preferred", None),
        (ESCO + "virt", "manage ICT virtualisation environments", "preferred", None),
        (ESCO + "virt", "manage ICT virtualisation machines", "alt", None),
        *LABELS,
    ]
    tool: LabelRow = (ESCO + "virt", "Docker", "tool", None)
    skills = [
        (ESCO + "dock", "knowledge", "sector-specific", "Dock functions and cranes."),
        (ESCO + "coord", "skill/competence", "sector-specific", "Coordinate cargo shipments in docks."),
        (
            ESCO + "virt",
            "skill/competence",
            "sector-specific",
            "Oversee tools used to enable virtualisation.",
        ),
        *SKILLS,
    ]
    taxonomy = RankingTaxonomy.of(labels, skills, [])
    ranker = SkillRanking(LabelTfidf.of_analyzer, bundled_scorer, None, None)("rev-1", lambda: taxonomy)
    extractor = SkillExtractor(Lexicon([*labels, tool]), ranker=ranker)
    options = ExtractionOptions(
        methods=frozenset({Method.RANKING}), min_confidence=0.0, visible_orgs=frozenset()
    )
    [found] = extractor.extract_many([("d", "Hands-on experience with Docker.")], options=options)
    assert found.mentions[0].uri == ESCO + "virt"
    assert found.mentions[0].matched_text == "Docker"


def _adapted_features(adapter: QueryAdapter | None) -> list[dict[str, float]]:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    names = feature_names(ADAPTED)
    scorer = LinearScorer.logistic(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0)
    ranking = SkillRanking(
        LabelTfidf.of_analyzer, lambda dense: scorer, _HashEmbedder(), None, adapter=adapter
    )
    ranker = ranking.build("r", taxonomy)
    assert ranker.retrievers == ADAPTED
    [(_, matrix)] = ranker.features(["You will work with databases."], [[]])
    return [dict(zip(names, map(float, row), strict=True)) for row in matrix]


def test_a_scorer_trained_with_the_query_adapter_gets_the_adapted_cosine() -> None:
    # a quarter turn in the first two of the stand-in's 8 components: the adapted cosine differs
    turn = np.eye(8, dtype=np.float32)
    turn[:2, :2] = [[0.0, 1.0], [-1.0, 0.0]]
    rows = _adapted_features(QueryAdapter("fake-embedder", turn))
    assert any(abs(r["dense_adapt_score"] - r["dense_pref_score"]) > 1e-3 for r in rows)
    assert all(-1.0 - 1e-5 <= r["dense_adapt_score"] <= 1.0 + 1e-5 for r in rows)


def test_without_an_adapter_for_the_model_the_plain_cosine_stands_in() -> None:
    rows = _adapted_features(None)
    assert all(r["dense_adapt_score"] == pytest.approx(r["dense_pref_score"], abs=1e-6) for r in rows)


def test_a_scorer_without_the_adapters_features_leaves_the_adapter_unused() -> None:
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    names = feature_names(RETRIEVERS)
    scorer = LinearScorer.logistic(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0)
    adapter = QueryAdapter.identity("fake-embedder", 8)
    ranking = SkillRanking(
        LabelTfidf.of_analyzer, lambda dense: scorer, _HashEmbedder(), None, adapter=adapter
    )
    ranker = ranking.build("r", taxonomy)
    assert ranker.retrievers == RETRIEVERS
    [(_, matrix)] = ranker.features(["You will work with databases."], [[]])
    assert matrix.shape[1] == len(names)


def test_dense_vectors_can_embed_the_preferred_labels_alone() -> None:
    """What the query adapter's training needs: no alternative labels or descriptions embedded."""
    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    embedder = _HashEmbedder()
    vectors = dense_vectors(taxonomy, embedder, None, "r", only=("pref",))
    assert list(vectors) == ["pref"]
    assert vectors["pref"].shape == (len(taxonomy.uris), 8)
    assert embedder.embedded == len(taxonomy.uris)


def test_a_reranker_rescores_the_scorers_best_candidates_with_their_context() -> None:
    """The second stage, wired in: it orders a sentence's skills by its own probability (here it
    prefers a description that writes the sentence's words), and a ranker without the model has none."""
    from microcareer.domain.extraction.reranking import CONTEXT_FEATURES

    taxonomy = RankingTaxonomy.of(LABELS, SKILLS, [])
    names = feature_names(RETRIEVERS)
    scorer = LinearScorer.logistic(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0)
    weights = np.zeros(len(CONTEXT_FEATURES))
    weights[CONTEXT_FEATURES.index("desc_cover")] = 10.0
    reranker = LinearScorer.logistic(
        CONTEXT_FEATURES, np.zeros(len(weights)), np.ones(len(weights)), weights, -1.0
    )
    ranking = SkillRanking(
        LabelTfidf.of_analyzer, lambda dense: scorer, _HashEmbedder(), None, reranker=reranker
    )
    options = ExtractionOptions(methods=frozenset({Method.RANKING}), min_confidence=0.0)
    extractor = SkillExtractor(Lexicon(LABELS), ranker=ranking("r", lambda: taxonomy))
    found = extractor.extract("Cook food for the team.", options=options).mentions
    assert found[0].uri == ESCO + "cook"  # its description writes "cook" and "food"
    scores = [m.confidence for m in found]
    assert scores == sorted(scores, reverse=True)
    without_model = SkillRanking(LabelTfidf.of_analyzer, bundled_scorer, None, None, reranker=reranker)
    assert without_model.build("r", taxonomy).reranker is None
