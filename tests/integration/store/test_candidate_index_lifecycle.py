"""The candidate index's life on SQLite and PostgreSQL: saved per database (beside the SQLite file, in the
cache folder under the database's identity on PostgreSQL) and loaded after a restart; warmed in the
background when the server starts, with queries taking the store path until it is ready; and the change
log pruned, an index behind the pruned floor rebuilt rather than missing a change."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform, bootstrap
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.services.candidate_index import CandidateIndex, prune
from microcareer.services.ports import UnitOfWork
from microcareer.store.repositories.profiles import INSTANCE_KEY
from tests.conftest import FAST_HASHER
from tests.integration.job_market_helpers import NOW, TODAY, uid
from tests.integration.store.test_candidate_index import _profile, _ranked, _world
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

WAIT = 120.0  # generous: an upper limit on a wait that normally ends at once, never a timing assertion


def _head(platform: Platform) -> int:
    with platform.uow() as uow:
        return uow.profiles.matching_head()


def test_saved_per_database_and_loaded_after_a_restart(taxonomy_platform: Platform, backend: str) -> None:
    people, job_id = _world(taxonomy_platform)
    index = taxonomy_platform.candidate_index
    assert index is not None
    assert index.path is not None
    assert index.identity
    cache = Path(taxonomy_platform.settings.cache_dir)
    if backend == "postgresql":
        assert index.path.parent == cache / "matching"
    else:
        assert index.path.name.endswith(".sqlite3.matching.npz")
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    assert _ranked(taxonomy_platform, people.client, job_id, index) == store
    assert index.rebuilds == 1
    assert index.path.exists()
    _profile(taxonomy_platform, people.admin, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})  # while "down"
    restarted = bootstrap(taxonomy_platform.settings, passwords=FAST_HASHER)
    try:
        again = restarted.candidate_index
        assert again is not None
        assert (again.path, again.identity) == (index.path, index.identity)
        found = _ranked(restarted, people.client, job_id, again)
        assert (again.rebuilds, again.served) == (0, 1)  # loaded and caught up, not rebuilt
        assert found == _ranked(restarted, people.client, job_id, None)
        assert found[0][0] == uid(people.admin)
    finally:
        restarted.dispose()


def test_a_file_of_another_database_is_not_loaded(
    taxonomy_platform: Platform, tmp_path: Path, backend: str
) -> None:
    people, job_id = _world(taxonomy_platform)
    path = tmp_path / "m.npz"
    theirs = CandidateIndex(path, identity="another database")
    _ranked(taxonomy_platform, people.client, job_id, theirs)
    assert theirs.rebuilds == 1
    # the same changes (ids and people) as this one, so only the identity tells them apart
    mine = CandidateIndex(path, identity="this database")
    assert _ranked(taxonomy_platform, people.client, job_id, mine) == _ranked(
        taxonomy_platform, people.client, job_id, None
    )
    assert mine.rebuilds == 1
    # the platform's file: another database's id (a copy, or another schema) is not loaded
    first = taxonomy_platform.candidate_index
    assert first is not None
    _ranked(taxonomy_platform, people.client, job_id, first)
    with taxonomy_platform.uow() as uow:
        assert uow.profiles.matching_instance() == first.identity  # made once, then kept
    assert taxonomy_platform.engine is not None
    with taxonomy_platform.engine.begin() as conn:
        conn.execute(text("UPDATE taxonomy_meta SET value = 'x' WHERE key = :k"), {"k": INSTANCE_KEY})
    other = bootstrap(taxonomy_platform.settings, passwords=FAST_HASHER)
    try:
        moved = other.candidate_index
        assert moved is not None
        assert moved.identity != first.identity
        if backend == "postgresql":
            assert moved.path != first.path  # named by the identity
        else:
            assert moved.path == first.path  # beside the database: refused for its identity
        _ranked(other, people.client, job_id, moved)
        assert moved.rebuilds == 1
    finally:
        other.dispose()


class _SlowBuild(CandidateIndex):
    """A build that waits for ``go`` (and says when it started): a warm-up caught in the middle."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.go = threading.Event(), threading.Event()

    def _build(self, uow: UnitOfWork, today: date, key: str):  # type: ignore[no-untyped-def]
        self.started.set()
        assert self.go.wait(WAIT)
        return super()._build(uow, today, key)


def test_warmed_in_the_background_queries_take_the_store_path_meanwhile(taxonomy_platform: Platform) -> None:
    people, job_id = _world(taxonomy_platform)
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    index = _SlowBuild()
    thread = index.start_warming(taxonomy_platform.uow, TODAY, None)
    assert index.started.wait(WAIT)
    assert _ranked(taxonomy_platform, people.client, job_id, index) == store  # not blocked
    assert (index.served, index.ready.is_set()) == (0, False)
    index.go.set()
    thread.join(WAIT)
    assert index.ready.is_set()
    assert index.rebuilds == 1
    assert _ranked(taxonomy_platform, people.client, job_id, index) == store
    assert (index.served, index.rebuilds) == (1, 1)  # the first query found it built


def test_the_server_warms_it_when_it_starts(taxonomy_platform: Platform) -> None:
    people, job_id = _world(taxonomy_platform)
    taxonomy_platform.clock = lambda: NOW
    app = create_app(taxonomy_platform)
    with TestClient(app):
        index = taxonomy_platform.candidate_index
        assert index is not None
        assert index.ready.wait(WAIT)
        assert index.rebuilds == 1
        assert _ranked(taxonomy_platform, people.client, job_id, index) == _ranked(
            taxonomy_platform, people.client, job_id, None
        )
        assert (index.served, index.rebuilds) == (1, 1)


def test_pruned_change_log_an_index_behind_the_floor_rebuilds(taxonomy_platform: Platform) -> None:
    people, job_id = _world(taxonomy_platform)
    current, behind = CandidateIndex(), CandidateIndex()
    _ranked(taxonomy_platform, people.client, job_id, current)
    _ranked(taxonomy_platform, people.client, job_id, behind)
    # two changes; "current" reads them, "behind" does not, then all but the newest are pruned: the
    # first change (admin's new profile) is gone from the log while "behind" still needs it
    _profile(taxonomy_platform, people.admin, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})
    _profile(taxonomy_platform, people.manager, {HASKELL: (EvidenceKind.CREDENTIAL, 1)})
    head = _head(taxonomy_platform)
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    assert {uid(people.admin), uid(people.manager)} <= {u for u, _ in store}
    assert _ranked(taxonomy_platform, people.client, job_id, current) == store
    assert prune(taxonomy_platform.uow(), keep=1) > 0
    with taxonomy_platform.uow() as uow:
        assert uow.profiles.matching_floor() == head == uow.profiles.matching_head()
    assert _ranked(taxonomy_platform, people.client, job_id, behind) == store  # not missed: rebuilt
    assert behind.rebuilds == 2
    assert _ranked(taxonomy_platform, people.client, job_id, current) == store  # at the head: kept
    assert current.rebuilds == 1
    # and after a rebuild over a pruned log it stays put (no gaps looked for below the floor)
    _profile(taxonomy_platform, people.pro, {PYTHON: (EvidenceKind.CREDENTIAL, 2)})
    store = _ranked(taxonomy_platform, people.client, job_id, None)
    for index in (behind, current):
        assert _ranked(taxonomy_platform, people.client, job_id, index) == store
    assert (behind.rebuilds, current.rebuilds) == (2, 1)
    assert prune(taxonomy_platform.uow()) == 0  # within the horizon: nothing to delete


def test_a_saved_index_behind_the_pruned_floor_is_rebuilt_on_loading(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    people, job_id = _world(taxonomy_platform)
    path = tmp_path / "m.npz"
    _ranked(taxonomy_platform, people.client, job_id, CandidateIndex(path))
    _profile(taxonomy_platform, people.admin, {PYTHON: (EvidenceKind.CREDENTIAL, 1)})  # while "down"
    _profile(taxonomy_platform, people.manager, {HASKELL: (EvidenceKind.CREDENTIAL, 1)})
    prune(taxonomy_platform.uow(), keep=1)
    restarted = CandidateIndex(path)
    found = _ranked(taxonomy_platform, people.client, job_id, restarted)
    assert restarted.rebuilds == 1
    assert found == _ranked(taxonomy_platform, people.client, job_id, None)
    assert uid(people.admin) in {u for u, _ in found}
