"""Search: the words the indexed texts hold, for widening a misspelt query term to the words near it.

The full-text indexes themselves (``search_index_jobs``) differ by database and are made by migration
0015 alone: an FTS5 virtual table on SQLite, a table with a ``tsvector`` and its GIN index on
PostgreSQL (``store/repositories/search_index.py`` writes them; Alembic's comparison leaves them out).
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from microcareer.store.tables.base import Base

INDEX_TABLE_PREFIX = "search_index_"


class SearchWordRow(Base):
    """A word some indexed text holds (words are never removed: a stale one only widens to nothing)."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(40), primary_key=True)
