"""Where ``microcareer extract`` runs the extractor: in this process, a forked pool, or a Dask cluster.

All three give each document's result (or its reading error) in input order, streaming:

- one process: nothing to start, the fastest for small inputs;
- a forked pool (``--workers N`` on standard input): children share the loaded lexicon's memory
  with the parent, so they start at once, which suits streams that may be short or slow to arrive;
- Dask (``--workers N`` on files, ``--dask ADDRESS``): a local cluster of processes, or any cluster,
  fed by ``adapters/extraction_cluster.py``; Dask is imported only then, keeping start-up quick.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from queue import Empty, Queue
from typing import TypeVar

from microcareer.adapters.documents import Document
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.mentions import DocumentExtraction, Method
from microcareer.errors import UnreadableDocument

Result = DocumentExtraction | UnreadableDocument
Run = Callable[[Iterable[Document | UnreadableDocument]], Iterator[Result]]

SERIAL_BATCH = 32
T = TypeVar("T")

# Set in the parent before the pool forks, so workers share the lexicon's memory instead of loading it.
_WORKER: tuple[SkillExtractor, ExtractionOptions] | None = None


@contextmanager
def extraction_run(
    prepare: Callable[[], tuple[SkillExtractor, ExtractionOptions]],
    *,
    methods: frozenset[Method],
    processes: int,
    dask_address: str | None,
    streaming: bool,
    status: Callable[[str], AbstractContextManager[object]],
) -> Iterator[Run]:
    """A function from documents to results, on the workers asked for; they stop when the block ends.

    ``prepare`` loads the extractor and checks the options. A cluster is reached (or started) before
    that, so a wrong address fails at once, not after the lexicon is loaded; ``status`` tells the user.
    """
    global _WORKER
    if dask_address is None and (processes <= 1 or streaming):
        _WORKER = prepare()
        yield (lambda documents: _serial(documents)) if processes <= 1 else _forked(processes)
        return
    from microcareer.adapters.extraction_cluster import ClusterExtraction, check_methods, dask_client

    check_methods(methods)
    with ExitStack() as stack:
        with status(
            f"connecting to the Dask scheduler at {dask_address}"
            if dask_address
            else f"starting a local Dask cluster of {processes} processes"
        ):
            client = stack.enter_context(dask_client(dask_address, processes))
        extractor, options = prepare()
        with status("sending the lexicon to the Dask workers"):
            cluster = ClusterExtraction(client, extractor, options)
        yield cluster.results


def _extract_in_worker(document: Document) -> DocumentExtraction:
    assert _WORKER is not None
    extractor, options = _WORKER
    return extractor.extract(document.text, doc_id=document.doc_id, options=options)


def _serial(documents: Iterable[Document | UnreadableDocument]) -> Iterator[Result]:
    """In order; the documents already read when one is done go through the extractor together (the
    ranking model runs faster on a batch), and a stream never waits for input it has not been sent."""
    assert _WORKER is not None
    extractor, options = _WORKER
    for batch in ready_batches(documents, SERIAL_BATCH):
        readable = [(item.doc_id, item.text) for item in batch if isinstance(item, Document)]
        found = iter(extractor.extract_many(readable, options=options) if readable else [])
        for item in batch:
            yield item if isinstance(item, UnreadableDocument) else next(found)


def ready_batches(items: Iterable[T], most: int) -> Iterator[list[T]]:
    """The items in order, in lists: each the next item (waited for) and those read since, up to ``most``.

    A thread reads ahead (at most ``2 * most`` items), so a slow or interactive source is never waited
    on for more than the one item that is due.
    """
    queue: Queue[tuple[str, object]] = Queue(maxsize=2 * most)

    def read() -> None:
        try:
            for item in items:
                queue.put(("item", item))
        except BaseException as exc:  # handed to the reading side, which raises it there
            queue.put(("error", exc))
            return
        queue.put(("end", None))

    threading.Thread(target=read, name="extract-reader", daemon=True).start()
    done = False
    while not done:
        kind, value = queue.get()
        batch: list[T] = []
        while True:
            if kind == "error":
                if batch:
                    yield batch
                raise value  # type: ignore[misc]
            if kind == "end":
                done = True
                break
            batch.append(value)  # type: ignore[arg-type]
            if len(batch) >= most:
                break
            try:
                kind, value = queue.get_nowait()
            except Empty:
                break
        if batch:
            yield batch


def _forked(processes: int) -> Run:
    def run(documents: Iterable[Document | UnreadableDocument]) -> Iterator[Result]:
        # Unreadable ones are reported in order without a trip to a worker.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: list[Document | UnreadableDocument] = []
            for item in documents:
                pending.append(item)
                if len(pending) >= processes * 64:
                    yield from _batch(pool, pending)
                    pending = []
            yield from _batch(pool, pending)

    return run


def _batch(pool: object, items: list[Document | UnreadableDocument]) -> Iterator[Result]:
    readable = [item for item in items if isinstance(item, Document)]
    found = iter(pool.imap(_extract_in_worker, readable, chunksize=8))  # type: ignore[attr-defined]
    for item in items:
        yield item if isinstance(item, UnreadableDocument) else next(found)
