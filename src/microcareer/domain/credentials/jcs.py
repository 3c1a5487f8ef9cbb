"""RFC 8785 JSON Canonicalization Scheme (JCS), with fast paths through orjson and the standard library.

``rfc8785`` (pure Python) is the reference and handles every JSON value. Most credentials hold only
strings, booleans, nulls and no numbers at all, with keys in the Basic Multilingual Plane; for those,
JCS is exactly what orjson writes with sorted keys (compact, no ASCII escaping, ``\\b \\t \\n \\f \\r
\\" \\\\`` short and other controls as lowercase ``\\u00xx``, keys in code point order, which is UTF-16
order inside the BMP), and orjson writes it in a few microseconds. So orjson writes first, and its
bytes are kept only when they hold no number (numbers are where ES6 serialisation and orjson may
differ) and no null (orjson writes NaN so) and no character beyond the BMP (keys there sort
otherwise in UTF-16); orjson refuses lone surrogates and types JSON lacks (subclasses, datetimes and
dataclasses are passed to a ``default`` that refuses them too), and all of that takes the older paths:

- ``json.dumps`` with sorted keys, no whitespace and no ASCII escaping, where a walk of the value
  finds only strings, integers within ±2^53, booleans and nulls (ES6 number serialisation only
  matters for floats) and BMP keys;
- else ``rfc8785``, which also raises on what JCS cannot encode.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
import rfc8785

_SAFE_INTEGER = 2**53 - 1
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
_BEYOND_BMP = re.compile(rb"[\xf0-\xf4]")  # the lead byte of a 4-byte UTF-8 sequence

# Where a number or a null may start in orjson's compact text: after "," or "[" (an array's item), or
# after '":' (a member's value; a quote inside a string is escaped, so '":' there is rare). Each byte
# is read as flags (a character that may start a number or null, an opener, a quote, a colon: bits 0,
# 1, 3 and 5) into one integer, whose shifted copies line each byte up with the next (``<< 9``: bit
# 0 of the next byte on bit 1) or with the next two (``<< 6``: the next byte's bit 5 on bit 3;
# ``<< 19``: the byte after's bit 0 on bit 3): a bit left in ``flags & (flags << 9)`` is an opener
# followed by a number, one left in ``flags & (flags << 6) & (flags << 19)`` is '":' followed by one.
# These bits meet nowhere else (tests/unit/domain/test_credentials_jcs.py tries every short run of
# the classes). Letters other than "n" are deleted first: a run with fewer bytes to read, and a
# number or null is never split by a deletion, so nothing is missed; a string that the deletion
# makes look like one ("a,b1") only sends its value down a slower path, as any lookalike does.
_NUMBER_START, _OPENER, _QUOTE, _COLON = 1 << 0, 1 << 1, 1 << 3, 1 << 5
_FLAGS = bytes(
    _NUMBER_START
    if byte in b"-0123456789n"
    else _OPENER
    if byte in b",["
    else _QUOTE
    if byte == ord('"')
    else _COLON
    if byte == ord(":")
    else 0
    for byte in range(256)
)
_LETTERS = bytes(byte for byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmopqrstuvwxyz")


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _number_or_null(text: bytes) -> bool:
    """Whether orjson's compact ``text`` may hold a number or a null (see above): never a false no."""
    flags = int.from_bytes(text.translate(_FLAGS, _LETTERS), "big")
    return bool(flags & (flags << 9)) or bool(flags & (flags << 6) & (flags << 19))


def _orjson(value: Any) -> bytes | None:
    """orjson's bytes where they are provably JCS (see the module's docstring), else None."""
    if type(value) not in (dict, list):
        return None  # a bare scalar: cheap on the other paths
    try:
        text = orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    if _number_or_null(text):
        return None
    if not text.isascii() and _BEYOND_BMP.search(text) is not None:
        return None
    return text


def _plain_text(text: str) -> bool:
    """No lone surrogate (JCS refuses them; ``json`` would write them out)."""
    return not any("\ud800" <= char <= "\udfff" for char in text) if not text.isascii() else True


def _bmp_key(text: str) -> bool:
    return text.isascii() or (_plain_text(text) and all(char <= "\uffff" for char in text))


def _fast(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` holds only what ``json.dumps`` writes exactly as JCS does."""
    if depth > 64:
        return False
    kind = type(value)
    if kind is str:
        return _plain_text(value)
    if kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE_INTEGER <= value <= _SAFE_INTEGER)
    if kind is list:
        return all(_fast(item, depth + 1) for item in value)
    if kind is dict:
        return all(
            type(key) is str and _bmp_key(key) and _fast(item, depth + 1) for key, item in value.items()
        )
    return False


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    fastest = _orjson(value)
    if fastest is not None:
        return fastest
    if _fast(value):
        return _encode(value).encode("utf-8")
    return rfc8785.dumps(value)


def canonical_json_each(*values: Any) -> list[bytes]:
    """:func:`canonical_json` of each value; where orjson writes them all, one check reads them all.

    The texts are checked joined end to end: each ends with "}" or "]", bytes the check gives no
    flag, so no number start spans two texts and the joined run holds one exactly where one of the
    texts does (a proof configuration and its document: one check instead of two)."""
    texts = []
    for value in values:
        if type(value) not in (dict, list):
            return [canonical_json(value) for value in values]
        try:
            texts.append(orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS))
        except (TypeError, orjson.JSONEncodeError):
            return [canonical_json(value) for value in values]
    joined = b"".join(texts)
    if _number_or_null(joined) or (not joined.isascii() and _BEYOND_BMP.search(joined) is not None):
        return [canonical_json(value) for value in values]
    return texts
