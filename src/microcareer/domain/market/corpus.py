"""A posting corpus counted without a database, partition by partition (issue 19, scale): the same
steps and order as ``services/market_ingest`` so the counts equal the store's for the same input.

1. ``facts_of`` (per partition, on any worker): read, clean, extract skills, sign (MinHash).
2. ``collapse`` (once, in order): re-posts found exactly as the ingest finds them: records in batches
   of ``BATCH`` in corpus order, a repeated (source, id) skipped, each batch by (date, source, id), a
   posting whose content hash or MinHash matches an earlier original is a re-post.
3. ``count`` (per partition, on any worker): month totals, (skill, month) counts and pay of the
   originals; partitions' counts add up (``MarketCounts.merge``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.near_duplicates import NearDuplicateIndex, signature
from microcareer.domain.market.postings import BadRow, ColumnMapping, place_key, read_posting

BATCH = 500  # the ingest's batch: re-posts are found batch by batch, each batch ordered by date
EXTRACT_BATCH = 64

Key = tuple[str, str]  # (source, external id)


@dataclass(frozen=True, slots=True)
class PostingFacts:
    position: int  # the record's place in the whole corpus, from 0
    source: str
    external_id: str
    posted_on: date
    month: str
    title: str
    place_key: str
    pay: float | None
    content_hash: str
    signature: bytes
    skills: tuple[str, ...]

    @property
    def key(self) -> Key:
        return (self.source, self.external_id)


@dataclass
class MarketCounts:
    postings: int = 0
    bad: int = 0
    month_totals: Counter[str] = field(default_factory=Counter)
    skill_months: Counter[tuple[str, str]] = field(default_factory=Counter)
    pay_count: int = 0
    pay_sum: float = 0.0

    def merge(self, other: MarketCounts) -> MarketCounts:
        self.postings += other.postings
        self.bad += other.bad
        self.month_totals.update(other.month_totals)
        self.skill_months.update(other.skill_months)
        self.pay_count += other.pay_count
        self.pay_sum += other.pay_sum
        return self

    def skill_counts(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (uri, _), n in self.skill_months.items():
            out[uri] += n
        return dict(out)

    def by_skill(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (uri, month), n in self.skill_months.items():
            out.setdefault(uri, {})[month] = n
        return out


def facts_of(
    records: Iterable[tuple[int, Mapping[str, object]]],
    *,
    mapping: ColumnMapping,
    default_source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> tuple[list[PostingFacts], int]:
    """The facts of each readable record (``position`` given with it) and how many were bad."""
    postings = []
    bad = 0
    for position, record in records:
        try:
            postings.append((position, read_posting(record, mapping, default_source)))
        except BadRow:
            bad += 1
    out = []
    for at in range(0, len(postings), EXTRACT_BATCH):
        chunk = postings[at : at + EXTRACT_BATCH]
        found = extractor.extract_many(
            [(p.external_id, f"{p.title}\n{p.text}") for _, p in chunk], options=options
        )
        for (position, p), extraction in zip(chunk, found, strict=True):
            out.append(
                PostingFacts(
                    position=position,
                    source=p.source,
                    external_id=p.external_id,
                    posted_on=p.posted_on,
                    month=p.month,
                    title=p.title,
                    place_key=place_key(p.place),
                    pay=p.pay,
                    content_hash=p.content_hash,
                    signature=signature(f"{p.title}\n{p.text}").tobytes(),
                    skills=tuple(s.uri for s in extraction.skills),
                )
            )
    return out, bad


def collapse(facts: Sequence[PostingFacts]) -> frozenset[int]:
    """The positions of the originals (not re-posts, not repeated ids), decided as the ingest decides."""
    ordered = sorted(facts, key=lambda f: f.position)
    index = NearDuplicateIndex()
    hashes: set[str] = set()
    seen: set[Key] = set()
    originals: set[int] = set()
    at = 0
    while at < len(ordered):
        batch_number = ordered[at].position // BATCH
        end = at
        while end < len(ordered) and ordered[end].position // BATCH == batch_number:
            end += 1
        batch: list[PostingFacts] = []
        here: set[Key] = set()
        for fact in ordered[at:end]:
            if fact.key in here or fact.key in seen:
                continue
            here.add(fact.key)
            batch.append(fact)
        seen |= here
        batch.sort(key=lambda f: (f.posted_on, f.source, f.external_id))
        for fact in batch:
            values = np.frombuffer(fact.signature, dtype=np.uint64)
            if fact.content_hash in hashes or index.match(values) is not None:
                continue
            hashes.add(fact.content_hash)
            index.add(f"{fact.source}\x00{fact.external_id}", values.copy())
            originals.add(fact.position)
        at = end
    return frozenset(originals)


def count(facts: Iterable[PostingFacts], originals: frozenset[int]) -> MarketCounts:
    """The counts of the originals among ``facts`` (a partition's, or all)."""
    counts = MarketCounts()
    for fact in facts:
        if fact.position not in originals:
            continue
        counts.postings += 1
        counts.month_totals[fact.month] += 1
        for uri in fact.skills:
            counts.skill_months[(uri, fact.month)] += 1
        if fact.pay is not None:
            counts.pay_count += 1
            counts.pay_sum += fact.pay
    return counts
