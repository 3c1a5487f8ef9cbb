"""Cutting a text into marked pieces: overlapping, nested, touching and out-of-range mentions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.extraction.mentions import DocumentSkill, Method, SkillMention
from microcareer.web.highlights import SkillOrder, pieces, sorted_skills

TEXT = "Senior data engineer with data mining skills."


def mention(
    start: int, end: int, label: str = "x", confidence: float = 0.8, text: str = TEXT
) -> SkillMention:
    return SkillMention(
        uri=f"urn:{label}",
        label=label,
        start=start,
        end=end,
        matched_text=text[start:end],
        matched_label=label,
        method=Method.LEXICAL,
        confidence=confidence,
    )


def marked(text: str, found: list[SkillMention]) -> list[tuple[str, list[str]]]:
    return [(p.text, [m.label for m in p.mentions]) for p in pieces(text, found)]


def test_a_text_without_mentions_is_one_unmarked_piece() -> None:
    assert marked(TEXT, []) == [(TEXT, [])]
    assert pieces("", []) == []


def test_touching_mentions_stay_two_marks() -> None:
    text = "PythonSQL"
    found = [mention(0, 6, "python", text=text), mention(6, 9, "sql", text=text)]
    assert marked(text, found) == [("Python", ["python"]), ("SQL", ["sql"])]


def test_a_mention_inside_another_splits_it_and_lists_both_most_confident_first() -> None:
    outer = mention(26, 37, "data mining", confidence=0.95)  # "data mining"
    inner = mention(26, 30, "data", confidence=0.6)  # "data"
    assert marked(TEXT, [inner, outer])[1:4] == [
        ("data", ["data mining", "data"]),
        (" mining", ["data mining"]),
        (" skills.", []),
    ]


def test_crossing_mentions_and_two_skills_on_the_same_words() -> None:
    text = "abcdef"
    found = [
        mention(0, 4, "left", 0.5, text),
        mention(2, 6, "right", 0.9, text),
        mention(2, 6, "twin", 0.7, text),
    ]
    assert marked(text, found) == [
        ("ab", ["left"]),
        ("cd", ["right", "twin", "left"]),
        ("ef", ["right", "twin"]),
    ]
    assert pieces(text, found)[1].best == found[1]


def test_spans_past_the_text_are_clamped_and_empty_ones_ignored() -> None:
    text = "abc"
    assert marked(text, [mention(1, 99, "tail", text=text), mention(2, 2, "empty", text=text)]) == [
        ("a", []),
        ("bc", ["tail"]),
    ]


@st.composite
def texts_with_mentions(draw: st.DrawFn) -> tuple[str, list[SkillMention]]:
    text = draw(st.text(alphabet="ab <>&\n", max_size=40))
    spans = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=8))
    found = [mention(min(s), max(s), f"m{i}", text=text) for i, s in enumerate(spans)]
    return text, found


@given(texts_with_mentions())
def test_pieces_give_back_the_text_and_each_lies_inside_exactly_its_mentions(
    case: tuple[str, list[SkillMention]],
) -> None:
    text, found = case
    cut = pieces(text, found)
    assert "".join(p.text for p in cut) == text
    assert all(p.text == text[p.start : p.end] and p.start < p.end for p in cut)
    for piece in cut:
        inside = {m.label for m in found if m.start <= piece.start and piece.end <= m.end}
        assert {m.label for m in piece.mentions} == inside
        crossing = [m for m in found if m.start < m.end and m.start < piece.end and piece.start < m.end]
        assert {m.label for m in crossing} == inside  # no mention starts or ends inside a piece


def skill(label: str, count: int, confidence: float) -> DocumentSkill:
    return DocumentSkill(
        uri=f"urn:{label}", label=label, count=count, confidence=confidence, methods=(Method.LEXICAL,)
    )


def test_the_skill_table_sorts_by_confidence_count_or_label() -> None:
    skills = [skill("b", 1, 0.9), skill("A", 3, 0.6), skill("c", 2, 0.95)]
    assert [s.label for s in sorted_skills(skills, SkillOrder.CONFIDENCE)] == ["c", "b", "A"]
    assert [s.label for s in sorted_skills(skills, SkillOrder.COUNT)] == ["A", "c", "b"]
    assert [s.label for s in sorted_skills(skills, SkillOrder.LABEL)] == ["A", "b", "c"]
