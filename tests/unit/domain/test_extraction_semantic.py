"""The semantic method with a fake embedder: clauses, the similarity floor, organisations and ranking."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

pytest.importorskip("numpy", reason="the semantic method needs numpy: install microcareer[semantic]")

import numpy as np

from microcareer.domain.extraction.clauses import clauses
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import Method
from microcareer.domain.extraction.semantic import (
    COSINE_AT_FLOOR,
    SEMANTIC_MAX,
    FloatMatrix,
    SemanticMatcher,
    confidence,
    embed_skills,
)

ESCO = "http://data.europa.eu/esco/skill/"
# Each word stands for one "meaning" (a dimension): texts sharing meanings get similar vectors.
MEANINGS = {
    "script": 0,
    "scripts": 0,
    "scripting": 0,
    "shell": 0,
    "deployment": 1,
    "deploy": 1,
    "release": 1,
    "python": 2,
    "budget": 3,
    "budgets": 3,
    "money": 3,
    "language": 4,
    "processing": 4,
    "natural": 4,
    "pipeline": 5,
    "pipelines": 5,
    "northwind": 6,
}
DIMENSIONS = 8
ROWS: list[LabelRow] = [
    (ESCO + "shell", "shell scripting", "preferred", None),
    (ESCO + "deploy", "deployment scripting", "preferred", None),
    (ESCO + "python", "Python", "preferred", None),
    (ESCO + "budgets", "manage budgets", "preferred", None),
    (ESCO + "nlp", "natural language processing", "preferred", None),
    (ESCO + "nlp", "NLP", "alt", None),
    (ESCO + "own", "Northwind release pipeline", "preferred", 7),
]


class FakeEmbedder:
    """Vectors from ``MEANINGS``; every text it was asked to embed is kept in ``seen``."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> FloatMatrix:
        self.seen += texts
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.casefold().replace(",", " ").split():
                if word in MEANINGS:
                    vectors[row, MEANINGS[word]] += 1.0
            vectors[row, DIMENSIONS - 1] += 0.3  # every text shares a little, as real embeddings do
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / norms, dtype=np.float32)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def extractor(embedder: FakeEmbedder) -> SkillExtractor:
    matcher = SemanticMatcher(embed_skills(ROWS, embedder), embedder)
    embedder.seen.clear()
    return SkillExtractor(Lexicon(ROWS, revision="test"), semantic=matcher)


def semantic(extractor: SkillExtractor, text: str, **options: object) -> list[tuple[str, str]]:
    every = frozenset(Method)
    chosen = ExtractionOptions(**{"methods": every, **options})  # type: ignore[arg-type]
    found = extractor.extract(text, options=chosen).mentions
    return [(m.uri.removeprefix(ESCO), m.matched_text) for m in found if m.method is Method.SEMANTIC]


def test_clauses_end_at_sentences_lines_and_bullets_and_keep_their_spans() -> None:
    text = "Wrote the deployment scripts. Kept budgets in check;\n• ran the nightly builds"
    found = clauses(text)
    assert [c.text for c in found] == [
        "Wrote the deployment scripts",
        "Kept budgets in check",
        "ran the nightly builds",
    ]
    assert all(text[c.start : c.end] == c.text for c in found)


def test_and_cuts_a_clause_only_when_both_sides_keep_a_few_words() -> None:
    assert [c.text for c in clauses("I wrote the deployment scripts and ran the nightly builds.")] == [
        "I wrote the deployment scripts",
        "ran the nightly builds",
    ]
    assert [c.text for c in clauses("We need Python and SQL.")] == ["We need Python and SQL"]


def test_confidence_is_half_at_the_floor_cosine_and_capped_below_a_written_label() -> None:
    assert confidence(COSINE_AT_FLOOR) == 0.5
    assert confidence(COSINE_AT_FLOOR - 0.05) < 0.5 < confidence(COSINE_AT_FLOOR + 0.05)
    assert confidence(1.0) == SEMANTIC_MAX < 0.95


def test_a_skill_in_other_words_is_found_over_the_clause(extractor: SkillExtractor) -> None:
    text = "Last year I wrote some scripts. I enjoy hiking."
    found = semantic(extractor, text)
    assert found[0] == ("shell", "Last year I wrote some scripts")
    assert all(span == "Last year I wrote some scripts" for _, span in found)


def test_unrelated_clauses_give_nothing_above_the_floor(extractor: SkillExtractor) -> None:
    assert semantic(extractor, "I enjoy long walks by the sea.") == []
    mixed = "Worked on money, language, shell and pipelines."  # a little of everything
    loose = semantic(extractor, mixed, min_confidence=0.0)
    strict = semantic(extractor, mixed)
    assert loose
    assert not strict


def test_semantic_is_off_unless_asked_for(extractor: SkillExtractor, embedder: FakeEmbedder) -> None:
    result = extractor.extract("Last year I wrote some scripts.")
    assert all(m.method is not Method.SEMANTIC for m in result.mentions)
    assert embedder.seen == []


def test_a_skill_found_by_its_label_is_not_repeated_and_ranks_first(extractor: SkillExtractor) -> None:
    text = "I manage budgets and keep the money safe every quarter."
    result = extractor.extract(text, options=ExtractionOptions(methods=frozenset(Method)))
    assert [(m.uri.removeprefix(ESCO), m.method) for m in result.mentions] == [("budgets", Method.LEXICAL)]
    assert semantic(extractor, "I keep the money safe every quarter.")[0][0] == "budgets"


def test_clauses_the_labels_already_explain_are_not_embedded(
    extractor: SkillExtractor, embedder: FakeEmbedder
) -> None:
    extractor.extract(
        "Python, manage budgets. I wrote some scripts.", options=ExtractionOptions(methods=frozenset(Method))
    )
    assert embedder.seen == ["I wrote some scripts"]


def test_organisation_skills_only_for_members(extractor: SkillExtractor) -> None:
    text = "I looked after the northwind release pipelines at night."
    assert ("own", text.rstrip(".")) in semantic(extractor, text, methods=frozenset({Method.SEMANTIC}))
    assert ("own", text.rstrip(".")) in semantic(
        extractor, text, methods=frozenset({Method.SEMANTIC}), visible_orgs=frozenset({7})
    )
    outsider = semantic(extractor, text, methods=frozenset({Method.SEMANTIC}), visible_orgs=frozenset({8}))
    assert "own" not in [uri for uri, _ in outsider]


def test_excluded_skills_are_never_reported(extractor: SkillExtractor) -> None:
    text = "Last year I wrote some scripts."
    assert "shell" in [uri for uri, _ in semantic(extractor, text)]
    assert "shell" not in [uri for uri, _ in semantic(extractor, text, exclude=frozenset({ESCO + "shell"}))]


def test_acronyms_the_document_defines_are_written_out_before_embedding(
    extractor: SkillExtractor, embedder: FakeEmbedder
) -> None:
    text = "We use natural language processing (NLP) daily. Later I built NLP tooling for the team."
    extractor.extract(text, options=ExtractionOptions(methods=frozenset(Method)))
    assert "Later I built natural language processing tooling for the team" in embedder.seen


def test_a_new_revision_embeds_only_the_skills_whose_text_changed(embedder: FakeEmbedder) -> None:
    before = embed_skills(ROWS, embedder)
    embedder.seen.clear()
    renamed = (ESCO + "budgets", "manage money", "preferred", None)
    after = embed_skills([*ROWS[:3], renamed, *ROWS[4:]], embedder, reuse=before)
    assert embedder.seen == ["manage money"]
    assert after.uris == before.uris
    assert np.array_equal(after.vectors[0], before.vectors[0])
    assert np.array_equal(after.vectors[3], embedder(["manage money"])[0])
