"""Service offers (issue 22): a professional's offers with their packages and gallery, and the orders
made of them (each bound to the contract it became)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class OfferRow(Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    skills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    packages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    """``[{name, price, currency, delivery_days, revisions, description}]``, price in minor units."""
    gallery: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OfferOrderRow(Base):
    __tablename__ = "offer_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"), index=True)
    package_index: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)
    client_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    seller_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="RESTRICT"), unique=True)
    requirements: Mapped[str] = mapped_column(Text)
    revisions_used: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
