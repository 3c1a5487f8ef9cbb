"""Pathways: the imported catalogue of outside steps and the plans people saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class PathwayStepRow(Base):
    """One step of the outside catalogue (courses, microcredentials, assessments, stretch gigs)."""

    __tablename__ = "pathway_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(35), default="en")
    step_format: Mapped[str] = mapped_column(String(20))
    hours: Mapped[float] = mapped_column(Float)
    cost_amount: Mapped[int] = mapped_column(BigInteger)
    income_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    quality: Mapped[float] = mapped_column(Float)
    teaches: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{"levels": {uri: level}, "labels": {uri: label}}"""
    needs: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{"skills": [[uri, level], ...], "steps": [key, ...]}"""
    imported_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PathwayPlanRow(Base):
    __tablename__ = "pathway_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_ref: Mapped[str] = mapped_column(Text)
    target_label: Mapped[str] = mapped_column(String(300))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    done: Mapped[list[Any]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
