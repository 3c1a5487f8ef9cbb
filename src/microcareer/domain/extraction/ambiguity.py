"""Which labels are ambiguous on their own ("Go", "R", "Excel" the verb) and what they need to count.

A one-word label that is written with capitals in the taxonomy ("Swift", "R") but is also an ordinary
word or a letter must appear in the text as written (``Swift`` but not ``swift``). Whether the word is
ordinary is read off the taxonomy itself (it appears in lower case inside other labels) and off a short
list of technology names that are everyday words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from microcareer.domain.extraction.text_keys import word_form

# Technology names that are also everyday English words; the taxonomy alone does not tell.
EVERYDAY_TECH_NAMES = frozenset(
    [
        "ada",
        "access",
        "assembly",
        "basic",
        "chef",
        "crystal",
        "dart",
        "delphi",
        "elm",
        "excel",
        "express",
        "flask",
        "go",
        "groovy",
        "jenkins",
        "julia",
        "logo",
        "maven",
        "mercury",
        "node",
        "oracle",
        "outlook",
        "pascal",
        "puppet",
        "react",
        "ruby",
        "rust",
        "sage",
        "salt",
        "scheme",
        "shell",
        "slack",
        "spark",
        "swift",
        "teams",
        "word",
    ]
)
SHORT = 2  # keys this short ("r", "c", "go", "ai") are ambiguous whatever the taxonomy says
ORDINARY_IN_LABELS = 3  # a word seen in lower case in this many other labels is an ordinary word


def lowercase_word_counts(labels: Iterable[str]) -> Counter[str]:
    """How many labels use each word (by its word form) in lower case: as an ordinary word, not a name."""
    counts: Counter[str] = Counter()
    for label in labels:
        counts.update({word_form(word) for word in label.split() if word.isalpha() and word.islower()})
    return counts


def is_ambiguous(word_key: str, written: str, lowercase_counts: Counter[str]) -> bool:
    """Is a one-word label (keyed ``word_key``, written ``written`` in the taxonomy) ambiguous alone?"""
    if len(word_key) <= SHORT or (written.isupper() and len(written) <= 5):
        return True  # "R", "Go", and acronyms such as "LED" (not "led") or "ICT"
    if written.islower():
        return False  # "communication": an ordinary word is what the skill is called
    return (
        written.casefold() in EVERYDAY_TECH_NAMES
        or lowercase_counts[word_form(written)] >= ORDINARY_IN_LABELS
    )


def accepted_forms(written: str) -> frozenset[str]:
    """How an ambiguous label may be written in a text to count: as in the taxonomy, or in capitals."""
    return frozenset({written, written.upper()})
