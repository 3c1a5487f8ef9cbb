"""The server's start freezes the heap (``MICROCAREER_GC_FREEZE``, docs/api-speed.md): what is alive once
the lifespan has started, and again once matching's warm-ups have ended, is in Python's permanent
generation; with the setting off nothing is. No timing is asserted."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from microcareer import asgi
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings
from tests.conftest import FAST_HASHER

pytestmark = pytest.mark.xdist_group("gc_freeze")  # the freeze is process-wide


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of this test process collects as usual


def test_the_server_start_freezes_the_heap(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    platform = bootstrap(settings.model_copy(update={"gc_freeze": True}), passwords=FAST_HASHER)
    calls: list[str] = []
    twice = threading.Event()
    original = asgi.freeze_heap

    def freeze_heap() -> None:
        original()
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            twice.set()

    monkeypatch.setattr(asgi, "freeze_heap", freeze_heap)
    try:
        assert gc.get_freeze_count() == 0
        with TestClient(asgi.create_app(platform)):
            assert gc.get_freeze_count() > 0  # at start-up
            # and again in the keeper's thread once the indexes are warmed
            assert twice.wait(60), f"frozen {len(calls)} time(s), not twice"
            assert sorted(calls).count("matching-change-log-pruning") == 1  # and one at start-up
            assert gc.get_freeze_count() > 0
    finally:
        platform.dispose()


def test_no_freeze_with_the_setting_off(settings: Settings) -> None:
    platform = bootstrap(settings.model_copy(update={"gc_freeze": False}), passwords=FAST_HASHER)
    try:
        with TestClient(asgi.create_app(platform)):
            assert gc.get_freeze_count() == 0
        assert gc.get_freeze_count() == 0
    finally:
        platform.dispose()


def test_the_keeper_calls_back_once_the_warm_ups_have_ended(settings: Settings) -> None:
    platform = bootstrap(settings, passwords=FAST_HASHER)
    called = threading.Event()
    states: list[tuple[bool, bool]] = []
    index, jobs = platform.candidate_index, platform.job_index
    assert index is not None
    assert jobs is not None

    def warmed() -> None:  # both indexes built (an empty store) by the time it is called
        states.append((index._warming.is_set(), jobs._warming.is_set()))
        called.set()

    stop = platform.start_matching_keeper(warmed=warmed)
    try:
        assert stop is not None
        assert called.wait(60), "the keeper never called back after the warm-ups"
        assert states == [(False, False)]
    finally:
        if stop is not None:
            stop.set()
        platform.dispose()
