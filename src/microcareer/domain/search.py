"""Full-text search: the words of a query, how far a misspelling may be from a word, facets and counts.

Text is split into terms the same way the indexes split it (SQLite FTS5's ``unicode61`` tokenizer with
diacritics removed, PostgreSQL's ``simple`` configuration): runs of letters and digits, case-folded,
accents dropped. A query term no indexed text holds is widened to the indexed words within a small
edit distance (an adjacent swap counts as one edit): ``pyhton`` finds ``python``, ``anlysis`` finds
``analysis``. Short terms are never widened (``go`` is not ``to``); the last term also matches as a
prefix, so a search typed halfway finds the word it begins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from microcareer.domain.marketplace.jobs import Audience, BudgetKind
from microcareer.errors import InvalidInput

QUERY_MAX = 200
"""Characters of a query; a longer one is refused (422 naming ``q``)."""
TERMS_MAX = 8
"""Terms of a query that count; the rest are left out so one query's cost stays bounded."""
TERM_MAX = 40
"""Longer runs of letters are not words anyone searches for (hashes, pasted data): neither indexed
nor asked for."""
WIDEN_MAX = 4
"""Indexed words a misspelt term widens to at most, the closest first."""
LIMIT_MAX = 100
FACET_VALUES_MAX = 10
"""Values a facet counts at most (the commonest), so counts stay short for any result set."""

_TERM = re.compile(r"[^\W_]+")


def terms(text: str) -> list[str]:
    """The terms of ``text`` in order, as the indexes see them (duplicates kept)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return [t for t in _TERM.findall(plain) if len(t) <= TERM_MAX]


def typo_allowance(term: str) -> int:
    """Edits a term may be away from an indexed word: none under 4 letters, 1 up to 7, then 2."""
    if len(term) < 4:
        return 0
    return 1 if len(term) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours), or
    ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def closest_words(term: str, words: Iterable[str]) -> tuple[str, ...]:
    """The words within ``typo_allowance(term)`` edits of ``term``, closest first (at most
    ``WIDEN_MAX``); empty for a short term."""
    allowance = typo_allowance(term)
    if allowance == 0:
        return ()
    near = ((edit_distance(term, w, allowance), w) for w in set(words) if w != term)
    return tuple(w for d, w in sorted(x for x in near if x[0] <= allowance)[:WIDEN_MAX])


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One query term and what it matches: itself, the indexed words it was widened to, and (for the
    last term of a query) any word it begins."""

    term: str
    widened: tuple[str, ...] = ()
    prefix: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return (self.term, *self.widened)


def query_terms(q: str) -> list[str]:
    """The distinct terms of a query that count (at most ``TERMS_MAX``), after checking its length."""
    if len(q) > QUERY_MAX:
        raise InvalidInput(f"q: at most {QUERY_MAX} characters, not {len(q)}", field="q")
    return list(dict.fromkeys(terms(q)))[:TERMS_MAX]


def check_page(limit: int, offset: int, *, limit_max: int = LIMIT_MAX) -> None:
    if not 1 <= limit <= limit_max:
        raise InvalidInput(f"limit: 1 to {limit_max}, not {limit}", field="limit")
    if not 0 <= offset <= 10_000:
        raise InvalidInput(f"offset: 0 to 10000, not {offset}", field="offset")


@dataclass(frozen=True, slots=True)
class JobFilters:
    """Facets a job search is narrowed by; each left empty does not narrow it. Budgets are in minor
    units of the job's own currency."""

    skills: tuple[str, ...] = ()
    """Jobs asking for any of these skills (URIs)."""
    organisation_id: int | None = None
    audience: Audience | None = None
    remote: bool | None = None
    place: str = ""
    """Jobs whose place contains this text (case-insensitive)."""
    budget_kind: BudgetKind | None = None
    budget_min: int | None = None
    budget_max: int | None = None

    def validate(self) -> None:
        if len(self.place) > 200:
            raise InvalidInput(f"place: at most 200 characters, not {len(self.place)}", field="place")
        for name, value in (("budget_min", self.budget_min), ("budget_max", self.budget_max)):
            if value is not None and not 0 <= value <= 10**12:
                raise InvalidInput(f"{name}: 0 to 10^12 minor units, not {value}", field=name)
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise InvalidInput(
                f"budget_max: {self.budget_max} is below budget_min {self.budget_min}", field="budget_max"
            )


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    """How many of all the results (not only this page) fall under each value of each facet, the
    commonest values first; a facet's name is the filter it feeds (``skills``, ``organisation``...)."""

    counts: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict)

    def of(self, name: str) -> tuple[FacetCount, ...]:
        return self.counts.get(name, ())


def facet_counts(pairs: Iterable[tuple[object, int]]) -> tuple[FacetCount, ...]:
    """(value, count) pairs as facet counts: the commonest first, then by value, at most
    ``FACET_VALUES_MAX``; empty values left out."""
    found = [FacetCount(str(v), int(c)) for v, c in pairs if v is not None and str(v) != "" and c]
    return tuple(sorted(found, key=lambda f: (-f.count, f.value))[:FACET_VALUES_MAX])


def widening(matches: Sequence[TermMatch]) -> dict[str, tuple[str, ...]]:
    """The misspelt terms and the words they were read as, for a "showing results for" line."""
    return {m.term: m.widened for m in matches if m.widened}


@dataclass(frozen=True, slots=True)
class PeopleFilters:
    """Facets a people search is narrowed by; each left empty does not narrow it."""

    skills: tuple[str, ...] = ()
    """People holding any of these skills (URIs)."""
    organisation_id: int | None = None
    """Members of this organisation (only one the searcher belongs to: its people are private)."""
    place: str = ""
    """People whose city, region or country contains this (case-insensitive)."""
    rate_max: float | None = None
    """An hourly rate at most this (in the profile's currency); people with no rate are kept."""
    hours_min: int | None = None
    """Available at least this many hours a week."""

    def validate(self) -> None:
        if len(self.place) > 200:
            raise InvalidInput(f"place: at most 200 characters, not {len(self.place)}", field="place")
        if self.rate_max is not None and not 0 <= self.rate_max <= 10**7:
            raise InvalidInput(f"rate_max: 0 to 10^7, not {self.rate_max}", field="rate_max")
        if self.hours_min is not None and not 0 <= self.hours_min <= 168:
            raise InvalidInput(f"hours_min: 0 to 168, not {self.hours_min}", field="hours_min")


@dataclass(frozen=True, slots=True)
class PersonFound:
    """A person a search found, as much as the results list shows."""

    user_id: int
    display_name: str
    headline: str
    place: str
    hourly_rate: float | None
    currency: str
    hours_per_week: int | None
