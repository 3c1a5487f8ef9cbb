"""``LabelIndex``: ranked label search over skills or occupations, in memory, built once per revision.

Ranking tiers, best first: the whole label equals the query; the label starts with the query; every
query word starts a word of the label; fuzzy (a query word is a typo of a word of the label). Within a
tier: preferred before alternative before hidden labels, shorter before longer, then alphabetical;
in the fuzzy tier the label most similar to the query comes first. Each concept appears once, with
its best label.

Speed comes from plain structures: a dict for exact labels, a sorted list and ``bisect`` for
prefixes, an inverted index from word to labels, and rapidfuzz only on the word vocabulary (to
correct a typo'd word) and on the few labels that survive.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from microcareer.domain.taxonomy.normalise import normalise_label, tokens_of_normalised

PREFIX_CACHE_SIZE = 256
LABEL_KIND_RANK = {"preferred": 0, "alt": 1, "hidden": 2}
_LAST = "\U0010ffff"


class MatchKind(StrEnum):
    EXACT = "exact"
    PREFIX = "prefix"
    WORDS = "words"
    FUZZY = "fuzzy"


_TIERS = (MatchKind.EXACT, MatchKind.PREFIX, MatchKind.WORDS, MatchKind.FUZZY)


@dataclass(frozen=True, slots=True)
class LabelHit:
    """One concept found: the label that matched best, how it matched, and its similarity (0 to 1)."""

    uri: str
    matched_label: str
    match_kind: MatchKind
    label_kind: str
    score: float


@dataclass(frozen=True, slots=True)
class LabelSearchResult:
    hits: tuple[LabelHit, ...]
    total: int


def max_typos(word: str) -> int:
    """How many edits a query word may be from a label word: none for short words, more for long."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 5 else 2


def similarity(query: str, label: str) -> float:
    """0 to 100: rapidfuzz's ratio, averaged with an edit similarity that counts a swap as one typo."""
    return (fuzz.ratio(query, label) + 100 * OSA.normalized_similarity(query, label)) / 2


# (tier, closeness, label kind rank, label length, label, entry id): smaller ranks first. Closeness
# (minus the similarity) is 0 outside the fuzzy tier; in it, a near spelling beats a preferred label.
_Key = tuple[int, float, int, int, str, int]


class LabelIndex:
    """Labels of one kind of concept, searchable by exact label, prefix, words and typos."""

    def __init__(self, rows: Iterable[tuple[str, str, str, int | None]]) -> None:
        """Build from ``(uri, label, kind, organisation_id)`` rows; ``kind`` is preferred/alt/hidden."""
        concept_ids: dict[str, int] = {}
        self._uris: list[str] = []
        self._org: list[int | None] = []
        self._entry_concept: list[int] = []
        self._entry_label: list[str] = []
        self._entry_norm: list[str] = []
        self._entry_kind: list[str] = []
        self._entry_rank: list[int] = []
        self._exact: dict[str, list[int]] = {}
        postings: dict[str, set[int]] = {}
        seen: set[tuple[int, str]] = set()
        for uri, label, kind, organisation_id in rows:
            norm = normalise_label(label)
            if not norm:
                continue
            concept = concept_ids.get(uri)
            if concept is None:
                concept = concept_ids[uri] = len(self._uris)
                self._uris.append(uri)
                self._org.append(organisation_id)
            if (concept, norm) in seen and kind != "preferred":
                continue  # the same spelling twice adds nothing but work
            seen.add((concept, norm))
            entry = len(self._entry_concept)
            self._entry_concept.append(concept)
            self._entry_label.append(label)
            self._entry_norm.append(norm)
            self._entry_kind.append(kind)
            self._entry_rank.append(LABEL_KIND_RANK.get(kind, len(LABEL_KIND_RANK)))
            self._exact.setdefault(norm, []).append(entry)
            for token in tokens_of_normalised(norm):
                postings.setdefault(token, set()).add(entry)
        self._entry_tail = [
            (rank, len(norm), norm, entry)
            for entry, (rank, norm) in enumerate(zip(self._entry_rank, self._entry_norm, strict=True))
        ]
        order = sorted(range(len(self._entry_norm)), key=self._entry_norm.__getitem__)
        self._sorted_norms = [self._entry_norm[i] for i in order]
        self._sorted_entries = order
        self._postings = {token: frozenset(entries) for token, entries in postings.items()}
        self._vocabulary = sorted(self._postings)
        self._vocabulary_by_length: dict[int, list[str]] = {}
        for token in self._vocabulary:
            self._vocabulary_by_length.setdefault(len(token), []).append(token)
        self._prefix_cache: dict[str, frozenset[int]] = {}
        self._prefix_lock = threading.Lock()
        self._has_org_concepts = any(org is not None for org in self._org)

    @property
    def concept_count(self) -> int:
        return len(self._uris)

    @property
    def label_count(self) -> int:
        return len(self._entry_concept)

    def exact_labels(self, label: str) -> list[tuple[str, str, str]]:
        """``(uri, label, kind)`` of every label that normalises as ``label`` does."""
        return [
            (self._uris[self._entry_concept[entry]], self._entry_label[entry], self._entry_kind[entry])
            for entry in self._exact.get(normalise_label(label), ())
        ]

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        visible_orgs: frozenset[int] | None = None,
    ) -> LabelSearchResult:
        """Rank concepts for ``query``; organisation concepts only where ``visible_orgs`` allows."""
        normalised = normalise_label(query)
        if not normalised or limit <= 0:
            return LabelSearchResult(hits=(), total=0)
        best: dict[int, _Key] = {}
        self._add_exact(normalised, best)
        self._add_prefix(normalised, best)
        words = tokens_of_normalised(normalised)
        if words:
            self._add_words(words, best, fuzzy=False, normalised=normalised)
            if not best:
                self._add_words(words, best, fuzzy=True, normalised=normalised)
        if self._has_org_concepts:
            best = {c: key for c, key in best.items() if self._visible(c, visible_orgs)}
        ranked = heapq.nsmallest(offset + limit, best.values())[offset:]
        return LabelSearchResult(hits=tuple(self._hit(key, normalised) for key in ranked), total=len(best))

    def _visible(self, concept: int, visible_orgs: frozenset[int] | None) -> bool:
        org = self._org[concept]
        return org is None or visible_orgs is None or org in visible_orgs

    def _offer(self, best: dict[int, _Key], tier: int, entry: int, closeness: float = 0.0) -> None:
        key: _Key = (tier, closeness, *self._entry_tail[entry])
        concept = self._entry_concept[entry]
        current = best.get(concept)
        if current is None or key < current:
            best[concept] = key

    def _offer_all(self, best: dict[int, _Key], tier: int, entries: Iterable[int]) -> None:
        """``_offer`` for many entries of one non-fuzzy tier (the hot loop of short prefixes)."""
        head = (tier, 0.0)
        tails, concepts, get = self._entry_tail, self._entry_concept, best.get
        for entry in entries:
            key: _Key = head + tails[entry]
            concept = concepts[entry]
            current = get(concept)
            if current is None or key < current:
                best[concept] = key

    def _add_exact(self, normalised: str, best: dict[int, _Key]) -> None:
        for entry in self._exact.get(normalised, ()):
            self._offer(best, 0, entry)

    def _add_prefix(self, normalised: str, best: dict[int, _Key]) -> None:
        start = bisect_left(self._sorted_norms, normalised)
        stop = bisect_left(self._sorted_norms, normalised + _LAST, lo=start)
        # The exact label sorts in here too; offered again as a prefix it loses to its exact key.
        self._offer_all(best, 1, self._sorted_entries[start:stop])

    def _add_words(self, words: list[str], best: dict[int, _Key], *, fuzzy: bool, normalised: str) -> None:
        last = len(words) - 1
        per_word = [
            self._entries_for_word(word, fuzzy=fuzzy, is_last=i == last) for i, word in enumerate(words)
        ]
        per_word.sort(key=len)
        if not per_word or not per_word[0]:
            return
        entries = set(per_word[0])
        for more in per_word[1:]:
            entries &= more
            if not entries:
                return
        if not fuzzy:
            self._offer_all(best, 2, entries)
            return
        for entry in entries:
            self._offer(best, 3, entry, -similarity(normalised, self._entry_norm[entry]))

    def _entries_for_word(self, word: str, *, fuzzy: bool, is_last: bool) -> frozenset[int]:
        """Labels with a word that starts with ``word``; if fuzzy, a word that is ``word`` or a near
        spelling of it (a prefix only for the last word: the one perhaps still being typed)."""
        if not fuzzy:
            return self._prefixed(word)
        found = set(self._prefixed(word) if is_last else self._postings.get(word, ()))
        for token in self._near_words(word):
            found.update(self._postings[token])
        return frozenset(found)

    def _prefixed(self, word: str) -> frozenset[int]:
        cached = self._prefix_cache.get(word)
        if cached is not None:
            return cached
        start = bisect_left(self._vocabulary, word)
        stop = bisect_left(self._vocabulary, word + _LAST, lo=start)
        tokens = self._vocabulary[start:stop]
        found = (
            self._postings[tokens[0]]
            if len(tokens) == 1
            else frozenset().union(*(self._postings[token] for token in tokens))
        )
        if len(tokens) > 1:  # unions of many words are the costly ones: keep the latest few
            with self._prefix_lock:  # one index serves every request thread
                if len(self._prefix_cache) >= PREFIX_CACHE_SIZE:
                    self._prefix_cache.pop(next(iter(self._prefix_cache)))
                self._prefix_cache[word] = found
        return found

    def _near_words(self, word: str) -> list[str]:
        typos = max_typos(word)
        if typos == 0:
            return []
        candidates: list[str] = []
        for length in range(len(word) - typos, len(word) + typos + 1):
            candidates.extend(self._vocabulary_by_length.get(length, ()))
        matches = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=typos, limit=None)
        return [match[0] for match in matches]

    def _hit(self, key: _Key, normalised: str) -> LabelHit:
        tier, closeness, _, _, norm, entry = key
        score = -closeness if tier == 3 else similarity(normalised, norm)
        return LabelHit(
            uri=self._uris[self._entry_concept[entry]],
            matched_label=self._entry_label[entry],
            match_kind=_TIERS[tier],
            label_kind=self._entry_kind[entry],
            score=round(score / 100, 3),
        )
