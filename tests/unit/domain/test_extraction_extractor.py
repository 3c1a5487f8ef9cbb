"""The extractor on a small hand-made lexicon: spans, guards, fuzzy matches, acronyms and ranking."""

from __future__ import annotations

import pickle

import pytest

from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import Method

ESCO = "http://data.europa.eu/esco/skill/"
ROWS: list[LabelRow] = [
    (ESCO + "python", "Python (computer programming)", "preferred", None),
    (ESCO + "python", "Python", "alt", None),
    (ESCO + "budgets", "manage budgets", "preferred", None),
    (ESCO + "ml", "machine learning", "preferred", None),
    (ESCO + "ml", "ML", "alt", None),
    (ESCO + "ml-lang", "ML (computer programming)", "preferred", None),
    (ESCO + "learning", "learning", "preferred", None),
    (ESCO + "r", "R", "preferred", None),
    (ESCO + "swift", "Swift (computer programming)", "preferred", None),
    (ESCO + "swift", "Swift", "alt", None),
    (ESCO + "review", "conduct ICT code review", "preferred", None),
    (ESCO + "packaging", "packaging engineering", "preferred", None),
    (ESCO + "packaging", "engineering", "alt", None),
    (ESCO + "statistics", "statistics", "preferred", None),
    (ESCO + "project", "project management", "preferred", None),
    (ESCO + "own", "Northwind release pipeline", "preferred", 7),
] + [(ESCO + f"filler{i}", f"use swift boats {i}", "preferred", None) for i in range(3)]


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(Lexicon(ROWS, revision="test"))


def found(extractor: SkillExtractor, text: str, **options: object) -> list[tuple[str, str, str]]:
    result = extractor.extract(text, options=ExtractionOptions(**options))  # type: ignore[arg-type]
    return [(m.uri.removeprefix(ESCO), m.matched_text, m.method.value) for m in result.mentions]


def test_spans_point_at_the_words_and_inflections_count(extractor: SkillExtractor) -> None:
    text = "I managed budgets and wrote Python."
    result = extractor.extract(text)
    assert [(text[m.start : m.end], m.label) for m in result.mentions] == [
        ("managed budgets", "manage budgets"),
        ("Python", "Python (computer programming)"),
    ]


def test_the_longest_match_wins_over_a_nested_one(extractor: SkillExtractor) -> None:
    assert found(extractor, "Machine learning experts") == [("ml", "Machine learning", "lexical")]


def test_ambiguous_words_need_their_written_form_and_no_glue(extractor: SkillExtractor) -> None:
    assert found(extractor, "We code in Swift and R daily.") == [
        ("swift", "Swift", "lexical"),
        ("r", "R", "lexical"),
    ]
    assert found(extractor, "a swift reply from our R&D team") == []
    assert found(extractor, "Swift to answer, we reply.") == []  # "to" after a sentence start: the adjective


def test_a_one_word_label_needs_the_same_word_form(extractor: SkillExtractor) -> None:
    assert found(extractor, "Engineering degree") == [("packaging", "Engineering", "lexical")]
    assert found(extractor, "Our engineers") == []


def test_a_label_without_its_verb_is_found_with_lower_confidence(extractor: SkillExtractor) -> None:
    result = extractor.extract("Regular code reviews.")
    (mention,) = result.mentions
    assert mention.uri == ESCO + "review"
    assert mention.matched_text == "code reviews"
    assert mention.confidence < 0.8


def test_spelling_mistakes_are_fuzzy_matches_only_when_asked(extractor: SkillExtractor) -> None:
    text = "Strong projet managment and statistcs."
    assert found(extractor, text, methods=frozenset({Method.LEXICAL})) == []
    fuzzy = found(extractor, text)
    assert ("project", "projet managment", "fuzzy") in fuzzy
    confident = extractor.extract(text).mentions
    assert all(m.confidence < 0.9 for m in confident)


def test_a_document_defined_acronym_means_its_skill_everywhere(extractor: SkillExtractor) -> None:
    text = "Machine learning (ML) matters; we ship ML models."
    assert {(uri, match) for uri, match, _ in found(extractor, text)} == {
        ("ml", "Machine learning"),
        ("ml", "ML"),
    }
    assert len(found(extractor, text)) == 3


def test_organisation_skills_only_for_those_who_may_see_them(extractor: SkillExtractor) -> None:
    text = "Runs the Northwind release pipeline."
    assert found(extractor, text, visible_orgs=frozenset({7})) == [
        ("own", "Northwind release pipeline", "lexical")
    ]
    assert found(extractor, text, visible_orgs=frozenset({8})) == []


def test_the_skill_set_counts_each_skill_once_with_its_best_confidence(extractor: SkillExtractor) -> None:
    result = extractor.extract("Python. More Python, and statistics.")
    python = next(s for s in result.skills if s.uri == ESCO + "python")
    assert python.count == 2
    assert python.confidence == max(m.confidence for m in result.mentions if m.uri == python.uri)
    assert [s.confidence for s in result.skills] == sorted(
        (s.confidence for s in result.skills), reverse=True
    )


def test_min_confidence_and_exclusions_filter(extractor: SkillExtractor) -> None:
    assert found(extractor, "code reviews", min_confidence=0.9) == []
    assert found(extractor, "Python", exclude=frozenset({ESCO + "python"})) == []


def test_a_pickled_lexicon_finds_the_same(extractor: SkillExtractor) -> None:
    copy = SkillExtractor(pickle.loads(pickle.dumps(extractor.lexicon)))  # noqa: S301 - our own bytes
    text = "I managed budgets in Swift, with machine learning (ML)."
    assert copy.extract(text) == extractor.extract(text)
