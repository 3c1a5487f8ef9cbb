"""Skill assessments (issue 22): assessments, their item banks, attempts, and the assessments a
micro-job requires. An item's scoring (right options, number, accepted answers) lives in ``spec``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("(issuer_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential_issuers.id", ondelete="CASCADE"), nullable=True, index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    skills: Mapped[list[str]] = mapped_column(JSON)
    draw_count: Mapped[int] = mapped_column(Integer)
    pass_percent: Mapped[int] = mapped_column(Integer)
    time_limit_minutes: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    cooldown_hours: Mapped[int] = mapped_column(Integer)
    proficiency: Mapped[int] = mapped_column(Integer)
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL"), nullable=True
    )
    task: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[list[Any]] = mapped_column(JSON)
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AssessmentItemRow(Base):
    __tablename__ = "assessment_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    points: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    """Taken out of the bank; kept for the attempts that drew it."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


OPEN_ATTEMPT = text("state = 'in_progress'")


class AssessmentAttemptRow(Base):
    """One person's attempt; at most one open (in progress) per person and assessment, so two starts at
    once cannot both draw an attempt (the second is a 409 to retry, which resumes the first)."""

    __tablename__ = "assessment_attempts"
    __table_args__ = (
        Index(
            "uq_assessment_attempts_open",
            "assessment_id",
            "candidate_id",
            unique=True,
            sqlite_where=OPEN_ATTEMPT,
            postgresql_where=OPEN_ATTEMPT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    item_ids: Mapped[list[int]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deadline: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    work: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int | None] = mapped_column(Integer, nullable=True)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    percent: Mapped[float | None] = mapped_column(Float, nullable=True)
    right_items: Mapped[list[int]] = mapped_column(JSON)
    criterion_points: Mapped[dict[str, int]] = mapped_column(JSON)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    credential_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class JobAssessmentRow(Base):
    """An assessment a micro-job requires of its applicants."""

    __tablename__ = "job_assessments"

    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="CASCADE"), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
