"""Skill extraction on a Dask cluster: a running scheduler's address, or a local cluster of processes.

What a worker needs is microcareer installed at the client's version, nothing more: the client sends
the extractor it loaded (its lexicon is about 60 MB pickled for all of ESCO) to every worker once with
``Client.scatter(..., broadcast=True)``, so workers need neither the database nor the cache folder,
and each keeps that one copy for all its tasks (its spelling index is built there on first use). The
extraction options (methods, confidence floor, the organisations the actor may see) travel with each
task, so every worker applies exactly what the client authorised. Semantic matching is not shipped
(its model stays with the client): a run that asks for it is refused before anything starts.

A scheduler runs whatever its clients send (pickles both ways), so point ``--dask`` only at your own
cluster; across networks use ``tls://`` addresses, with Dask's TLS settings (``distributed.comm.tls``).

Documents go out in batches and come back in input order with a bounded number of batches in
flight, so a corpus of any size streams through in constant memory. Dask's own settings apply (for
example ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s`` shortens the wait for a scheduler).
"""

from __future__ import annotations

import copy
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager

from distributed import Client, Future, LocalCluster
from distributed.scheduler import KilledWorker

from microcareer.adapters.documents.model import Document
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.mentions import DocumentExtraction, Method
from microcareer.errors import InvalidInput, NotReady, UnreadableDocument

BATCH_DOCUMENTS = 32
BATCHES_IN_FLIGHT_PER_THREAD = 4  # keeps every worker busy while results stream back, memory bounded

Result = DocumentExtraction | UnreadableDocument


def check_methods(methods: frozenset[Method]) -> None:
    """Refuse, before a cluster is started or reached, what workers cannot do."""
    if Method.SEMANTIC in methods or Method.RANKING in methods:
        raise InvalidInput(
            "methods: semantic extraction and ranking run in this process only, not on Dask workers: "
            "use lexical and fuzzy, or leave out --dask and --workers",
            field="methods",
        )


@contextmanager
def dask_client(address: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a local cluster of ``workers`` processes."""
    if address is None:
        try:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # extraction holds the GIL: processes, not threads, share the cores
                processes=True,
                dashboard_address=None,
                # Its HTTP endpoint (health, metrics) on any free port, not 8787, which may be taken.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                # A heartbeat racing the shutdown logs an ERROR; a task's own error comes back as its result.
                silence_logs=logging.CRITICAL,
            )
        except (OSError, RuntimeError) as exc:  # a worker did not start in time, no free port, ...
            raise NotReady(f"the local Dask cluster of {workers} processes did not start ({exc})") from None
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(address)
    except ValueError as exc:  # not an address Dask can parse
        raise InvalidInput(f"--dask: {address!r} is not a scheduler address ({exc})", field="dask") from None
    except OSError as exc:  # refused, unreachable, timed out
        raise NotReady(
            f"the Dask scheduler at {address} cannot be reached ({exc}); is `dask scheduler` running there?"
        ) from None
    with client:
        yield client


class ClusterExtraction:
    """Runs one extractor with one set of options over many documents on a client's cluster."""

    def __init__(
        self,
        client: Client,
        extractor: SkillExtractor,
        options: ExtractionOptions,
        *,
        batch_documents: int = BATCH_DOCUMENTS,
    ) -> None:
        check_methods(options.methods)
        self.client = client
        self.options = options
        self.batch_documents = batch_documents
        threads = sum(client.nthreads().values())
        if not threads:
            raise NotReady("the Dask cluster has no workers: start some with `dask worker ADDRESS`")
        self._in_flight = threads * BATCHES_IN_FLIGHT_PER_THREAD
        shipped = copy.copy(extractor)
        shipped.semantic = None  # refused above; its model and database reader stay here
        # Workers that join later fetch it from a peer when their first task needs it.
        self._extractor: Future[SkillExtractor] = client.scatter(shipped, broadcast=True, hash=False)

    def results(self, documents: Iterable[Document | UnreadableDocument]) -> Iterator[Result]:
        """Each document's extraction (or its reading error) in input order, as soon as it is done."""
        pending: deque[tuple[list[Document | UnreadableDocument], Future[list[DocumentExtraction]]]] = deque()
        batch: list[Document | UnreadableDocument] = []
        try:
            for item in documents:
                batch.append(item)
                if len(batch) >= self.batch_documents:
                    pending.append((batch, self._submit(batch)))
                    batch = []
                    if len(pending) >= self._in_flight:
                        yield from _merged(*pending.popleft())
            if batch:
                pending.append((batch, self._submit(batch)))
            while pending:
                yield from _merged(*pending.popleft())
        finally:
            for _, future in pending:  # stopped early (an error, ^C): free the cluster
                future.cancel()

    def _submit(self, batch: list[Document | UnreadableDocument]) -> Future[list[DocumentExtraction]]:
        texts = [(item.doc_id, item.text) for item in batch if isinstance(item, Document)]
        future: Future[list[DocumentExtraction]] = self.client.submit(
            extract_batch, self._extractor, self.options, texts, pure=False
        )
        return future


def extract_batch(
    extractor: SkillExtractor, options: ExtractionOptions, texts: list[tuple[str, str]]
) -> list[DocumentExtraction]:
    """What a worker runs: one batch of (doc_id, text), with the extractor it was sent once."""
    return [extractor.extract(text, doc_id=doc_id, options=options) for doc_id, text in texts]


def _merged(
    batch: list[Document | UnreadableDocument], future: Future[list[DocumentExtraction]]
) -> Iterator[Result]:
    """The batch's results in its order; unreadable documents never went to a worker."""
    try:
        found = iter(future.result())
    except (KilledWorker, CancelledError, OSError) as exc:
        raise NotReady(f"the Dask cluster lost the work ({type(exc).__name__}: {exc})") from None
    for item in batch:
        yield item if isinstance(item, UnreadableDocument) else next(found)
