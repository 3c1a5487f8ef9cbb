"""The job index of matching (issue 18): ``domain.matching.job_index.JobPostings`` kept current from the
store, for a person's lists of micro-jobs (``matching.jobs_for_person``).

What it holds: every open job's required and nice-to-have skills as posting lists, and its terms.
Jobs do not fade with time, and the person is read exactly from the store at each query (their
strengths on the day asked, their reputation), so for each job the index gives the model's score up to
the rounding of a sum; ``services/matching`` walks each list in that order, reads and scores each job
exactly from the store (the store decides that it is still open and visible), and stops when no later
job can reach the list: the ranking is the store path's, found without scoring every open job.

Kept current without a rebuild: every write of a job (posted, edited, published, closed, cancelled, any
state change) adds a row to the store's change log (``job_changes``, migration 0021, in the writing
transaction); before each query the index reads the rows above its watermark and re-reads those jobs
(``upsert`` when open, else ``remove``). This is how another process's writes reach it. An id below the
watermark not yet seen (a transaction that took its id earlier and committed later) is remembered as a
gap and looked for again for ``GAP_SECONDS``.

Survives a restart, on both stores: saved (compacted) to ``path`` after a build and, once
``SAVE_EVERY`` jobs have changed, by ``maintain`` in a thread of its own that a query starts, with its
watermark, the job of the change at the watermark, its gaps and the database's ``identity``
(``bootstrap.job_index_place``: beside the SQLite database, under ``MICROCAREER_CACHE_DIR``/``matching/``
on PostgreSQL). A file is trusted only if its format and identity match and the change at its
watermark is in the store for the same job; otherwise (and when it is broken) it is rebuilt.

Warmed at start-up (``start_warming``, from the server's keeper): until it is ready, queries take the
store path (``pick`` answers None at once). Pruned like the candidate index's log: ``prune`` deletes
the rows more than ``KEEP_CHANGES`` changes behind the head, and an index whose watermark + 1 or a gap
is below the log's floor is rebuilt rather than miss a pruned change.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping
from pathlib import Path

from microcareer.domain.marketplace.jobs import Audience, BudgetKind
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.job_index import JobPostings, Picked, Reach
from microcareer.domain.matching.lists import ListKind
from microcareer.domain.matching.scoring import CLOSE_AT, MET_AT, MET_TOLERANCE
from microcareer.domain.profiles.skill_graph import Credit, SkillGraph, best_credits
from microcareer.services.ports import UnitOfWork

CACHE_KEY = "matching_job_index"
PAGE = 5000
"""Changes read at a time while catching up."""
CATCH_UP_MAX = 50_000
"""More changes than this since the index's watermark: rebuilt from the store instead."""
SAVE_EVERY = 2000
"""Job changes after which the index is compacted and saved (in a thread a query starts)."""
GAP_SECONDS = 120.0
"""How long a missing change id below the watermark is looked for again."""
KEEP_CHANGES = 200_000
"""``prune`` keeps this many of the newest changes (the horizon)."""

log = logging.getLogger(__name__)


def job_facts(stored: StoredJob, labels: Mapping[str, str], languages: Iterable[str] = ()) -> JobFacts:
    """What matching compares of a job (its rate per hour: an hourly budget, or a fixed one over its
    expected hours)."""
    job = stored.job
    budget = job.budget.amount.amount / 100
    hourly = budget if job.budget.kind is BudgetKind.HOURLY else budget / max(1, job.expected_hours)
    return JobFacts(
        job_id=stored.id,
        title=job.title,
        required=job.required_skills,
        nice=job.nice_skills,
        labels=labels,
        hourly_budget=hourly,
        currency=job.budget.amount.currency,
        hours_per_week=JobFacts.weekly_hours(job.expected_hours, job.start, job.end),
        remote=job.remote,
        place=job.place,
        languages=frozenset(x.strip().casefold() for x in languages if x.strip()),
        organisation_id=job.organisation_id,
        internal=job.audience is Audience.INTERNAL,
    )


def reach_of(
    graph: SkillGraph, person: PersonFacts, credits: Mapping[str, tuple[float, Credit]] | None = None
) -> dict[str, Reach]:
    """Every skill the person's skills credit (``credits``: their ``best_credits``, when known), with
    the coverage ``scoring.match`` shows for it (rounded as it rounds), whether it is met (on the
    unrounded value) and within reach."""
    found: dict[str, Reach] = {}
    if credits is None:
        credits = best_credits(graph, person.strengths)
    for uri, (value, _) in credits.items():
        if value <= 0:
            continue
        coverage = round(value, 4)
        met = value >= MET_AT - MET_TOLERANCE
        found[uri] = Reach(coverage, met, met or coverage >= CLOSE_AT)
    return found


class JobIndex:
    def __init__(self, path: Path | None = None, identity: str = "") -> None:
        self.path = path
        self.identity = identity
        """The database's identity (``matching_instance``): a file saved for another is not loaded."""
        self._lock = threading.Lock()
        self._warming = threading.Event()
        self.ready = threading.Event()
        """Set once the index is built or loaded (by the warm-up or by a query)."""
        self._index: JobPostings | None = None
        self._watermark = 0
        self._watermark_job = 0
        self._gaps: dict[int, float] = {}
        self._since_save = 0
        self._maintaining = threading.Lock()
        self.maintenance: threading.Thread | None = None
        """The last compaction started after a query (``maintain``; tests join it)."""
        self.rebuilds = 0
        """How many times the index was built from the store (tests and the bench read it)."""
        self.served = 0
        """How many queries it answered (the others took the store path)."""

    def pick(
        self,
        uow: UnitOfWork,
        person: PersonFacts,
        graph: SkillGraph,
        *,
        organisations: Collection[int],
        exclude: Collection[int],
        reputation: float,
        credits: Mapping[str, tuple[float, Credit]] | None = None,
    ) -> dict[ListKind, Picked] | None:
        """The person's candidate jobs in each list, best first (``JobPostings.pick``); None while it is
        being warmed in the background (the caller takes the store path). Call inside ``uow``: the
        index is caught up here; ``credits``: the person's ``best_credits``, when known."""
        if self._index is None and self._warming.is_set():
            return None
        reach = reach_of(graph, person, credits)
        with self._lock:
            self._ready(uow)
            assert self._index is not None
            self.served += 1
            found = self._index.pick(
                person, reach, organisations=organisations, exclude=exclude, reputation=reputation
            )
            if self._since_save >= SAVE_EVERY and not self._maintaining.locked():
                self.maintenance = threading.Thread(
                    target=self.maintain, name="job-index-compaction", daemon=True
                )
                self.maintenance.start()
        return found

    def _ready(self, uow: UnitOfWork) -> None:
        """Loaded or built, and caught up (under the lock)."""
        if self._index is None:
            self._index = self._load(uow) or self._build(uow)
        elif not self._catch_up(uow):
            self._index = self._build(uow)
        self.ready.set()

    # -- warming up -----------------------------------------------------------------------------

    def warm(self, uow: UnitOfWork) -> None:
        """Load or build the index now (and catch it up): what a first query would otherwise do."""
        with self._lock, uow:
            self._ready(uow)

    def start_warming(self, uow: Callable[[], UnitOfWork]) -> threading.Thread:
        """``warm`` in a daemon thread; queries take the store path until it is done."""
        self._warming.set()

        def run() -> None:
            try:
                self.warm(uow())
            except Exception:  # the server keeps serving: a later query builds it
                log.exception("job index not warmed")
            finally:
                self._warming.clear()

        thread = threading.Thread(target=run, name="job-index-warm-up", daemon=True)
        thread.start()
        return thread

    # -- keeping current ------------------------------------------------------------------------

    def _build(self, uow: UnitOfWork) -> JobPostings:
        started = time.perf_counter()
        store = uow.marketplace
        watermark = store.job_change_head()
        recent = store.job_changes(max(0, watermark - PAGE), PAGE)
        now = time.monotonic()
        floor = store.job_change_floor()
        gaps = dict.fromkeys(
            set(range(max(1, floor, watermark - PAGE + 1), watermark + 1)) - {i for i, _ in recent}, now
        )
        index = JobPostings.build((job_facts(job, {}), job.poster_user_id) for job in store.open_jobs())
        self._watermark, self._gaps = watermark, gaps
        self._watermark_job = next((j for i, j in recent if i == watermark), 0)
        self.rebuilds += 1
        log.info("job index built: %d open jobs in %.2f s", len(index), time.perf_counter() - started)
        self._since_save = 0
        self._write(index)
        return index

    def _catch_up(self, uow: UnitOfWork) -> bool:
        """Apply the store's changes since the watermark; False: too many, or some pruned (rebuild)."""
        assert self._index is not None
        store = uow.marketplace
        now = time.monotonic()
        self._gaps = {i: seen for i, seen in self._gaps.items() if now - seen < GAP_SECONDS}
        floor = store.job_change_floor()
        if floor and min(self._gaps, default=self._watermark + 1) < floor:
            log.info("job index behind the pruned change log (floor %d): rebuilt", floor)
            return False
        after = min(self._gaps, default=self._watermark + 1) - 1
        changed: set[int] = set()
        seen: dict[int, int] = {}
        while True:
            page = store.job_changes(after, PAGE)
            for change, job_id in page:
                if change > self._watermark or change in self._gaps:
                    changed.add(job_id)
                    seen[change] = job_id
            if len(page) < PAGE:
                break
            after = page[-1][0]
            if len(seen) > CATCH_UP_MAX:
                return False
        if not changed:
            return True
        top = max(seen)
        for missing in set(range(self._watermark + 1, top)) - set(seen):
            self._gaps[missing] = now
        for change in seen:
            self._gaps.pop(change, None)
        if top > self._watermark:
            self._watermark, self._watermark_job = top, seen[top]
        index = self._index
        still_open: set[int] = set()
        for job in store.open_jobs(sorted(changed)):
            still_open.add(job.id)
            index.upsert(job_facts(job, {}), job.poster_user_id)
        for job_id in changed - still_open:
            index.remove(job_id)  # closed, cancelled, back to draft or gone
        self._since_save += len(changed)
        return True

    # -- persistence ----------------------------------------------------------------------------

    def maintain(self) -> bool:
        """Compact and save once ``SAVE_EVERY`` jobs have changed since the last save (a query that
        finds them starts it in a thread of its own); False: nothing to do, or another one is running.
        Compacting is a few array operations at 100,000 jobs, so it holds the lock."""
        if not self._maintaining.acquire(blocking=False):
            return False
        try:
            with self._lock:
                if self._index is None or self._since_save < SAVE_EVERY:
                    return False
                self._since_save = 0
                self._write(self._index)
                return True
        finally:
            self._maintaining.release()

    def _write(self, index: JobPostings) -> None:
        """Compact, and save when there is a path (under the lock)."""
        index.extra = {
            "identity": self.identity,
            "watermark": self._watermark,
            "watermark_job": self._watermark_job,
            "gaps": sorted(self._gaps),
        }
        if self.path is None:
            index.compact()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            index.save(self.path)
        except OSError as error:  # a read-only folder: the index still works, from memory
            log.warning("job index not saved to %s: %s", self.path, error)

    def _load(self, uow: UnitOfWork) -> JobPostings | None:
        if self.path is None or not self.path.exists():
            return None
        try:
            index = JobPostings.load(self.path)
            extra = index.extra
            watermark = int(str(extra["watermark"]))
            watermark_job = int(str(extra["watermark_job"]))
            gaps = [int(g) for g in extra["gaps"]]  # type: ignore[attr-defined]
            identity = str(extra.get("identity", ""))
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
            log.warning("job index at %s not used: %s", self.path, error)
            return None
        found = uow.marketplace.job_changes(watermark - 1, 1)
        if identity != self.identity or watermark <= 0 or found != [(watermark, watermark_job)]:
            log.warning("job index at %s does not match this database: rebuilt", self.path)
            return None
        now = time.monotonic()
        self._watermark, self._watermark_job = watermark, watermark_job
        self._gaps = dict.fromkeys(gaps, now)
        self._since_save = 0
        self._index = index
        if not self._catch_up(uow):
            return None
        return index


def prune(uow: UnitOfWork, keep: int = KEEP_CHANGES) -> int:
    """Delete the job change log's rows more than ``keep`` (at least 1: the head stays) changes behind
    its head; how many were deleted (indexes behind the new floor rebuild)."""
    with uow:
        below = uow.marketplace.job_change_head() - max(1, keep) + 1
        deleted = uow.marketplace.prune_job_changes(below) if below > 1 else 0
        uow.commit()
    if deleted:
        log.info("job change log: %d changes below %d pruned", deleted, below)
    return deleted


def job_index(caches: MutableMapping[str, object], place: Callable[[], tuple[Path | None, str]]) -> JobIndex:
    """The process's job index (one per platform); ``place`` (called once): where it is saved (None:
    memory only) and the database's identity."""
    found = caches.get(CACHE_KEY)
    if not isinstance(found, JobIndex):
        path, identity = place()
        made = caches.setdefault(CACHE_KEY, JobIndex(path, identity))
        assert isinstance(made, JobIndex)
        found = made
    return found
