"""Names and e-mail addresses that look like another one: a skeleton in the spirit of Unicode UTS #39.

Two strings that print alike (``Ada`` with a Cyrillic ``А``, ``paypal`` with a Greek ``ρ``, fullwidth
letters) get the same skeleton: NFKC then NFD, each character replaced by one representative of its
class of single-character confusables (the Unicode confusables data as the ``confusable_homoglyphs``
package ships it, closed under the relation, ASCII preferred), case folded and mapped again, spaces
collapsed. Accents are kept (``Zoë`` is not ``Zoe``).
Multi-character confusables (``rn`` against ``m``) are left out, so the skeleton errs on the side of
letting a name through.

A string *imitates* another when the skeletons are equal but the two differ after NFKC and case
folding: the same name written twice is not an imitation (people share names), the same look made of
other characters is.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache

from confusable_homoglyphs.utils import load as _load_confusables_data


@cache
def _representatives() -> dict[str, str]:
    """Each confusable character → the representative of its class (ASCII first, then lowest)."""
    data: dict[str, list[dict[str, str]]] = _load_confusables_data("confusables.json")
    parent: dict[str, str] = {}

    def find(ch: str) -> str:
        root = ch
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(ch, ch) != root:
            parent[ch], ch = root, parent[ch]
        return root

    def rank(ch: str) -> tuple[bool, int]:
        return (not ch.isascii(), ord(ch))

    for char, glyphs in data.items():
        if len(char) != 1:
            continue
        for glyph in glyphs:
            other = glyph["c"]
            if len(other) != 1:
                continue
            a, b = find(char), find(other)
            if a != b:
                low, high = sorted((a, b), key=rank)
                parent[high] = low
    return {ch: find(ch) for ch in parent}


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def skeleton(text: str) -> str:
    """The confusable skeleton: what ``text`` looks like, whatever characters spell it."""
    table = _representatives()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    mapped = "".join(table.get(ch, ch) for ch in decomposed)
    again = "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFD", mapped.casefold()))
    return " ".join(again.split())


def skeleton_hash(text: str) -> str:
    """SHA-256 hex of the skeleton: what the store indexes to find look-alikes."""
    return hashlib.sha256(skeleton(text).encode("utf-8")).hexdigest()


def imitates(candidate: str, existing: str) -> bool:
    """True when ``candidate`` looks like ``existing`` but is spelled with other characters."""
    return _folded(candidate) != _folded(existing) and skeleton(candidate) == skeleton(existing)
