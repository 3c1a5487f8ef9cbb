"""Matching: the change logs that keep every process's candidate index and job index current (issue 18).

Each write that can change how a person matches (the profile saved, a skill set or removed, evidence
added, reweighed or removed) adds a row here in the same transaction. A process's ``CandidateIndex``
(``services/candidate_index.py``) reads the rows above its watermark before each query and re-reads
those people from the store, so another process's writes reach it without a rebuild.
"""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base


class MatchingChangeRow(Base):
    """One person whose matching facts changed (no foreign key: a deleted user's change still counts)."""

    __tablename__ = "matching_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer)


class JobChangeRow(Base):
    """One micro-job written (posted, edited, any state change), in the same transaction as the write:
    a process's ``JobIndex`` (``services/job_index.py``) re-reads the jobs above its watermark before
    each query (no foreign key: the change stays if the job goes)."""

    __tablename__ = "job_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(Integer)
