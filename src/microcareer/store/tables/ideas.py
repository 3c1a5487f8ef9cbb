"""Intrapreneurship (issue 22): ideas pitched inside an organisation, their supporters, requests to
join, and the internal micro-jobs made from a sponsored idea."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class IdeaRow(Base):
    """One idea; ``budget_hours`` set once a manager sponsors it, ``outcome`` once one is recorded."""

    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    problem: Mapped[str] = mapped_column(Text)
    proposal: Mapped[str] = mapped_column(Text)
    skills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hours: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sponsor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    budget_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sponsored_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class IdeaSupportRow(Base):
    """A colleague's support: one per person and idea."""

    __tablename__ = "idea_supports"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IdeaJoinRequestRow(Base):
    """A colleague asks to work on the idea."""

    __tablename__ = "idea_join_requests"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(16), default="asked", server_default="asked")
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class IdeaJobRow(Base):
    """An internal micro-job made from a sponsored idea (a job comes from one idea at most)."""

    __tablename__ = "idea_jobs"

    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
