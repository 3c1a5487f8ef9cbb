"""The candidate index of matching (issue 18): ``domain.matching.MatchIndex`` kept current from the store.

What it holds: every available, non-private profile's skills (strengths) and terms, and whether the
profile shows to its organisations only. Strengths are taken on the index's ``as_of`` date with the
evidence policy it was built with, over *every* skill on the profile; evidence only fades with time, so
for any later day they are at least the person's true strengths, and the index's score (reputation
left out) is an **upper bound** of ``scoring.match``'s score without reputation. ``services/matching``
walks the candidates in that order and scores each exactly from the store, stopping when no later
bound can reach the top: the ranking is the store path's, only found faster.

Kept current, saved, loaded, warmed and pruned by ``services/change_log_index.py`` (``ChangeLogIndex``)
from the store's change log ``matching_changes`` (every write that can change a person's match adds a
row, in the writing transaction): before each query the changed people are re-read
(``MatchIndex.upsert``/``remove``). Saved (compacted) after a build and, once ``SAVE_EVERY`` upserts
have gathered, by ``maintain`` in a thread of its own that a query starts: only the snapshot and the
swap hold the lock, the fold and the file do not. The file's header adds ``as_of`` and the policy
(``bootstrap.candidate_index_place`` puts the file beside a SQLite database, and under
``MICROCAREER_CACHE_DIR``/``matching/`` named by a hash of the database's identity on PostgreSQL).
The caller falls back to the store path (``None``) while it is warmed in the background, and when the
query's day is before ``as_of`` or its evidence policy differs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.index import MatchIndex, Scored
from microcareer.domain.profiles.evidence import EvidenceKind, EvidencePolicy, belief
from microcareer.domain.profiles.holdings import strength_of
from microcareer.domain.profiles.profile import Profile, ProfileSkill, Visibility
from microcareer.domain.profiles.skill_graph import SkillGraph
from microcareer.services.change_log_index import SAVE_EVERY, ChangeLog, ChangeLogIndex
from microcareer.services.ports import UnitOfWork

CANDIDATES_MAX = 5000
"""At most this many candidates are given for one query (``Candidates``)."""

MATCHING_CHANGES = ChangeLog(
    "matching change log",
    head=lambda uow: uow.profiles.matching_head(),
    changes=lambda uow, after, limit: uow.profiles.matching_changes(after, limit),
    floor=lambda uow: uow.profiles.matching_floor(),
    delete_below=lambda uow, below: uow.profiles.prune_matching_changes(below),
)
prune = MATCHING_CHANGES.prune
"""Delete ``matching_changes``' rows more than ``keep`` changes behind its head (``ChangeLog.prune``)."""


@dataclass(frozen=True, slots=True)
class Candidates:
    """The people holding a skill that leads to the job's skills and passing the filters (readable by
    the asker, not excluded), best upper bound (the score without reputation) first, ties by lower
    user id: ``pages`` yields them as lists of (user id, bound), ``__iter__`` one by one, taking them
    from the index a page at a time
    (``MatchIndex.top``: the bounded pass at scale, no full scoring), the first page ``head`` long and
    each next one four times longer, at most ``CANDIDATES_MAX`` in all; ``count``: how many there are."""

    count: int
    head: int
    page: Callable[[int], list[Scored]]

    def __iter__(self) -> Iterator[tuple[int, float]]:
        for page in self.pages():
            yield from page

    def pages(self) -> Iterator[list[tuple[int, float]]]:
        """The candidates a page at a time (each page's people not given before, in order): a page
        is taken from the index only when the one before is used up."""
        k, given, seen = max(1, self.head), 0, set()
        while given < CANDIDATES_MAX:
            found = self.page(k)
            fresh: list[tuple[int, float]] = []
            for scored in found:
                if scored.user_id in seen:
                    continue  # given on an earlier page
                seen.add(scored.user_id)
                given += 1
                fresh.append((scored.user_id, scored.score))
                if given >= CANDIDATES_MAX:
                    break
            if fresh:
                yield fresh
            if given >= CANDIDATES_MAX or len(found) < k or k >= CANDIDATES_MAX:
                return
            k = min(4 * k, CANDIDATES_MAX)


def policy_key(policy: EvidencePolicy | None) -> str:
    policy = policy or EvidencePolicy()
    weights = {kind.value: weight for kind, weight in sorted(policy.weights.items())}
    return json.dumps({"weights": weights, "half_life_days": policy.half_life_days}, sort_keys=True)


def index_facts(
    user_id: int, profile: Profile, skills: Iterable[ProfileSkill], as_of: date, policy: EvidencePolicy | None
) -> PersonFacts:
    """What the index keeps of a person: every skill's strength on ``as_of`` and the terms (as
    ``services.matching.person_facts`` reads them; no name, no reputation)."""
    strengths = {s.uri: strength_of(s.proficiency, belief(s.evidence, as_of, policy)) for s in skills}
    return PersonFacts(
        user_id=user_id,
        name="",
        strengths=strengths,
        hourly_rate=profile.hourly_rate,
        currency=profile.currency,
        hours_per_week=profile.hours_per_week,
        city=profile.location.city,
        country=profile.location.country_code,
        languages=frozenset(x.language.strip().casefold() for x in profile.languages),
    )


class CandidateIndex(ChangeLogIndex[MatchIndex]):
    """The ``ChangeLogIndex`` of people over ``matching_changes``; its file adds ``as_of`` and the
    evidence policy, and its compaction folds off the lock (``_maintain``)."""

    what, items, changes = "candidate index", "people", MATCHING_CHANGES
    watermark_field, cache_key = "watermark_user", "matching_candidate_index"

    def __init__(self, path: Path | None = None, identity: str = "") -> None:
        super().__init__(path, identity, save_every=SAVE_EVERY)
        self._as_of = date.min
        self._policy = ""

    def candidates(
        self,
        uow: UnitOfWork,
        job: JobFacts,
        graph: SkillGraph,
        today: date,
        policy: EvidencePolicy | None,
        *,
        exclude: Sequence[int] = (),
        shown: Collection[int] | None = None,
        head: int = 50,
    ) -> Candidates | None:
        """The people holding a source of the job's skills, best bound first (``Candidates``), without
        the ``exclude``d user ids and the organisation-only people not ``shown`` (None: all shown);
        None: do not trust the index for this query (the caller uses the store). Call inside ``uow``;
        it is caught up here, and each page is taken from the index as it is then."""
        key = policy_key(policy)
        if self._warming_up():
            return None
        with self._lock:
            index = self._current(uow, lambda: self._build(uow, today, key))
            if today < self._as_of or key != self._policy:
                return None
            self.served += 1
            count = index.holders(job, graph, exclude=exclude, shown=shown)
            self._maintain_when_due()

        def page(k: int) -> list[Scored]:
            with self._lock:
                assert self._index is not None
                return self._index.top(job, graph, k, exclude=exclude, shown=shown)

        return Candidates(count, head, page)

    def warm(self, uow: UnitOfWork, today: date, policy: EvidencePolicy | None) -> None:
        """Load or build the index now (and catch it up): what a first query would otherwise do."""
        key = policy_key(policy)
        self._warm(uow, lambda: self._build(uow, today, key))

    def start_warming(
        self, uow: Callable[[], UnitOfWork], today: date, policy: EvidencePolicy | None
    ) -> threading.Thread:
        """``warm`` in a daemon thread; queries take the store path until it is done."""
        return self._start_warming(lambda: self.warm(uow(), today, policy))

    # -- keeping current ------------------------------------------------------------------------

    def _build(self, uow: UnitOfWork, today: date, key: str) -> MatchIndex:
        def made() -> MatchIndex:
            policy = _policy_of(key)
            people: list[PersonFacts] = []
            org_only: list[int] = []
            for user_id, profile, skills in uow.profiles.matching_profiles():
                people.append(index_facts(user_id, profile, skills, today, policy))
                if profile.visibility is Visibility.ORGANISATION:
                    org_only.append(user_id)
            index = MatchIndex.build(people, org_only=org_only)
            self._as_of, self._policy = today, key
            return index

        return self._rebuilt(uow, made)

    def _apply(self, uow: UnitOfWork, index: MatchIndex, changed: set[int]) -> None:
        policy = _policy_of(self._policy)
        shown: set[int] = set()
        for user_id, profile, skills in uow.profiles.matching_profiles(sorted(changed)):
            shown.add(user_id)
            person = index_facts(user_id, profile, skills, self._as_of, policy)
            index.upsert(person, org_only=profile.visibility is Visibility.ORGANISATION)
        for user_id in changed - shown:
            index.remove(user_id)  # hidden, unavailable, private or gone

    # -- persistence ----------------------------------------------------------------------------

    def _maintain(self) -> bool:
        """Fold the delta into the base and save the file. Only the snapshot (``begin_compaction``)
        and the swap (``finish_compaction``) hold the lock; the fold (seconds at a million) and the file
        do not, so queries and their catch-ups go on meanwhile (their upserts stay in the delta). The
        file is the index as it was at the snapshot, with the watermark and gaps of that moment: loaded
        after a restart, it is caught up from there."""
        with self._lock:
            index = self._index
            if index is None or self._since_save < self.save_every:
                return False
            index.extra = self._extra()
            compaction = index.begin_compaction()
            folding = self._since_save
        compaction.fold()
        with self._lock:
            if self._index is not index or not index.finish_compaction(compaction):
                return False  # rebuilt meanwhile (and saved then)
            self._since_save = max(0, self._since_save - folding)
        self._write(compaction.save)
        return True

    def _persist(self, index: MatchIndex) -> None:
        compaction = index.begin_compaction()
        compaction.fold()
        index.finish_compaction(compaction)
        self._write(compaction.save)

    def _header(self) -> dict[str, object]:
        return {"as_of": self._as_of.isoformat(), "policy": self._policy}

    def _restoring(self, extra: Mapping[str, Any]) -> Callable[[], None]:
        as_of, key = date.fromisoformat(str(extra["as_of"])), str(extra["policy"])

        def restore() -> None:
            self._as_of, self._policy = as_of, key

        return restore

    def _read(self, path: Path) -> MatchIndex:
        return MatchIndex.load(path)


def _policy_of(key: str) -> EvidencePolicy:
    saved = json.loads(key) if key else {}
    if not saved:
        return EvidencePolicy()
    weights = {EvidenceKind(kind): float(w) for kind, w in saved["weights"].items()}
    return EvidencePolicy(weights=weights, half_life_days=float(saved["half_life_days"]))
