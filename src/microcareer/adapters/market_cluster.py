"""Ingesting and counting a posting corpus on Dask.

**Ingest** (``DaskPostingAnalyser``, ``market ingest --workers N`` / ``--dask ADDRESS``): the workers
do the expensive, store-free part of each record (``domain/market/analysis.py``: HTML stripped,
MinHash signature, skills extracted) over partitions of the file: a Parquet file's row groups, read
on the workers (when none holds more than ``PARQUET_GROUP_ROWS`` rows), else chunks of
``CHUNK_ROWS`` records read here and sent out. Results come back in the file's order with a bounded
number of partitions in flight; this process collapses re-posts and stores the postings in the
ingest's batches (``market_ingest.store_analysed``), so the store is the one the single-process
ingest makes. The extractor goes to every worker once per client (``scatter(broadcast=True)``,
remembered by the analyser), not with every task.

**Counting** a posting corpus of Parquet (or JSON Lines, CSV) partitions without a database: in this
process, or on Dask (a local cluster of processes, or a running scheduler's address) with the same
result (``domain/market/corpus.py``: extract per partition, collapse re-posts once in corpus order,
count per partition, add up).

On Dask the extractor goes to every worker once (``scatter(broadcast=True)``), each partition is read
and extracted where it lands (workers read the files: give paths they can reach), and only the
postings' small facts (date, hashes, signature, skill URIs) travel back for the collapse; the counts
are made on the workers from the facts they hold and summed here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Protocol

from distributed import Client, Future

from microcareer.adapters.posting_files import PostingFile, count_records, read_records
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.analysis import Analysed, analyse
from microcareer.domain.market.corpus import MarketCounts, PostingFacts, collapse, count, facts_of
from microcareer.domain.market.postings import ColumnMapping
from microcareer.errors import NotReady

WORKER_WAIT_S = 300


class RecordFile(Protocol):
    """What the analyser reads of a file (``services.market_ports.RecordFile`` has it)."""

    def records(self) -> Iterator[tuple[int, dict[str, object]]]: ...


CHUNK_ROWS = 1_000  # records per task where the file is not read on the workers
PARQUET_GROUP_ROWS = 50_000  # larger row groups are read here and sent out in chunks
IN_FLIGHT_PER_THREAD = 2


def _wait_for_workers(client: Client) -> None:
    try:  # a local cluster's processes may still be starting on a busy machine
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise NotReady(f"no Dask worker joined within {WORKER_WAIT_S} s") from None


def _analyse_records(
    records: list[tuple[int, dict[str, object]]],
    mapping: ColumnMapping,
    source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> list[Analysed]:
    return analyse(records, mapping=mapping, default_source=source, extractor=extractor, options=options)


def _analyse_row_group(
    path: str,
    group: int,
    first_row: int,
    mapping: ColumnMapping,
    source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> list[Analysed]:
    """A Parquet row group read on the worker; rows numbered as ``posting_files`` numbers them."""
    import pyarrow.parquet as pq

    rows: list[Mapping[str, object]] = pq.ParquetFile(path).read_row_group(group).to_pylist()
    return analyse(
        ((first_row + n, row) for n, row in enumerate(rows, start=1)),
        mapping=mapping,
        default_source=source,
        extractor=extractor,
        options=options,
    )


def _row_groups(file: RecordFile) -> list[int] | None:
    """The row counts of a Parquet file's row groups, if the workers should read them; else None."""
    if not isinstance(file, PostingFile) or file.format != "parquet":
        return None
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(file.path).metadata
    sizes = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
    return sizes if sizes and max(sizes) <= PARQUET_GROUP_ROWS else None


class DaskPostingAnalyser:
    """``PostingAnalyser`` on a Dask client: partitions read, signed and extracted on the workers."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._shipped: tuple[SkillExtractor, Future[SkillExtractor]] | None = None

    def _extractor(self, extractor: SkillExtractor) -> Future[SkillExtractor]:
        """The extractor on every worker: sent once per client and extractor."""
        if self._shipped is None or self._shipped[0] is not extractor:
            _wait_for_workers(self._client)
            self._shipped = (extractor, self._client.scatter(extractor, broadcast=True))
        return self._shipped[1]

    def analyse(
        self,
        file: RecordFile,
        *,
        mapping: ColumnMapping,
        default_source: str,
        extractor: SkillExtractor,
        options: ExtractionOptions,
    ) -> Iterator[Analysed]:
        shipped = self._extractor(extractor)
        client = self._client
        tasks: Iterator[tuple[Callable[..., list[Analysed]], tuple[object, ...]]]
        groups = _row_groups(file)
        if groups is not None:
            assert isinstance(file, PostingFile)
            path = str(file.path.resolve())
            tasks = (
                (_analyse_row_group, (path, g, sum(groups[:g]), mapping, default_source, shipped, options))
                for g in range(len(groups))
            )
        else:
            records = file.records()
            chunks = iter(lambda: list(islice(records, CHUNK_ROWS)), [])
            tasks = (
                (_analyse_records, (chunk, mapping, default_source, shipped, options)) for chunk in chunks
            )
        limit = max(2, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
        window: deque[Future[list[Analysed]]] = deque()
        for function, arguments in tasks:
            window.append(client.submit(function, *arguments, pure=False))
            if len(window) >= limit:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _positioned(path: Path, offset: int) -> Iterator[tuple[int, dict[str, object]]]:
    for index, (_, record) in enumerate(read_records(path)):
        yield offset + index, record


def offsets(paths: Sequence[Path]) -> list[int]:
    """Where each partition's records start in the corpus (records counted as the readers yield them)."""
    out, at = [], 0
    for path in paths:
        out.append(at)
        at += (
            sum(1 for _ in read_records(path))
            if path.suffix.lower() != ".parquet"
            else count_records(path) or 0
        )
    return out


def _partition_facts(
    path: Path,
    offset: int,
    mapping: ColumnMapping,
    source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> tuple[list[PostingFacts], int]:
    return facts_of(
        _positioned(path, offset),
        mapping=mapping,
        default_source=source,
        extractor=extractor,
        options=options,
    )


def _slim(facts: tuple[list[PostingFacts], int]) -> list[PostingFacts]:
    """What the collapse needs, without the skills (they stay on the worker)."""
    return [
        PostingFacts(
            f.position,
            f.source,
            f.external_id,
            f.posted_on,
            f.month,
            f.title,
            "",
            None,
            f.content_hash,
            f.signature,
            (),
        )
        for f in facts[0]
    ]


def _count(facts: tuple[list[PostingFacts], int], originals: frozenset[int]) -> MarketCounts:
    counts = count(facts[0], originals)
    counts.bad = facts[1]
    return counts


def aggregate_in_process(
    paths: Sequence[Path],
    *,
    mapping: ColumnMapping,
    source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> tuple[MarketCounts, list[PostingFacts]]:
    """The single-process path: every partition in turn."""
    parts = [
        _partition_facts(p, o, mapping, source, extractor, options)
        for p, o in zip(paths, offsets(paths), strict=True)
    ]
    originals = collapse([f for part in parts for f in part[0]])
    total = MarketCounts()
    for part in parts:
        total.merge(_count(part, originals))
    return total, [f for part in parts for f in part[0] if f.position in originals]


def aggregate_on_dask(
    client: Client,
    paths: Sequence[Path],
    *,
    mapping: ColumnMapping,
    source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> tuple[MarketCounts, list[PostingFacts]]:
    """The same on a Dask cluster: partitions extracted and counted on the workers."""
    _wait_for_workers(client)
    shipped = client.scatter(extractor, broadcast=True)
    starts = offsets(paths)
    parts = [
        client.submit(_partition_facts, path, offset, mapping, source, shipped, options, pure=False)
        for path, offset in zip(paths, starts, strict=True)
    ]
    slim = client.gather([client.submit(_slim, part) for part in parts])
    everything = [f for part in slim for f in part]
    originals = collapse(everything)
    kept = client.scatter([originals], broadcast=True)[0]  # a list of one: a set would scatter its members
    total = MarketCounts()
    for counts in client.gather([client.submit(_count, part, kept) for part in parts]):
        total.merge(counts)
    return total, [f for f in everything if f.position in originals]
