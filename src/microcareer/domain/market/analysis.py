"""The store-free part of ingesting a posting record (issue 19): read it (HTML stripped, checked), sign
it (MinHash) and extract its skills. It is the expensive part and needs no database, so it runs in this
process (``services/market_ingest``) or on Dask workers (``adapters/market_cluster``) with the same
result; collapsing re-posts and storing stay with the one process that holds the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.near_duplicates import signature
from microcareer.domain.market.postings import BadRow, ColumnMapping, Posting, read_posting

Skills = tuple[tuple[str, float], ...]  # (ESCO skill URI, confidence rounded to 4 places)


@dataclass(frozen=True, slots=True)
class Analysed:
    """One record of a file: its posting (None for a bad row, ``error`` says why), and once analysed
    its MinHash signature and skills (``skills`` None: not extracted yet)."""

    line: int
    posting: Posting | None
    error: str = ""
    signature: bytes = b""
    skills: Skills | None = None

    @property
    def ready(self) -> Posting:
        if self.posting is None:
            raise ValueError(f"line {self.line} is a bad row: {self.error}")
        return self.posting


def read(
    records: Iterable[tuple[int, Mapping[str, object]]], mapping: ColumnMapping, default_source: str
) -> list[Analysed]:
    """Each record read (cheap: no signature, no skills yet)."""
    out = []
    for line, record in records:
        try:
            out.append(Analysed(line, read_posting(record, mapping, default_source)))
        except BadRow as error:
            out.append(Analysed(line, None, str(error)))
    return out


def complete(
    items: Sequence[Analysed], extractor: SkillExtractor, options: ExtractionOptions
) -> list[Analysed]:
    """``items`` with signature and skills filled in where missing (one extraction call for them all);
    bad rows as they are."""
    todo = [a for a in items if a.posting is not None and a.skills is None]
    found = extractor.extract_many(
        [(a.ready.external_id, f"{a.ready.title}\n{a.ready.text}") for a in todo], options=options
    )
    done = {
        id(a): replace(
            a,
            signature=signature(f"{a.ready.title}\n{a.ready.text}").tobytes(),
            skills=tuple((s.uri, round(s.confidence, 4)) for s in extraction.skills),
        )
        for a, extraction in zip(todo, found, strict=True)
    }
    return [done.get(id(a), a) for a in items]


def analyse(
    records: Iterable[tuple[int, Mapping[str, object]]],
    *,
    mapping: ColumnMapping,
    default_source: str,
    extractor: SkillExtractor,
    options: ExtractionOptions,
) -> list[Analysed]:
    """Each record read, signed and its skills extracted: what a Dask worker does with a partition."""
    return complete(read(records, mapping, default_source), extractor, options)
