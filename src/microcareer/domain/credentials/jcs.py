"""RFC 8785 JSON Canonicalization Scheme (JCS), with a fast path through the standard library.

``rfc8785`` (pure Python) is the reference and handles every JSON value. Most credentials hold only
strings, integers within ±2^53, booleans and nulls, with keys in the Basic Multilingual Plane; for
those, JCS is exactly ``json.dumps`` with sorted keys, no whitespace and no ASCII escaping: ES6 number
serialisation only matters for floats, UTF-16 key order equals code point order inside the BMP, and
both escape the same characters the same way (``\\b \\t \\n \\f \\r \\" \\\\`` short, other controls
as lowercase ``\\u00xx``). Anything else (a float, a big integer, a key beyond the BMP, a lone
surrogate, a type JSON lacks) goes to ``rfc8785``, which also raises on what JCS cannot encode.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_SAFE_INTEGER = 2**53 - 1
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode


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
    if _fast(value):
        return _encode(value).encode("utf-8")
    return rfc8785.dumps(value)
