"""The fast JCS path writes exactly what rfc8785 writes, and leaves the rest to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.credentials.jcs import _fast, canonical_json

DATA = Path(__file__).resolve().parents[2] / "data"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
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
    assert canonical_json(credential) == rfc8785.dumps(credential)
