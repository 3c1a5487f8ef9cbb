"""The fast JCS path writes exactly what rfc8785 writes, and leaves the rest to it."""

from __future__ import annotations

import json
import re
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.credentials.jcs import (
    _fast,
    _number_or_null,
    _orjson,
    canonical_json,
    canonical_json_each,
)

DATA = Path(__file__).resolve().parents[2] / "data"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x3F, categories=None)),  # controls and digits
    st.text(alphabet='0-n,[]{}":a \\'),  # what looks like JSON's structure, numbers and nulls
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_json_value_canonicalises_as_rfc8785_does(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError):
        with pytest.raises((rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError)):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@settings(max_examples=300, deadline=None)
@given(values, values)
def test_two_values_canonicalised_together_give_each_ones_bytes(first: Any, second: Any) -> None:
    # checked as one joined text: a number or null in either, or at their seam, is never missed
    try:
        expected = [rfc8785.dumps(first), rfc8785.dumps(second)]
    except (rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError):
        with pytest.raises((rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError)):
            canonical_json_each(first, second)
        return
    assert canonical_json_each(first, second) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"a": "x"}, {"b": 1}),
        ({"a": [1]}, {"b": "y"}),
        (["x"], [None]),
        ({"a": "x"}, {"b": "2026-11-23T09:00:00Z"}),
        ({"\U0001f600": "x", "a": "y"}, {"b": "z"}),
    ],
)
def test_a_number_in_either_value_is_found_where_they_meet(first: Any, second: Any) -> None:
    assert canonical_json_each(first, second) == [rfc8785.dumps(first), rfc8785.dumps(second)]


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ufb33": 2, "a": 3},  # UTF-16 order differs from code points beyond the BMP
        {"x": 1.5},
        {"x": 2**53},
        {"x": "\ud800"},
        {"x": "\u2028\x7f\x00\x1f é"},
        {"x": "\U0001f600"},  # beyond the BMP in a value only
        {"x": ["1", 'a\\"1', {"y": -0}]},  # digits in strings after escapes, and a number
        {"x": [True, None, False, 0]},
        {"x": float("nan")},  # JCS refuses NaN and the infinities (orjson would write null)
        {"x": [float("-inf")]},
        {"x": None},
        [{"b": "2026-11-23T09:00:00Z", "a": "urn:uuid:3f6d"}],
    ],
)
def test_the_edges_give_rfc8785s_bytes(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except Exception:
        with pytest.raises(Exception):  # noqa: B017, PT011
            canonical_json(value)
        return
    assert canonical_json(value) == expected


@pytest.mark.parametrize(
    "name", ["vc-di-eddsa/eddsa-jcs-2022-signedJCS.json", "ob-v3p0/ob-signed-credential.json"]
)
def test_credentials_take_the_fast_path(name: str) -> None:
    credential = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert _fast(credential)
    assert _orjson(credential) is not None  # the fastest path: no number, nothing beyond the BMP
    assert canonical_json(credential) == rfc8785.dumps(credential)


@pytest.mark.parametrize(
    ("value", "fastest"),
    [
        ({"a": "did:key:z6Mk#1", "b": ["2026-11-23T09:00:00Z"]}, True),  # digits only inside strings
        ({"a": "x", "n": 1}, False),  # a number: orjson and ES6 may write it otherwise
        ({"a": '\\"', "n": [0.5]}, False),  # a number after an escaped quote
        ({"\U0001f600": "x"}, False),  # beyond the BMP: keys sort in UTF-16 order
        ({"a": "\ud800"}, False),  # a lone surrogate: JCS refuses it
        ({"a": 1j}, False),  # not JSON
        ({"a": None}, False),  # a null: orjson writes NaN and the infinities so
        ({"a": [float("nan")]}, False),
        ({"a": "no, null, nan"}, True),  # in a string: no number
        ({"a": ["x", -2]}, False),  # a number as a later item
        ({"a": [[7]]}, False),  # a number as a first item
        ({"a": {"b": 0}}, False),  # a number as a member's value
        ({"a": "x", "b": ["y", None]}, False),
        ({"a": "https://x.example/status/1", "b": "did:key:z6Mk", "c": "09:00"}, True),
        ("a string", False),  # a bare scalar
    ],
)
def test_orjson_is_taken_only_where_it_is_jcs(value: Any, fastest: bool) -> None:
    assert (_orjson(value) is not None) is fastest
    if fastest:
        assert _orjson(value) == rfc8785.dumps(value)


_REFERENCE = re.compile(rb'(?:[,\[]|":)[-0-9n]')
"""Where a number or null may start in compact JSON, read plainly: after ",", "[" or '":'."""


def test_the_number_check_finds_every_start_and_nothing_else_in_any_short_run() -> None:
    # Every run of up to 5 bytes over what the check reads (a digit, "-", "n", ",", "[", '"', ":"),
    # a byte it ignores (" ") and a letter it deletes ("a"): its integer's shifted copies reach three
    # bytes on, so every way the bits could meet is here. Never a start missed; a false start only
    # where a deleted letter brought two bytes together.
    for length in range(1, 6):
        for run in product(b'0-n,[":a ', repeat=length):
            text = bytes(run)
            found = _number_or_null(text)
            if _REFERENCE.search(text) is not None:
                assert found, text
            elif b"a" not in text:
                assert not found, text
            else:
                assert found == (_REFERENCE.search(text.replace(b"a", b"")) is not None), text
