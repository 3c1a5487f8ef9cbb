"""A saved file of either matching index that is empty, cut short or whose header names the
watermark's change by no number is rebuilt from the store, on SQLite and PostgreSQL (before
``services/change_log_index.py``, the candidate index let the first two and the last raise out of every
query until the file was removed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.matching.index import MatchIndex
from microcareer.domain.matching.job_index import JobPostings
from microcareer.services.candidate_index import CandidateIndex
from microcareer.services.job_index import JobIndex
from tests.integration.job_market_helpers import uid
from tests.integration.store import test_candidate_index as candidates
from tests.integration.store import test_job_index as jobs


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:200])


def _unnumbered(field: str) -> Callable[[Path], None]:
    def spoil(path: Path) -> None:
        saved = MatchIndex.load(path) if field == "watermark_user" else JobPostings.load(path)
        saved.extra = {**saved.extra, field: "somebody"}
        saved.save(path)

    return spoil


@pytest.mark.parametrize(
    "spoil", [_empty, _cut, _unnumbered("watermark_user")], ids=["empty", "cut", "unnumbered"]
)
def test_a_broken_candidate_index_file_is_rebuilt(
    taxonomy_platform: Platform, tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    people, job_id = candidates._world(taxonomy_platform)
    path = tmp_path / "m.npz"
    candidates._ranked(taxonomy_platform, people.client, job_id, CandidateIndex(path))
    spoil(path)
    index = CandidateIndex(path)
    store = candidates._ranked(taxonomy_platform, people.client, job_id, None)
    assert candidates._ranked(taxonomy_platform, people.client, job_id, index) == store
    assert (index.rebuilds, index.served) == (1, 1)


@pytest.mark.parametrize(
    "spoil", [_empty, _cut, _unnumbered("watermark_job")], ids=["empty", "cut", "unnumbered"]
)
def test_a_broken_job_index_file_is_rebuilt(
    taxonomy_platform: Platform, tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    pro = uid(jobs._world(taxonomy_platform).pro)
    path = tmp_path / "jobs.npz"
    jobs._lists(taxonomy_platform, pro, JobIndex(path))
    spoil(path)
    index = JobIndex(path)
    assert jobs._lists(taxonomy_platform, pro, index) == jobs._lists(taxonomy_platform, pro, None)
    assert (index.rebuilds, index.served) == (1, 1)
