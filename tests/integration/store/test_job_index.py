"""The job index's change log and life on SQLite and PostgreSQL: every job write adds a change in its
own transaction (none when it rolls back); the index is saved per database and loaded after a restart
(caught up on the jobs posted meanwhile), never loaded from another database's file; warmed when the
server starts, with queries taking the store path until it is ready; the change log pruned, an index
behind the pruned floor rebuilt rather than missing a change."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import Audience, JobState
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile
from microcareer.services import gap_analysis, matching, micro_jobs
from microcareer.services.job_index import JobIndex, prune
from microcareer.services.ports import UnitOfWork
from tests.conftest import FAST_HASHER
from tests.integration.job_market_helpers import NOW, TODAY, People, a_job, make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

WAIT = 120.0  # an upper limit on a wait that normally ends at once, never a timing assertion


def _head(platform: Platform) -> int:
    with platform.uow() as uow:
        return uow.marketplace.job_change_head()


def _world(platform: Platform) -> People:
    people = make_people(platform)
    with platform.uow() as uow:
        for actor, uri in ((people.pro, PYTHON), (people.employee, HASKELL)):
            uow.profiles.save(uid(actor), Profile(), resume_extras={}, at=NOW)
            uow.profiles.set_skill(uid(actor), uri, 3, at=NOW)
            evidence = Evidence(EvidenceKind.CREDENTIAL, TODAY, source=f"c:{uri}")
            uow.profiles.add_evidence(uid(actor), uri, [evidence], at=NOW)
        uow.commit()
    _published(platform, people.client)
    return people


def _published(platform: Platform, poster: Actor, **changes: object) -> int:
    job = micro_jobs.post_job(platform.uow(), actor=poster, job=a_job(**changes), now=NOW)
    micro_jobs.publish_job(platform.uow(), actor=poster, job_id=job.id, now=NOW)
    return job.id


def _lists(platform: Platform, user_id: int, index: JobIndex | None) -> matching.JobsForPerson:
    cache = gap_analysis.graph_cache(platform.caches)
    return matching.jobs_for_person(
        platform.uow(), cache, actor=Actor.system(), user_id=user_id, today=TODAY, index=index
    )


def _ids(found: matching.JobsForPerson) -> list[list[int]]:
    return [[r.job.id for r in part] for part in (found.fit_now, found.stretch, found.internal)]


def test_every_job_write_logs_a_change_in_its_transaction(taxonomy_platform: Platform) -> None:
    people = make_people(taxonomy_platform)
    head = _head(taxonomy_platform)
    job = micro_jobs.post_job(taxonomy_platform.uow(), actor=people.client, job=a_job(), now=NOW)
    assert _head(taxonomy_platform) == head + 1
    micro_jobs.publish_job(taxonomy_platform.uow(), actor=people.client, job_id=job.id, now=NOW)
    changed = a_job(title="Port two scripts to Python")
    micro_jobs.update_job(taxonomy_platform.uow(), actor=people.client, job_id=job.id, job=changed, now=NOW)
    micro_jobs.cancel_job(taxonomy_platform.uow(), actor=people.client, job_id=job.id, now=NOW)
    with taxonomy_platform.uow() as uow:
        assert uow.marketplace.job_changes(head, 10) == [(head + i, job.id) for i in range(1, 5)]

    def rolled_back(uow: UnitOfWork) -> None:
        with uow:
            uow.marketplace.add_job(uid(people.client), a_job(), at=NOW)
            uow.marketplace.set_job_state(job.id, JobState.CLOSED, at=NOW)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):  # no change either
        rolled_back(taxonomy_platform.uow())
    with taxonomy_platform.uow() as uow:
        assert uow.marketplace.job_change_head() in (head + 4, head + 6)  # PostgreSQL spends the ids
        assert [j for _, j in uow.marketplace.job_changes(head + 4, 10)] == []


def test_saved_per_database_and_loaded_after_a_restart(taxonomy_platform: Platform, backend: str) -> None:
    people = _world(taxonomy_platform)
    index = taxonomy_platform.job_index
    assert index is not None
    assert index.path is not None
    assert index.identity
    if backend == "postgresql":
        assert index.path.parent == Path(taxonomy_platform.settings.cache_dir) / "matching"
        assert index.path.name.endswith("-jobs.npz")
    else:
        assert index.path.name.endswith(".sqlite3.matching-jobs.npz")
    assert _lists(taxonomy_platform, uid(people.pro), index) == _lists(
        taxonomy_platform, uid(people.pro), None
    )
    assert index.rebuilds == 1
    assert index.path.exists()
    posted = _published(taxonomy_platform, people.client, title="A second Python job")  # while "down"
    restarted = bootstrap(taxonomy_platform.settings, passwords=FAST_HASHER)
    try:
        again = restarted.job_index
        assert again is not None
        assert (again.path, again.identity) == (index.path, index.identity)
        found = _lists(restarted, uid(people.pro), again)
        assert (again.rebuilds, again.served) == (0, 1)  # loaded and caught up, not rebuilt
        assert found == _lists(restarted, uid(people.pro), None)
        assert posted in _ids(found)[0]
    finally:
        restarted.dispose()


def test_another_process_writes_reach_it(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    index = JobIndex()
    pro = uid(people.pro)
    before = _lists(taxonomy_platform, pro, index)
    other = bootstrap(taxonomy_platform.settings, passwords=FAST_HASHER)  # another process's platform
    try:
        posted = _published(other, people.client, title="Python from elsewhere")
        first = _ids(before)[0][0]
        micro_jobs.cancel_job(other.uow(), actor=people.client, job_id=first, now=NOW)
    finally:
        other.dispose()
    found = _lists(taxonomy_platform, pro, index)
    assert found == _lists(taxonomy_platform, pro, None)
    assert posted in _ids(found)[0]
    assert first not in _ids(found)[0]
    assert index.rebuilds == 1


def test_a_file_of_another_database_is_not_loaded(taxonomy_platform: Platform, tmp_path: Path) -> None:
    people = _world(taxonomy_platform)
    path = tmp_path / "jobs.npz"
    theirs = JobIndex(path, identity="another database")
    _lists(taxonomy_platform, uid(people.pro), theirs)
    mine = JobIndex(path, identity="this database")  # the same change ids and jobs: only the identity differs
    assert _lists(taxonomy_platform, uid(people.pro), mine) == _lists(
        taxonomy_platform, uid(people.pro), None
    )
    assert mine.rebuilds == 1
    path.write_bytes(b"broken")
    broken = JobIndex(path, identity="this database")
    assert _lists(taxonomy_platform, uid(people.pro), broken) == _lists(
        taxonomy_platform, uid(people.pro), None
    )
    assert broken.rebuilds == 1


class _SlowBuild(JobIndex):
    """A build that waits for ``go`` (the warm-up in progress)."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.go = threading.Event(), threading.Event()

    def _build(self, uow: UnitOfWork) -> object:  # type: ignore[override]
        self.started.set()
        assert self.go.wait(WAIT)
        return super()._build(uow)


def test_warmed_in_the_background_queries_take_the_store_path_meanwhile(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    store = _lists(taxonomy_platform, uid(people.pro), None)
    assert _ids(store)[0]
    index = _SlowBuild()
    thread = index.start_warming(taxonomy_platform.uow)
    assert index.started.wait(WAIT)
    assert _lists(taxonomy_platform, uid(people.pro), index) == store  # not blocked
    assert (index.served, index.ready.is_set()) == (0, False)
    index.go.set()
    thread.join(WAIT)
    assert index.ready.is_set()
    assert index.rebuilds == 1
    assert _lists(taxonomy_platform, uid(people.pro), index) == store
    assert (index.served, index.rebuilds) == (1, 1)


def test_the_server_warms_it_when_it_starts(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    taxonomy_platform.clock = lambda: NOW
    with TestClient(create_app(taxonomy_platform)):
        index = taxonomy_platform.job_index
        assert index is not None
        assert index.ready.wait(WAIT)
        assert index.rebuilds == 1
        found = _lists(taxonomy_platform, uid(people.pro), index)
        assert found == _lists(taxonomy_platform, uid(people.pro), None)
        assert (index.served, index.rebuilds) == (1, 1)


def test_pruned_change_log_an_index_behind_the_floor_rebuilds(taxonomy_platform: Platform) -> None:
    people = _world(taxonomy_platform)
    current, behind = JobIndex(), JobIndex()
    pro = uid(people.pro)
    _lists(taxonomy_platform, pro, current)
    _lists(taxonomy_platform, pro, behind)
    first = _published(taxonomy_platform, people.client, title="Another Python job")
    internal = _published(
        taxonomy_platform, people.admin, audience=Audience.INTERNAL, organisation_id=people.acme
    )
    store = _lists(taxonomy_platform, pro, None)
    assert first in _ids(store)[0]
    assert _lists(taxonomy_platform, pro, current) == store
    assert prune(taxonomy_platform.uow(), keep=1) > 0
    with taxonomy_platform.uow() as uow:
        assert uow.marketplace.job_change_floor() == uow.marketplace.job_change_head()
    assert _lists(taxonomy_platform, pro, behind) == store  # not missed: rebuilt
    assert behind.rebuilds == 2
    assert _lists(taxonomy_platform, pro, current) == store  # at the head: kept
    assert current.rebuilds == 1
    employee = _lists(taxonomy_platform, uid(people.employee), current)
    assert internal in _ids(employee)[2]  # acme's gig, within reach through a sibling skill
    assert employee == _lists(taxonomy_platform, uid(people.employee), None)
    assert prune(taxonomy_platform.uow()) == 0  # within the horizon: nothing to delete
