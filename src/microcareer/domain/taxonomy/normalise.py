"""Label normalisation shared by search and extraction: one spelling of a label, and its word tokens.

Normalising is NFKC, casefold and collapsed whitespace. Tokens are words, keeping the punctuation
that is part of a technology's name: ``c++``, ``c#``, ``.net``, ``node.js``, ``asp.net``. Hyphens and
brackets separate tokens, so ``e-commerce`` gives ``e`` and ``commerce``.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# A word, optionally led by a dot (.net), followed by +/# (c++, c#) or by dotted parts (node.js).
_TOKEN = re.compile(r"\.?\w+(?:[+#]+|(?:\.\w+)+)?")


def normalise_label(text: str) -> str:
    """NFKC, casefold, and single spaces with none at either end."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def tokens_of_normalised(normalised: str) -> list[str]:
    """Word tokens of text that ``normalise_label`` has already normalised."""
    return _TOKEN.findall(normalised)


def label_tokens(text: str) -> list[str]:
    """Word tokens of any text, normalised first."""
    return tokens_of_normalised(normalise_label(text))
