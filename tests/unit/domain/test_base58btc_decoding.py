"""The lean base58btc decoder gives what the ``base58`` package gives, and refuses what it refuses."""

from __future__ import annotations

import base58
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.multikey import base58btc_decode, decode_public_key, encode_public_key


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80), st.sampled_from(["", " ", "\n", "  \t"]))
def test_decoding_matches_the_base58_package(data: bytes, tail: str) -> None:
    text = base58.b58encode(data).decode("ascii") + tail
    assert base58btc_decode(text) == base58.b58decode(text) == data


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_decodes_as_the_package_does_or_is_refused_as_it_is(text: str) -> None:
    try:
        expected = base58.b58decode(text)  # as the verifier called it before: with the text
    except ValueError:  # a character outside the alphabet (or beyond ASCII)
        with pytest.raises(InvalidProof):
            base58btc_decode(text)
        return
    assert base58btc_decode(text) == expected


def test_a_public_key_decodes_the_same_from_the_cache() -> None:
    multikey = encode_public_key(bytes(range(32)))
    assert decode_public_key(multikey) == decode_public_key(multikey) == bytes(range(32))
    with pytest.raises(InvalidProof):
        decode_public_key("z" + base58.b58encode(b"\xed\x01" + bytes(31)).decode())


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=8, max_size=80), st.data())
def test_a_character_outside_the_alphabet_anywhere_is_refused(data: bytes, draw: st.DataObject) -> None:
    text = base58.b58encode(data).decode("ascii")
    at = draw.draw(st.integers(min_value=0, max_value=len(text) - 1))
    bad = draw.draw(st.sampled_from(["0", "O", "I", "l", "+", "é", "\x00"]))
    with pytest.raises(InvalidProof):
        base58btc_decode(text[:at] + bad + text[at + 1 :])
