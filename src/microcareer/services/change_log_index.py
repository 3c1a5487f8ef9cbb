"""An index kept current from a change log: the machinery that matching's two indexes share
(``services/candidate_index.py``'s ``CandidateIndex``, ``services/job_index.py``'s ``JobIndex``), each
of them a ``ChangeLogIndex`` over its domain index that says only how to build it from the store, how
to apply a set of changed ids, how to query it, which change log it reads and what its file's header
adds.

Kept current without a rebuild: every write that can change the index adds a row (change id, changed
id) to a change log in the writing transaction (``ChangeLog``); before each query the index reads the
rows above its watermark and re-reads those ids (``_apply``). This is how another process's writes
reach it. An id below the watermark not yet seen (a transaction that took its id earlier and committed
later, or rolled back) is remembered as a gap and looked for again for ``GAP_SECONDS``. More than
``CATCH_UP_MAX`` changes to read: it is rebuilt instead.

Survives a restart: saved (compacted) to ``path`` after a build and, once ``save_every`` changed ids
have gathered, by ``maintain`` in a thread of its own that a query starts, with its watermark, the id
of the change at the watermark, its gaps and the database's ``identity`` in the file's header. On
loading, a file is trusted only if it reads, its identity matches and the change at its watermark is
in the store for the same id (so a file of another, or a restored, database is not); otherwise it is
rebuilt from the store.

Warmed at start-up: ``_start_warming`` builds or loads it in a background thread; until it is ready
queries take the store path (the subclass answers None at once: never blocked). With no warm-up
started (the CLI, tests) the first query builds it.

Pruned: ``ChangeLog.prune`` deletes the rows more than ``KEEP_CHANGES`` changes behind the log's head
(the server's keeper runs it every ``PRUNE_SECONDS``). The horizon is counted in changes, well beyond
``CATCH_UP_MAX``. Every deletion is of all ids below some point, so an index is safe iff no change it
still needs is below the log's floor (its oldest row): when its watermark + 1 or one of its gaps is
under the floor, it is rebuilt rather than miss a pruned change.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from microcareer.services.ports import UnitOfWork

PAGE = 5000
"""Changes read at a time while catching up."""
CATCH_UP_MAX = 50_000
"""More changes than this since the index's watermark: rebuilt from the store instead."""
SAVE_EVERY = 2000
"""Changed ids after which the index is compacted and saved (in a thread a query starts)."""
GAP_SECONDS = 120.0
"""How long a missing change id below the watermark is looked for again."""
KEEP_CHANGES = 200_000
"""``ChangeLog.prune`` keeps this many of the newest changes (the horizon)."""
PRUNE_SECONDS = 600.0
"""How often the server's keeper prunes the change logs."""
UNREADABLE = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile)
"""What reading a broken file (empty, cut short, not an index, a header of another shape) raises."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChangeLog:
    """A change log of the store, as an index reads it: rows of (change id, changed id), ids rising."""

    name: str
    """For the log's messages (``matching change log``)."""
    head: Callable[[UnitOfWork], int]
    """The latest change's id (0: none yet)."""
    changes: Callable[[UnitOfWork, int, int], list[tuple[int, int]]]
    """(change id, changed id) of up to ``limit`` changes after ``after``, oldest first."""
    floor: Callable[[UnitOfWork], int]
    """The oldest change kept (0: none): every change below it may have been pruned."""
    delete_below: Callable[[UnitOfWork, int], int]
    """Delete the changes below an id; how many were deleted."""

    def prune(self, uow: UnitOfWork, keep: int = KEEP_CHANGES) -> int:
        """Delete the rows more than ``keep`` (at least 1: the head stays) changes behind the head, in
        a transaction of its own; how many were deleted (indexes behind the new floor rebuild)."""
        with uow:
            below = self.head(uow) - max(1, keep) + 1
            deleted = self.delete_below(uow, below) if below > 1 else 0
            uow.commit()
        if deleted:
            log.info("%s: %d changes below %d pruned", self.name, deleted, below)
        return deleted


class Kept(Protocol):
    """What the machinery needs of a domain index: its size and its file header's ``extra``."""

    extra: dict[str, Any]

    def __len__(self) -> int: ...


Index = TypeVar("Index", bound=Kept)


class ChangeLogIndex(ABC, Generic[Index]):
    """A domain index ``Index`` kept current from ``changes`` (the module doc). Every read and change of
    the index and of its watermark is under ``_lock``; ``maintain`` runs in a thread a query starts,
    the warm-up in one ``_start_warming`` starts. A subclass gives its public query and warm-up
    methods (calling ``_current`` under the lock with its own ``_build``), ``_apply`` and the hooks of
    its file (``_read``, ``_persist``, and ``_header``/``_restoring`` for fields of its own)."""

    what: ClassVar[str]
    """Its name in the log and in its threads' names (``candidate index``)."""
    items: ClassVar[str]
    """What its entries are, for the log (``people``)."""
    changes: ClassVar[ChangeLog]
    watermark_field: ClassVar[str]
    """The header's field of the id changed at the watermark (``watermark_user``)."""
    cache_key: ClassVar[str]
    """Its key in the platform's caches (``cached``)."""

    def __init__(self, path: Path | None = None, identity: str = "", *, save_every: int = SAVE_EVERY) -> None:
        self.path = path
        self.identity = identity
        """The database's identity (``matching_instance``): a file saved for another is not loaded."""
        self.save_every = save_every
        """Changed ids after which ``maintain`` compacts and saves."""
        self._lock = threading.Lock()
        self._warming = threading.Event()
        self.ready = threading.Event()
        """Set once the index is built or loaded (by the warm-up or by a query)."""
        self._index: Index | None = None
        self._watermark = 0
        self._watermark_id = 0
        self._gaps: dict[int, float] = {}
        self._since_save = 0
        self._maintaining = threading.Lock()
        self.maintenance: threading.Thread | None = None
        """The last compaction started after a query (``maintain``; tests join it)."""
        self.rebuilds = 0
        """How many times the index was built from the store (tests and the bench read it)."""
        self.served = 0
        """How many queries it answered (the others took the store path)."""

    @classmethod
    def cached(
        cls, caches: MutableMapping[str, object], place: Callable[[], tuple[Path | None, str]]
    ) -> Self:
        """The process's index of this kind (one per platform, under ``cache_key``); ``place`` (called
        once): where it is saved (None: memory only) and the database's identity."""
        found = caches.get(cls.cache_key)
        if not isinstance(found, cls):
            path, identity = place()
            made = caches.setdefault(cls.cache_key, cls(path, identity))
            assert isinstance(made, cls)
            found = made
        return found

    # -- what a subclass says -------------------------------------------------------------------

    @abstractmethod
    def _apply(self, uow: UnitOfWork, index: Index, changed: set[int]) -> None:
        """Re-read the ``changed`` ids from the store into ``index`` (under the lock)."""

    @abstractmethod
    def _read(self, path: Path) -> Index:
        """The index saved at ``path`` (raising one of ``UNREADABLE`` when it is broken)."""

    @abstractmethod
    def _persist(self, index: Index) -> None:
        """Compact ``index`` now and save it to ``path`` (through ``_write``), under the lock; its
        ``extra`` is set."""

    def _header(self) -> dict[str, object]:
        """The subclass's own fields of the file's header."""
        return {}

    def _restoring(self, extra: Mapping[str, Any]) -> Callable[[], None]:
        """Read the subclass's own fields of a file's header (raising one of ``UNREADABLE`` when they
        are wrong); what is returned puts them in place once the file is trusted."""
        return lambda: None

    # -- querying and warming up ----------------------------------------------------------------

    def _warming_up(self) -> bool:
        """Being built in the background: the query takes the store path meanwhile, not a wait."""
        return self._index is None and self._warming.is_set()

    def _current(self, uow: UnitOfWork, build: Callable[[], Index]) -> Index:
        """Loaded (else ``build``), or caught up (else ``build`` again), under the lock."""
        if self._index is None:
            self._index = self._load(uow) or build()
        elif not self._catch_up(uow):
            self._index = build()
        self.ready.set()
        return self._index

    def _maintain_when_due(self) -> None:
        """After a query (under the lock): ``maintain`` in a thread of its own once ``save_every``
        changed ids have gathered (it waits for the lock: after the query)."""
        if self._since_save >= self.save_every and not self._maintaining.locked():
            self.maintenance = threading.Thread(
                target=self.maintain, name=f"{self.what.replace(' ', '-')}-compaction", daemon=True
            )
            self.maintenance.start()

    def _warm(self, uow: UnitOfWork, build: Callable[[], Index]) -> None:
        """Load or build the index now (and catch it up): what a first query would otherwise do."""
        with self._lock, uow:
            self._current(uow, build)

    def _start_warming(self, warm: Callable[[], None]) -> threading.Thread:
        """``warm`` in a daemon thread; queries take the store path until it is done."""
        self._warming.set()

        def run() -> None:
            try:
                warm()
            except Exception:  # the server keeps serving: a later query builds it
                log.exception("%s not warmed", self.what)
            finally:
                self._warming.clear()

        thread = threading.Thread(target=run, name=f"{self.what.replace(' ', '-')}-warm-up", daemon=True)
        thread.start()
        return thread

    # -- keeping current ------------------------------------------------------------------------

    def _rebuilt(self, uow: UnitOfWork, make: Callable[[], Index]) -> Index:
        """The index ``make`` builds from the store, with the watermark and gaps of the change log as
        read just before it; saved (under the lock)."""
        started = time.perf_counter()
        watermark = self.changes.head(uow)
        recent = self.changes.changes(uow, max(0, watermark - PAGE), PAGE)
        now = time.monotonic()
        floor = self.changes.floor(uow)  # none below it is looked for: pruned, or never made
        gaps = dict.fromkeys(
            set(range(max(1, floor, watermark - PAGE + 1), watermark + 1)) - {i for i, _ in recent}, now
        )
        index = make()
        self._watermark, self._gaps = watermark, gaps
        self._watermark_id = next((changed for i, changed in recent if i == watermark), 0)
        self.rebuilds += 1
        log.info(
            "%s built: %d %s in %.2f s", self.what, len(index), self.items, time.perf_counter() - started
        )
        try:
            self._save(index)
        except BaseException:
            # the watermark and gaps are the new index's now: the old one must not be queried with them
            # (it would pass for caught up to the head read above); the next query loads or builds it
            self._index = None
            raise
        return index

    def _catch_up(self, uow: UnitOfWork) -> bool:
        """Apply the store's changes since the watermark; False: too many, or some pruned (rebuild)."""
        assert self._index is not None
        now = time.monotonic()
        self._gaps = {i: seen for i, seen in self._gaps.items() if now - seen < GAP_SECONDS}
        floor = self.changes.floor(uow)
        if floor and min(self._gaps, default=self._watermark + 1) < floor:
            log.info("%s behind the pruned change log (floor %d): rebuilt", self.what, floor)
            return False
        after = min(self._gaps, default=self._watermark + 1) - 1
        seen: dict[int, int] = {}
        while True:
            page = self.changes.changes(uow, after, PAGE)
            for change, changed_id in page:
                if change > self._watermark or change in self._gaps:
                    seen[change] = changed_id
            if len(page) < PAGE:
                break
            after = page[-1][0]
            if len(seen) > CATCH_UP_MAX:
                return False
        if not seen:
            return True
        top = max(seen)
        gaps = dict(self._gaps)
        for missing in set(range(self._watermark + 1, top)) - seen.keys():
            gaps[missing] = now
        for change in seen:
            gaps.pop(change, None)
        changed = set(seen.values())
        # the changed ids first, then the watermark and gaps: when re-reading them fails (the store
        # went away), the next query reads the same changes again (applying twice is harmless)
        self._apply(uow, self._index, changed)
        self._gaps = gaps
        if top > self._watermark:
            self._watermark, self._watermark_id = top, seen[top]
        self._since_save += len(changed)  # compacted and saved by ``maintain``, not here
        return True

    # -- persistence ----------------------------------------------------------------------------

    def maintain(self) -> bool:
        """Compact and save once ``save_every`` changed ids have gathered since the last save (a query
        that finds them starts it in a thread of its own); False: nothing to do, or another one is
        running (``_maintain``)."""
        if not self._maintaining.acquire(blocking=False):
            return False
        try:
            return self._maintain()
        finally:
            self._maintaining.release()

    def _maintain(self) -> bool:
        """``maintain``'s work, here all under the lock (a subclass whose compaction takes long folds
        off it)."""
        with self._lock:
            if self._index is None or self._since_save < self.save_every:
                return False
            self._save(self._index)
            return True

    def _extra(self) -> dict[str, object]:
        """The file's header: the database's identity, the watermark, its changed id, the gaps and the
        subclass's fields."""
        return {
            "identity": self.identity,
            "watermark": self._watermark,
            self.watermark_field: self._watermark_id,
            "gaps": sorted(self._gaps),
            **self._header(),
        }

    def _save(self, index: Index) -> None:
        """Compact and save now (after a build, under the lock)."""
        self._since_save = 0
        index.extra = self._extra()
        self._persist(index)

    def _write(self, save: Callable[[Path], None]) -> None:
        """``save`` to ``path``, when there is one (its folder made); a read-only folder: the index
        still works, from memory."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save(self.path)
        except OSError as error:
            log.warning("%s not saved to %s: %s", self.what, self.path, error)

    def _load(self, uow: UnitOfWork) -> Index | None:
        """The index saved at ``path``, caught up, when it is this database's; None: none, broken, of
        another database, or too far behind (the caller builds it)."""
        if self.path is None or not self.path.exists():
            return None
        try:
            index = self._read(self.path)
            extra = index.extra
            watermark = int(str(extra["watermark"]))
            watermark_id = int(str(extra[self.watermark_field]))
            gaps = [int(g) for g in extra["gaps"]]
            identity = str(extra.get("identity", ""))
            restore = self._restoring(extra)
        except UNREADABLE as error:
            log.warning("%s at %s not used: %s", self.what, self.path, error)
            return None
        if (
            identity != self.identity
            or watermark <= 0
            or self.changes.changes(uow, watermark - 1, 1) != [(watermark, watermark_id)]
        ):
            log.warning("%s at %s does not match this database: rebuilt", self.what, self.path)
            return None
        restore()
        self._watermark, self._watermark_id = watermark, watermark_id
        self._gaps = dict.fromkeys(gaps, time.monotonic())
        self._since_save = 0
        self._index = index
        if not self._catch_up(uow):
            return None
        return index
