"""Keeping the full-text index in step: a job's document is rewritten in the same transaction that
writes the job (``SqlAlchemyMarketplaceRepository.add_job`` / ``update_job``), so a search never sees
a job as it was, and the index, being a table, outlives a restart.

A profile's document (``search_index_profiles``) is rewritten likewise by
``SqlAlchemyProfileRepository`` when the profile or its skills change.

A document's fields (a job's title, skills (their preferred labels), place and brief; a profile's
name, headline, skills, place and the rest of its text) are each reduced to ``domain.search.terms``
joined by spaces: both databases then split the same words the query side does (accents off, case
folded), whatever their own tokenizers would do.

``search_words``, the words misspellings widen to, takes only the words of what anyone signed in may
see (published open-market jobs, public available profiles), so a suggested spelling never tells of a
draft, an internal job or a private profile.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Select, Table, TextClause, bindparam, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from microcareer.domain.marketplace.jobs import Audience, JobState, MicroJob
from microcareer.domain.profiles.profile import Visibility
from microcareer.domain.search import terms
from microcareer.store.tables.accounts import UserRow
from microcareer.store.tables.marketplace import MicroJobRow, MicroJobSkillRow
from microcareer.store.tables.profiles import ExperienceRow, ProfileRow, ProfileSkillRow
from microcareer.store.tables.search import SearchWordRow
from microcareer.store.tables.taxonomy import SkillRow

WORD_MIN = 3
"""Shorter words are never widened to (``domain.search.typo_allowance``), so never listed."""


def normalised(value: str) -> str:
    return " ".join(terms(value))


INDEXES = {
    "jobs": ("job_id", ("title", "skills", "place", "brief")),
    "profiles": ("user_id", ("name", "headline", "skills", "place", "body")),
}
"""Each index's id column on PostgreSQL (the rowid on SQLite) and its fields, in weight order."""
WEIGHTS = "ABCDD"


def write_document(
    connection: Connection, index: str, row_id: int, fields: Mapping[str, str], *, public: bool
) -> None:
    """Replace row ``row_id``'s document in ``search_index_<index>``, listing its words when
    ``public`` (any dialect; the migration's backfill uses it too)."""
    _, names = INDEXES[index]
    values = {name: normalised(fields.get(name, "")) for name in names}
    for statement in _document_statements(connection.dialect.name, index):
        connection.execute(statement, {"id": row_id, **values})
    if public:
        add_words(connection, (w for v in values.values() for w in v.split()))


@functools.cache
def _document_statements(dialect: str, index: str) -> tuple[TextClause, ...]:
    """The statements that replace a document of ``index``, made once per dialect and index (a
    ``text()`` parses its SQL for bound parameters each time it is made: issue 17)."""
    id_column, names = INDEXES[index]
    table = f"search_index_{index}"
    if dialect == "sqlite":
        # S608: the table and column names are INDEXES' constants; every value is a bound parameter
        columns = ", ".join(names)
        params = ", ".join(f":{n}" for n in names)
        return (
            text(f"DELETE FROM {table} WHERE rowid = :id"),  # noqa: S608
            text(f"INSERT INTO {table} (rowid, {columns}) VALUES (:id, {params})"),  # noqa: S608
        )
    vector = " || ".join(
        f"setweight(to_tsvector('simple', :{n}), '{WEIGHTS[i]}')" for i, n in enumerate(names)
    )
    return (
        text(
            f"INSERT INTO {table} ({id_column}, document) VALUES (:id, {vector}) "  # noqa: S608
            f"ON CONFLICT ({id_column}) DO UPDATE SET document = excluded.document"
        ),
    )


def add_words(connection: Connection, words: Iterable[str]) -> None:
    rows = [{"word": w} for w in sorted({w for w in words if len(w) >= WORD_MIN})]
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(insert(SearchWordRow).prefix_with("OR IGNORE"), rows)
    else:
        connection.execute(postgresql.insert(SearchWordRow).on_conflict_do_nothing(), rows)


_SKILLS: Table = SkillRow.__table__  # type: ignore[assignment]  # a mapped class's table
_JOB_SKILLS: Table = MicroJobSkillRow.__table__  # type: ignore[assignment]
_JOB_LABELS = (
    select(_SKILLS.c.preferred_label)
    .where(
        _SKILLS.c.uri.in_(select(_JOB_SKILLS.c.skill_uri).where(_JOB_SKILLS.c.job_id == bindparam("job_id")))
    )
    .order_by(_SKILLS.c.preferred_label)
)
"""A job's skills' preferred labels: built once, on the tables (a job is indexed at every write)."""


def _labels(session: Session, uris: Select[Any]) -> str:
    query = select(SkillRow.preferred_label).where(SkillRow.uri.in_(uris)).order_by(SkillRow.preferred_label)
    return " ".join(session.scalars(query))


def index_job(session: Session, job_id: int, job: MicroJob | None = None) -> None:
    """Rewrite the document of a job just written in ``session`` (flushed); ``job``: the job as just
    written, not read again (its skills' labels are)."""
    if job is None:
        row = session.get(MicroJobRow, job_id)
        if row is None:
            return
        title, place, brief, audience, state = row.title, row.place, row.brief, row.audience, row.state
    else:
        title, place, brief = job.title, job.place, job.brief
        audience, state = job.audience.value, job.state.value
    labels = session.connection().execute(_JOB_LABELS, {"job_id": job_id}).scalars()
    skills = " ".join(labels)
    fields = {"title": title, "skills": skills, "place": place, "brief": brief}
    public = audience == Audience.OPEN.value and state != JobState.DRAFT.value
    write_document(session.connection(), "jobs", job_id, fields, public=public)


def profile_place(location: Mapping[str, str]) -> str:
    return " ".join(str(location.get(k) or "") for k in ("city", "region", "country_code"))


def index_profile(session: Session, user_id: int) -> None:
    """Rewrite the document of a profile just written in ``session`` (flushed)."""
    row = session.get(ProfileRow, user_id)
    user = session.get(UserRow, user_id)
    if row is None or user is None:
        return
    skills = _labels(session, select(ProfileSkillRow.skill_uri).where(ProfileSkillRow.user_id == user_id))
    experiences = session.scalars(select(ExperienceRow).where(ExperienceRow.user_id == user_id)).all()
    body = " ".join([row.summary, *(f"{e.title} {e.organisation}" for e in experiences)])
    fields = {
        "name": user.display_name,
        "headline": row.headline,
        "skills": skills,
        "place": profile_place(row.location),
        "body": body,
    }
    public = row.visibility == Visibility.PUBLIC.value and row.available
    write_document(session.connection(), "profiles", user_id, fields, public=public)
