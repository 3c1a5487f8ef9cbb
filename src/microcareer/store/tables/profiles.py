"""Profiles: one per user, their experiences, skills with proficiency, and each skill's evidence.

Skills are referenced by URI, not by row id: re-importing ESCO replaces the skill rows, and a
profile must survive that (a URI ESCO retires is shown as unknown, never silently dropped).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class ProfileRow(Base):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hourly_rate: Mapped[float | None] = mapped_column(Numeric(10, 2, asdecimal=False), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    available: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    visibility: Mapped[str] = mapped_column(String(16), default="public", index=True)
    resume_extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What an imported JSON Resume held beyond the profile, for a lossless export."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExperienceRow(Base):
    __tablename__ = "experiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("profiles.user_id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[str | None] = mapped_column(String(10), nullable=True)
    end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    url: Mapped[str] = mapped_column(Text, default="")
    highlights: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ExperienceSkillRow(Base):
    __tablename__ = "experience_skills"

    experience_id: Mapped[int] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True)


class ProfileSkillRow(Base):
    __tablename__ = "profile_skills"

    user_id: Mapped[int] = mapped_column(ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True)
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    proficiency: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SkillEvidenceRow(Base):
    __tablename__ = "skill_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_uri"],
            ["profile_skills.user_id", "profile_skills.skill_uri"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    skill_uri: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    last_used: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    """The share of its kind's weight it carries (issuer standing, collusion signals: docs/trust.md)."""
    note: Mapped[str] = mapped_column(Text, default="")
