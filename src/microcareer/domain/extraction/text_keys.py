"""Text → a string of normalised word keys, with each key's character span in the original text.

Labels and documents go through the same function, so a label matches a text exactly when its keys
appear there as consecutive keys. Keys fold case and accents, British/American spelling, plurals and
simple inflections ("managed budgets" and "manage budget" give the same keys). Hard punctuation (commas,
brackets, sentence ends, bullets, line breaks) becomes a ``|`` key that no label crosses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BOUNDARY = "|"

_PIECES = re.compile(
    r"(?P<word>(?:[^\W_]-(?=[^\W_]{2}))?[^\W_]+(?:['’][^\W_]+)*[+#]*)"  # C++, C#, don't, e-mail
    r"|(?P<stop>[,;!?()\[\]{}<>\"“”|•·▪●■◦–—\n\r]|[.:](?=\s|$)|\s-\s)"
)
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


@dataclass(frozen=True, slots=True)
class TextKeys:
    """``keyed`` is `` k1 k2 | k3 ``: every key between single spaces, so matches fall on whole keys.

    ``positions[i]`` is where key ``i`` starts in ``keyed``; ``spans[i]`` its characters in the text.
    Boundary keys have no span (``(-1, -1)``).
    """

    keyed: str
    keys: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    positions: tuple[int, ...]


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


def text_keys(text: str) -> TextKeys:
    keys: list[str] = []
    spans: list[tuple[int, int]] = []
    for piece in _PIECES.finditer(text):
        if piece.lastgroup == "word":
            key = word_key(piece.group())
            if key:
                keys.append(key)
                spans.append(piece.span())
        elif keys and keys[-1] != BOUNDARY:
            keys.append(BOUNDARY)
            spans.append((-1, -1))
    positions = []
    offset = 1
    for key in keys:
        positions.append(offset)
        offset += len(key) + 1
    return TextKeys(f" {' '.join(keys)} ", tuple(keys), tuple(spans), tuple(positions))


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
