"""W3C Bitstring Status List v1.0: revocation and suspension as one bit per credential.

A list is a bitstring of at least 131,072 entries (16 KiB), so one credential hides in a crowd; it is
published GZIP-compressed, base64url without padding, with the multibase prefix ``u``. Index 0 is the
most significant bit of the first byte. Indexes are drawn at random, never in issue order, so a
list does not tell when (or in what order) credentials were issued. The older StatusList2021
encoding (the same bits, base64url without the prefix) is read too.
"""

from __future__ import annotations

import base64
import gzip
import secrets
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from microcareer.errors import InvalidInput

REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
MIN_ENTRIES = 131_072
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
CREDENTIAL_TYPE = "BitstringStatusListCredential"
LEGACY_ENTRY_TYPE = "StatusList2021Entry"
_MAX_COMPRESSED = 1 << 20  # a 16 KiB list compresses to a few hundred bytes; refuse anything silly
_MAX_BITS = 1 << 26  # 8 MiB of bits: far past any real list
# Past this share of entries in use a new list is opened, so drawing a free index stays fast and random.
FILL_LIMIT = 0.5


@dataclass(slots=True)
class StatusList:
    """A mutable bitstring; ``get`` and ``set`` check the index."""

    bits: bytearray

    @classmethod
    def empty(cls, size: int = MIN_ENTRIES) -> StatusList:
        if size < MIN_ENTRIES or size % 8:
            raise InvalidInput(
                f"a status list has at least {MIN_ENTRIES} entries, a multiple of 8 (not {size})",
                field="size",
            )
        return cls(bytearray(size // 8))

    @property
    def size(self) -> int:
        return len(self.bits) * 8

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise InvalidInput(
                f"status list index {index} is outside the list (0 to {self.size - 1})",
                field="statusListIndex",
            )

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self.bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool) -> None:
        self._check(index)
        mask = 0x80 >> (index % 8)
        if value:
            self.bits[index // 8] |= mask
        else:
            self.bits[index // 8] &= ~mask & 0xFF

    def encode(self) -> str:
        """``encodedList``: multibase base64url (no padding) of the GZIP-compressed bits."""
        compressed = gzip.compress(bytes(self.bits), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_status_list(encoded_list: str, *, what: str = "encodedList") -> StatusList:
    """Read an ``encodedList`` (Bitstring Status List, or StatusList2021 without the prefix)."""
    if not isinstance(encoded_list, str) or not encoded_list:
        raise InvalidInput(f"{what}: missing or not a string", field=what)
    text = encoded_list[1:] if encoded_list.startswith("u") else encoded_list
    if len(text) > _MAX_COMPRESSED:
        raise InvalidInput(f"{what}: longer than {_MAX_COMPRESSED} characters", field=what)
    try:
        compressed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except ValueError:
        raise InvalidInput(f"{what}: not base64url", field=what) from None
    try:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = decompressor.decompress(compressed, _MAX_BITS // 8 + 1)
    except zlib.error:
        raise InvalidInput(f"{what}: not GZIP data", field=what) from None
    if len(bits) > _MAX_BITS // 8:
        raise InvalidInput(f"{what}: decompresses past {_MAX_BITS} entries", field=what)
    if not decompressor.eof:
        raise InvalidInput(f"{what}: the GZIP data is truncated", field=what)
    return StatusList(bytearray(bits))


def allocate_index(used: Collection[int], size: int) -> int | None:
    """A uniformly random free index of a list of ``size`` entries, or None when the list is full.

    "Full" means past ``FILL_LIMIT``: the caller then opens a new list.
    """
    if len(used) >= size * FILL_LIMIT:
        return None
    while True:
        index = secrets.randbelow(size)
        if index not in used:
            return index


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """The ``credentialStatus`` entry that points a credential at its bit."""
    if purpose not in PURPOSES:
        raise InvalidInput(f"status purpose must be one of {', '.join(PURPOSES)}", field="statusPurpose")
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *, list_url: str, issuer: str | Mapping[str, Any], purpose: str, bits: StatusList, valid_from: str
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` publishing ``bits`` (sign it before serving)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": LIST_TYPE,
            "statusPurpose": purpose,
            "encodedList": bits.encode(),
        },
    }
