"""Matching: the change log that keeps every process's candidate index current (issue 18).

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
