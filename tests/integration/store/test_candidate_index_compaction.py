"""The candidate index's compaction on SQLite and PostgreSQL: once ``SAVE_EVERY`` upserts have gathered,
the query that finds them answers without compacting; the fold runs in a thread of its own, with no
lock held, while other changes are caught up and queries answered; the rows changed meanwhile stay in
the delta, and the file saved is the index at the snapshot with its watermark, so a restart loads it
and catches up the rest without a rebuild. The answers are the store path's all along."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import microcareer.services.candidate_index as module
from microcareer.bootstrap import Platform
from microcareer.domain.matching.index import Compaction, MatchIndex
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.services.candidate_index import CandidateIndex
from tests.integration.store.test_candidate_index import _ranked, _skills, _world
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON

WAIT = 120.0  # generous: an upper limit on a wait that normally ends at once, never a timing assertion


def test_compacted_after_the_query_off_its_lock_and_saved_consistent(
    taxonomy_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "SAVE_EVERY", 3)
    platform = taxonomy_platform
    people, job_id = _world(platform)
    path = tmp_path / "m.npz"
    index = CandidateIndex(path)
    assert _ranked(platform, people.client, job_id, index) == _ranked(platform, people.client, job_id, None)
    built = MatchIndex.load(path).extra["watermark"]
    folding, release = threading.Event(), threading.Event()
    fold = Compaction.fold
    folded_in: list[str] = []

    def held_fold(self: Compaction) -> None:
        folded_in.append(threading.current_thread().name)
        folding.set()
        assert release.wait(WAIT)
        fold(self)

    monkeypatch.setattr(Compaction, "fold", held_fold)
    for actor, uri in ((people.pro, HASKELL), (people.stranger, PYTHON), (people.colleague, PYTHON)):
        _skills(platform, actor, {uri: (EvidenceKind.CREDENTIAL, 3)})
    # the query that finds three upserts answers while the fold waits in its own thread
    assert _ranked(platform, people.client, job_id, index) == _ranked(platform, people.client, job_id, None)
    assert folding.wait(WAIT)
    thread = index.maintenance
    assert thread is not None
    assert thread.is_alive()
    assert folded_in == ["candidate-index-compaction"]
    # meanwhile: another change caught up, queries answered (the lock is free)
    _skills(platform, people.pro, {PROGRAMMING: (EvidenceKind.MICRO_JOB, 1)})
    assert _ranked(platform, people.client, job_id, index) == _ranked(platform, people.client, job_id, None)
    assert index.maintenance is thread  # one at a time
    release.set()
    thread.join(WAIT)
    assert not thread.is_alive()
    live = index._index
    assert live is not None
    assert live.delta_size == 1  # the person changed during the fold; the three folded left the delta
    assert _ranked(platform, people.client, job_id, index) == _ranked(platform, people.client, job_id, None)
    saved = MatchIndex.load(path).extra["watermark"]
    assert built < saved < index._watermark  # the snapshot's: the later change is not in the file
    restarted = CandidateIndex(path)
    assert _ranked(platform, people.client, job_id, restarted) == _ranked(
        platform, people.client, job_id, None
    )
    assert restarted.rebuilds == 0
    assert index.rebuilds == 1
