"""Bitstring Status List: bit order, encoding, limits and random allocation."""

from __future__ import annotations

import base64
import gzip

import pytest

from microcareer.domain.credentials.status_list import (
    MIN_ENTRIES,
    REVOCATION,
    StatusList,
    allocate_index,
    decode_status_list,
    status_entry,
    status_list_credential,
)
from microcareer.errors import InvalidInput


def test_a_new_list_has_the_minimum_size_and_no_bit_set() -> None:
    bits = StatusList.empty()
    assert bits.size == MIN_ENTRIES == 131_072
    assert not any(bits.get(i) for i in (0, 1, 7, 8, MIN_ENTRIES - 1))


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = StatusList.empty()
    bits.set(0, True)
    bits.set(9, True)
    assert bits.bits[0] == 0b1000_0000
    assert bits.bits[1] == 0b0100_0000
    bits.set(0, False)
    assert bits.bits[0] == 0
    assert bits.get(9)


def test_encoding_is_multibase_base64url_gzip_and_reads_back() -> None:
    bits = StatusList.empty()
    for index in (3, 94_567, MIN_ENTRIES - 1):
        bits.set(index, True)
    encoded = bits.encode()
    assert encoded.startswith("uH4sI")
    assert "=" not in encoded
    assert "+" not in encoded
    back = decode_status_list(encoded)
    assert back.bits == bits.bits
    assert [i for i in (2, 3, 4, 94_567, MIN_ENTRIES - 1) if back.get(i)] == [3, 94_567, MIN_ENTRIES - 1]


def test_a_statuslist2021_list_without_the_multibase_prefix_is_read() -> None:
    raw = bytearray(MIN_ENTRIES // 8)
    raw[0] = 0x01  # index 7
    legacy = base64.urlsafe_b64encode(gzip.compress(bytes(raw))).decode().rstrip("=")
    assert decode_status_list(legacy).get(7)


@pytest.mark.parametrize(
    ("encoded", "problem"),
    [
        ("", "missing"),
        ("u!!!", "base64url"),
        ("u" + base64.urlsafe_b64encode(b"not gzip").decode(), "GZIP"),
        ("u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 100, mtime=0)[:-6]).decode(), "truncated"),
    ],
)
def test_bad_encoded_lists_are_refused_with_the_reason(encoded: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        decode_status_list(encoded)


def test_a_gzip_bomb_is_refused() -> None:
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * (9 << 20))).decode()
    with pytest.raises(InvalidInput, match="decompresses past"):
        decode_status_list(bomb)


def test_out_of_range_indexes_and_small_lists_are_refused() -> None:
    bits = StatusList.empty()
    with pytest.raises(InvalidInput, match="outside the list"):
        bits.get(MIN_ENTRIES)
    with pytest.raises(InvalidInput, match="outside the list"):
        bits.set(-1, True)
    with pytest.raises(InvalidInput, match="at least 131072"):
        StatusList.empty(1024)


def test_allocation_is_random_free_and_stops_at_the_fill_limit() -> None:
    used: set[int] = set()
    for _ in range(200):
        index = allocate_index(used, MIN_ENTRIES)
        assert index is not None
        assert index not in used
        used.add(index)
    # 200 random draws from 131,072 are not in issue order (the chance they are sorted is nil)
    assert sorted(used) != list(range(200))
    assert allocate_index(set(range(8)), 16) is None
    assert allocate_index(set(range(7)), 16) in set(range(7, 16))


def test_entry_and_list_credential_shapes() -> None:
    entry = status_entry("https://x.example/status/1", 42, REVOCATION)
    assert entry == {
        "id": "https://x.example/status/1#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": "https://x.example/status/1",
    }
    with pytest.raises(InvalidInput, match="status purpose"):
        status_entry("https://x.example/status/1", 1, "expiry")
    credential = status_list_credential(
        list_url="https://x.example/status/1",
        issuer="did:key:z6Mk",
        purpose=REVOCATION,
        bits=StatusList.empty(),
        valid_from="2026-11-23T00:00:00Z",
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["type"] == "BitstringStatusList"
    assert decode_status_list(credential["credentialSubject"]["encodedList"]).size == MIN_ENTRIES
