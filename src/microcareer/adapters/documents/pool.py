"""Documents read out of the request thread: a few worker processes, each under a memory limit, one
killed and replaced when a document takes longer than its time limit.

The readers stop themselves at the limits on bytes, paragraphs, pages, characters and time
(``limits.py``), but a single library call (Beautiful Soup parsing a page, pypdf one page's content
stream) cannot be interrupted in-thread, and a parse that runs away grows the server for good (freed
memory is seldom given back to the system). A worker is a separate process under ``RLIMIT_AS``: a
document that needs more memory fails there with ``MemoryError``, and one that outlives its time is
killed; the server only waits, in a thread of its own (never the event loop), and the memory goes
back with the process.

Readers run at a lower CPU priority (``READER_NICENESS``): on a busy machine the server's own
requests go first, and a document that runs long costs the others less.

Workers start when first needed, from a fork server (a clean interpreter that preloaded the readers)
where the platform has one, else by spawning; each serves one document at a time and is replaced
after ``MAX_TASKS_PER_WORKER`` documents, when a document left it past ``RECYCLE_RSS_BYTES`` resident,
after a memory error, a crash or a kill.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import IO, Any

from microcareer.adapters.documents.limits import (
    DocumentLimits,
    check_file_size,
    default_limits,
    over_limit,
    time_limit_problem,
)
from microcareer.adapters.documents.model import Document
from microcareer.errors import Busy, UnreadableDocument
from microcareer.forkserver import worker_context

MAX_TASKS_PER_WORKER = 200
"""A worker is replaced after this many documents, so what a long-lived parser keeps is given back."""

RECYCLE_RSS_BYTES = 256 * 1024 * 1024
"""A worker whose resident memory is past this after a document is replaced: a large parse leaves the
heap grown (CPython and libxml2 seldom give freed memory back), and it goes back with the process."""

KILL_GRACE_SECONDS = 1.0
"""A worker past its document's time limit by this much is killed: the readers' own clock (checked
between pages and paragraphs) usually stops them first, with the same message."""

START_SECONDS = 60.0
"""How long a new worker may take to start (import its readers) before it counts as failed."""

READER_NICENESS = 10
"""Added to a reader process's niceness (Unix): parsing an upload gives way to answering requests."""

_PRELOAD = ("lxml.etree", "pypdf", "bs4", "microcareer.adapters.documents.reader")


@dataclass(frozen=True, slots=True)
class _Task:
    data: bytes
    filename: str
    doc_id: str | None
    limits: DocumentLimits


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.tasks = 0

    def alive(self) -> bool:
        return self.process.is_alive() and self.tasks < MAX_TASKS_PER_WORKER

    def stop(self) -> None:
        """Ends the process at once (a worker holds nothing that needs a clean exit)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.connection.close()


class DocumentPool:
    """``read_bytes`` reads one upload in a worker process, within ``limits`` and ``memory_bytes``."""

    def __init__(
        self,
        limits: DocumentLimits | None = None,
        *,
        workers: int = 2,
        memory_bytes: int = 0,
        context: BaseContext | None = None,
    ) -> None:
        self.limits = limits or default_limits()
        self.workers = workers
        self.memory_bytes = memory_bytes
        self._context = context
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._slots.put(None)  # a worker is started in its slot when first needed
        self._lock = threading.Lock()
        self._running: set[_Worker] = set()
        self._closed = False

    def read_bytes(
        self, data: bytes, *, filename: str, doc_id: str | None = None, limits: DocumentLimits | None = None
    ) -> Document:
        """The upload's document, as ``read_document_bytes`` reads it; blocks (call it from a thread).

        Raises ``UnreadableDocument`` naming the file (and the limit it went over), ``Busy`` when no
        worker comes free in time.
        """
        limits = limits or self.limits
        check_file_size(len(data), filename, limits)  # before anything is sent to a worker
        outcome = self._run(_Task(data, filename, doc_id, limits), filename)
        if isinstance(outcome, Document):
            return outcome
        raise outcome

    def read_upload(self, stream: IO[bytes], *, filename: str, doc_id: str | None = None) -> Document:
        """``read_bytes`` of an upload's file, of which no more than the size limit (and a byte) is read."""
        data = stream.read(self.limits.max_file_bytes + 1)
        if len(data) > self.limits.max_file_bytes:
            limit = self.limits.max_file_bytes / 2**20
            raise over_limit(filename, f"the file is over the {limit:g} MiB limit for a document")
        return self.read_bytes(data, filename=filename, doc_id=doc_id)

    def close(self) -> None:
        """Stops every worker, busy ones included (their callers get an error); idempotent."""
        with self._lock:
            self._closed = True
            running = list(self._running)
            self._running.clear()
        for worker in running:
            worker.stop()

    def _run(self, task: _Task, source: str) -> Document | UnreadableDocument:
        wait = 2 * task.limits.max_seconds + START_SECONDS
        try:
            worker = self._slots.get(timeout=wait)
        except queue.Empty:
            raise Busy(
                f"{source}: every document reader stayed busy for {wait:g} s; try again in a moment"
            ) from None
        keep = False
        try:
            if self._closed:
                raise Busy(f"{source}: the server is shutting down")
            if worker is None or not worker.alive():
                if worker is not None:
                    self._retire(worker)
                worker = self._start()
            outcome, keep = self._call(worker, task, source)
            return outcome
        finally:
            if not keep and worker is not None:
                self._retire(worker)
            self._slots.put(worker if keep else None)

    def _call(self, worker: _Worker, task: _Task, source: str) -> tuple[Document | UnreadableDocument, bool]:
        """The worker's answer, and whether the worker can serve again."""
        worker.tasks += 1
        try:
            worker.connection.send(task)
            if not worker.connection.poll(task.limits.max_seconds + KILL_GRACE_SECONDS):
                return over_limit(source, time_limit_problem(task.limits.max_seconds)), False
            answer = worker.connection.recv()
        except (EOFError, OSError):  # the worker died: killed by the system, crashed, or closed
            problem = "reading it stopped the document reader (it needs too much memory, or is damaged)"
            return over_limit(source, problem), False
        kind, *fields, heavy = answer
        if kind == "document":
            return fields[0], not heavy
        if kind == "unreadable":
            file, line, column, problem = fields
            return UnreadableDocument(file, line, column, problem), not heavy
        # "memory": the worker is left in an unknown state and is replaced
        memory = f"{self.memory_bytes / 2**20:g} MiB"
        problem = f"reading it needs more than the {memory} of memory a document may use"
        return over_limit(source, problem), False

    def _start(self) -> _Worker:
        context = self._context or _default_context()
        ours, theirs = context.Pipe(duplex=True)
        process = context.Process(  # type: ignore[attr-defined]  # BaseContext lists no Process
            target=_serve, args=(theirs, self.memory_bytes), name="microcareer-document-reader", daemon=True
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            closed = self._closed
            if not closed:
                self._running.add(worker)
        try:
            if closed or not ours.poll(START_SECONDS) or ours.recv() != "ready":
                raise OSError("no answer")
        except (EOFError, OSError):
            self._retire(worker)
            raise Busy("the document reader could not be started; try again in a moment") from None
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._running.discard(worker)
        worker.stop()


def _default_context() -> BaseContext:
    """A fork server (clean, cheap starts) where there is one, else spawn; never plain fork, which
    would copy a threaded server's locks mid-use."""
    return worker_context(_PRELOAD)


def _limit_memory(memory_bytes: int) -> None:
    if memory_bytes <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still holds
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _lower_priority() -> None:
    if hasattr(os, "nice"):  # not on Windows
        with contextlib.suppress(OSError):
            os.nice(READER_NICENESS)


def _resident_bytes() -> int:
    """This process's resident memory (Linux ``/proc``); 0 where that cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _serve(connection: Connection, memory_bytes: int) -> None:
    """A worker's life: import the readers, limit memory, then read one document per message."""
    import importlib

    for name in _PRELOAD:
        importlib.import_module(name)
    from microcareer.adapters.documents.reader import read_document_bytes

    _limit_memory(memory_bytes)
    _lower_priority()
    connection.send("ready")
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        answer = _answer(read_document_bytes, task)
        heavy = answer[0] == "memory" or _resident_bytes() > RECYCLE_RSS_BYTES
        try:
            connection.send((*answer, heavy))
        except MemoryError:  # the answer itself (a long text) did not fit
            connection.send(("memory", True))
            return
        if heavy:
            return  # the pool replaces this worker


def _answer(read: Callable[..., Document], task: _Task) -> tuple[Any, ...]:
    try:
        return ("document", read(task.data, filename=task.filename, doc_id=task.doc_id, limits=task.limits))
    except UnreadableDocument as error:
        return ("unreadable", error.file, error.line, error.column, error.problem)
    except MemoryError:
        return ("memory",)
    except Exception as error:  # a reader's bug, not the file's fault: still no traceback to the caller
        return ("unreadable", task.filename, None, None, f"cannot be read ({type(error).__name__})")
