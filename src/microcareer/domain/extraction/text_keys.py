"""Text → a string of normalised word keys, with each key's character span in the original text.

Labels and documents go through the same function, so a label matches a text exactly when its keys
appear there as consecutive keys. Keys fold case and accents, British/American spelling, plurals and
simple inflections ("managed budgets" and "manage budget" give the same keys). Hard punctuation (commas,
brackets, sentence ends, bullets, line breaks) becomes a ``|`` key that no label crosses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, itemgetter

BOUNDARY = "|"

_STOP_SIGNS = ',;!?()[]{}<>"“”|•·▪●■◦–—\n\r'  # always a stop; "." and ":" before a space, " - " too
_STOP = r"[,;!?()\[\]{}<>\"“”|•·▪●■◦–—\n\r]|[.:](?=\s|$)|(?<=\s)-(?=\s)"


def _pieces(word: str, not_word: str) -> re.Pattern[str]:
    """Words, and runs of stops (with what is neither word nor stop between them), in one scan.

    A word: letters and digits, with "e-" before ("e-mail"), "'t" inside ("don't"), "++" after ("C++").
    A stop: a stop sign, a full stop or colon before a space or the end, a dash between spaces. The
    pattern starts with one character of either (the regex engine skips to such characters in C), then
    the look-behinds tell which it began."""
    return re.compile(
        rf"[\w{re.escape(_STOP_SIGNS)}.:\-]"
        rf"(?:(?<={word})(?:-(?={word}{word}))?{word}*(?:['’]{word}+)*[+#]*"  # the rest of a word
        rf"|(?:(?<=[.:])(?=\s|$)|(?<=\s-)(?=\s)|(?<=[{re.escape(_STOP_SIGNS)}]))"  # ... or a stop
        rf"(?:{not_word}*?(?:{_STOP}))*)"  # and the stops after it, up to the next word
    )


# Words are letters and digits; "_" is neither word nor stop. Most texts have no "_": there, "\w" (a
# little faster) reads the same.
_PIECES = _pieces(r"[^\W_]", r"[\W_]")
_PIECES_WITHOUT_UNDERSCORE = _pieces(r"\w", r"\W")
_ASCII_PIECES_WITHOUT_UNDERSCORE = re.compile(_PIECES_WITHOUT_UNDERSCORE.pattern, re.ASCII)  # faster still
_US_ISE = re.compile(r"(?<=[a-z]{2})(i|y)z(e|es|ed|ing|er|ers|ation|ations)$")
_DOUBLED = re.compile(r"([bcdfgkmnprt])\1$")
_VOWELS = frozenset("aeiouy")
# Irregular past forms CVs use a lot ("led a team", "wrote reports"): mapped to the verb labels use.
_IRREGULAR = dict(
    pair.split(":")
    for pair in [
        "led:lead",
        "built:build",
        "wrote:write",
        "written:write",
        "ran:run",
        "taught:teach",
        "sold:sell",
        "made:make",
        "drove:drive",
        "driven:drive",
        "took:take",
        "taken:take",
        "gave:give",
        "given:give",
        "kept:keep",
        "met:meet",
        "brought:bring",
        "thought:think",
        "bought:buy",
        "found:find",
        "held:hold",
        "spoke:speak",
        "spoken:speak",
        "understood:understand",
        "oversaw:oversee",
        "overseen:oversee",
        "undertook:undertake",
        "undertaken:undertake",
        "began:begin",
        "begun:begin",
        "chose:choose",
        "chosen:choose",
        "drew:draw",
        "drawn:draw",
        "grew:grow",
        "grown:grow",
        "sent:send",
        "spent:spend",
        "dealt:deal",
        "sought:seek",
        "won:win",
        "paid:pay",
        "laid:lay",
        "told:tell",
        "stood:stand",
        "caught:catch",
        "fed:feed",
        "felt:feel",
        "heard:hear",
        "became:become",
    ]
)


class TextKeys:
    """A text's ``keys``, in order; ``start(i)`` and ``end(i)`` say where key ``i``'s word is in the
    text, ``spans[i]`` both (a boundary key has no span: ``(-1, -1)``).

    ``keyed`` is `` k1 k2 | k3 ``: every key between single spaces (``positions[i]``: where key ``i``
    starts there), so a label's key is in it exactly where its keys are consecutive keys of the text.
    """

    __slots__ = ("_pieces", "keys")

    def __init__(self, keys: tuple[str, ...], pieces: Sequence[re.Match[str]]) -> None:
        """``pieces[i]`` is what the text writes for key ``i``: its word, or its stops."""
        self.keys = keys
        self._pieces = pieces

    @property
    def keyed(self) -> str:
        return f" {' '.join(self.keys)} "

    @property
    def positions(self) -> tuple[int, ...]:
        if not self.keys:
            return ()
        return tuple(accumulate(map(add, map(len, self.keys[:-1]), repeat(1)), initial=1))

    def start(self, i: int) -> int:
        return self._pieces[i].start()

    def end(self, i: int) -> int:
        return self._pieces[i].end()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return tuple(
            _NO_SPAN if key == BOUNDARY else piece.span()
            for key, piece in zip(self.keys, self._pieces, strict=True)
        )

    def replaced(self, replacements: Mapping[str, str]) -> TextKeys:
        """The same words with some keys replaced (spelling corrections), spans kept."""
        return TextKeys(tuple(replacements.get(key, key) for key in self.keys), self._pieces)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextKeys) and (self.keys, self.spans, self.keyed) == (
            other.keys,
            other.spans,
            other.keyed,
        )

    def __hash__(self) -> int:
        return hash((self.keys, self.spans))

    def __repr__(self) -> str:
        return f"TextKeys({self.keyed!r})"


_NO_SPAN = (-1, -1)


def _spelling(word: str) -> str:
    """American spellings to the British ones ESCO uses: organize → organise, color → colour (keyed)."""
    word = _US_ISE.sub(lambda m: f"{m.group(1)}s{m.group(2)}", word)
    if word.endswith("our") and len(word) > 4:
        word = word[:-3] + "or"
    return word


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses") or re.search(r"(ch|sh|x|zz)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    """British spelling and the plural ending off: what a one-word label must agree with."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _singular(_spelling(word))


def _stem(word: str) -> str:
    """Plural and inflection endings off (a light, symmetric stemmer: only equality matters)."""
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _spelling(word)
    singular = _singular(word)
    if singular != word:
        word = singular
    elif word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    elif word.endswith("ing") and len(word) >= 6 and set(word[:-3]) & _VOWELS:
        word = _DOUBLED.sub(r"\1", word[:-3])
    elif word.endswith("ed") and not word.endswith("eed") and len(word) >= 5:
        word = _DOUBLED.sub(r"\1", word[:-2])
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]  # APIs, KPIs, CVs: an acronym's plural
    folded = unicodedata.normalize("NFKD", word.casefold().replace("-", ""))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    if folded.endswith(("'s", "’s")):
        folded = folded[:-2]
    return folded.replace("'", "").replace("’", "")


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The key of one word: case and accents folded, possessive dropped, stemmed."""
    folded = _folded(word)
    return _stem(folded) if folded else folded


@lru_cache(maxsize=200_000)
def word_form(word: str) -> str:
    """A lighter key (plurals and spelling only): a one-word label and the word must agree on it, so
    "Engineer" does not match the label "engineering" although both are keyed "engineer"."""
    return _plural(_folded(word))


class _PieceKeys(dict[str, str]):
    """A piece as written → its key (its word's key, or a boundary): one dict look-up per word."""

    def __missing__(self, piece: str) -> str:
        if len(self) >= _PIECE_KEY_CACHE:
            self.clear()
        key = self[piece] = BOUNDARY if piece[0] in _STOP_START else word_key(piece)
        return key


_PIECE_KEY_CACHE = 200_000
_STOP_START = frozenset(_STOP_SIGNS + ".:-")
_key_of = _PieceKeys().__getitem__
_piece_text = itemgetter(0)


def text_keys(text: str) -> TextKeys:
    if "_" in text:
        pieces = list(_PIECES.finditer(text))
    elif text.isascii():
        pieces = list(_ASCII_PIECES_WITHOUT_UNDERSCORE.finditer(text))
    else:
        pieces = list(_PIECES_WITHOUT_UNDERSCORE.finditer(text))
    keys = list(map(_key_of, map(_piece_text, pieces)))
    if "" in keys:  # a word of combining marks only: it has no key and takes no place
        keys, pieces = _without_empty(keys, pieces)
    elif keys and keys[0] == BOUNDARY:  # stops before the first word
        del keys[0], pieces[0]
    return TextKeys(tuple(keys), pieces)


def _without_empty(keys: list[str], pieces: list[re.Match[str]]) -> tuple[list[str], list[re.Match[str]]]:
    """The keys and pieces without empty keys, and without the boundary each left at the start or
    next to another boundary."""
    kept_keys: list[str] = []
    kept_pieces: list[re.Match[str]] = []
    for key, piece in zip(keys, pieces, strict=True):
        if key and not (key == BOUNDARY and (not kept_keys or kept_keys[-1] == BOUNDARY)):
            kept_keys.append(key)
            kept_pieces.append(piece)
    return kept_keys, kept_pieces


def strip_qualifier(label: str) -> str:
    """ "Python (computer programming)" → "Python"; a label that is all qualifier stays as it is."""
    return _QUALIFIER.sub("", label).strip() or label


def label_key(label: str) -> str:
    """The keyed form of a label (`` k1 k2 ``), or ``""`` when it has no words.

    A trailing qualifier in brackets is dropped: "Python (computer programming)" is keyed "python".
    """
    keys = text_keys(strip_qualifier(label)).keys
    while keys and keys[-1] == BOUNDARY:
        keys = keys[:-1]
    return f" {' '.join(keys)} " if keys else ""
