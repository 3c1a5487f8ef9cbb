"""An inverted index of open micro-jobs by the skills they ask for: ``MatchIndex``'s mirror (issue 18).

Jobs are slots; each job skill has two posting lists, the slots that require it and those that would
like it. For a person, the caller gives every job skill their held skills credit (``best_credits``,
the same coverage ``scoring.match`` computes, rounded as it rounds it) with whether it is met; ``pick``
reads those skills' lists only and, per job, adds the weighted coverages, counts the required skills
met and within reach, and applies the terms (rate, hours, place; language is not asked for here) and
the person's reputation (one factor for every job) as arrays. What it gives per job is the model's
score up to the rounding of the sum (``scoring.match`` sums in another order and rounds to four
decimals: callers add a slack), so a walk in that order that scores each job exactly may stop as soon
as a bound is under the last score it keeps.

Only jobs whose every required skill is met or within reach (``lists.classify``: coverage at least
``CLOSE_AT``) with at most ``STRETCH_MAX_MISSING`` unmet are candidates, each in its list (fit now,
stretch, internal); the filters are applied inside: an internal job only for its organisation's
members, never the person's own jobs, never the jobs the caller leaves out (dismissed).

Updates: ``upsert`` marks the job's old slot dead and appends a new slot, its postings kept in a small
delta beside the compacted base (no rebuild); ``compact`` drops the dead slots and folds the delta into
the base (done before ``save``). ``save``/``load`` keep it in one ``.npz`` file with ``extra`` (the
services keep their watermark there).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from microcareer.domain.matching import npz_files
from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.lists import STRETCH_MAX_MISSING, ListKind
from microcareer.domain.matching.scoring import (
    FACTOR_FLOOR,
    NICE_WEIGHT,
    PLACE_ELSEWHERE,
    PLACE_UNKNOWN,
    REQUIRED_WEIGHT,
    UNMET_REQUIRED,
    located_in,
)

FORMAT = 1
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

_SLOT_ARRAYS: dict[str, Any] = {
    "job_ids": np.int64,
    "poster": np.int64,
    "org": np.int64,
    "internal": np.bool_,
    "alive": np.bool_,
    "n_required": np.int32,
    "total_weight": np.float64,
    "budget": np.float64,
    "currency": np.int32,
    "hours": np.float64,
    "remote": np.bool_,
    "place": np.int32,
}
"""One value a slot: the job's id, poster, organisation (-1: none), whether it is an internal gig,
whether the slot is live, how many required skills, the weights of all its skills, its rate per hour,
currency (an id), hours a week (NaN: not given), remote, place (an id)."""


@dataclass(frozen=True, slots=True)
class Reach:
    """What the person's skills give a job skill: the coverage ``scoring.match`` would show (rounded to
    four decimals), and whether a required skill is met by it (decided on the unrounded value) or
    within reach (``CLOSE_AT``, on the rounded value, as ``lists.classify`` decides)."""

    coverage: float
    met: bool
    close: bool


@dataclass(frozen=True, slots=True)
class Picked:
    """A list's candidates, best first (the score as the index computes it, then the job id)."""

    job_ids: Ints
    scores: Floats

    def __len__(self) -> int:
        return len(self.job_ids)

    def pairs(self, start: int = 0, stop: int | None = None) -> list[tuple[int, float]]:
        return list(zip(self.job_ids[start:stop].tolist(), self.scores[start:stop].tolist(), strict=True))


@dataclass
class _Vocabulary:
    items: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)

    def add(self, item: str) -> int:
        known = self.ids.get(item)
        if known is None:
            known = self.ids[item] = len(self.items)
            self.items.append(item)
        return known


class JobPostings:
    """Open jobs by the skills they ask for (the module doc)."""

    def __init__(self) -> None:
        self.skills = _Vocabulary()
        self.currencies = _Vocabulary()
        self.places = _Vocabulary()
        self.size = 0
        self.slots: dict[str, np.ndarray[Any, Any]] = {k: np.zeros(0, t) for k, t in _SLOT_ARRAYS.items()}
        self.slot_of: dict[int, int] = {}
        # the compacted base: per skill id, the slots requiring it (``req_ptr``/``req_slots``) and
        # those liking it (``nice_ptr``/``nice_slots``), CSR-style
        self.req_ptr: Ints = np.zeros(1, np.int64)
        self.req_slots: Ints = np.zeros(0, np.int64)
        self.nice_ptr: Ints = np.zeros(1, np.int64)
        self.nice_slots: Ints = np.zeros(0, np.int64)
        self.delta_req: dict[int, list[int]] = {}
        self.delta_nice: dict[int, list[int]] = {}
        self.extra: dict[str, object] = {}

    def __len__(self) -> int:
        return len(self.slot_of)

    @classmethod
    def build(cls, jobs: Iterable[tuple[JobFacts, int]]) -> JobPostings:
        """From (job facts, poster's user id) of every open job."""
        index = cls()
        for job, poster in jobs:
            index.upsert(job, poster)
        index.compact()
        return index

    # -- changes ---------------------------------------------------------------------------------

    def _grow(self, wanted: int) -> None:
        capacity = len(self.slots["job_ids"])
        if wanted <= capacity:
            return
        bigger = max(wanted, 2 * capacity, 64)
        for name, array in self.slots.items():
            grown = np.zeros(bigger, array.dtype)
            grown[:capacity] = array
            self.slots[name] = grown

    def upsert(self, job: JobFacts, poster: int) -> None:
        """The job as it is now (its old slot, if any, is dropped)."""
        self.remove(job.job_id)
        slot = self.size
        self._grow(slot + 1)
        self.size += 1
        required = list(dict.fromkeys(job.required))
        nice = [uri for uri in dict.fromkeys(job.nice) if uri not in set(required)]
        values: dict[str, object] = {
            "job_ids": job.job_id,
            "poster": poster,
            "org": -1 if job.organisation_id is None else job.organisation_id,
            "internal": job.internal,
            "alive": True,
            "n_required": len(required),
            "total_weight": REQUIRED_WEIGHT * len(required) + NICE_WEIGHT * len(nice),
            "budget": np.nan if job.hourly_budget is None else job.hourly_budget,
            "currency": self.currencies.add(job.currency),
            "hours": np.nan if job.hours_per_week is None else job.hours_per_week,
            "remote": job.remote,
            "place": self.places.add(job.place),
        }
        for name, value in values.items():
            self.slots[name][slot] = value
        for uri in required:
            self.delta_req.setdefault(self.skills.add(uri), []).append(slot)
        for uri in nice:
            self.delta_nice.setdefault(self.skills.add(uri), []).append(slot)
        self.slot_of[job.job_id] = slot

    def remove(self, job_id: int) -> None:
        """Leave the job out from now on (closed, cancelled, gone); nothing if it is not here."""
        slot = self.slot_of.pop(job_id, None)
        if slot is not None:
            self.slots["alive"][slot] = False

    @property
    def delta_size(self) -> int:
        return sum(len(v) for v in self.delta_req.values()) + sum(len(v) for v in self.delta_nice.values())

    def compact(self) -> None:
        """Drop the dead slots and fold the delta into the base (slots are numbered anew)."""
        alive = self.slots["alive"][: self.size]
        live = np.flatnonzero(alive)
        renumber = np.full(self.size, -1, np.int64)
        renumber[live] = np.arange(len(live))
        n_skills = len(self.skills.items)

        def fold(ptr: Ints, slots: Ints, delta: dict[int, list[int]]) -> tuple[Ints, Ints]:
            skill = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
            extra_skill = [np.full(len(v), k, np.int64) for k, v in delta.items()]
            extra_slot = [np.asarray(v, np.int64) for v in delta.values()]
            skill = np.concatenate([skill, *extra_skill])
            slot = np.concatenate([slots, *extra_slot])
            keep = alive[slot] if len(slot) else np.zeros(0, bool)
            skill, slot = skill[keep], renumber[slot[keep]]
            order = np.lexsort((slot, skill))
            counts = np.bincount(skill, minlength=n_skills)
            new_ptr = np.zeros(n_skills + 1, np.int64)
            np.cumsum(counts, out=new_ptr[1:])
            return new_ptr, slot[order]

        self.req_ptr, self.req_slots = fold(self.req_ptr, self.req_slots, self.delta_req)
        self.nice_ptr, self.nice_slots = fold(self.nice_ptr, self.nice_slots, self.delta_nice)
        self.delta_req, self.delta_nice = {}, {}
        self.slots = {name: array[: self.size][live].copy() for name, array in self.slots.items()}
        self.size = len(live)
        self.slot_of = {int(job_id): slot for slot, job_id in enumerate(self.slots["job_ids"].tolist())}

    # -- queries ---------------------------------------------------------------------------------

    def _postings(self, skill: int, required: bool) -> Ints:
        ptr, slots, delta = (
            (self.req_ptr, self.req_slots, self.delta_req)
            if required
            else (self.nice_ptr, self.nice_slots, self.delta_nice)
        )
        base = slots[ptr[skill] : ptr[skill + 1]] if skill + 1 < len(ptr) else slots[:0]
        added = delta.get(skill)
        return base if not added else np.concatenate([base, np.asarray(added, np.int64)])

    def pick(
        self,
        person: PersonFacts,
        reach: Mapping[str, Reach],
        *,
        organisations: Collection[int],
        exclude: Collection[int] = (),
        reputation: float = 1.0,
    ) -> dict[ListKind, Picked]:
        """The person's candidates in each list, best first (the module doc): ``reach``, the job skills
        their skills credit; ``organisations``, theirs (their internal gigs only); ``exclude``, job ids
        left out (dismissed); ``reputation``, their reputation factor."""
        n = self.size
        req_rows: list[Ints] = []
        req_cov: list[Floats] = []
        req_met: list[Bools] = []
        nice_rows: list[Ints] = []
        nice_cov: list[Floats] = []
        for uri, hit in reach.items():
            skill = self.skills.ids.get(uri)
            if skill is None:
                continue
            rows = self._postings(skill, True)
            if len(rows) and hit.close:
                req_rows.append(rows)
                req_cov.append(np.full(len(rows), hit.coverage))
                req_met.append(np.full(len(rows), hit.met))
            rows = self._postings(skill, False)
            if len(rows) and hit.coverage > 0:
                nice_rows.append(rows)
                nice_cov.append(np.full(len(rows), hit.coverage))
        empty: dict[ListKind, Picked] = {
            kind: Picked(np.zeros(0, np.int64), np.zeros(0, np.float64)) for kind in ListKind
        }
        slots = {name: array[:n] for name, array in self.slots.items()}
        no_required = slots["n_required"] == 0
        if not req_rows and not no_required.any():
            return empty
        rr = np.concatenate(req_rows) if req_rows else np.zeros(0, np.int64)
        rc = np.concatenate(req_cov) if req_cov else np.zeros(0)
        rm = np.concatenate(req_met) if req_met else np.zeros(0, bool)
        close = np.bincount(rr, minlength=n)
        unmet = np.bincount(rr[~rm], minlength=n)
        keep = slots["alive"] & (close == slots["n_required"]) & (unmet <= STRETCH_MAX_MISSING)
        keep &= slots["poster"] != person.user_id
        if slots["internal"].any():
            mine = np.isin(slots["org"], np.fromiter(organisations, np.int64, len(organisations)))
            keep &= ~slots["internal"] | mine
        if exclude:
            gone = [self.slot_of[j] for j in exclude if j in self.slot_of]
            keep[gone] = False
        found = np.flatnonzero(keep)
        if not len(found):
            return empty
        weighted = np.bincount(rr, weights=REQUIRED_WEIGHT * rc, minlength=n)
        if nice_rows:
            weighted += np.bincount(
                np.concatenate(nice_rows), weights=NICE_WEIGHT * np.concatenate(nice_cov), minlength=n
            )
        total = slots["total_weight"][found]
        base = np.divide(weighted[found], total, out=np.zeros(len(found)), where=total > 0)
        score = base * UNMET_REQUIRED ** unmet[found].astype(np.float64)
        score *= self._terms(person, found, slots) * reputation
        job_ids = slots["job_ids"][found]
        kinds = np.where(slots["internal"][found], 2, np.where(unmet[found] > 0, 1, 0))
        picked: dict[ListKind, Picked] = {}
        for code, kind in enumerate((ListKind.FIT_NOW, ListKind.STRETCH, ListKind.INTERNAL)):
            mask = kinds == code
            ids, values = job_ids[mask], score[mask]
            order = np.lexsort((ids, -values))
            picked[kind] = Picked(ids[order], values[order])
        return picked

    def _terms(self, person: PersonFacts, found: Ints, slots: Mapping[str, np.ndarray[Any, Any]]) -> Floats:
        """Rate, hours and place as ``scoring`` gives them, for the slots ``found``."""
        terms = np.ones(len(found))
        budget = slots["budget"][found]
        if person.hourly_rate is not None and person.currency in self.currencies.ids:
            same = slots["currency"][found] == self.currencies.ids[person.currency]
            above = same & ~np.isnan(budget) & (person.hourly_rate > budget)
            with np.errstate(invalid="ignore"):
                terms = np.where(above, np.maximum(FACTOR_FLOOR, budget / person.hourly_rate), terms)
        if person.hours_per_week is not None:
            needed = slots["hours"][found]
            given = ~np.isnan(needed) & (needed > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                hours = np.minimum(1.0, np.maximum(FACTOR_FLOOR, person.hours_per_week / needed))
            terms = terms * np.where(given, hours, 1.0)
        on_site = ~slots["remote"][found]
        if on_site.any():
            if not person.city.strip() and not person.country.strip():
                place = np.where(on_site, PLACE_UNKNOWN, 1.0)
            else:
                ids = slots["place"][found]
                there = {
                    int(p): located_in(person.city, person.country, self.places.items[int(p)])
                    for p in np.unique(ids[on_site])
                }
                located = np.array([there.get(int(p), True) for p in ids.tolist()], bool)
                place = np.where(on_site & ~located, PLACE_ELSEWHERE, 1.0)
            terms = terms * place
        return terms

    # -- persistence -----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Compact, then write one ``.npz`` file (under a name of this process and thread, then moved
        into place: processes sharing the file never read half of one)."""
        self.compact()
        meta = {
            "format": FORMAT,
            "skills": self.skills.items,
            "currencies": self.currencies.items,
            "places": self.places.items,
            "extra": self.extra,
        }
        arrays: dict[str, Any] = {
            "req_ptr": self.req_ptr,
            "req_slots": self.req_slots,
            "nice_ptr": self.nice_ptr,
            "nice_slots": self.nice_slots,
            **{f"slot_{name}": array for name, array in self.slots.items()},
        }
        npz_files.write(path, meta, arrays)

    @classmethod
    def load(cls, path: Path) -> JobPostings:
        with npz_files.opened(path, FORMAT, "job index") as (meta, saved):
            index = cls()
            for name, vocabulary in (
                ("skills", index.skills),
                ("currencies", index.currencies),
                ("places", index.places),
            ):
                for item in meta[name]:
                    vocabulary.add(str(item))
            index.extra = dict(meta.get("extra", {}))
            index.req_ptr, index.req_slots = saved["req_ptr"], saved["req_slots"]
            index.nice_ptr, index.nice_slots = saved["nice_ptr"], saved["nice_slots"]
            index.slots = {name: saved[f"slot_{name}"].astype(t) for name, t in _SLOT_ARRAYS.items()}
        index.size = len(index.slots["job_ids"])
        if len(index.req_ptr) != len(index.skills.items) + 1 or not index.slots["alive"].all():
            raise ValueError(f"{path}: job index arrays do not agree")
        index.slot_of = {int(j): slot for slot, j in enumerate(index.slots["job_ids"].tolist())}
        return index
