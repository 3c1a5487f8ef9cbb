"""Counting a posting corpus of Parquet (or JSON Lines, CSV) partitions without a database: in this
process, or on Dask (a local cluster of processes, or a running scheduler's address) with the same
result (``domain/market/corpus.py``: extract per partition, collapse re-posts once in corpus order,
count per partition, add up).

On Dask the extractor goes to every worker once (``scatter(broadcast=True)``), each partition is read
and extracted where it lands (workers read the files: give paths they can reach), and only the
postings' small facts (date, hashes, signature, skill URIs) travel back for the collapse; the counts
are made on the workers from the facts they hold and summed here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from distributed import Client

from microcareer.adapters.posting_files import count_records, read_records
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.corpus import MarketCounts, PostingFacts, collapse, count, facts_of
from microcareer.domain.market.postings import ColumnMapping
from microcareer.errors import NotReady

WORKER_WAIT_S = 300


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
    try:  # a local cluster's processes may still be starting on a busy machine
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise NotReady(f"no Dask worker joined within {WORKER_WAIT_S} s") from None
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
