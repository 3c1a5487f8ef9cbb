"""The micro-job marketplace: jobs and their skills, applications, contracts with milestones and time,
a double-entry ledger, reviews, disputes, and each person's and organisation's work settings.

Money is integer minor units with its currency, never a float. The ledger is append-only: postings
are never updated or deleted; a correction is a new transaction that reverses an old one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base, UtcDateTime


class MicroJobRow(Base):
    __tablename__ = "micro_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    poster_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text)
    budget_kind: Mapped[str] = mapped_column(String(16))
    budget_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    expected_hours: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    remote: Mapped[bool] = mapped_column(Boolean, default=True)
    place: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(16), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MicroJobSkillRow(Base):
    __tablename__ = "micro_job_skills"

    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="CASCADE"), primary_key=True)
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    required: Mapped[bool] = mapped_column(Boolean)


class ApplicationRow(Base):
    __tablename__ = "job_applications"
    __table_args__ = (UniqueConstraint("job_id", "applicant_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="CASCADE"), index=True)
    applicant_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rate_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    hours: Mapped[int] = mapped_column(Integer)
    hours_per_week: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), index=True)
    approval: Mapped[str] = mapped_column(String(16))
    approver_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ContractRow(Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="RESTRICT"), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("job_applications.id", ondelete="RESTRICT"))
    client_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    professional_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    hourly_rate: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    weekly_limit_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours_per_week: Mapped[float] = mapped_column(Float)
    fee_bp: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    end_reason: Mapped[str] = mapped_column(String(40), default="")


class MilestoneRow(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    due: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(24))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TimeEntryRow(Base):
    __tablename__ = "time_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paid_in: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), nullable=True
    )
    """The release transaction that paid this entry (set once the client approves its week)."""


class LedgerTransactionRow(Base):
    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    memo: Mapped[str] = mapped_column(Text, default="")
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="RESTRICT"), nullable=True
    )
    reverses: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), nullable=True, unique=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class LedgerPostingRow(Base):
    __tablename__ = "ledger_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), index=True
    )
    account: Mapped[str] = mapped_column(String(64), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("contract_id", "author_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DisputeRow(Base):
    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    raised_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    resolution: Mapped[str] = mapped_column(Text, default="")
    professional_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    client_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class WorkSettingsRow(Base):
    """What a professional tells the dashboard: the workload they accept and their money picture."""

    __tablename__ = "work_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    workload_threshold_hours: Mapped[float] = mapped_column(Float, default=40)
    contracted_hours_per_week: Mapped[float] = mapped_column(Float, default=40)
    monthly_spending: Mapped[int] = mapped_column(BigInteger, default=0)
    cash: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    manager_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    """Who approves this employee's internal gigs (else any admin of the job's organisation)."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OrganisationMarketplaceRow(Base):
    """An organisation's rules for its internal talent marketplace."""

    __tablename__ = "organisation_marketplace"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    internal_cap_share: Mapped[float] = mapped_column(Float, default=0.2)
    """The most of an employee's contracted hours that internal gigs may take (0.2: one day a week)."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SignInDeviceRow(Base):
    """A browser a person signed in from: the SHA-256 of its device cookie (a collusion signal, see
    ``domain.marketplace.collusion``); the cookie's value itself is never stored."""

    __tablename__ = "sign_in_devices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    device_hash: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime())


class JobMarkRow(Base):
    """A person's mark on a recommended micro-job: saved (to come back to) or dismissed (not shown
    again in their recommendations). One mark per person and job; removing it forgets it."""

    __tablename__ = "job_marks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("micro_jobs.id", ondelete="CASCADE"), primary_key=True)
    mark: Mapped[str] = mapped_column(String(16))
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime())
