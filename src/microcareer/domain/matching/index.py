"""An inverted index over skills for candidate generation, with exact vectorised scoring.

People are rows, skills columns of a sparse CSC matrix of strengths (column = the posting list of a
skill). For a job, each job skill's sources (``skill_graph.best_sources``: the skill itself and every
skill that gives credit for it, with the same credits as the gap analysis) are looked up column by
column; a person's coverage of the job skill is the best credit x strength among their sources, and
the weighted sum over the job's skills is their skills score. Only people holding some source are
touched. The terms (rate, hours, place, language, reputation) are applied as arrays, so the result is
the score ``scoring.match`` gives, for every candidate, in one pass (``test_index.py`` checks both).
From ``BOUND_FROM`` people on, ``top`` first bounds everyone from the sources giving most credit and
reads the others only for the people who may still reach the top (``_top_bounded``: the same answer).

Updates: ``upsert`` marks the person's base row stale and records their skills in a small delta kept
beside the base (``O(skills of the person)``, no rebuild); ``compact`` folds the delta into the base
(``save`` does), and ``begin_compaction``/``Compaction.fold``/``finish_compaction`` do it in three
steps so that only the first and the last need the caller's lock (the fold, seconds at a million, and
the file do not; upserts made meanwhile stay in the delta).
``save``/``load`` keep the index in one ``.npz`` file, so it survives a restart;
``extra`` (a small JSON object) travels with it (the services keep their watermark there).

Each row also carries ``org_only``: the person shows their profile to their organisations only (the
services decide who may read such a row; the index only keeps the flag).
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from microcareer.domain.matching import npz_files
from microcareer.domain.matching.facts import JobFacts, PersonFacts, place_words
from microcareer.domain.matching.scoring import (
    FACTOR_FLOOR,
    MET_AT,
    MET_TOLERANCE,
    NICE_WEIGHT,
    PLACE_ELSEWHERE,
    PLACE_UNKNOWN,
    REPUTATION_NEUTRAL,
    REPUTATION_SCALE,
    REPUTATION_SPAN,
    REQUIRED_WEIGHT,
    UNMET_REQUIRED,
)
from microcareer.domain.profiles.skill_graph import SkillGraph, best_sources

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
FORMAT = 2
PRUNE_HEAD = 8
"""``top`` scores the terms of this many times ``k`` people first, to bound the rest (``_prune``)."""
TERMS_MAX = 1.0 + REPUTATION_SPAN * (100 - REPUTATION_NEUTRAL) / REPUTATION_SCALE
"""The most the terms can multiply a skills score by: every factor is at most 1 but reputation, which
gives at most this at a score of 100."""


_Target = tuple[float, bool, list[tuple["Ints", "Floats"]]]
"""A job skill's weight, whether it is required, and its pieces (rows, credit x strength)."""


BOUND_FROM = 300_000
"""From this many people (index rows) on, ``top`` takes the bounded pass (``_top_bounded``)."""
LOW_CREDIT = 0.6
"""``_top_bounded``: sources giving less credit than this are read only for the people who may still
reach the top (0.6 against 0.5: ``matching-2026-12-06-x18c.json``)."""
BOUND_SLACK = 1e-9
"""Relative room left on the bounds of ``_top_bounded`` for the rounding of their sums."""
SEARCH_FROM = 8
"""``_top_bounded`` binary-searches a posting list for the rows it wants when it is this many times
longer than they are (else it reads the list)."""
BARRED_SEARCH = 64
"""``_kept`` compares the rows with the filtered-out ones up to this many of them (else a mask of a
row each)."""
SLOTS_FROM = 300_000
"""From this many people (index rows) on, ``skills_scores`` works in per-candidate slots (``_accumulate``:
faster at a million, slower at 100,000 in ``bench/results/matching-2026-12-06-x18.json``)."""


def _best_coverage(
    coverage: Floats, pieces: Sequence[tuple[npt.NDArray[np.integer[Any]], Floats]]
) -> tuple[npt.NDArray[np.integer[Any]], Floats]:
    """One job skill's coverage of each row its ``pieces`` (rows, coverages) touch, the best piece's
    where a row has several: the rows (a row as often as it has pieces) and their coverage. The best
    values are left in ``coverage`` (zero elsewhere); the caller resets ``coverage[rows]`` after use."""
    coverage[pieces[0][0]] = pieces[0][1]
    for rows, cov in pieces[1:]:
        coverage[rows] = np.maximum(coverage[rows], cov)
    rows = pieces[0][0] if len(pieces) == 1 else np.concatenate([r for r, _ in pieces])
    return rows, coverage[rows]


def _give_slots(
    slot: npt.NDArray[np.int32], piece_lists: list[list[tuple[Ints, Floats]]]
) -> tuple[int, Ints, list[list[tuple[npt.NDArray[np.int32], Floats]]]]:
    """Give every row the pieces touch a slot (0, 1, ... in order of first touch) in ``slot`` (all -1
    before; left set); how many slots, the rows in slot order, and each piece's rows as slots."""
    count = 0
    order: list[Ints] = []
    slotted: list[list[tuple[npt.NDArray[np.int32], Floats]]] = []
    for pieces in piece_lists:
        mine: list[tuple[npt.NDArray[np.int32], Floats]] = []
        for rows, cov in pieces:
            at = slot[rows]
            fresh = at < 0
            if fresh.any():
                new = rows[fresh]
                ids = np.arange(count, count + len(new), dtype=np.int32)
                slot[new] = ids
                at[fresh] = ids
                count += len(new)
                order.append(new)
            mine.append((at, cov))
        slotted.append(mine)
    touched = np.concatenate(order) if order else np.zeros(0, np.int64)
    return count, touched, slotted


def _with_unmet(skills: Floats, unmet: npt.NDArray[Any]) -> Floats:
    """``skills`` x ``UNMET_REQUIRED ** unmet``, the powers from a small table (the same numbers)."""
    if len(unmet) and unmet.min() >= 0:
        powers = UNMET_REQUIRED ** np.arange(int(unmet.max()) + 1, dtype=np.float64)
        return np.asarray(skills * powers[unmet], np.float64)
    return np.asarray(skills * UNMET_REQUIRED ** unmet.astype(np.float64), np.float64)


_Sums = tuple["Ints", "Floats", "Floats", npt.NDArray[np.int16]]
"""Rows touched, and a row's sum, excess over the low ceilings and required met (``_high_pass``)."""
_NO_SLOTS = np.zeros(0, np.int32)
_NO_VALUES = np.zeros(0, np.float64)


class _Scratches:
    """The slot array ``skills_scores`` works with (one a person, all -1 between queries), kept for
    the next query; a query that finds it taken (another thread's) or of another size makes its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: npt.NDArray[np.int32] | None = None

    def take(self, n: int) -> npt.NDArray[np.int32]:
        with self._lock:
            kept, self._kept = self._kept, None
        return kept if kept is not None and len(kept) == n else np.full(n, -1, np.int32)

    def give_back(self, slot: npt.NDArray[np.int32]) -> None:
        with self._lock:
            self._kept = slot


class _Vocabulary:
    """Strings ↔ dense ids (skills, currencies, cities, countries, languages)."""

    def __init__(self, items: Iterable[str] = ()) -> None:
        self.items: list[str] = []
        self.ids: dict[str, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: str) -> int:
        known = self.ids.get(item)
        if known is None:
            known = self.ids[item] = len(self.items)
            self.items.append(item)
        return known


@dataclass(frozen=True, slots=True)
class _Keep:
    """``top``'s filters: user ids left out, and the organisation-only people who may be shown (None:
    all)."""

    exclude: Ints
    shown: Ints | None

    @property
    def any(self) -> bool:
        return bool(len(self.exclude)) or self.shown is not None


def _ids(users: Collection[int] | None) -> Ints | None:
    return None if users is None else np.fromiter(users, np.int64, len(users))


@dataclass(frozen=True, slots=True)
class Scored:
    user_id: int
    score: float


class MatchIndex:
    def __init__(self) -> None:
        self.skills = _Vocabulary()
        self.currencies = _Vocabulary()
        self.places = _Vocabulary([""])  # id 0: no place given
        self.languages = _Vocabulary()
        self.row_of: dict[int, int] = {}
        self.user_ids = np.zeros(0, np.int64)
        self.alive = np.zeros(0, bool)
        self.stale = np.zeros(0, bool)
        self.rate = np.zeros(0, np.float64)
        self.currency = np.zeros(0, np.int32)
        self.hours = np.zeros(0, np.float64)
        self.city = np.zeros(0, np.int32)
        self.country = np.zeros(0, np.int32)
        self.reputation = np.zeros(0, np.float64)
        self.org_only = np.zeros(0, bool)
        self.extra: dict[str, Any] = {}
        self.base: sparse.csc_matrix = sparse.csc_matrix((0, 0), dtype=np.float32)
        self.base_languages: sparse.csr_matrix = sparse.csr_matrix((0, 0), dtype=np.float32)
        self.delta: dict[int, dict[int, float]] = {}
        """Skill column → row → strength, for rows upserted since the base was built."""
        self.delta_languages: dict[int, frozenset[int]] = {}
        self.delta_rows: dict[int, tuple[int, ...]] = {}
        self._scratch = _Scratches()
        self._peaks: tuple[npt.NDArray[Any], Floats] | None = None
        """The base's data array and each column's largest strength in it (``_peak``)."""

    # -- building -------------------------------------------------------------------------------

    @classmethod
    def build(cls, people: Iterable[PersonFacts], *, org_only: Collection[int] = ()) -> MatchIndex:
        """``org_only``: the user ids whose profiles show to their organisations only."""
        index = cls()
        rows = array("q")
        cols = array("q")
        vals = array("f")
        lang_rows = array("q")
        lang_cols = array("q")
        attributes = array("d")  # seven numbers a person, flat (compact at a million people)
        for person in people:
            row = len(attributes) // 7
            index.row_of[person.user_id] = row
            for uri, strength in person.strengths.items():
                if strength > 0:
                    rows.append(row)
                    cols.append(index.skills.add(uri))
                    vals.append(strength)
            for language in person.languages:
                lang_rows.append(row)
                lang_cols.append(index.languages.add(language))
            attributes.extend(index._attributes(person))
        n = len(attributes) // 7
        table = np.frombuffer(attributes, dtype=np.float64).reshape(n, 7)
        index.user_ids = table[:, 0].astype(np.int64)
        index.rate = table[:, 1].copy()
        index.currency = table[:, 2].astype(np.int32)
        index.hours = table[:, 3].copy()
        index.city = table[:, 4].astype(np.int32)
        index.country = table[:, 5].astype(np.int32)
        index.reputation = table[:, 6].copy()
        index.org_only = np.isin(index.user_ids, np.fromiter(org_only, np.int64, len(org_only)))
        index.alive = np.ones(n, bool)
        index.stale = np.zeros(n, bool)
        shape = (n, len(index.skills.items))
        index.base = sparse.csc_matrix(
            (np.frombuffer(vals, np.float32), (np.frombuffer(rows, np.int64), np.frombuffer(cols, np.int64))),
            shape=shape,
        )
        index.base_languages = sparse.csr_matrix(
            (
                np.ones(len(lang_rows), np.float32),
                (np.frombuffer(lang_rows, np.int64), np.frombuffer(lang_cols, np.int64)),
            ),
            shape=(n, len(index.languages.items)),
        )
        return index

    @classmethod
    def from_arrays(
        cls,
        skills: Sequence[str],
        strengths: sparse.csc_matrix,
        user_ids: Ints,
        *,
        rate: Floats,
        hours: Floats,
        city: Sequence[str],
        city_of: npt.NDArray[np.int64],
        reputation: Floats,
    ) -> MatchIndex:
        """An index straight from arrays (the generated populations of ``bench/``): people are rows
        of ``strengths`` (columns: ``skills``), rates in EUR (NaN: none), ``city_of`` indexes ``city``
        (-1: none), no languages, no country."""
        index = cls()
        index.skills = _Vocabulary(skills)
        index.currencies.add("EUR")
        n = len(user_ids)
        index.row_of = {int(u): row for row, u in enumerate(user_ids.tolist())}
        index.user_ids = np.asarray(user_ids, np.int64)
        index.rate = np.asarray(rate, np.float64)
        index.currency = np.zeros(n, np.int32)
        index.hours = np.asarray(hours, np.float64)
        places = np.array([0] + [index.places.add(place_words(c)) for c in city], np.int32)
        index.city = places[np.asarray(city_of, np.int64) + 1]
        index.country = np.zeros(n, np.int32)
        index.reputation = np.asarray(reputation, np.float64)
        index.org_only = np.zeros(n, bool)
        index.alive = np.ones(n, bool)
        index.stale = np.zeros(n, bool)
        index.base = sparse.csc_matrix(strengths, dtype=np.float32)
        index.base_languages = sparse.csr_matrix((n, 0), dtype=np.float32)
        return index

    def _attributes(self, person: PersonFacts) -> tuple[int, float, int, float, int, int, float]:
        return (
            person.user_id,
            np.nan if person.hourly_rate is None else person.hourly_rate,
            self.currencies.add(person.currency),
            np.nan if person.hours_per_week is None else float(person.hours_per_week),
            self.places.add(place_words(person.city) if person.city.strip() else ""),
            self.places.add(place_words(person.country) if person.country.strip() else ""),
            np.nan if person.reputation is None else float(person.reputation),
        )

    def __len__(self) -> int:
        return int(self.alive.sum())

    def _grow(self, rows: int) -> None:
        def grown(array: npt.NDArray[Any], fill: object) -> npt.NDArray[Any]:
            more = np.full(rows - len(array), fill, dtype=array.dtype)
            return np.concatenate([array, more])

        self.user_ids = grown(self.user_ids, -1)
        self.alive = grown(self.alive, False)
        self.stale = grown(self.stale, True)
        self.rate = grown(self.rate, np.nan)
        self.currency = grown(self.currency, -1)
        self.hours = grown(self.hours, np.nan)
        self.city = grown(self.city, 0)
        self.country = grown(self.country, 0)
        self.reputation = grown(self.reputation, np.nan)
        self.org_only = grown(self.org_only, False)

    @property
    def delta_size(self) -> int:
        """How many rows were upserted since the base was built (``compact`` folds them in)."""
        return len(self.delta_rows)

    def upsert(self, person: PersonFacts, *, org_only: bool = False) -> None:
        """Add or replace one person (their skills and terms), without rebuilding the base."""
        row = self.row_of.get(person.user_id)
        if row is None:
            row = self.row_of[person.user_id] = len(self.user_ids)
            self._grow(row + 1)
        self._forget_delta(row)
        (user_id, rate, currency, hours, city, country, reputation) = self._attributes(person)
        self.user_ids[row] = user_id
        self.rate[row] = rate
        self.currency[row] = currency
        self.hours[row] = hours
        self.city[row] = city
        self.country[row] = country
        self.reputation[row] = reputation
        self.org_only[row] = org_only
        self.alive[row] = True
        self.stale[row] = True
        columns = []
        for uri, strength in person.strengths.items():
            if strength > 0:
                column = self.skills.add(uri)
                self.delta.setdefault(column, {})[row] = strength
                columns.append(column)
        self.delta_rows[row] = tuple(columns)
        self.delta_languages[row] = frozenset(self.languages.add(x) for x in person.languages)

    def remove(self, user_id: int) -> None:
        row = self.row_of.get(user_id)
        if row is not None:
            self.alive[row] = False
            self._forget_delta(row)

    def _forget_delta(self, row: int) -> None:
        for column in self.delta_rows.pop(row, ()):
            self.delta[column].pop(row, None)
        self.delta_languages.pop(row, None)

    def compact(self) -> None:
        """Fold the delta into the base, here and now (``begin_compaction``, ``fold``, ``finish``)."""
        compaction = self.begin_compaction()
        compaction.fold()
        self.finish_compaction(compaction)

    def begin_compaction(self) -> Compaction:
        """What folding the delta into the base needs, as it is now: references to the base (never
        changed in place, only replaced) and copies of the rest (the delta, the row arrays: a few
        copies of arrays of a person, no scoring). Take it under the lock the index's writers hold;
        ``Compaction.fold`` and ``Compaction.save`` need no lock; ``finish_compaction`` takes it again."""
        return Compaction(
            base=self.base,
            base_languages=self.base_languages,
            stale=self.stale.copy(),
            delta={column: dict(entries) for column, entries in self.delta.items() if entries},
            delta_languages=dict(self.delta_languages),
            delta_rows=dict(self.delta_rows),
            shape=(len(self.user_ids), len(self.skills.items)),
            languages=len(self.languages.items),
            rows={name: getattr(self, name).copy() for name in _ROW_ARRAYS},
            meta={
                "format": FORMAT,
                "skills": list(self.skills.items),
                "currencies": list(self.currencies.items),
                "places": list(self.places.items),
                "languages": list(self.languages.items),
                "extra": dict(self.extra),
            },
        )

    def finish_compaction(self, compaction: Compaction) -> bool:
        """Put ``compaction``'s folded base in place (under the lock): the rows upserted since it began
        stay in the delta (stale in the new base), those it folded leave the delta. False (nothing
        changed): the base was replaced meanwhile (another compaction)."""
        if compaction.folded is None or self.base is not compaction.base:
            return False
        base, languages = compaction.folded  # rows added since are past its end, as after any upsert
        n = len(self.user_ids)
        for row, columns in compaction.delta_rows.items():
            if self.delta_rows.get(row) is columns:  # not upserted again (a new tuple) nor removed since
                self._forget_delta(row)
        self.base, self.base_languages = base, languages
        self.stale = np.zeros(n, bool)
        if self.delta_rows:
            self.stale[np.fromiter(self.delta_rows, np.int64, len(self.delta_rows))] = True
        return True

    # -- scoring --------------------------------------------------------------------------------

    def _column(self, column: int) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """(rows, strengths) of a skill's holders: views of the base (stale rows left out, when there
        are any) and the delta's rows."""
        base_rows: npt.NDArray[Any] = np.zeros(0, np.int64)
        base_vals: npt.NDArray[Any] = np.zeros(0, np.float32)
        if column < self.base.shape[1]:
            start, end = self.base.indptr[column], self.base.indptr[column + 1]
            base_rows = self.base.indices[start:end].astype(np.intp)  # once, not at every fancy index
            base_vals = self.base.data[start:end].astype(np.float64)
            if self.delta_rows:  # a stale row is alive only while upserted (removed ones are dropped later)
                fresh = ~self.stale[base_rows]
                base_rows, base_vals = base_rows[fresh], base_vals[fresh]
        extra = self.delta.get(column)
        if extra:
            base_rows = np.concatenate([base_rows, np.fromiter(extra.keys(), np.int64, len(extra))])
            base_vals = np.concatenate([base_vals, np.fromiter(extra.values(), np.float64, len(extra))])
        return base_rows, base_vals

    def skills_scores(
        self, job: JobFacts, graph: SkillGraph, *, min_credit: float = 0.0
    ) -> tuple[Ints, Floats]:
        """(rows, skills score x the unmet-required factor) of every person holding any source of the
        job's skills. ``min_credit`` above 0 makes it approximate: sources giving less credit are not
        read (``bench/bench_matching.py`` measures its recall against exact; the services never use it)."""
        targets, weight = self._targets(job, graph, min_credit)
        return self._accumulate(targets, weight, len(job.required))

    def _targets(self, job: JobFacts, graph: SkillGraph, min_credit: float) -> tuple[list[_Target], float]:
        """Each job skill's weight, whether it is required, and its pieces: (rows, credit x strength)
        of every source's holders; and the total weight."""
        required = set(job.required)
        wanted = [(uri, REQUIRED_WEIGHT) for uri in job.required]
        wanted += [(uri, NICE_WEIGHT) for uri in job.nice if uri not in job.required]
        targets: list[_Target] = []
        for uri, w in wanted:
            pieces: list[tuple[Ints, Floats]] = []
            for source, credit in best_sources(graph, uri).items():
                column = self.skills.ids.get(source)
                if column is None or credit.value < min_credit:
                    continue
                rows, vals = self._column(column)
                if len(rows):
                    pieces.append((rows, credit.value * vals))
            targets.append((w, uri in required, pieces))
        return targets, float(sum(w for _, w in wanted))

    def _accumulate(self, targets: list[_Target], weight: float, required: int) -> tuple[Ints, Floats]:
        """The skills scores of the rows the pieces touch, in no particular order.

        Each touched row gets a slot (its place among this job's candidates) from one array of a slot
        a person, kept between queries (``_Scratches``: only the touched rows are set back); the
        sums, maxima and counts are then taken in arrays of one value a candidate, small enough to stay
        in the processor's cache, instead of in arrays of a million. No sorting: a row listed twice for
        one job skill (held through two sources) is written the same value twice by each fancy-indexed
        update, so it counts once. Every candidate's numbers are computed in the same order as before
        (job skill by job skill), so the scores are the same to the bit."""
        if len(self.user_ids) < SLOTS_FROM:
            return self._accumulate_dense(targets, weight, required)
        slot = self._scratch.take(len(self.user_ids))  # given back only once set back to -1
        count, touched, slots_of = _give_slots(slot, [pieces for _, _, pieces in targets])
        slotted = [
            (w, is_required, mine) for (w, is_required, _), mine in zip(targets, slots_of, strict=True)
        ]
        slot[touched] = -1
        self._scratch.give_back(slot)
        if not weight:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        total = np.zeros(count, np.float64)
        met = np.zeros(count, np.int16)
        coverage = np.zeros(count, np.float64)
        least = MET_AT - MET_TOLERANCE
        for w, is_required, mine in slotted:
            if not mine:
                continue
            coverage[mine[0][0]] = mine[0][1]  # all zero before the first: no maximum to take
            for at, cov in mine[1:]:
                coverage[at] = np.maximum(coverage[at], cov)
            at = mine[0][0] if len(mine) == 1 else np.concatenate([a for a, _ in mine])
            covered = coverage[at]
            total[at] += w * covered
            if is_required:
                met[at[covered >= least]] += 1
            coverage[at] = 0.0
        alive = self.alive[touched]
        return touched[alive], _with_unmet(total[alive] / weight, required - met[alive])

    def _accumulate_dense(self, targets: list[_Target], weight: float, required: int) -> tuple[Ints, Floats]:
        """``_accumulate`` for a smaller index (under ``SLOTS_FROM`` people): the same numbers taken in
        arrays of one value a person (``np.zeros`` pages in only what is touched), rows in order."""
        n = len(self.user_ids)
        total = np.zeros(n, np.float64)
        met = np.zeros(n, np.int16)
        seen = np.zeros(n, bool)
        coverage = np.zeros(n, np.float64)
        least = MET_AT - MET_TOLERANCE
        for w, is_required, pieces in targets:
            if not pieces:
                continue
            rows, covered = _best_coverage(coverage, pieces)
            total[rows] += w * covered
            if is_required:
                met[rows[covered >= least]] += 1
            coverage[rows] = 0.0
            seen[rows] = True
        if not weight:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        rows = np.flatnonzero(seen & self.alive)
        return rows, _with_unmet(total[rows] / weight, required - met[rows])

    def terms(self, rows: Ints, job: JobFacts) -> Floats:
        """The product of the term factors for ``rows`` (as ``scoring`` computes them one by one)."""
        factor = np.ones(len(rows), np.float64)
        currency = self.currencies.ids.get(job.currency, -2)
        if job.hourly_budget is not None:
            rate = self.rate[rows]
            above = (~np.isnan(rate)) & (self.currency[rows] == currency) & (rate > job.hourly_budget)
            factor[above] *= np.maximum(FACTOR_FLOOR, job.hourly_budget / rate[above])
        if job.hours_per_week is not None and job.hours_per_week > 0:
            hours = self.hours[rows]
            given = ~np.isnan(hours)
            factor[given] *= np.clip(hours[given] / job.hours_per_week, FACTOR_FLOOR, 1.0)
        if not job.remote:
            words = place_words(job.place)
            here = np.array([bool(p) and p in words for p in self.places.items], bool)
            city, country = self.city[rows], self.country[rows]
            located = here[city] | here[country]
            unknown = (city == 0) & (country == 0)
            factor *= np.where(located, 1.0, np.where(unknown, PLACE_UNKNOWN, PLACE_ELSEWHERE))
        if job.languages:
            columns = [self.languages.ids[x] for x in job.languages if x in self.languages.ids]
            spoken = np.zeros(len(rows), np.float64)
            in_base = rows < self.base_languages.shape[0]
            if columns and in_base.any():
                counted = self.base_languages[rows[in_base]][:, columns].sum(axis=1)
                spoken[in_base] = np.asarray(counted, np.float64).ravel()
                spoken = np.where(self.stale[rows], 0.0, spoken)
            if self.delta_languages:
                fresh = np.fromiter(self.delta_languages, np.int64, len(self.delta_languages))
                for i in np.flatnonzero(np.isin(rows, fresh)).tolist():
                    said = self.delta_languages[int(rows[i])]
                    spoken[i] = sum(1 for c in columns if c in said)
            factor *= 0.5 + 0.5 * spoken / len(job.languages)
        reputation = self.reputation[rows]
        scored = ~np.isnan(reputation)
        factor[scored] *= 1.0 + REPUTATION_SPAN * (reputation[scored] - REPUTATION_NEUTRAL) / REPUTATION_SCALE
        return factor

    def top(
        self,
        job: JobFacts,
        graph: SkillGraph,
        k: int = 50,
        *,
        exclude: Sequence[int] = (),
        shown: Collection[int] | None = None,
        min_credit: float = 0.0,
    ) -> list[Scored]:
        """The best ``k`` people for ``job`` by the full score, best first (ties: lower user id),
        leaving out the ``exclude``d user ids and, when ``shown`` is given, the organisation-only
        people not in it (None: all of them may be shown): the filters are applied before the top is
        taken, so it is the exact top of those left. ``min_credit``: see ``skills_scores`` (0: exact)."""
        keep = _Keep(np.asarray(exclude, np.int64), _ids(shown))
        if not min_credit and len(self.user_ids) >= BOUND_FROM:
            found = self._top_bounded(job, graph, k, keep)
            if found is not None:
                return found
        rows, skills = self.skills_scores(job, graph, min_credit=min_credit)
        return self._best(rows, skills, job, k, keep)

    def holders(
        self,
        job: JobFacts,
        graph: SkillGraph,
        *,
        exclude: Sequence[int] = (),
        shown: Collection[int] | None = None,
    ) -> int:
        """How many people hold a source of the job's skills (every row ``top`` could rank), with the
        filters of ``top``: marks the posting lists, scores nothing."""
        columns = {
            column
            for uri in {*job.required, *job.nice}
            for source in best_sources(graph, uri)
            if (column := self.skills.ids.get(source)) is not None
        }
        seen = np.zeros(len(self.user_ids), bool)
        for column in columns:
            if column < self.base.shape[1]:
                seen[self.base.indices[self.base.indptr[column] : self.base.indptr[column + 1]]] = True
        if self.delta_rows:
            seen &= ~self.stale  # an upserted row's skills are in the delta
            for column in columns:
                more = self.delta.get(column)
                if more:
                    seen[np.fromiter(more.keys(), np.int64, len(more))] = True
        seen &= self.alive
        count = int(np.count_nonzero(seen))
        keep = _Keep(np.asarray(exclude, np.int64), _ids(shown))
        if keep.any:
            count -= int(np.count_nonzero(seen[self._barred(keep)]))  # the filtered out among them
        return count

    def _barred(self, keep: _Keep) -> Ints:
        """The rows ``top``'s filters leave out (each once, alive or not): the ``exclude``d users' and
        the organisation-only people's not ``shown``."""
        rows = [row for user in keep.exclude.tolist() if (row := self.row_of.get(user)) is not None]
        barred = np.asarray(rows, np.int64)
        if keep.shown is not None:
            org = np.flatnonzero(self.org_only)
            if len(org):
                barred = np.concatenate([barred, org[~np.isin(self.user_ids[org], keep.shown)]])
        return np.unique(barred)

    def _kept(self, rows: Ints, keep: _Keep) -> npt.NDArray[np.bool_]:
        """Which of ``rows`` pass ``top``'s filters."""
        barred = self._barred(keep)
        if len(barred) <= BARRED_SEARCH:
            return ~np.isin(rows, barred)
        mask = np.zeros(len(self.user_ids), bool)
        mask[barred] = True
        return ~mask[rows]

    def _top_bounded(self, job: JobFacts, graph: SkillGraph, k: int, exclude: _Keep) -> list[Scored] | None:
        """``top``, exactly, reading the sources that give little credit (under ``LOW_CREDIT``: the
        broad ones, siblings and related skills, most of a job's postings) only for the people who can
        still reach the top; None: no bound small enough (the caller takes the full pass).

        1. The high sources alone (``LOW_CREDIT`` and up) give each person they reach a lower bound of
           their score (a coverage can only grow) and an upper bound: a job skill's coverage is at
           most the larger of its high coverage and ``L``, the best credit of its low sources
           (strengths are at most 1), and a required skill is met through a low source only where
           ``L`` reaches ``MET_AT``.
        2. The ``k``-th best lower bound (times the terms) is a floor of the ``k``-th best score.
        3. Those whose upper bound (times the terms) reaches the floor are scored exactly, in the same
           order as the full pass (the same numbers to the bit); the rest cannot be in the top. Anyone
           reached by the low sources only is bounded by the low credits alone: when that reaches the
           floor, None."""
        if k <= 0:
            return None
        required = set(job.required)
        wanted = [(uri, REQUIRED_WEIGHT) for uri in job.required]
        wanted += [(uri, NICE_WEIGHT) for uri in job.nice if uri not in job.required]
        weight = float(sum(w for _, w in wanted))
        if not weight:
            return []
        least = MET_AT - MET_TOLERANCE
        high: list[_Target] = []
        low: list[list[tuple[int, float]]] = []  # every source (column, credit), low or not
        ceiling: list[float] = []
        for uri, w in wanted:
            pieces: list[tuple[Ints, Floats]] = []
            weak: list[tuple[int, float]] = []
            for source, credit in best_sources(graph, uri).items():
                column = self.skills.ids.get(source)
                if column is None:
                    continue
                if credit.value >= LOW_CREDIT:
                    rows, vals = self._column(column)
                    if len(rows):
                        pieces.append((rows, credit.value * vals))
                weak.append((column, credit.value))
            high.append((w, uri in required, pieces))
            low.append(weak)
            ceiling.append(max((c * self._peak(x) for x, c in weak if c < LOW_CREDIT), default=0.0))
        if not any(p for _, _, p in high):
            return None
        lifted = sum(w * c for (w, _, _), c in zip(high, ceiling, strict=True))
        may_meet = sum(1 for (_, r, _), c in zip(high, ceiling, strict=True) if r and c >= least)
        unmet_least = max(0, len(required) - may_meet)
        # 1. the high pass
        slot = self._scratch.take(len(self.user_ids))
        touched, total, extra, met = self._high_pass(list(zip(high, ceiling, strict=True)), slot)
        # 2. the floor
        keep = self.alive[touched]
        if exclude.any:
            at = slot[self._barred(exclude)]  # the filtered out among the touched, by their slots
            keep[at[at >= 0]] = False
        slot[touched] = -1
        kept = np.flatnonzero(keep)
        if len(kept) < k:
            self._scratch.give_back(slot)
            return None
        lower = _with_unmet(total[kept] / weight, len(required) - met[kept])
        head = min(len(kept), PRUNE_HEAD * k)
        best = np.argpartition(-lower, head - 1)[:head] if head < len(kept) else np.arange(len(kept))
        floor = np.partition(lower[best] * self.terms(touched[kept[best]], job), head - k)[head - k]
        if lifted / weight * UNMET_REQUIRED**unmet_least * TERMS_MAX * (1 + BOUND_SLACK) >= floor:
            self._scratch.give_back(slot)
            return None  # someone the high sources miss may still reach the top
        # 3. who may still reach it
        upper = (lifted + extra[kept]) / weight * (1 + BOUND_SLACK)
        upper = _with_unmet(upper, np.maximum(len(required) - met[kept] - may_meet, 0))
        near = np.flatnonzero(upper * TERMS_MAX >= floor)
        near = near[upper[near] * self.terms(touched[kept[near]], job) >= floor]
        chosen = kept[near]
        rows = touched[chosen]
        slot[rows] = np.arange(len(rows), dtype=np.int32)
        ordered = np.argsort(rows)
        sought = None
        if self.base.has_sorted_indices:
            sought = (rows[ordered].astype(self.base.indices.dtype), ordered.astype(np.int32))
        sums = np.zeros(len(chosen), np.float64)
        hits = np.zeros(len(chosen), np.int16)
        for (w, is_required, _), every in zip(high, low, strict=True):
            best_of = np.zeros(len(chosen), np.float64)
            for column, value in every:
                where, vals = self._column_at(column, slot, sought)
                best_of[where] = np.maximum(best_of[where], value * vals)
            sums += w * best_of
            if is_required:
                hits += best_of >= least
        slot[rows] = -1
        self._scratch.give_back(slot)
        skills = _with_unmet(sums / weight, len(required) - hits)
        return self._best(rows, skills, job, k, exclude)

    def _high_pass(self, part: list[tuple[_Target, float]], slot: npt.NDArray[np.int32]) -> _Sums:
        """For the rows ``part``'s pieces touch (given slots in ``slot``, left set): the sum of
        weight x coverage, of weight x what it exceeds the job skill's low ceiling by, and how many
        required job skills are met (as ``_accumulate``)."""
        least = MET_AT - MET_TOLERANCE
        count, touched, slotted = _give_slots(slot, [pieces for (_, _, pieces), _ in part])
        total = np.zeros(count, np.float64)
        extra = np.zeros(count, np.float64)
        met = np.zeros(count, np.int16)
        coverage = np.zeros(count, np.float64)
        for ((w, is_required, _), c), mine in zip(part, slotted, strict=True):
            if not mine:
                continue
            at, covered = _best_coverage(coverage, mine)
            total[at] += w * covered
            extra[at] += w * np.maximum(covered - c, 0.0)  # at most once a slot: ``coverage`` is reset
            if is_required:
                met[at[covered >= least]] += 1
            coverage[at] = 0.0
        return touched, total, extra, met

    def _peak(self, column: int) -> float:
        """The largest strength a holder of the skill has (base and delta)."""
        base = self.base
        peaks = self._peaks
        if peaks is None or peaks[0] is not base.data:
            counts = np.diff(base.indptr)
            top = np.zeros(base.shape[1], np.float64)
            filled = np.flatnonzero(counts)
            if len(filled):
                top[filled] = np.maximum.reduceat(base.data, base.indptr[filled])
            peaks = self._peaks = (base.data, top)
        found = float(peaks[1][column]) if column < len(peaks[1]) else 0.0
        more = self.delta.get(column)
        return max(found, max(more.values())) if more else found

    def _column_at(
        self,
        column: int,
        slot: npt.NDArray[np.int32],
        sought: tuple[npt.NDArray[Any], npt.NDArray[np.int32]] | None,
    ) -> tuple[npt.NDArray[np.int32], Floats]:
        """(slots, strengths) of a skill's holders that have a slot (as ``_column``, stale rows left
        out), without copying the whole posting list. ``sought``: the rows with a slot, in order, and
        their slots, given when the base's posting lists are sorted: a list much longer than them is
        searched (binary search) rather than read."""
        where: npt.NDArray[np.int32] = _NO_SLOTS
        vals: Floats = _NO_VALUES
        if column < self.base.shape[1]:
            start, end = int(self.base.indptr[column]), int(self.base.indptr[column + 1])
            listed = self.base.indices[start:end]
            if sought is not None and len(sought[0]) * SEARCH_FROM < end - start:
                at = np.searchsorted(listed, sought[0])  # of the list's dtype: no copy of the list
                np.minimum(at, end - start - 1, out=at)
                hit = listed[at] == sought[0]
                sel = at[hit] + start
                where = sought[1][hit]
                vals = self.base.data[sel].astype(np.float64)
                if self.delta_rows and len(sel):
                    fresh = ~self.stale[self.base.indices[sel]]
                    where, vals = where[fresh], vals[fresh]
                return self._with_delta(column, slot, where, vals)
            found = slot[listed]
            sel = np.flatnonzero(found >= 0)
            where = found[sel]
            vals = self.base.data[start:end][sel].astype(np.float64)
            if self.delta_rows and len(sel):
                fresh = ~self.stale[self.base.indices[start:end][sel]]
                where, vals = where[fresh], vals[fresh]
        return self._with_delta(column, slot, where, vals)

    def _with_delta(
        self, column: int, slot: npt.NDArray[np.int32], where: npt.NDArray[np.int32], vals: Floats
    ) -> tuple[npt.NDArray[np.int32], Floats]:
        more = self.delta.get(column)
        if more:
            rows = np.fromiter(more.keys(), np.int64, len(more))
            found = slot[rows]
            sel = found >= 0
            if sel.any():
                where = np.concatenate([where, found[sel]])
                values = np.fromiter(more.values(), np.float64, len(more))
                vals = np.concatenate([vals, values[sel]])
        return where, vals

    def _best(self, rows: Ints, skills: Floats, job: JobFacts, k: int, exclude: _Keep) -> list[Scored]:
        if exclude.any:
            keep = self._kept(rows, exclude)
            rows, skills = rows[keep], skills[keep]
        if not len(rows):
            return []
        rows, skills = self._prune(rows, skills, job, k)
        scores = skills * self.terms(rows, job)
        if len(rows) > k:
            cut = np.argpartition(-scores, k - 1)[:k]
            kth = scores[cut].min()
            cut = np.flatnonzero(scores >= kth)  # ties at the edge kept, then ordered by user id
            rows, scores = rows[cut], scores[cut]
        users = self.user_ids[rows]
        order = np.lexsort((users, -scores))[:k]
        return [Scored(int(users[i]), float(scores[i])) for i in order]

    def _prune(self, rows: Ints, skills: Floats, job: JobFacts, k: int) -> tuple[Ints, Floats]:
        """Drop, exactly, the rows that cannot reach the top ``k``: the terms are scored for the
        ``PRUNE_HEAD x k`` best skills scores first; their ``k``-th full score is a floor of the top's,
        and a row whose skills score times the largest the terms can give is under it is out."""
        head = PRUNE_HEAD * k
        if len(rows) <= 2 * head:
            return rows, skills
        best = np.argpartition(-skills, head - 1)[:head]
        floor = np.partition(skills[best] * self.terms(rows[best], job), head - k)[head - k]
        keep = skills * TERMS_MAX >= floor
        return rows[keep], skills[keep]

    # -- persistence ----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Compact, then write the index to one ``.npz`` file (``Compaction.save``)."""
        compaction = self.begin_compaction()
        compaction.fold()
        self.finish_compaction(compaction)
        compaction.save(path)

    @classmethod
    def load(cls, path: Path) -> MatchIndex:
        with npz_files.opened(path, FORMAT, "index") as (meta, saved):
            index = cls()
            index.skills = _Vocabulary(meta["skills"])
            index.currencies = _Vocabulary(meta["currencies"])
            index.places = _Vocabulary(meta["places"])
            index.languages = _Vocabulary(meta["languages"])
            index.user_ids = saved["user_ids"]
            index.alive = saved["alive"]
            index.rate = saved["rate"]
            index.currency = saved["currency"]
            index.hours = saved["hours"]
            index.city = saved["city"]
            index.country = saved["country"]
            index.reputation = saved["reputation"]
            index.org_only = saved["org_only"]
            index.extra = dict(meta.get("extra", {}))
            index.stale = np.zeros(len(index.user_ids), bool)
            index.base = sparse.csc_matrix(
                (saved["data"], saved["indices"], saved["indptr"]), shape=tuple(saved["shape"])
            )
            index.base_languages = sparse.csr_matrix(
                (saved["lang_data"], saved["lang_indices"], saved["lang_indptr"]),
                shape=tuple(saved["lang_shape"]),
            )
        index.row_of = {int(u): row for row, u in enumerate(index.user_ids.tolist()) if u >= 0}
        return index

    @property
    def nbytes(self) -> int:
        arrays = (
            self.user_ids, self.alive, self.stale, self.rate, self.currency, self.hours,
            self.city, self.country, self.reputation, self.org_only,
            self.base.data, self.base.indices, self.base.indptr,
        )  # fmt: skip
        return int(sum(a.nbytes for a in arrays))


_ROW_ARRAYS = (
    "user_ids", "alive", "rate", "currency", "hours", "city", "country", "reputation", "org_only",
)  # fmt: skip
"""The arrays of one value a row that ``save`` writes as they are."""


@dataclass(slots=True)
class Compaction:
    """The delta folded into the base away from the index's lock (``MatchIndex.begin_compaction``):
    ``fold`` makes the new base, ``save`` writes the index as it was when the compaction began."""

    base: sparse.csc_matrix
    base_languages: sparse.csr_matrix
    stale: npt.NDArray[np.bool_]
    delta: dict[int, dict[int, float]]
    delta_languages: dict[int, frozenset[int]]
    delta_rows: dict[int, tuple[int, ...]]
    shape: tuple[int, int]
    languages: int
    rows: dict[str, npt.NDArray[Any]]
    meta: dict[str, Any]
    folded: tuple[sparse.csc_matrix, sparse.csr_matrix] | None = None

    def fold(self) -> None:
        """The stale rows' entries masked out of the CSC arrays (no re-sorting) and the delta, a
        small CSC matrix, added (one merge in SciPy); the languages likewise."""
        (n, width), base = self.shape, self.base
        if not self.delta and not self.stale.any() and base.shape == self.shape:
            self.folded = (base, self.base_languages)  # nothing to fold (just built or loaded)
            return
        if base.nnz and self.stale.any():
            keep = ~self.stale[base.indices]
            kept = np.concatenate([[0], np.cumsum(keep)])
            base = sparse.csc_matrix(
                (base.data[keep], base.indices[keep], kept[base.indptr]), shape=base.shape
            )
        else:
            base = base.copy()  # the index's base is never changed in place
        base.resize((n, width))
        rows, cols, vals = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.float32)]
        for column, entries in self.delta.items():
            rows.append(np.fromiter(entries.keys(), np.int64, len(entries)))
            cols.append(np.full(len(entries), column, np.int64))
            vals.append(np.fromiter(entries.values(), np.float32, len(entries)))
        extra = sparse.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, width)
        )
        folded = sparse.csc_matrix(base + extra) if extra.nnz else sparse.csc_matrix(base)
        languages = self.base_languages.tocoo()
        keep_l = ~self.stale[languages.row] if languages.nnz else np.zeros(0, bool)
        lrows = [languages.row[keep_l].astype(np.int64)]
        lcols = [languages.col[keep_l].astype(np.int64)]
        for row, spoken in self.delta_languages.items():
            lrows.append(np.full(len(spoken), row, np.int64))
            lcols.append(np.fromiter(spoken, np.int64, len(spoken)))
        lr, lc = np.concatenate(lrows), np.concatenate(lcols)
        spoken_by = sparse.csr_matrix((np.ones(len(lr), np.float32), (lr, lc)), shape=(n, self.languages))
        self.folded = (folded, spoken_by)

    def save(self, path: Path) -> None:
        """One ``.npz`` file of the folded index (written beside under a name of this process and
        thread, then moved into place: processes sharing the file never see half of one)."""
        assert self.folded is not None, "fold first"
        base, languages = self.folded
        rows = self.rows
        arrays = {
            "user_ids": rows["user_ids"],
            "alive": rows["alive"],
            "rate": rows["rate"],
            "currency": rows["currency"],
            "hours": rows["hours"],
            "city": rows["city"],
            "country": rows["country"],
            "reputation": rows["reputation"],
            "org_only": rows["org_only"],
            "data": base.data,
            "indices": base.indices,
            "indptr": base.indptr,
            "shape": np.array(base.shape, np.int64),
            "lang_data": languages.data,
            "lang_indices": languages.indices,
            "lang_indptr": languages.indptr,
            "lang_shape": np.array(languages.shape, np.int64),
        }
        npz_files.write(path, self.meta, arrays)
