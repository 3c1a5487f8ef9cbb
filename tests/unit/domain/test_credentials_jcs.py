"""The fast JCS path writes exactly what rfc8785 writes, and leaves the rest to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.credentials.jcs import _fast, _orjson, canonical_json

DATA = Path(__file__).resolve().parents[2] / "data"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x3F, categories=None)),  # controls and digits
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
        ("a string", False),  # a bare scalar
    ],
)
def test_orjson_is_taken_only_where_it_is_jcs(value: Any, fastest: bool) -> None:
    assert (_orjson(value) is not None) is fastest
    if fastest:
        assert _orjson(value) == rfc8785.dumps(value)
