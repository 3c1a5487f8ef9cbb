"""The extractor: lexical and fuzzy candidates (and semantic ones, when a matcher is given), one ranking.

Overlapping candidates are resolved longest first ("machine learning" over "learning"), a word-for-word
match before a corrected one; each kept span becomes one mention per skill its label names, with a
confidence from the kind of label (preferred, alternative, hidden), the method and the ambiguity guard.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from microcareer.domain.extraction.acronyms import with_acronyms
from microcareer.domain.extraction.lexicon import KeyMatch, Lexicon, LexiconEntry
from microcareer.domain.extraction.mentions import DocumentExtraction, Method, SkillMention, skill_set
from microcareer.domain.extraction.spelling import SpellingIndex
from microcareer.domain.extraction.text_keys import BOUNDARY, TextKeys, text_keys, word_form

KIND_CONFIDENCE = (0.95, 0.9, 0.7, 0.8)  # preferred, alternative, hidden label, tool name
SHORT_KEY_FACTOR = 0.9  # one word of three letters or fewer
AMBIGUOUS_FACTOR = 0.85  # a guarded label, written as the taxonomy writes it
SENTENCE_START_FACTOR = 0.8  # ... but where any word is capitalised
GENERIC_FACTOR = 0.5  # a common word that is another skill's alternative label
EVERYDAY_PREFERRED_FACTOR = 0.6  # an everyday word that is a skill's preferred label ("plan")
FUZZY_FACTOR = 0.85
FUZZY_MIN_SINGLE_WORD = 7  # a corrected one-word label must be at least this long
MAX_SKILLS_PER_SPAN = 3
ENTRY_CACHE_SIZE = 200_000
# After a sentence-initial "Go", "Excel", "Spark", these words say it is the ordinary verb or noun.
_ORDINARY_NEXT = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "at",
        "in",
        "on",
        "into",
        "for",
        "with",
        "of",
        "from",
        "by",
        "beyond",
        "ahead",
        "up",
        "out",
    ]
)


@dataclass(frozen=True)
class ExtractionOptions:
    methods: frozenset[Method] = frozenset({Method.LEXICAL, Method.FUZZY})
    min_confidence: float = 0.5
    visible_orgs: frozenset[int] | None = None  # organisations whose own skills count; None: all
    exclude: frozenset[str] = field(default_factory=frozenset)  # URIs never to report
    top: int = 0  # ranking: skills kept per sentence or clause (0: the ranker's default)


# (text, its keys, the mentions found so far, the options) → more mentions: see ``semantic.SemanticMatcher``
SemanticMatcher = Callable[[str, TextKeys, Sequence[SkillMention], ExtractionOptions], list[SkillMention]]
# [(text, its lexical and fuzzy mentions)], the options → each text's ranked mentions, best first
# (``services.skill_ranking.SkillRanker``: texts come in batches, the model runs once for them all)
Ranker = Callable[[Sequence[tuple[str, Sequence[SkillMention]]], ExtractionOptions], list[list[SkillMention]]]


_METHOD_ORDER = {Method.LEXICAL: 0, Method.FUZZY: 1, Method.SEMANTIC: 2, Method.RANKING: 3}
_FIRST_BITS = 32  # a text has fewer keys than 2**32


class _Candidate(NamedTuple):
    """A label key (``key_id``) on keys ``first`` to ``last`` of a text, found by ``method``.

    ``order`` ranks candidates as ``_resolve`` takes them (longest, then word-for-word, then leftmost
    first) in one integer, so a plain sort orders them: see ``_order``.
    """

    order: int
    first: int
    last: int
    key_id: int
    method: Method
    similarity: float
    factor: float


def _order(first: int, length: int, method_rank: int) -> int:
    """Longest first, then by method, then leftmost first: one integer, as ``_Candidate.order``."""
    return (((-length << 2) + method_rank) << _FIRST_BITS) + first


# What a label key found by a method makes, per skill it names: (uri, preferred label, matched label,
# confidence); the same few hundred labels come up in every posting.
_Prepared = tuple[tuple[str, str, str, float], ...]


class SkillExtractor:
    def __init__(
        self, lexicon: Lexicon, *, semantic: SemanticMatcher | None = None, ranker: Ranker | None = None
    ) -> None:
        self.lexicon = lexicon
        self.semantic = semantic
        self.ranker = ranker
        self._spelling: SpellingIndex | None = None
        # (key id, visible organisations) → the entries to report: the same labels come up in every posting
        self._entry_cache: dict[tuple[int, frozenset[int] | None], list[LexiconEntry]] = {}
        # (key id, visible organisations, method, similarity, guard factor) → what its mentions say
        self._prepared: dict[tuple[int, frozenset[int] | None, Method, float, float], _Prepared] = {}

    @property
    def spelling(self) -> SpellingIndex:
        if self._spelling is None:
            self._spelling = SpellingIndex(self.lexicon.vocabulary)
        return self._spelling

    def extract(
        self, text: str, *, doc_id: str = "", options: ExtractionOptions | None = None
    ) -> DocumentExtraction:
        return self.extract_many([(doc_id, text)], options=options)[0]

    def extract_many(
        self, documents: Sequence[tuple[str, str]], *, options: ExtractionOptions | None = None
    ) -> list[DocumentExtraction]:
        """Each (doc_id, text)'s extraction; with ranking on, the ranker sees the texts in one batch."""
        options = options or ExtractionOptions()
        ranking = self.ranker is not None and Method.RANKING in options.methods
        # the ranker reads the lexical and fuzzy matches as features: it was trained with both
        methods = options.methods | {Method.LEXICAL, Method.FUZZY} if ranking else options.methods
        found = [self._named(text, methods, options) for _, text in documents]
        if ranking and self.ranker is not None:
            ranked = self.ranker(
                [(text, mentions) for (_, text), mentions in zip(documents, found, strict=True)], options
            )
            return [
                _extraction(doc_id, mentions, options, order=None)
                for (doc_id, _), mentions in zip(documents, ranked, strict=True)
            ]
        results = []
        for (doc_id, text), mentions in zip(documents, found, strict=True):
            if self.semantic is not None and Method.SEMANTIC in options.methods:
                mentions = mentions + self.semantic(text, text_keys(text), mentions, options)
            results.append(_extraction(doc_id, mentions, options, order="text"))
        return results

    def _named(self, text: str, methods: frozenset[Method], options: ExtractionOptions) -> list[SkillMention]:
        """The mentions of labels the text writes: lexical, fuzzy, and acronyms it defines."""
        keys = text_keys(text)
        candidates: list[_Candidate] = []
        if Method.LEXICAL in methods:
            candidates += self._guarded(text, keys, self.lexicon.find(keys), Method.LEXICAL, 1.0)
        if Method.FUZZY in methods:
            candidates += self._fuzzy(text, keys)
        mentions = self._mentions(text, keys, self._resolve(candidates), options)
        if Method.LEXICAL in methods:
            mentions = with_acronyms(text, mentions)
        return mentions

    def _guarded(
        self, text: str, keys: TextKeys, matches: Sequence[KeyMatch], method: Method, similarity: float
    ) -> list[_Candidate]:
        """Candidates whose label is safe where it stands; ambiguous one-word labels must be written
        as the taxonomy writes them and, at a sentence start, not be followed by a preposition."""
        rules, rank = self.lexicon.key_rules, _METHOD_ORDER[method]
        # labels of several words count as they stand: most matches, made in one comprehension
        found = [
            _Candidate(
                _order(first, length, rank), first, first + length - 1, key_id, method, similarity, 1.0
            )
            for first, length, key_id in matches
            if rules[key_id] is None
        ]
        for first, _, key_id in matches:
            rule = rules[key_id]
            if rule is None:
                continue
            start, end = keys.start(first), keys.end(first)
            written = text[start:end]
            if method is Method.LEXICAL and word_form(written) not in rule.word_forms:
                continue
            factor = 1.0
            if rule.written is not None:
                if written not in rule.written or not _stands_alone(text, start, end):
                    continue
                factor = 1.0 if written.isupper() and len(written) > 1 else AMBIGUOUS_FACTOR
                if _sentence_start(text, start):
                    following = keys.keys[first + 1] if first + 1 < len(keys.keys) else BOUNDARY
                    if following in _ORDINARY_NEXT:
                        continue
                    factor *= SENTENCE_START_FACTOR
            found.append(_Candidate(_order(first, 1, rank), first, first, key_id, method, similarity, factor))
        return found

    def _fuzzy(self, text: str, keys: TextKeys) -> list[_Candidate]:
        fixes = self.spelling.corrections(keys.keys)
        if not fixes:
            return []
        corrected = keys.replaced({word: fix for word, (fix, _) in fixes.items()})
        found = []
        for candidate in self._guarded(text, corrected, self.lexicon.find(corrected), Method.FUZZY, 1.0):
            span = keys.keys[candidate.first : candidate.last + 1]
            similarities = [fixes[word][1] for word in span if word in fixes]
            if not similarities:
                continue  # spelled right: the lexical pass has it
            if len(span) == 1 and len(span[0]) < FUZZY_MIN_SINGLE_WORD:
                continue
            found.append(candidate._replace(similarity=min(similarities)))
        return found

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
        """Non-overlapping candidates: longest first, word-for-word before corrected, leftmost first."""
        candidates.sort()  # by ``order``, which is unique: one key per span and method
        taken = bytearray(max((c.last for c in candidates), default=-1) + 1)  # 1: the key is covered
        kept = []
        for candidate in candidates:
            first, end = candidate.first, candidate.last + 1
            if taken.find(1, first, end) < 0:
                taken[first:end] = b"\x01" * (end - first)
                kept.append(candidate)
        return kept

    def _mentions(
        self, text: str, keys: TextKeys, candidates: list[_Candidate], options: ExtractionOptions
    ) -> list[SkillMention]:
        mentions: list[SkillMention] = []
        visible, prepared = options.visible_orgs, self._prepared
        for _, first, last, key_id, method, similarity, factor in candidates:
            made = prepared.get((key_id, visible, method, similarity, factor))
            if made is None:
                made = self._prepare(key_id, visible, method, similarity, factor)
            if not made:
                continue
            start, end = keys.start(first), keys.end(last)
            written = text[start:end]
            for uri, label, matched_label, confidence in made:
                mentions.append(
                    SkillMention(uri, label, start, end, written, matched_label, method, confidence)
                )
        return mentions

    def _prepare(
        self, key_id: int, visible: frozenset[int] | None, method: Method, similarity: float, guard: float
    ) -> _Prepared:
        """What each skill a label key names says in a mention: its URI, labels and confidence (from the
        kind of label, how many skills share it, the method and ``guard``, the ambiguity guard's factor)."""
        entries = self._entries(key_id, visible)
        factor = guard / math.sqrt(len(entries)) if entries else guard
        if len(self.lexicon.keys[key_id]) <= 5:  # " xyz ": one word of three letters or fewer
            factor *= SHORT_KEY_FACTOR
        if method is Method.FUZZY:
            factor *= FUZZY_FACTOR * similarity
        rule = self.lexicon.key_rules[key_id]
        made = []
        for entry in entries:
            weak = rule is not None and (rule.everyday or (rule.generic and entry.kind_rank > 0))
            confidence = round(
                KIND_CONFIDENCE[entry.kind_rank] * factor * (_weak_factor(entry) if weak else 1.0), 4
            )
            made.append(
                (entry.uri, self.lexicon.preferred.get(entry.uri, entry.label), entry.label, confidence)
            )
        if len(self._prepared) >= ENTRY_CACHE_SIZE:
            self._prepared.clear()
        prepared = self._prepared[(key_id, visible, method, similarity, guard)] = tuple(made)
        return prepared

    def _entries(self, key_id: int, visible: frozenset[int] | None) -> list[LexiconEntry]:
        """The skills a label key names: one per skill, by their best kind of label, own skills first."""
        cached = self._entry_cache.get((key_id, visible))
        if cached is None:
            if len(self._entry_cache) >= ENTRY_CACHE_SIZE:
                self._entry_cache.clear()
            cached = self._entry_cache[(key_id, visible)] = self._entries_uncached(key_id, visible)
        return cached

    def _entries_uncached(self, key_id: int, visible: frozenset[int] | None) -> list[LexiconEntry]:
        best: dict[str, LexiconEntry] = {}
        for i in self.lexicon.key_entries[key_id]:
            entry = self.lexicon.entry(i)
            if (
                entry.organisation_id is not None
                and visible is not None
                and entry.organisation_id not in visible
            ):
                continue
            if entry.uri not in best or entry.kind_rank < best[entry.uri].kind_rank:
                best[entry.uri] = entry
        if not best:
            return []
        top = min(entry.kind_rank for entry in best.values())
        chosen = [entry for entry in best.values() if entry.kind_rank == top]
        chosen.sort(key=lambda e: (e.organisation_id is None, e.uri))
        return chosen[:MAX_SKILLS_PER_SPAN]


def _extraction(
    doc_id: str, mentions: Sequence[SkillMention], options: ExtractionOptions, *, order: str | None
) -> DocumentExtraction:
    """The mentions kept (at or above the floor, not excluded): in text order, or as given (ranked)."""
    kept = [m for m in mentions if m.confidence >= options.min_confidence and m.uri not in options.exclude]
    if order == "text":
        kept.sort(key=lambda m: (m.start, -m.confidence, m.uri))
    return DocumentExtraction(doc_id=doc_id, mentions=tuple(kept), skills=skill_set(kept))


def _weak_factor(entry: LexiconEntry) -> float:
    return GENERIC_FACTOR if entry.kind_rank > 0 else EVERYDAY_PREFERRED_FACTOR


def _sentence_start(text: str, start: int) -> bool:
    """Is the word at ``start`` the first of a sentence, a line or a list item (where words get capitals)?"""
    before = text[max(0, start - 40) : start].rstrip(" \t*#>-")
    return not before or before[-1] in ".!?:\n•·▪●■◦"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A guarded word must not be glued to other signs ("R&D", "C-level", "Go-live")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before not in "&-/." and after not in "&-/"
