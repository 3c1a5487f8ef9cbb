"""The lexicon's automaton reads three-character word codes: matches fall on whole words, as before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.extraction.lexicon import CODE_WIDTH, Lexicon, code, word_codes
from microcareer.domain.extraction.text_keys import text_keys

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]


def test_codes_are_distinct_and_each_place_has_letters_of_its_own() -> None:
    codes = word_codes(f"w{i}" for i in range(20_000))
    assert len(set(codes.values())) == len(codes)
    assert code(0, len(codes)) not in codes.values()
    places = [{c[place] for c in codes.values()} for place in range(CODE_WIDTH)]
    assert all(len(c) == CODE_WIDTH for c in codes.values())
    assert not places[0] & places[1]
    assert not places[1] & places[2]
    assert not places[0] & places[2]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=2, max_size=3), min_size=1, max_size=8),
    st.lists(st.sampled_from([*WORDS, "other", ","]), max_size=30),
)
def test_find_gives_every_place_where_a_label_s_keys_are_consecutive_keys(
    labels: list[list[str]], text: list[str]
) -> None:
    lexicon = Lexicon([(f"u:{i}", " ".join(words), "preferred", None) for i, words in enumerate(labels)])
    keys = text_keys(" ".join(text)).keys
    expected = {
        (first, len(key.split()), key_id)
        for key_id, key in enumerate(lexicon.keys)
        for first in range(len(keys))
        if list(keys[first : first + len(key.split())]) == key.split()
    }
    found = lexicon.find(text_keys(" ".join(text)))
    assert sorted(found) == sorted(expected)
    assert len(found) == len(set(found))
