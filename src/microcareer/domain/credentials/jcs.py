"""RFC 8785 JSON Canonicalization Scheme (JCS), with fast paths through orjson and the standard library.

``rfc8785`` (pure Python) is the reference and handles every JSON value. Most credentials hold only
strings, booleans, nulls and no numbers at all, with keys in the Basic Multilingual Plane; for those,
JCS is exactly what orjson writes with sorted keys (compact, no ASCII escaping, ``\\b \\t \\n \\f \\r
\\" \\\\`` short and other controls as lowercase ``\\u00xx``, keys in code point order, which is UTF-16
order inside the BMP), and orjson writes it in a few microseconds. So orjson writes first, and its
bytes are kept only when they hold no number (numbers are where ES6 serialisation and orjson may
differ; a number is looked for where one can start, and a string that merely looks so there is
taken for one) and no null (orjson writes NaN so) and no character beyond the BMP (keys there sort
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
# Where a number may start in orjson's compact text: a member's value (after a key's closing quote and
# the colon) or an array's item (after "[" or ","). Every number is found; text inside a string may
# look the same (as "a,1" does), which only sends that value down a slower path. orjson writes NaN
# and the infinities as null (JCS refuses them), so a null is taken for a number too. Digits, minus
# signs and "n" are first all written "0" and "[" written ",", so two substring searches (in C) find
# every such place.
_DIGITS_TO_ZERO = bytes.maketrans(b"-123456789n[", b"0" * 11 + b",")
_NUMBER_STARTS = (b",0", b'":0')
_BEYOND_BMP = re.compile(rb"[\xf0-\xf4]")  # the lead byte of a 4-byte UTF-8 sequence


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _orjson(value: Any) -> bytes | None:
    """orjson's bytes where they are provably JCS (see the module's docstring), else None."""
    if type(value) not in (dict, list):
        return None  # a bare scalar: cheap on the other paths
    try:
        text = orjson.dumps(value, default=_refuse, option=_ORJSON_OPTIONS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    marked = text.translate(_DIGITS_TO_ZERO)
    if _NUMBER_STARTS[0] in marked or _NUMBER_STARTS[1] in marked:
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
