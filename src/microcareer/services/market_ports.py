"""The market store's port (issue 19): postings kept, and the counts demand and trends are made of."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.market.ingest_jobs import IngestJob, JobProgress, JobState
from microcareer.domain.market.postings import ColumnMapping
from microcareer.domain.market.records import MarketFilter, NewPosting, PlaceCount

if TYPE_CHECKING:  # analysis imports numpy and datasketch (MinHash): not on every start-up's path
    from microcareer.domain.market.analysis import Analysed


class PostingSource(Protocol):
    """A file of postings as an adapter reads it (``adapters/posting_files.PostingFile``); reading
    what cannot be read raises ``InvalidInput`` naming ``file``."""

    @property
    def name(self) -> str: ...

    @property
    def stem(self) -> str: ...

    def count(self) -> int | None: ...

    def text_bytes(self) -> int:
        """Bytes of text the records hold once decoded (what extraction reads)."""
        ...

    def columns(self) -> list[str] | None:
        """The columns every record has, where the format fixes them (None: records vary)."""
        ...

    def records(self) -> Iterator[tuple[int, dict[str, object]]]: ...


class PostingAnalyser(Protocol):
    """Reads, signs and extracts a file's records elsewhere (``adapters/market_cluster``: on Dask)."""

    def analyse(
        self,
        file: PostingSource,
        *,
        mapping: ColumnMapping,
        default_source: str,
        extractor: SkillExtractor,
        options: ExtractionOptions,
    ) -> Iterator[Analysed]:
        """One ``Analysed`` per record of ``file``, in the file's order (what ``analysis.analyse``
        gives for them), streamed: a bounded number of partitions in flight."""
        ...


class MarketRepository(Protocol):
    def known_ids(self, source: str, external_ids: Sequence[str]) -> set[str]: ...

    def known_hashes(self, hashes: Sequence[str]) -> dict[str, int]: ...

    def signatures_between(self, start: date, end: date) -> Iterator[tuple[int, bytes]]:
        """Originals (not re-posts) posted in the range, with their MinHash signatures."""
        ...

    def add_postings(self, postings: Sequence[NewPosting]) -> list[int]: ...

    def posting_count(self, selection: MarketFilter) -> int: ...

    def month_totals(self, selection: MarketFilter) -> dict[str, int]: ...

    def skill_counts(self, selection: MarketFilter) -> dict[str, int]: ...

    def skill_month_counts(
        self, selection: MarketFilter, uris: Sequence[str] | None = None
    ) -> dict[str, dict[str, int]]: ...

    def together(self, selection: MarketFilter, uri: str) -> dict[str, int]:
        """For each other skill, the postings naming it and ``uri``."""
        ...

    def pay(self, selection: MarketFilter) -> tuple[int, float]:
        """Postings with pay and their mean pay."""
        ...

    def pay_by_skill(self, selection: MarketFilter) -> dict[str, tuple[int, float]]: ...

    def occupation_counts(self, selection: MarketFilter) -> dict[str, int]: ...

    def places(self) -> list[PlaceCount]: ...

    def table_rows(self, table: str) -> Iterator[dict[str, object]]:
        """Every row of an export table (``EXPORT_TABLES``), as plain values."""
        ...


class IngestJobRepository(Protocol):
    """Background ingest jobs; every change but ``add_job`` applies only to a job still running (False
    when it is not: finished, or marked interrupted meanwhile). ``add_job`` records a running job, or
    answers None when one runs already, from any process (the unit of work must then roll back)."""

    def add_job(
        self,
        *,
        created_by: int | None,
        at: datetime,
        file_name: str,
        source: str,
        columns: str,
        rows_total: int | None,
        owner: str,
    ) -> IngestJob | None: ...

    def job(self, job_id: int) -> IngestJob | None: ...

    def running_jobs(self) -> list[IngestJob]: ...

    def recent_jobs(self, limit: int) -> list[IngestJob]: ...

    def record_progress(self, job_id: int, progress: JobProgress, at: datetime) -> bool: ...

    def heartbeat(self, job_id: int, at: datetime) -> bool: ...

    def finish(
        self, job_id: int, state: JobState, at: datetime, progress: JobProgress | None = None, error: str = ""
    ) -> bool: ...
