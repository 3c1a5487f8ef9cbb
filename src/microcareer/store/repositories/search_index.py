"""Keeping the full-text index in step: a job's document is rewritten in the same transaction that
writes the job (``SqlAlchemyMarketplaceRepository.add_job`` / ``update_job``), so a search never sees
a job as it was, and the index, being a table, outlives a restart.

A document is four fields, title, skills (their preferred labels), place and brief, each reduced to
``domain.search.terms`` joined by spaces: both databases then split the same words the query side
does (accents off, case folded), whatever their own tokenizers would do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from microcareer.domain.search import terms
from microcareer.store.tables.marketplace import MicroJobRow, MicroJobSkillRow
from microcareer.store.tables.search import SearchWordRow
from microcareer.store.tables.taxonomy import SkillRow

JOB_FIELDS = ("title", "skills", "place", "brief")
WORD_MIN = 3
"""Shorter words are never widened to (``domain.search.typo_allowance``), so never listed."""


def normalised(value: str) -> str:
    return " ".join(terms(value))


def write_job_document(connection: Connection, job_id: int, fields: Mapping[str, str]) -> None:
    """Replace job ``job_id``'s document and list its words (any dialect; the migration's backfill
    uses it too)."""
    values = {name: normalised(fields.get(name, "")) for name in JOB_FIELDS}
    if connection.dialect.name == "sqlite":
        connection.execute(text("DELETE FROM search_index_jobs WHERE rowid = :id"), {"id": job_id})
        connection.execute(
            text(
                "INSERT INTO search_index_jobs (rowid, title, skills, place, brief) "
                "VALUES (:id, :title, :skills, :place, :brief)"
            ),
            {"id": job_id, **values},
        )
    else:
        connection.execute(
            text(
                "INSERT INTO search_index_jobs (job_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :title), 'A') || "
                "setweight(to_tsvector('simple', :skills), 'B') || "
                "setweight(to_tsvector('simple', :place), 'C') || "
                "setweight(to_tsvector('simple', :brief), 'D')) "
                "ON CONFLICT (job_id) DO UPDATE SET document = excluded.document"
            ),
            {"id": job_id, **values},
        )
    add_words(connection, (w for v in values.values() for w in v.split()))


def add_words(connection: Connection, words: Iterable[str]) -> None:
    rows = [{"word": w} for w in sorted({w for w in words if len(w) >= WORD_MIN})]
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(insert(SearchWordRow).prefix_with("OR IGNORE"), rows)
    else:
        connection.execute(postgresql.insert(SearchWordRow).on_conflict_do_nothing(), rows)


def index_job(session: Session, job_id: int) -> None:
    """Rewrite the document of a job just written in ``session`` (flushed)."""
    row = session.get(MicroJobRow, job_id)
    if row is None:
        return
    labels = session.scalars(
        select(SkillRow.preferred_label)
        .join(MicroJobSkillRow, MicroJobSkillRow.skill_uri == SkillRow.uri)
        .where(MicroJobSkillRow.job_id == job_id)
        .order_by(SkillRow.preferred_label)
    ).all()
    fields = {"title": row.title, "skills": " ".join(labels), "place": row.place, "brief": row.brief}
    write_job_document(session.connection(), job_id, fields)
