"""``ChangeLogIndex``, the machinery of matching's two indexes, over a tiny index (a value a key) and a
change log in memory: built then caught up from the log (another process's writes), gaps looked for
again until ``GAP_SECONDS``, rebuilt when too far behind or behind the pruned floor, saved and loaded
across a restart (not when the file is another database's, broken or names another change), compacted
and saved once ``save_every`` ids have changed, warmed in the background with queries answered None
meanwhile, one per platform."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

import microcareer.services.change_log_index as module
from microcareer.domain.matching import npz_files
from microcareer.services.change_log_index import ChangeLog, ChangeLogIndex
from microcareer.services.ports import UnitOfWork

WAIT = 60.0  # an upper limit on a wait that normally ends at once, never a timing assertion


class Store:
    """The store: a value a key and the change log of the keys (ids taken in order, committed in any)."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}
        self.log: list[tuple[int, int]] = []
        self.taken = 0
        self.reads = 0

    def take(self) -> int:
        """A change id, taken by a transaction that has not committed yet."""
        self.taken += 1
        return self.taken

    def land(self, change: int, key: int, value: int | None) -> None:
        if value is None:
            self.values.pop(key, None)
        else:
            self.values[key] = value
        self.log = sorted([*self.log, (change, key)])

    def write(self, key: int, value: int | None) -> None:
        self.land(self.take(), key, value)

    # the unit of work's part the index uses
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def commit(self) -> None:
        return None


def _store(uow: UnitOfWork) -> Store:
    return cast(Store, uow)


def _prune(uow: UnitOfWork, below: int) -> int:
    store = _store(uow)
    kept = [(i, k) for i, k in store.log if i >= below]
    deleted, store.log = len(store.log) - len(kept), kept
    return deleted


CHANGES = ChangeLog(
    "test change log",
    head=lambda uow: max((i for i, _ in _store(uow).log), default=0),
    changes=lambda uow, after, limit: [(i, k) for i, k in _store(uow).log if i > after][:limit],
    floor=lambda uow: min((i for i, _ in _store(uow).log), default=0),
    delete_below=_prune,
)


class Values:
    """The domain index: a copy of the store's values, with a delta until compacted."""

    def __init__(self, values: dict[int, int]) -> None:
        self.base = dict(values)
        self.delta: dict[int, int | None] = {}
        self.extra: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.get())

    def get(self) -> dict[int, int]:
        found = {**self.base, **self.delta}
        return {k: v for k, v in found.items() if v is not None}

    def compact(self) -> None:
        self.base, self.delta = self.get(), {}

    def save(self, path: Path) -> None:
        self.compact()
        keys = np.array(sorted(self.base), np.int64)
        meta = {"format": 1, "extra": self.extra}
        values = np.array([self.base[k] for k in keys.tolist()], np.int64)
        npz_files.write(path, meta, {"keys": keys, "values": values})

    @classmethod
    def load(cls, path: Path) -> Values:
        with npz_files.opened(path, 1, "test index") as (meta, saved):
            index = cls(dict(zip(saved["keys"].tolist(), saved["values"].tolist(), strict=True)))
            index.extra = dict(meta["extra"])
        return index


class Index(ChangeLogIndex[Values]):
    what, items, changes = "test index", "values", CHANGES
    watermark_field, cache_key = "watermark_key", "test_index"

    def __init__(self, path: Path | None = None, identity: str = "", *, save_every: int = 1000) -> None:
        super().__init__(path, identity, save_every=save_every)
        self.built = threading.Event()
        self.go: threading.Event | None = None  # set: a build waits for it

    def get(self, store: Store) -> dict[int, int] | None:
        if self._warming_up():
            return None
        uow = cast(UnitOfWork, store)
        with self._lock:
            found = self._current(uow, lambda: self._build(uow)).get()
            self.served += 1
            self._maintain_when_due()
        return found

    def warm(self, store: Store) -> None:
        uow = cast(UnitOfWork, store)
        self._warm(uow, lambda: self._build(uow))

    def _build(self, uow: UnitOfWork) -> Values:
        self.built.set()
        if self.go is not None:
            assert self.go.wait(WAIT)
        return self._rebuilt(uow, lambda: Values(_store(uow).values))

    def _apply(self, uow: UnitOfWork, index: Values, changed: set[int]) -> None:
        values = _store(uow).values
        for key in changed:
            index.delta[key] = values.get(key)

    def _persist(self, index: Values) -> None:
        if self.path is None:
            index.compact()
        else:
            self._write(index.save)

    def _read(self, path: Path) -> Values:
        return Values.load(path)


def _saved(path: Path) -> dict[str, Any]:
    return Values.load(path).extra


def test_built_then_caught_up_from_the_log() -> None:
    store = Store()
    store.write(1, 10)
    store.write(2, 20)
    index = Index()
    assert index.get(store) == {1: 10, 2: 20}
    store.write(1, 11)  # another process's writes
    store.write(2, None)
    store.write(3, 30)
    assert index.get(store) == {1: 11, 3: 30}
    assert (index.rebuilds, index.served, index._watermark) == (1, 2, 5)


def test_a_change_committed_late_is_found_below_the_watermark_until_gap_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store()
    store.write(1, 10)
    index = Index()
    index.get(store)
    late = store.take()  # a transaction that took its id first and commits last
    store.write(2, 20)
    assert index.get(store) == {1: 10, 2: 20}
    assert index._gaps.keys() == {late}
    store.land(late, 3, 30)
    assert index.get(store) == {1: 10, 2: 20, 3: 30}
    assert not index._gaps
    later = store.take()
    store.write(4, 40)
    index.get(store)
    monkeypatch.setattr(module, "GAP_SECONDS", 0.0)  # given up on
    store.land(later, 5, 50)
    assert index.get(store) == {1: 10, 2: 20, 3: 30, 4: 40}
    assert index.rebuilds == 1


def test_too_many_changes_to_catch_up_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "PAGE", 2)
    monkeypatch.setattr(module, "CATCH_UP_MAX", 3)
    store = Store()
    index = Index()
    assert index.get(store) == {}
    for key in range(3):
        store.write(key, key)
    assert index.get(store) == {0: 0, 1: 1, 2: 2}  # three: read a page at a time
    assert index.rebuilds == 1
    for key in range(5):
        store.write(key, key + 1)
    assert index.get(store) == {key: key + 1 for key in range(5)}
    assert index.rebuilds == 2


def test_an_index_behind_the_pruned_floor_rebuilds() -> None:
    store = Store()
    store.write(1, 10)
    current, behind = Index(), Index()
    current.get(store)
    behind.get(store)
    store.write(2, 20)
    assert current.get(store) == {1: 10, 2: 20}
    store.write(3, 30)
    assert CHANGES.prune(cast(UnitOfWork, store), keep=1) == 2  # the head stays
    assert store.log == [(3, 3)]
    assert current.get(store) == behind.get(store) == {1: 10, 2: 20, 3: 30}
    assert (current.rebuilds, behind.rebuilds) == (1, 2)
    assert CHANGES.prune(cast(UnitOfWork, store), keep=1) == 0


def test_saved_and_loaded_after_a_restart_then_caught_up(tmp_path: Path) -> None:
    store = Store()
    store.write(1, 10)
    path = tmp_path / "i.npz"
    Index(path, "db").get(store)
    assert _saved(path) == {"identity": "db", "watermark": 1, "watermark_key": 1, "gaps": []}
    store.write(2, 20)  # while "down"
    restarted = Index(path, "db")
    assert restarted.get(store) == {1: 10, 2: 20}
    assert restarted.rebuilds == 0


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path, store: Index(path, "another db").get(store),
        lambda path, store: path.write_bytes(b""),
        lambda path, store: path.write_bytes(path.read_bytes()[:100]),
        lambda path, store: path.write_bytes(b"not an index"),
        lambda path, store: store.log.remove((1, 1)),  # restored from before its watermark
        lambda path, store: store.log.__setitem__(0, (1, 2)),  # its watermark's change: another key
        lambda path, store: _with_extra(path, watermark_key="one"),
        lambda path, store: _with_extra(path, gaps=None),
    ],
    ids=["identity", "empty", "cut", "garbage", "no-watermark", "other-key", "bad-key", "bad-gaps"],
)
def test_a_file_not_this_databases_or_broken_is_rebuilt(
    tmp_path: Path, spoil: Callable[[Path, Store], object]
) -> None:
    store = Store()
    store.write(1, 10)
    path = tmp_path / "i.npz"
    Index(path, "db").get(store)  # saved with the watermark 1 (key 1)
    store.write(2, 20)
    spoil(path, store)
    index = Index(path, "db")
    assert index.get(store) == {1: 10, 2: 20}
    assert index.rebuilds == 1


def _with_extra(path: Path, **fields: object) -> None:
    saved = Values.load(path)
    saved.extra = {**saved.extra, **fields}
    saved.save(path)


def test_compacted_and_saved_in_a_thread_once_save_every_ids_changed(tmp_path: Path) -> None:
    store = Store()
    path = tmp_path / "i.npz"
    index = Index(path, save_every=3)
    index.get(store)
    store.write(1, 10)
    store.write(1, 11)
    index.get(store)
    assert index.maintenance is None  # one id changed
    assert index.maintain() is False
    store.write(2, 20)
    store.write(3, 30)
    assert index.get(store) == {1: 11, 2: 20, 3: 30}
    thread = index.maintenance
    assert thread is not None
    assert thread.name == "test-index-compaction"
    thread.join(WAIT)
    assert _saved(path)["watermark"] == 4
    assert index._index is not None
    assert not index._index.delta
    assert index.maintain() is False  # nothing gathered since
    restarted = Index(path)
    assert restarted.get(store) == {1: 11, 2: 20, 3: 30}
    assert restarted.rebuilds == 0


def test_unsaved_without_a_path_or_a_writable_folder(tmp_path: Path) -> None:
    store = Store()
    store.write(1, 10)
    blocked = tmp_path / "file"
    blocked.write_text("")
    index = Index(blocked / "i.npz", save_every=1)  # its folder cannot be made
    assert index.get(store) == {1: 10}
    store.write(2, 20)
    index.get(store)
    assert index.maintenance is not None
    index.maintenance.join(WAIT)
    assert index.get(store) == {1: 10, 2: 20}
    memory = Index(save_every=1)
    memory.get(store)
    store.write(3, 30)
    memory.get(store)
    assert memory.maintenance is not None
    memory.maintenance.join(WAIT)
    assert memory._index is not None
    assert not memory._index.delta


def test_warmed_in_the_background_queries_answer_none_meanwhile() -> None:
    store = Store()
    store.write(1, 10)
    index = Index()
    index.go = threading.Event()
    thread = index._start_warming(lambda: index.warm(store))
    assert thread.name == "test-index-warm-up"
    assert index.built.wait(WAIT)
    assert index.get(store) is None  # not blocked
    assert not index.ready.is_set()
    index.go.set()
    thread.join(WAIT)
    assert index.ready.is_set()
    assert index.get(store) == {1: 10}
    assert (index.rebuilds, index.served) == (1, 1)


def test_a_failed_warm_up_leaves_it_to_the_first_query() -> None:
    index = Index()

    def fail() -> None:
        raise RuntimeError("no database")

    index._start_warming(fail).join(WAIT)
    store = Store()
    assert index.get(store) == {}
    assert index.rebuilds == 1


def test_one_a_platform() -> None:
    caches: dict[str, object] = {}
    placed: list[int] = []

    def place() -> tuple[Path | None, str]:
        placed.append(1)
        return None, "db"

    first = Index.cached(caches, place)
    assert Index.cached(caches, place) is first
    assert (first.identity, placed, caches) == ("db", [1], {"test_index": first})


def test_a_catch_up_that_fails_is_read_again_by_the_next_query() -> None:
    """Re-reading the changed ids fails (the store went away mid-query): the watermark stays where it
    was, so the next query reads those changes again instead of keeping the old values for good."""
    store = Store()
    store.write(1, 10)
    index = Index()
    assert index.get(store) == {1: 10}
    late = store.take()  # a gap: looked for again until it lands
    store.write(1, 11)
    store.write(2, 20)
    failing = True
    apply = Index._apply

    def flaky(self: Index, uow: UnitOfWork, values: Values, changed: set[int]) -> None:
        if failing:
            raise OSError("the store went away")
        apply(self, uow, values, changed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Index, "_apply", flaky)
        with pytest.raises(OSError, match="went away"):
            index.get(store)
        assert (index._watermark, set(index._gaps)) == (1, set())
        failing = False
        assert index.get(store) == {1: 11, 2: 20}
    assert (index._watermark, set(index._gaps)) == (4, {late})
    assert index.rebuilds == 1


def test_a_rebuild_whose_save_fails_does_not_leave_the_old_index_at_the_new_watermark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind the pruned floor, the index is rebuilt; saving the new one fails (compacting it ran out of
    memory): the next query must not be answered by the old index as if it were caught up to the head
    the failed rebuild read."""
    store = Store()
    store.write(1, 10)
    index = Index()
    assert index.get(store) == {1: 10}
    store.write(1, 11)
    store.write(2, 20)
    assert CHANGES.prune(cast(UnitOfWork, store), keep=1) == 2  # index's next change pruned: rebuild
    persist = Index._persist

    def failing(self: Index, values: Values) -> None:
        raise MemoryError("compaction")

    monkeypatch.setattr(Index, "_persist", failing)
    with pytest.raises(MemoryError):
        index.get(store)
    monkeypatch.setattr(Index, "_persist", persist)
    assert index.get(store) == {1: 11, 2: 20}
