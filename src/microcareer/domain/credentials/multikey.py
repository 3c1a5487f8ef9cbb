"""Ed25519 keys as Multikey strings (multibase base58btc with a multicodec prefix) and did:key.

A public key is ``z`` + base58btc(0xed 0x01 + 32 key bytes); a secret key (its 32-byte seed) is
``z`` + base58btc(0x80 0x26 + seed). A did:key is ``did:key:`` + the public Multikey, and its one
verification method is ``did:key:<multikey>#<multikey>``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from microcareer.domain.credentials.errors import InvalidProof

ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_SECRET_PREFIX = b"\x80\x26"
DID_KEY_PREFIX = "did:key:"


def base58btc_encode(data: bytes) -> str:
    """Bitcoin's base58 alphabet (the ``base58`` package); each leading zero byte becomes a ``1``."""
    return base58.b58encode(data).decode("ascii")


_ALPHABET = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_DIGITS: list[int | None] = [None] * 256
for _value, _char in enumerate(_ALPHABET):
    _DIGITS[_char] = _value


_PAIR = 58 * 58
_QUAD = _PAIR * _PAIR
_PAIR_VALUES: list[int | None] = [None] * 65_536
"""Each two-character run's value (0 to 58² - 1) by its two bytes read as a big-endian 16-bit code;
None where either is not a base58 character."""
for _high, _first in enumerate(_ALPHABET):
    for _low, _second in enumerate(_ALPHABET):
        _PAIR_VALUES[_first << 8 | _second] = _high * 58 + _low


@lru_cache(maxsize=64)
def _unpack_codes(pairs: int) -> Callable[[bytes], tuple[int, ...]]:
    return struct.Struct(f">{pairs}H").unpack


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; raises ``InvalidProof`` on a character outside base58.

    The ``base58`` package's decoding (trailing whitespace ignored), two characters a lookup:
    ``struct`` reads the text as 16-bit codes and one ``itemgetter`` call looks each pair's value up
    in a table, so the Python loop is left one multiply-add per two pairs (a character outside
    base58 looks up None, which the loop's arithmetic refuses): about a quarter less time than five
    digits a step on the 64-byte signature that every proof check decodes."""
    data = text.rstrip().encode("ascii", "replace")
    pairs = len(data) >> 1
    number = _DIGITS[data[0]] if len(data) & 1 else 0
    if number is None or pairs < 2:  # a bad first character, or a text too short to matter
        return _base58btc_decode_checked(text, data)
    values: tuple[int, ...] = itemgetter(*_unpack_codes(pairs)(data[len(data) & 1 :]))(_PAIR_VALUES)
    pending = iter(values)
    try:
        if pairs & 1:
            number = number * _PAIR + next(pending)
        for high, low in zip(pending, pending, strict=True):
            number = number * _QUAD + (high * _PAIR + low)
    except TypeError:  # a pair's None: a character outside the alphabet
        return _base58btc_decode_checked(text, data)
    zeros = len(data) - len(data.lstrip(b"1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _base58btc_decode_checked(text: str, data: bytes) -> bytes:
    """Digit by digit, naming the first character outside base58 (the error path)."""
    number = 0
    for char in data:
        digit = _DIGITS[char]
        if digit is None:
            raise InvalidProof(f"{text[:16]!r} is not base58btc (Invalid character {chr(char)!r})")
        number = number * 58 + digit
    zeros = len(data) - len(data.lstrip(b"1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: ``z`` then base58btc."""
    return "z" + base58btc_encode(data)


def multibase_decode(text: str, *, what: str) -> bytes:
    """Decode multibase base58btc; ``what`` names the field in the error."""
    if not text.startswith("z"):
        raise InvalidProof(f"{what}: expected multibase base58btc (a leading 'z'), got {text[:8]!r}")
    return base58btc_decode(text[1:])


def _decode_key(text: str, prefix: bytes, *, what: str) -> bytes:
    raw = multibase_decode(text, what=what)
    if not raw.startswith(prefix) or len(raw) != len(prefix) + 32:
        raise InvalidProof(f"{what}: not an Ed25519 key (multicodec 0x{prefix.hex()} + 32 bytes)")
    return raw[len(prefix) :]


def encode_public_key(key: bytes) -> str:
    """The Multikey of a raw 32-byte Ed25519 public key."""
    return multibase_encode(ED25519_PUBLIC_PREFIX + key)


@lru_cache(maxsize=1_024)
def decode_public_key(multikey: str) -> bytes:
    """The raw 32-byte Ed25519 public key of a Multikey string (``z6Mk...``).

    The keys decoded last are kept (a bounded LRU by their Multikey string): a verifier meets the same
    few issuer keys again and again. A key that does not decode raises each time (not kept)."""
    return _decode_key(multikey, ED25519_PUBLIC_PREFIX, what="publicKeyMultibase")


def encode_secret_key(seed: bytes) -> str:
    """The Multikey of a raw 32-byte Ed25519 secret key (seed)."""
    return multibase_encode(ED25519_SECRET_PREFIX + seed)


def decode_secret_key(multikey: str) -> bytes:
    """The raw 32-byte Ed25519 seed of a secret Multikey string (``z3u2...``)."""
    return _decode_key(multikey, ED25519_SECRET_PREFIX, what="secretKeyMultibase")


def did_key(public_multikey: str) -> str:
    """The did:key DID of a public Multikey."""
    decode_public_key(public_multikey)
    return DID_KEY_PREFIX + public_multikey


def did_key_verification_method(public_multikey: str) -> str:
    """The verification method id of a did:key: ``did:key:<multikey>#<multikey>``."""
    return f"{did_key(public_multikey)}#{public_multikey}"


def public_key_of_did_key(verification_method: str) -> bytes:
    """The raw public key named by a did:key verification method id (or the bare DID)."""
    if not verification_method.startswith(DID_KEY_PREFIX):
        raise InvalidProof(f"verificationMethod {verification_method!r} is not a did:key")
    did, _, fragment = verification_method.partition("#")
    multikey = did[len(DID_KEY_PREFIX) :]
    if fragment and fragment != multikey:
        raise InvalidProof(f"verificationMethod {verification_method!r}: fragment is not its key")
    return decode_public_key(multikey)


def generate_key() -> tuple[bytes, str]:
    """A new Ed25519 key: its 32-byte seed and its public Multikey."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private.private_bytes_raw(), encode_public_key(public)


def public_multikey_of_seed(seed: bytes) -> str:
    """The public Multikey of a 32-byte Ed25519 seed."""
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return encode_public_key(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
