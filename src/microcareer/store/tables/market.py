"""Job postings read from outside corpora (issue 19) and the skills extracted from each.

A posting is known by ``(source, external_id)`` and by the hash of its cleaned title and text, so
re-ingesting a file adds nothing. A near-duplicate re-post is kept (so it is recognised next time)
with ``duplicate_of`` naming the posting it repeats, and without skills: demand counts it once.
``month`` (YYYY-MM) is kept beside the date so both stores group by it the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class MarketPostingRow(Base):
    __tablename__ = "market_postings"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_market_postings_source_id"),
        Index("ix_market_postings_month_dup", "month", "duplicate_of"),
        Index("ix_market_postings_dup_pay", "duplicate_of", "pay"),  # the mean pay of all (0019)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    posted_on: Mapped[date] = mapped_column(Date, index=True)
    month: Mapped[str] = mapped_column(String(7))
    place: Mapped[str] = mapped_column(String(200), default="")
    place_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    pay: Mapped[float | None] = mapped_column(Float, nullable=True)
    occupation_uri: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("market_postings.id", ondelete="SET NULL"), nullable=True
    )


class MarketPostingSkillRow(Base):
    """A skill of an original posting, with the posting's facts a selection filters and groups by
    (month, date, place, occupation, pay: migration 0019), so counts never join the postings. One index
    beside the key, (skill, month, pay), covers the unfiltered counts; a selection by date, place or
    occupation scans these narrow rows (more indexes would slow every ingest's inserts)."""

    __tablename__ = "market_posting_skills"
    __table_args__ = (Index("ix_market_posting_skills_skill_month", "skill_uri", "month", "pay"),)

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("market_postings.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True)
    confidence: Mapped[float] = mapped_column(Float)
    month: Mapped[str] = mapped_column(String(7), server_default="")
    posted_on: Mapped[date] = mapped_column(Date)
    place_key: Mapped[str] = mapped_column(String(200), server_default="")
    occupation_uri: Mapped[str | None] = mapped_column(String(255), nullable=True)
    pay: Mapped[float | None] = mapped_column(Float, nullable=True)


RUNNING_JOB = text("state = 'running'")


class MarketIngestJobRow(Base):
    """An uploaded file ingested in the background: its state, progress and report (issue 19). At most
    one runs (0020): a second start, from any process, fails on the partial unique index."""

    __tablename__ = "market_ingest_jobs"
    __table_args__ = (
        Index(
            "uq_market_ingest_jobs_running",
            "state",
            unique=True,
            sqlite_where=RUNNING_JOB,
            postgresql_where=RUNNING_JOB,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(100))
    columns: Mapped[str] = mapped_column(String(1000))
    rows_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    reposts: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)
    matched_occupation: Mapped[int] = mapped_column(Integer, default=0)
    bad_count: Mapped[int] = mapped_column(Integer, default=0)
    bad: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
