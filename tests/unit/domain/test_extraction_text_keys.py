"""Keys: labels and texts normalised alike, so that inflected and differently written words meet."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcareer.domain.extraction.text_keys import BOUNDARY, label_key, text_keys, word_form, word_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("managed", "manage"),
        ("managing", "manage"),
        ("budgets", "budget"),
        ("technologies", "technology"),
        ("processes", "process"),
        ("organized", "organise"),
        ("organization", "organisation"),
        ("behaviour", "behavior"),
        ("planning", "plan"),
        ("led", "lead"),
        ("APIs", "API"),
        ("employer's", "employer"),
        ("Café", "cafe"),
    ],
)
def test_inflected_and_variant_spellings_share_a_key(a: str, b: str) -> None:
    assert word_key(a) == word_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("analysis", "analyst"), ("status", "state"), ("C++", "C#"), ("data", "date")]
)
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert word_key(a) != word_key(b)


def test_the_lighter_word_form_tells_engineering_from_engineer() -> None:
    assert word_key("engineering") == word_key("engineer")
    assert word_form("engineering") != word_form("engineers")
    assert word_form("engineers") == word_form("Engineer")


def test_hard_punctuation_becomes_a_boundary_and_spans_point_into_the_text() -> None:
    text = "Python, Node.js and C++ (not Go).\n- e-mail"
    keys = text_keys(text)
    assert keys.keys == (
        "python",
        BOUNDARY,
        "nod",
        "js",
        "and",
        "c++",
        BOUNDARY,
        "not",
        "go",
        BOUNDARY,
        "email",
    )
    for key, (start, end) in zip(keys.keys, keys.spans, strict=True):
        if key != BOUNDARY:
            assert word_key(text[start:end]) == key
    assert keys.keyed.startswith(" python | nod js ")


def test_a_label_loses_its_bracketed_qualifier() -> None:
    assert label_key("Python (computer programming)") == " python "
    assert label_key("(only a qualifier)") == " only a qualifier "
    assert label_key("   ") == ""


@given(st.text(max_size=200))
def test_every_key_sits_between_single_spaces_at_its_position(text: str) -> None:
    keys = text_keys(text)
    for key, position in zip(keys.keys, keys.positions, strict=True):
        assert keys.keyed[position - 1] == " "
        assert keys.keyed[position : position + len(key)] == key
        assert keys.keyed[position + len(key)] == " "


# The keys as they were first computed, one regex over words and stops, one piece at a time: the
# faster two-scan text_keys must give exactly the same.
_PIECES = re.compile(
    r"(?P<word>(?:[^\W_]-(?=[^\W_]{2}))?[^\W_]+(?:['’][^\W_]+)*[+#]*)"
    r"|(?P<stop>[,;!?()\[\]{}<>\"“”|•·▪●■◦–—\n\r]|[.:](?=\s|$)|\s-\s)"
)


def _reference_keys(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    for piece in _PIECES.finditer(text):
        if piece.lastgroup == "word":
            key = word_key(piece.group())
            if key:
                keys.append(key)
                spans.append(piece.span())
        elif keys and keys[-1] != BOUNDARY:
            keys.append(BOUNDARY)
            spans.append((-1, -1))
    return tuple(keys), tuple(spans)


_TRICKY = st.sampled_from(
    [" ", "  ", "-", " - ", " -", "- ", ".", ". ", ":", ": ", "\n", "\r\n", "(", ")", "'", "’", "+", "#",
     "e-mail", "C++", "don't", "APIs", "Café", "a\u0301", "\u0301", "_", "•", "–", "x-yz", "Node.js"]
)  # fmt: skip


@given(st.lists(st.one_of(_TRICKY, st.text(max_size=8)), max_size=40).map("".join))
def test_the_keys_and_spans_are_those_of_the_one_piece_at_a_time_reference(text: str) -> None:
    keys = text_keys(text)
    assert (keys.keys, keys.spans) == _reference_keys(text)
    assert keys.keyed == f" {' '.join(keys.keys)} "
