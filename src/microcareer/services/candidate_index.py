"""The candidate index of matching (issue 18): ``domain.matching.MatchIndex`` kept current from the store.

What it holds: every available, non-private profile's skills (strengths) and terms, and whether the
profile shows to its organisations only. Strengths are taken on the index's ``as_of`` date with the
evidence policy it was built with, over *every* skill on the profile; evidence only fades with time, so
for any later day they are at least the person's true strengths, and the index's score (reputation
left out) is an **upper bound** of ``scoring.match``'s score without reputation. ``services/matching``
walks the candidates in that order and scores each exactly from the store, stopping when no later
bound can reach the top: the ranking is the store path's, only found faster.

Kept current without a rebuild: every write that can change a person's match adds a row to the
store's change log (``matching_changes``, in the writing transaction); before each query the index
reads the rows above its watermark and re-reads those people (``MatchIndex.upsert``/``remove``). This
is how another process's writes reach it. An id below the watermark that was not yet seen (a
transaction that took its id earlier and committed later, or rolled back) is remembered as a gap and
looked for again for ``GAP_SECONDS``.

Survives a restart, on both stores: saved (compacted) to ``path`` after a build and, once
``SAVE_EVERY`` upserts have gathered, by ``maintain`` in a thread of its own that a query starts (off
the query path: the fold and the file hold no lock), with its watermark, gaps, ``as_of``, policy and
the database's ``identity``
(``bootstrap.Platform.candidate_index`` puts the file beside a SQLite database, and under
``MICROCAREER_CACHE_DIR``/``matching/`` named by a hash of the database's identity on PostgreSQL). On
loading, a file is trusted only if its format and identity match and the change at its watermark is in
the store with the same person (so a file of another, or a restored, database is not); otherwise (and
when it is broken) it is rebuilt from the store. The caller falls back to the store path (``None``)
when the query's day is before ``as_of`` or its evidence policy differs.

Warmed at start-up: ``start_warming`` builds or loads it in a background thread (the server's
lifespan calls it), so the first query does not pay for the build. **Until it is ready, queries take
the store path** (``candidates`` answers None at once: exact, slower at scale, never blocked); with no
warm-up started (the CLI, tests) the first query builds it, as before.

Pruned: ``prune`` deletes the change log's rows more than ``KEEP_CHANGES`` changes behind its head (the
documented horizon; the server's keeper runs it every ``PRUNE_SECONDS``). Rows are not timed and the
processes' indexes are not registered, so the horizon is counted in changes: it is well beyond
``CATCH_UP_MAX``, past which an index rebuilds anyway. Every deletion is of all ids below some point,
so an index is safe iff no change it still needs is below the log's floor (its oldest row): when its
watermark + 1 or one of its gaps is under the floor, it is rebuilt rather than miss a pruned change.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.index import Compaction, MatchIndex, Scored
from microcareer.domain.profiles.evidence import EvidenceKind, EvidencePolicy, belief
from microcareer.domain.profiles.holdings import strength_of
from microcareer.domain.profiles.profile import Profile, ProfileSkill, Visibility
from microcareer.domain.profiles.skill_graph import SkillGraph
from microcareer.services.ports import UnitOfWork

CACHE_KEY = "matching_candidate_index"
PAGE = 5000
"""Changes read at a time while catching up."""
CANDIDATES_MAX = 5000
"""At most this many candidates are given for one query (``Candidates``)."""
CATCH_UP_MAX = 50_000
"""More changes than this since the index's watermark: rebuilt from the store instead."""
SAVE_EVERY = 2000
"""Upserts after which the delta is folded into the base and the file saved."""
GAP_SECONDS = 120.0
"""How long a missing change id below the watermark is looked for again."""
KEEP_CHANGES = 200_000
"""``prune`` keeps this many of the newest changes (the horizon)."""
PRUNE_SECONDS = 600.0
"""How often the server's keeper prunes the change log."""

log = logging.getLogger(__name__)


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


class CandidateIndex:
    def __init__(self, path: Path | None = None, identity: str = "") -> None:
        self.path = path
        self.identity = identity
        """The database's identity (``matching_instance``): a file saved for another is not loaded."""
        self._lock = threading.Lock()
        self._warming = threading.Event()
        self.ready = threading.Event()
        """Set once the index is built or loaded (by the warm-up or by a query)."""
        self._index: MatchIndex | None = None
        self._as_of = date.min
        self._policy = ""
        self._watermark = 0
        self._watermark_user = 0
        self._gaps: dict[int, float] = {}
        self._since_save = 0
        self._maintaining = threading.Lock()
        self.maintenance: threading.Thread | None = None
        """The last compaction started after a query (``maintain``; tests join it)."""
        self.rebuilds = 0
        """How many times the index was built from the store (tests and the bench read it)."""
        self.served = 0
        """How many queries it answered (the others fell back to the store)."""

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
        if self._index is None and self._warming.is_set():
            return None  # being built in the background: the store path meanwhile, not a wait
        with self._lock:
            self._ready(uow, today, key)
            assert self._index is not None
            if today < self._as_of or key != self._policy:
                return None
            self.served += 1
            count = self._index.holders(job, graph, exclude=exclude, shown=shown)
            if self._since_save >= SAVE_EVERY and not self._maintaining.locked():
                self.maintenance = threading.Thread(
                    target=self.maintain, name="candidate-index-compaction", daemon=True
                )
                self.maintenance.start()  # waits for the lock: after this query's first page

        def page(k: int) -> list[Scored]:
            with self._lock:
                assert self._index is not None
                return self._index.top(job, graph, k, exclude=exclude, shown=shown)

        return Candidates(count, head, page)

    def _ready(self, uow: UnitOfWork, today: date, key: str) -> None:
        """Loaded or built, and caught up (under the lock)."""
        if self._index is None:
            self._index = self._load(uow) or self._build(uow, today, key)
        elif not self._catch_up(uow):
            self._index = self._build(uow, today, key)
        self.ready.set()

    # -- warming up and pruning -----------------------------------------------------------------

    def warm(self, uow: UnitOfWork, today: date, policy: EvidencePolicy | None) -> None:
        """Load or build the index now (and catch it up): what a first query would otherwise do."""
        with self._lock, uow:
            self._ready(uow, today, policy_key(policy))

    def start_warming(
        self, uow: Callable[[], UnitOfWork], today: date, policy: EvidencePolicy | None
    ) -> threading.Thread:
        """``warm`` in a daemon thread; queries take the store path until it is done."""
        self._warming.set()

        def run() -> None:
            try:
                self.warm(uow(), today, policy)
            except Exception:  # the server keeps serving: a later query builds it
                log.exception("candidate index not warmed")
            finally:
                self._warming.clear()

        thread = threading.Thread(target=run, name="candidate-index-warm-up", daemon=True)
        thread.start()
        return thread

    # -- keeping current ------------------------------------------------------------------------

    def _build(self, uow: UnitOfWork, today: date, key: str) -> MatchIndex:
        started = time.perf_counter()
        policy = _policy_of(key)
        watermark = uow.profiles.matching_head()
        recent = uow.profiles.matching_changes(max(0, watermark - PAGE), PAGE)
        now = time.monotonic()
        floor = uow.profiles.matching_floor()  # none below it is looked for: pruned, or never made
        gaps = dict.fromkeys(
            set(range(max(1, floor, watermark - PAGE + 1), watermark + 1)) - {i for i, _ in recent}, now
        )
        people: list[PersonFacts] = []
        org_only: list[int] = []
        for user_id, profile, skills in uow.profiles.matching_profiles():
            people.append(index_facts(user_id, profile, skills, today, policy))
            if profile.visibility is Visibility.ORGANISATION:
                org_only.append(user_id)
        index = MatchIndex.build(people, org_only=org_only)
        self._as_of, self._policy, self._watermark, self._gaps = today, key, watermark, gaps
        self._watermark_user = next((u for i, u in recent if i == watermark), 0)
        self.rebuilds += 1
        log.info("candidate index built: %d people in %.2f s", len(index), time.perf_counter() - started)
        self._save(index)
        return index

    def _catch_up(self, uow: UnitOfWork) -> bool:
        """Apply the store's changes since the watermark; False: too many (rebuild instead)."""
        assert self._index is not None
        now = time.monotonic()
        self._gaps = {i: seen for i, seen in self._gaps.items() if now - seen < GAP_SECONDS}
        floor = uow.profiles.matching_floor()
        if floor and min(self._gaps, default=self._watermark + 1) < floor:
            log.info("candidate index behind the pruned change log (floor %d): rebuilt", floor)
            return False
        after = min(self._gaps, default=self._watermark + 1) - 1
        changed: set[int] = set()
        seen: set[int] = set()
        page_users: list[tuple[int, int]] = []
        while True:
            page = uow.profiles.matching_changes(after, PAGE)
            for change, user_id in page:
                if change > self._watermark or change in self._gaps:
                    changed.add(user_id)
                    seen.add(change)
                    page_users.append((change, user_id))
            if len(page) < PAGE:
                break
            after = page[-1][0]
            if len(seen) > CATCH_UP_MAX:
                return False
        if not changed:
            return True
        top = max(seen)
        for missing in set(range(self._watermark + 1, top)) - seen:
            self._gaps[missing] = now
        for change in seen:
            self._gaps.pop(change, None)
        if top > self._watermark:
            self._watermark = top
            self._watermark_user = next(u for i, u in page_users if i == top)
        self._apply(uow, changed)
        return True

    def _apply(self, uow: UnitOfWork, user_ids: set[int]) -> None:
        assert self._index is not None
        index, policy = self._index, _policy_of(self._policy)
        shown: set[int] = set()
        for user_id, profile, skills in uow.profiles.matching_profiles(sorted(user_ids)):
            shown.add(user_id)
            person = index_facts(user_id, profile, skills, self._as_of, policy)
            index.upsert(person, org_only=profile.visibility is Visibility.ORGANISATION)
        for user_id in set(user_ids) - shown:
            index.remove(user_id)  # hidden, unavailable, private or gone
        self._since_save += len(user_ids)  # compacted and saved by ``maintain``, not here

    # -- persistence ----------------------------------------------------------------------------

    def maintain(self) -> bool:
        """Fold the delta into the base and save the file once ``SAVE_EVERY`` upserts have gathered
        since the last save (a query that finds them starts it in a thread of its own); False: nothing
        to do, or another one is running. Only the snapshot (``begin_compaction``) and the swap
        (``finish_compaction``) hold the lock; the fold (seconds at a million) and the file do not, so
        queries and their catch-ups go on meanwhile (their upserts stay in the delta). The file is
        the index as it was at the snapshot, with the watermark and gaps of that moment: loaded after
        a restart, it is caught up from there."""
        if not self._maintaining.acquire(blocking=False):
            return False
        try:
            with self._lock:
                index = self._index
                if index is None or self._since_save < SAVE_EVERY:
                    return False
                index.extra = self._extra()
                compaction = index.begin_compaction()
                folding = self._since_save
            compaction.fold()
            with self._lock:
                if self._index is not index or not index.finish_compaction(compaction):
                    return False  # rebuilt meanwhile (and saved then)
                self._since_save = max(0, self._since_save - folding)
            self._write(compaction)
            return True
        finally:
            self._maintaining.release()

    def _extra(self) -> dict[str, object]:
        return {
            "identity": self.identity,
            "watermark": self._watermark,
            "watermark_user": self._watermark_user,
            "gaps": sorted(self._gaps),
            "as_of": self._as_of.isoformat(),
            "policy": self._policy,
        }

    def _save(self, index: MatchIndex) -> None:
        """Compact and save now (after a build, under the lock)."""
        self._since_save = 0
        index.extra = self._extra()
        compaction = index.begin_compaction()
        compaction.fold()
        index.finish_compaction(compaction)
        self._write(compaction)

    def _write(self, compaction: Compaction) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            compaction.save(self.path)
        except OSError as error:  # a read-only folder: the index still works, from memory
            log.warning("candidate index not saved to %s: %s", self.path, error)

    def _load(self, uow: UnitOfWork) -> MatchIndex | None:
        if self.path is None or not self.path.exists():
            return None
        try:
            index = MatchIndex.load(self.path)
            extra = index.extra
            watermark = int(extra["watermark"])
            as_of = date.fromisoformat(str(extra["as_of"]))
            key = str(extra["policy"])
            gaps = [int(g) for g in extra["gaps"]]
            identity = str(extra.get("identity", ""))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("candidate index at %s not used: %s", self.path, error)
            return None
        if identity != self.identity or watermark <= 0 or not self._known_change(uow, watermark, index):
            log.warning("candidate index at %s does not match this database: rebuilt", self.path)
            return None
        now = time.monotonic()
        self._as_of, self._policy, self._watermark = as_of, key, watermark
        self._watermark_user = int(extra.get("watermark_user", 0))
        self._gaps = dict.fromkeys(gaps, now)
        self._index = index
        if not self._catch_up(uow):
            return None
        return index

    @staticmethod
    def _known_change(uow: UnitOfWork, watermark: int, index: MatchIndex) -> bool:
        """The change at the watermark is in this store (for the person the file names, when it does)."""
        found = uow.profiles.matching_changes(watermark - 1, 1)
        if not found or found[0][0] != watermark:
            return False
        expected = index.extra.get("watermark_user")
        return expected is not None and int(expected) == found[0][1]


def _policy_of(key: str) -> EvidencePolicy:
    saved = json.loads(key) if key else {}
    if not saved:
        return EvidencePolicy()
    weights = {EvidenceKind(kind): float(w) for kind, w in saved["weights"].items()}
    return EvidencePolicy(weights=weights, half_life_days=float(saved["half_life_days"]))


def prune(uow: UnitOfWork, keep: int = KEEP_CHANGES) -> int:
    """Delete the change log's rows more than ``keep`` (at least 1: the head stays) changes behind
    its head; how many were deleted (indexes behind the new floor rebuild: the module doc)."""
    with uow:
        below = uow.profiles.matching_head() - max(1, keep) + 1
        deleted = uow.profiles.prune_matching_changes(below) if below > 1 else 0
        uow.commit()
    if deleted:
        log.info("matching change log: %d changes below %d pruned", deleted, below)
    return deleted


def candidate_index(
    caches: MutableMapping[str, object], place: Callable[[], tuple[Path | None, str]]
) -> CandidateIndex:
    """The process's candidate index (one per platform); ``place`` (called once): where it is saved
    (None: memory only) and the database's identity."""
    found = caches.get(CACHE_KEY)
    if not isinstance(found, CandidateIndex):
        path, identity = place()
        made = caches.setdefault(CACHE_KEY, CandidateIndex(path, identity))
        assert isinstance(made, CandidateIndex)
        found = made
    return found
