"""Ingest job postings (issue 19): records read from a file → cleaned, de-duplicated, skills extracted,
stored. Idempotent: a posting already stored under its (source, id) is skipped, so re-ingesting a file
changes nothing. A posting whose cleaned title and text are stored already under another id, or whose
MinHash says it re-posts one from the ``REPOST_WINDOW_DAYS`` around it, is stored as a re-post
(``duplicate_of``) without skills and never counts twice. A bad row is reported with its line and
skipped. Skills come from the extraction engine (lexical and fuzzy by default: the fast path).

``ingest_file`` is the one entry of the three doors (``market ingest``, ``POST /api/v1/market/postings``,
the upload form on ``/market``): the mapping read (422 ``columns``), the file checked (422 ``file``:
no rows, or a mapped column it does not have; 413 ``file``: more rows than ``max_rows``), then
``ingest``. The CLI passes no caps; an upload ingested within its request is capped at
``UPLOAD_MAX_ROWS`` rows and ``UPLOAD_MAX_BYTES`` bytes of text (a Parquet file's decoded, not its
compressed size) so that it finishes within a request (docs/market.md gives the arithmetic); a larger
one runs in the background (``services/market_ingest_jobs.py``, its own caps), the largest through the
CLI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import TypeVar

import numpy as np

from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.analysis import Analysed, complete, read
from microcareer.domain.market.near_duplicates import NearDuplicateIndex
from microcareer.domain.market.postings import (
    REQUIRED,
    BadRow,
    ColumnMapping,
    Posting,
    place_key,
)
from microcareer.domain.market.records import NewPosting
from microcareer.domain.progress import NoProgress, Progress
from microcareer.domain.taxonomy.search import LabelIndex
from microcareer.errors import FileTooLarge, InvalidInput
from microcareer.services.access import Action, authorize
from microcareer.services.extraction import DEFAULT_METHODS, ExtractionRequest, extractor_cache, options_for
from microcareer.services.market_ports import PostingAnalyser, PostingSource
from microcareer.services.ports import LexiconStore, UnitOfWork
from microcareer.services.taxonomy_search import IndexKind, label_index_cache

BATCH = 500
REPOST_WINDOW_DAYS = 60
MAX_BAD_ROWS_KEPT = 1_000
TITLE_MATCH_SCORE = 0.9
UPLOAD_MAX_ROWS = 2_000
UPLOAD_MAX_BYTES = 4 * 1024 * 1024
MAX_SOURCE = 100
_NOISE = re.compile(r"\((?:[^)]*)\)|\[[^\]]*\]|\b(?:m/w/d|m/f/d|f/m/d|h/f)\b", re.IGNORECASE)
_LEVEL = re.compile(r"\b(?:senior|junior|lead|principal|head|chief|trainee|intern|graduate|sr|jr)\b\.?", re.I)
_TAIL = re.compile(r"\s+[-|/–—:]\s+.*$")

Record = tuple[int, dict[str, object]]  # (line or row number, the record as read)


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    reposts: int = 0  # near-duplicates or exact copies under another id, stored as re-posts
    known: int = 0  # already stored under the same (source, id): skipped
    matched_occupation: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    bad_count: int = 0

    def summary(self) -> str:
        return (
            f"{self.read:,} read: {self.added:,} added "
            f"({self.matched_occupation:,} matched to an occupation), {self.reposts:,} re-posts collapsed, "
            f"{self.known:,} already stored, {self.bad_count:,} bad rows skipped"
        )


def occupation_title(title: str) -> str:
    """A posting title as an occupation label: "(m/f/d)", levels and a " - team" tail dropped."""
    cleaned = _TAIL.sub("", _NOISE.sub(" ", title))
    return " ".join(_LEVEL.sub(" ", cleaned).split())


class OccupationMatcher:
    """Titles → ESCO occupation URIs through the taxonomy's occupation labels (remembered per title)."""

    def __init__(self, index: LabelIndex) -> None:
        self._index = index
        self._seen: dict[str, str | None] = {}

    def __call__(self, title: str) -> str | None:
        key = occupation_title(title).casefold()
        if key in self._seen:
            return self._seen[key]
        found: str | None = None
        if key:
            exact = self._index.exact_labels(key)
            if exact:
                preferred = [uri for uri, _, kind in exact if kind == "preferred"]
                found = (preferred or [exact[0][0]])[0]
            else:
                hits = self._index.search(key, limit=1).hits
                if hits and hits[0].score >= TITLE_MATCH_SCORE:
                    found = hits[0].uri
        if len(self._seen) < 100_000:
            self._seen[key] = found
        return found


@dataclass
class _Window:
    """The near-duplicate index, filled from the store for the dates the file reaches."""

    index: NearDuplicateIndex = field(default_factory=NearDuplicateIndex)
    low: date | None = None
    high: date | None = None
    ids: dict[str, int] = field(default_factory=dict)  # a new posting's key in the index → its row id
    made: int = 0

    def new_key(self) -> str:
        """A key for a posting not stored yet (stored ones are keyed by their row id)."""
        self.made += 1
        return f"new-{self.made}"

    def id_of(self, key: str) -> int:
        return self.ids[key] if key in self.ids else int(key)

    def cover(self, uow: UnitOfWork, start: date, end: date) -> None:
        start, end = start - timedelta(days=REPOST_WINDOW_DAYS), end + timedelta(days=REPOST_WINDOW_DAYS)
        spans = []
        if self.low is None or self.high is None:
            spans.append((start, end))
            self.low, self.high = start, end
        else:
            if start < self.low:
                spans.append((start, self.low - timedelta(days=1)))
                self.low = start
            if end > self.high:
                spans.append((self.high + timedelta(days=1), end))
                self.high = end
        for low, high in spans:
            self.index.add_all((str(i), raw) for i, raw in uow.market.signatures_between(low, high))


Item = TypeVar("Item")


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest(
    uow: UnitOfWork,
    *,
    actor: Actor,
    records: Iterable[Record],
    mapping: ColumnMapping,
    default_source: str,
    extractor: SkillExtractor,
    occupations: Callable[[str], str | None],
    request: ExtractionRequest | None = None,
    progress: Progress | None = None,
    total: int | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store the postings of ``records``, read, signed and extracted here; one transaction per batch
    of ``BATCH`` (a crash keeps whole batches, and running again picks up where it stopped: stored ids
    are skipped). ``report``, when given, is filled as the batches go (a progress reader sees the
    counts so far)."""
    authorize(actor, Action.MARKET_INGEST)
    options = options_for(actor, request or ExtractionRequest(methods=DEFAULT_METHODS), extractor)
    lazily_read = (
        item for batch in _batches(records, BATCH) for item in read(batch, mapping, default_source)
    )
    return store_analysed(
        uow,
        actor=actor,
        items=lazily_read,
        extractor=extractor,
        options=options,
        occupations=occupations,
        progress=progress,
        total=total,
        report=report,
    )


def store_analysed(
    uow: UnitOfWork,
    *,
    actor: Actor,
    items: Iterable[Analysed],
    extractor: SkillExtractor,
    options: ExtractionOptions,
    occupations: Callable[[str], str | None],
    progress: Progress | None = None,
    total: int | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store the records ``items`` (one per record of the file, in its order), in batches of ``BATCH``
    as ``ingest`` does: a posting not analysed yet (``skills`` None) is signed and extracted here,
    and only when it is new (neither stored nor repeated), so ``items`` analysed elsewhere (on Dask,
    ``PostingAnalyser``) give the same store as ``ingest`` of the same records."""
    authorize(actor, Action.MARKET_INGEST)
    progress = progress or NoProgress()
    progress.stage("ingesting postings", total)
    report = report if report is not None else IngestReport()
    window = _Window()
    for batch in _batches(items, BATCH):
        _ingest_batch(uow, batch, extractor, options, occupations, window, report)
        progress.advance(len(batch))
    return report


def _ingest_batch(
    uow: UnitOfWork,
    batch: list[Analysed],
    extractor: SkillExtractor,
    options: ExtractionOptions,
    occupations: Callable[[str], str | None],
    window: _Window,
    report: IngestReport,
) -> None:
    parsed: list[Analysed] = []
    seen_here: set[tuple[str, str]] = set()
    for item in batch:
        report.read += 1
        if item.posting is None:
            report.bad_count += 1
            if len(report.bad) < MAX_BAD_ROWS_KEPT:
                report.bad.append((item.line, item.error))
            continue
        key = (item.posting.source, item.posting.external_id)
        if key in seen_here:
            report.known += 1
            continue
        seen_here.add(key)
        parsed.append(item)
    if not parsed:
        return
    with uow:
        fresh: list[Analysed] = []
        by_source: dict[str, list[Analysed]] = {}
        for item in parsed:
            by_source.setdefault(item.ready.source, []).append(item)
        for source, group in by_source.items():
            known = uow.market.known_ids(source, [a.ready.external_id for a in group])
            report.known += sum(1 for a in group if a.ready.external_id in known)
            fresh += [a for a in group if a.ready.external_id not in known]
        if not fresh:
            return
        fresh.sort(key=lambda a: (a.ready.posted_on, a.ready.source, a.ready.external_id))
        window.cover(uow, fresh[0].ready.posted_on, fresh[-1].ready.posted_on)
        stored_hashes = uow.market.known_hashes([a.ready.content_hash for a in fresh])
        hash_keys = {digest: str(row_id) for digest, row_id in stored_hashes.items()}
        originals: list[NewPosting] = []
        keys: list[str] = []
        reposts: list[tuple[Posting, bytes, str | None, str]] = []
        for item in complete(fresh, extractor, options):
            posting = item.ready
            values = np.frombuffer(item.signature, dtype=np.uint64).copy()
            original = hash_keys.get(posting.content_hash) or window.index.match(values)
            occupation = occupations(posting.title)
            if original is not None:
                reposts.append((posting, item.signature, occupation, original))
                continue
            new_key = window.new_key()
            hash_keys[posting.content_hash] = new_key
            window.index.add(new_key, values)
            originals.append(_new(posting, item.signature, occupation, item.skills or (), None))
            keys.append(new_key)
            report.matched_occupation += occupation is not None
        for new_key, row_id in zip(keys, uow.market.add_postings(originals), strict=True):
            window.ids[new_key] = row_id
        uow.market.add_postings(
            [_new(p, raw, occupation, (), window.id_of(of)) for p, raw, occupation, of in reposts]
        )
        report.added += len(originals)
        report.reposts += len(reposts)
        uow.commit()


def _new(
    posting: Posting,
    signature_bytes: bytes,
    occupation: str | None,
    skills: tuple[tuple[str, float], ...],
    duplicate_of: int | None,
) -> NewPosting:
    return NewPosting(
        source=posting.source,
        external_id=posting.external_id,
        content_hash=posting.content_hash,
        title=posting.title,
        text=posting.text,
        posted_on=posting.posted_on,
        place=posting.place,
        place_key=place_key(posting.place),
        organisation=posting.organisation,
        pay=posting.pay,
        occupation_uri=occupation,
        signature=signature_bytes,
        duplicate_of=duplicate_of,
        skills=skills,
    )


def prepare(
    uow: UnitOfWork, caches: MutableMapping[str, object], lexicons: LexiconStore | None
) -> tuple[SkillExtractor, OccupationMatcher]:
    """The extractor of the stored taxonomy and a title matcher over its occupation labels."""
    extractor = extractor_cache(caches).get(uow, lexicons)
    with uow:
        index = label_index_cache(caches).get(IndexKind.OCCUPATIONS, uow.taxonomy)
    return extractor, OccupationMatcher(index)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A postings file found readable against its mapping and within the caps, ready to ingest."""

    file: PostingSource
    mapping: ColumnMapping
    source: str  # for rows without one: as given, else the file's name
    total: int | None


LARGER = "larger files go in the background or through `microcareer market ingest`"


def check_file(
    actor: Actor,
    *,
    file: PostingSource,
    columns: str,
    source: str = "",
    max_rows: int | None = None,
    max_bytes: int | None = None,
    larger: str = LARGER,
) -> CheckedFile:
    """``file`` checked against the mapping ``columns`` (``"id=job_id,text=description"``) and the caps
    (rows; bytes of text once decoded; ``larger`` says where bigger files go): 422 naming ``columns``,
    ``source`` or ``file``, 413 naming ``file``."""
    authorize(actor, Action.MARKET_INGEST)
    try:
        mapping = ColumnMapping.parse(columns)
    except BadRow as error:
        raise InvalidInput(str(error), field="columns") from None
    source = " ".join(source.split())
    if len(source) > MAX_SOURCE:
        raise InvalidInput(f"source: over {MAX_SOURCE} characters", field="source")
    total = file.count()
    if total == 0:
        raise InvalidInput(f"file: {file.name} holds no postings", field="file")
    if max_rows is not None and total is not None and total > max_rows:
        raise FileTooLarge(
            f"file: {file.name} holds {total:,} rows, more than the {max_rows:,} one upload may hold "
            f"({larger})",
            field="file",
        )
    if max_bytes is not None and (size := file.text_bytes()) > max_bytes:
        raise FileTooLarge(
            f"file: {file.name} holds {size:,} bytes of text, more than the {max_bytes:,} one upload may "
            f"hold ({larger})",
            field="file",
        )
    present = file.columns()
    if present is not None:
        wanted = mapping.as_dict()
        missing = [f"{name}={wanted[name]}" for name in REQUIRED if wanted[name] not in present]
        if missing:
            has = ", ".join(present)[:300]
            raise InvalidInput(
                f"columns: {file.name} has no column for {', '.join(missing)} (it has {has})",
                field="columns",
            )
    return CheckedFile(file, mapping, source or file.stem[:MAX_SOURCE], total)


def ingest_checked(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    checked: CheckedFile,
    progress: Progress | None = None,
    report: IngestReport | None = None,
    analyser: PostingAnalyser | None = None,
) -> IngestReport:
    """Ingest a checked file with the stored taxonomy's extractor and occupation labels: read,
    signed and extracted here, or by ``analyser`` (Dask workers) with re-posts collapsed and postings
    stored here all the same (the same store either way)."""
    extractor, matcher = prepare(uow, caches, lexicons)
    if analyser is None:
        return ingest(
            uow,
            actor=actor,
            records=checked.file.records(),
            mapping=checked.mapping,
            default_source=checked.source,
            extractor=extractor,
            occupations=matcher,
            progress=progress,
            total=checked.total,
            report=report,
        )
    authorize(actor, Action.MARKET_INGEST)
    options = options_for(actor, ExtractionRequest(methods=DEFAULT_METHODS), extractor)
    items = analyser.analyse(
        checked.file,
        mapping=checked.mapping,
        default_source=checked.source,
        extractor=extractor,
        options=options,
    )
    return store_analysed(
        uow,
        actor=actor,
        items=items,
        extractor=extractor,
        options=options,
        occupations=matcher,
        progress=progress,
        total=checked.total,
        report=report,
    )


def ingest_file(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    file: PostingSource,
    columns: str,
    source: str = "",
    max_rows: int | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Check ``file`` (``check_file``), then ingest it; rows without a source of their own get
    ``source`` (else the file's name)."""
    checked = check_file(
        actor, file=file, columns=columns, source=source, max_rows=max_rows, max_bytes=max_bytes
    )
    return ingest_checked(uow, caches, lexicons, actor=actor, checked=checked, progress=progress)
