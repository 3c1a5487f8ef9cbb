"""Every label of every skill in one Aho-Corasick automaton over normalised keys (pyahocorasick).

The automaton reads words, not letters: every word that labels use has a code of three characters
(``word_codes``), every other word the code no label has. A posting of 450 words is then 1,350 steps
through a small automaton, not 2,500 through a large one over the labels' letters. (One character a
word would be fewer steps, but pyahocorasick looks a node's children up one by one: at the root,
thousands of them. Three characters from alphabets of a few dozen keep every node small; each place
in a code has its own alphabet, so a label's codes can only match where a text's word starts.)

Built once per taxonomy revision (about two seconds for ESCO's 113,000 labels) and pickled to disk by
the service, so a command starts in a fraction of that.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import ahocorasick

from microcareer.domain.extraction.ambiguity import accepted_forms, is_ambiguous, lowercase_word_counts
from microcareer.domain.extraction.text_keys import BOUNDARY, TextKeys, label_key, strip_qualifier, word_form

LEXICON_FORMAT = 5  # bump when what a Lexicon holds or how labels are keyed changes: caches rebuild
LabelRow = tuple[str, str, str, int | None]  # (uri, label, kind, organisation_id)
KIND_RANK = {"preferred": 0, "alt": 1, "hidden": 2, "tool": 3}
TOOL_RANK = 3  # a tool name from outside the taxonomy (O*NET): "Docker", "Microsoft Excel"
DERIVED_RANK = 2  # a label made from another by dropping its verb counts as much as a hidden label
# Verbs that say how a skill is exercised, not what it is: "conduct ICT code review" is also written
# "code review(s)" in postings and CVs. The label without them (and without "ICT") becomes a label too.
_LEADING_VERBS = (
    "carry out ",
    "work with ",
    "use ",
    "apply ",
    "perform ",
    "conduct ",
    "utilise ",
    "employ ",
    "undertake ",
    "execute ",
    "implement ",
    "operate ",
    "practise ",
    "do ",
)
_NOT_A_START = tuple(
    f"{w} "
    for w in ["a", "an", "the", "to", "of", "in", "on", "for", "with", "by", "at", "from", "and", "or"]
)
RARE_IN_LABELS = 10  # a one-word remainder must be this rare to stand alone ("forklift", not "staff")
GENERIC_IN_LABELS = 50  # a word used in lower case in this many labels is a common word
EVERYDAY_IN_LABELS = 300  # ... and in this many, an everyday one


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    uri: str
    label: str
    kind_rank: int  # 0 preferred, 1 alternative, 2 hidden, 3 tool name
    organisation_id: int | None


@dataclass(frozen=True, slots=True)
class OneWordRule:
    """What a word must look like to count as a one-word label: the same word form ("engineers" for
    "engineer", not "engineering"), and for an ambiguous label one of its written forms ("Swift")."""

    word_forms: frozenset[str]
    written: frozenset[str] | None
    generic: bool  # a common word ("design"): as another skill's alternative label, a weak sign
    everyday: bool  # so common ("plan") that even as a preferred label it is a weak sign


# (first, length, key_id): keys ``first`` to ``first + length - 1`` of a text spell the label key
# ``key_id``. A plain tuple: a posting has dozens, made in one comprehension.
KeyMatch = tuple[int, int, int]


class Lexicon:
    """The labels, keyed; ``find`` gives every place a label key occurs in a text's keys.

    Rows of kind ``tool`` are names of tools that name a skill ("Docker"); one whose skill has no
    label of its own here is skipped (another taxonomy), and a one-word tool name always counts only
    as written ("Slack", not "slack"), as an ambiguous label does.
    """

    def __init__(self, rows: Iterable[LabelRow], *, revision: str = "") -> None:
        self.revision = revision
        entries: list[LexiconEntry] = []
        self.preferred: dict[str, str] = {}
        by_key: dict[str, list[int]] = {}
        tools: list[LabelRow] = []
        for uri, label, kind, organisation_id in rows:
            if kind == "tool":
                tools.append((uri, label, kind, organisation_id))
                continue
            if kind == "preferred":
                self.preferred[uri] = label
            bare = strip_qualifier(label)
            key = label_key(bare)
            if not key:
                continue
            rank = KIND_RANK.get(kind, 2)
            if bare != label:
                rank = max(rank, 1)  # "ML (computer programming)" needed its qualifier to be preferred
            by_key.setdefault(key, []).append(len(entries))
            entries.append(LexiconEntry(uri, bare, rank, organisation_id))
        counts = lowercase_word_counts(entry.label for entry in entries)
        known = {entry.uri for entry in entries}
        for uri, label, _, organisation_id in tools:
            key = label_key(label)
            if key and uri in known:
                by_key.setdefault(key, []).append(len(entries))
                entries.append(LexiconEntry(uri, label, TOOL_RANK, organisation_id))
        for entry in list(entries):
            variant = _without_verb(entry.label) if entry.kind_rank < DERIVED_RANK else None
            if variant is None:
                continue
            key = label_key(variant)
            words = key.split()
            if key in by_key and not all(entries[i].kind_rank == DERIVED_RANK for i in by_key[key]):
                continue  # a real label of some skill already: do not make it ambiguous
            if len(words) == 1 and (counts[variant.casefold()] >= RARE_IN_LABELS or len(variant) < 5):
                continue
            by_key.setdefault(key, []).append(len(entries))
            entries.append(LexiconEntry(entry.uri, variant, DERIVED_RANK, entry.organisation_id))
        self.keys: list[str] = []
        self.key_entries: list[tuple[int, ...]] = []
        self.key_lengths: list[int] = []
        self.key_rules: list[OneWordRule | None] = []  # None: several words, any writing counts
        label_words = dict.fromkeys(word for key in by_key for word in key.split())
        self.word_codes = word_codes(label_words)  # every word of a label key → its code
        self.not_a_label_word = code(0, len(label_words))
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, entry_ids in by_key.items():
            words = key.split()
            rule: OneWordRule | None = None
            if len(words) == 1:
                written = {entries[i].label for i in entry_ids}
                cased: frozenset[str] | None = None
                ambiguous = {w for w in written if is_ambiguous(words[0], w, counts)}
                tool_names = {entries[i].label for i in entry_ids if entries[i].kind_rank == TOOL_RANK}
                ambiguous |= tool_names
                if ambiguous:
                    cased = frozenset().union(*(accepted_forms(w) for w in ambiguous if not w.islower()))
                    # a tool name in capitals that is no acronym is also written "Jira" for "JIRA"
                    cased |= {w.capitalize() for w in tool_names if w.isupper() and len(w) >= 4}
                    if not cased:
                        continue  # "go" in lower case in the taxonomy: no writing makes it safe
                used = max(counts[word_form(w)] for w in written)
                rule = OneWordRule(
                    frozenset(word_form(w) for w in written),
                    cased,
                    generic=used >= GENERIC_IN_LABELS,
                    everyday=used >= EVERYDAY_IN_LABELS,
                )
            self.automaton.add_word(self._encoded(words), len(self.keys))
            self.keys.append(key)
            self.key_entries.append(tuple(entry_ids))
            self.key_lengths.append(len(words))
            self.key_rules.append(rule)
        self.automaton.make_automaton()
        self._compact(entries)
        self.vocabulary: Counter[str] = Counter(
            word for key in self.keys for word in key.split() if word != BOUNDARY
        )

    def _compact(self, entries: list[LexiconEntry]) -> None:
        """Entries as flat lists: a pickled lexicon then loads in a fraction of the time."""
        uris = sorted({entry.uri for entry in entries})
        number = {uri: i for i, uri in enumerate(uris)}
        self._uris = uris
        self._entry_uri = [number[entry.uri] for entry in entries]
        self._entry_label = [entry.label for entry in entries]
        self._entry_rank = bytes(entry.kind_rank for entry in entries)
        self._entry_org = {
            i: e.organisation_id for i, e in enumerate(entries) if e.organisation_id is not None
        }

    def _encoded(self, words: Iterable[str]) -> str:
        """Words as the automaton reads them: a code each."""
        return "".join(map(self.word_codes.get, words, repeat(self.not_a_label_word)))

    def entry(self, index: int) -> LexiconEntry:
        return LexiconEntry(
            self._uris[self._entry_uri[index]],
            self._entry_label[index],
            self._entry_rank[index],
            self._entry_org.get(index),
        )

    def __len__(self) -> int:
        return len(self.keys)

    def entries_for(self, name: str) -> list[LexiconEntry]:
        """The entries whose label is keyed as ``name`` is ("dockers" and "Docker" alike), best kind first."""
        key = label_key(name)
        key_id = self.automaton.get(self._encoded(key.split()), -1) if key else -1
        if key_id < 0:
            return []
        return sorted((self.entry(i) for i in self.key_entries[key_id]), key=lambda e: e.kind_rank)

    def find(self, text: TextKeys) -> list[KeyMatch]:
        """Every occurrence of every label key, overlapping ones included, by where it ends."""
        lengths = self.key_lengths
        # the label key ``key_id`` ends at character ``end``: the last of the text's key ``end // 3``
        return [
            (end // CODE_WIDTH - lengths[key_id] + 1, lengths[key_id], key_id)
            for end, key_id in self.automaton.iter(self._encoded(text.keys))
        ]


CODE_WIDTH = 3
_FIRST_LETTER = 0x100


def code(number: int, words: int) -> str:
    """The code of the ``number``-th of ``words`` words (from 1; 0 is the code of every other word).

    ``number`` in base ``n`` (the smallest that gives ``words + 1`` codes), one digit a character,
    the digits of each place written with letters of their own."""
    n = max(2, math.ceil((words + 1) ** (1 / CODE_WIDTH)))
    while n**CODE_WIDTH < words + 1:  # against the float root falling short
        n += 1
    digits = []
    for place in range(CODE_WIDTH):
        number, digit = divmod(number, n)
        digits.append(chr(_FIRST_LETTER + place * n + digit))
    return "".join(digits)


def word_codes(words: Iterable[str]) -> dict[str, str]:
    """Each word its code: 1, 2, ... in the order given."""
    listed = list(words)
    return {word: code(number, len(listed)) for number, word in enumerate(listed, start=1)}


def _without_verb(label: str) -> str | None:
    """ "conduct ICT code review" → "code review"; None when the label does not start so."""
    lowered = label.casefold()
    for verb in _LEADING_VERBS:
        if lowered.startswith(verb):
            rest = label[len(verb) :].strip()
            if rest.casefold().startswith("ict "):
                rest = rest[4:].strip()
            return rest if rest and not rest.casefold().startswith(_NOT_A_START) else None
    return None
