"""The job index of matching (issue 18): ``domain.matching.job_index.JobPostings`` kept current from the
store, for a person's lists of micro-jobs (``matching.jobs_for_person``).

What it holds: every open job's required and nice-to-have skills as posting lists, and its terms.
Jobs do not fade with time, and the person is read exactly from the store at each query (their
strengths on the day asked, their reputation), so for each job the index gives the model's score up to
the rounding of a sum; ``services/matching`` walks each list in that order, reads and scores each job
exactly from the store (the store decides that it is still open and visible), and stops when no later
job can reach the list: the ranking is the store path's, found without scoring every open job.

Kept current, saved, loaded, warmed and pruned by ``services/change_log_index.py`` (``ChangeLogIndex``,
as the candidate index) from the store's change log ``job_changes`` (migration 0021: every write of a
job, posted, edited, published, closed, cancelled, any state change, adds a row in the writing
transaction): before each query the changed jobs are re-read (``upsert`` when open, else ``remove``).
Saved (compacted) after a build and, once ``SAVE_EVERY`` jobs have changed, by ``maintain`` in a thread
of its own that a query starts (compacting is a few array operations at 100,000 jobs: it holds the
lock); ``bootstrap.job_index_place`` puts the file beside the candidate index's. Until it is warmed,
queries take the store path (``pick`` answers None at once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from microcareer.domain.marketplace.jobs import Audience, BudgetKind
from microcareer.domain.marketplace.records import StoredJob
from microcareer.domain.matching.facts import JobFacts, PersonFacts
from microcareer.domain.matching.job_index import JobPostings, Picked, Reach
from microcareer.domain.matching.lists import ListKind
from microcareer.domain.matching.scoring import CLOSE_AT, MET_AT, MET_TOLERANCE
from microcareer.domain.profiles.skill_graph import Credit, SkillGraph, best_credits
from microcareer.services.change_log_index import SAVE_EVERY, ChangeLog, ChangeLogIndex
from microcareer.services.ports import UnitOfWork

JOB_CHANGES = ChangeLog(
    "job change log",
    head=lambda uow: uow.marketplace.job_change_head(),
    changes=lambda uow, after, limit: uow.marketplace.job_changes(after, limit),
    floor=lambda uow: uow.marketplace.job_change_floor(),
    delete_below=lambda uow, below: uow.marketplace.prune_job_changes(below),
)
prune = JOB_CHANGES.prune
"""Delete ``job_changes``' rows more than ``keep`` changes behind its head (``ChangeLog.prune``)."""


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


class JobIndex(ChangeLogIndex[JobPostings]):
    """The ``ChangeLogIndex`` of open jobs over ``job_changes``."""

    what, items, changes = "job index", "open jobs", JOB_CHANGES
    watermark_field, cache_key = "watermark_job", "matching_job_index"

    def __init__(self, path: Path | None = None, identity: str = "") -> None:
        super().__init__(path, identity, save_every=SAVE_EVERY)

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
        if self._warming_up():
            return None
        reach = reach_of(graph, person, credits)
        with self._lock:
            index = self._current(uow, lambda: self._build(uow))
            self.served += 1
            found = index.pick(
                person, reach, organisations=organisations, exclude=exclude, reputation=reputation
            )
            self._maintain_when_due()
        return found

    def warm(self, uow: UnitOfWork) -> None:
        """Load or build the index now (and catch it up): what a first query would otherwise do."""
        self._warm(uow, lambda: self._build(uow))

    def start_warming(self, uow: Callable[[], UnitOfWork]) -> threading.Thread:
        """``warm`` in a daemon thread; queries take the store path until it is done."""
        return self._start_warming(lambda: self.warm(uow()))

    # -- keeping current ------------------------------------------------------------------------

    def _build(self, uow: UnitOfWork) -> JobPostings:
        jobs = uow.marketplace.open_jobs
        return self._rebuilt(
            uow, lambda: JobPostings.build((job_facts(j, {}), j.poster_user_id) for j in jobs())
        )

    def _apply(self, uow: UnitOfWork, index: JobPostings, changed: set[int]) -> None:
        still_open: set[int] = set()
        for job in uow.marketplace.open_jobs(sorted(changed)):
            still_open.add(job.id)
            index.upsert(job_facts(job, {}), job.poster_user_id)
        for job_id in changed - still_open:
            index.remove(job_id)  # closed, cancelled, back to draft or gone

    # -- persistence ----------------------------------------------------------------------------

    def _persist(self, index: JobPostings) -> None:
        if self.path is None:
            index.compact()
        else:
            self._write(index.save)  # compacts, then writes

    def _read(self, path: Path) -> JobPostings:
        return JobPostings.load(path)
