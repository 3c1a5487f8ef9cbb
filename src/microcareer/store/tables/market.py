"""Job postings read from outside corpora (issue 19) and the skills extracted from each.

A posting is known by ``(source, external_id)`` and by the hash of its cleaned title and text, so
re-ingesting a file adds nothing. A near-duplicate re-post is kept (so it is recognised next time)
with ``duplicate_of`` naming the posting it repeats, and without skills: demand counts it once.
``month`` (YYYY-MM) is kept beside the date so both stores group by it the same way.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base


class MarketPostingRow(Base):
    __tablename__ = "market_postings"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_market_postings_source_id"),
        Index("ix_market_postings_month_dup", "month", "duplicate_of"),
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
    __tablename__ = "market_posting_skills"

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("market_postings.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    confidence: Mapped[float] = mapped_column(Float)
