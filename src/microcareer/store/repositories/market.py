"""``SqlAlchemyMarketRepository``: postings and their skills, and the grouped counts of demand and trends.

Every count is one ``GROUP BY`` in the database (the same SQL on SQLite and PostgreSQL): postings are
never loaded to be counted. Near-duplicate re-posts (``duplicate_of`` set) never count. Counts by skill
read the skill rows alone: each carries its posting's month, date, place, occupation and pay (written
with it; skills are stored only on originals), so they never join the postings, whose rows hold the
text (on SQLite that join was the cost of demand and trends: docs/market.md, "Measured").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TypeVarTuple

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session, aliased

from microcareer.domain.market.records import EXPORT_TABLES, MarketFilter, NewPosting, PlaceCount
from microcareer.store.tables.market import MarketPostingRow, MarketPostingSkillRow

_CHUNK = 500


_Ts = TypeVarTuple("_Ts")


def _where(query: Select[*_Ts], selection: MarketFilter) -> Select[*_Ts]:
    query = query.where(MarketPostingRow.duplicate_of.is_(None))
    if selection.start is not None:
        query = query.where(MarketPostingRow.posted_on >= selection.start)
    if selection.end is not None:
        query = query.where(MarketPostingRow.posted_on <= selection.end)
    if selection.place_key:
        query = query.where(MarketPostingRow.place_key == selection.place_key)
    if selection.occupation_uri:
        query = query.where(MarketPostingRow.occupation_uri == selection.occupation_uri)
    return query


def _skill_where(query: Select[*_Ts], selection: MarketFilter) -> Select[*_Ts]:
    """The selection on the skill rows' own copy of their posting's facts (originals only have skills)."""
    skill = MarketPostingSkillRow
    if selection.start is not None:
        query = query.where(skill.posted_on >= selection.start)
    if selection.end is not None:
        query = query.where(skill.posted_on <= selection.end)
    if selection.place_key:
        query = query.where(skill.place_key == selection.place_key)
    if selection.occupation_uri:
        query = query.where(skill.occupation_uri == selection.occupation_uri)
    return query


def _keep(selection: MarketFilter, uri: str) -> bool:
    return selection.skills is None or uri in selection.skills


class SqlAlchemyMarketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known_ids(self, source: str, external_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(dict.fromkeys(external_ids))
        for at in range(0, len(ids), _CHUNK):
            query = select(MarketPostingRow.external_id).where(
                MarketPostingRow.source == source, MarketPostingRow.external_id.in_(ids[at : at + _CHUNK])
            )
            found.update(self.session.scalars(query))
        return found

    def known_hashes(self, hashes: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        keys = list(dict.fromkeys(hashes))
        for at in range(0, len(keys), _CHUNK):
            query = select(MarketPostingRow.content_hash, func.min(MarketPostingRow.id)).where(
                MarketPostingRow.content_hash.in_(keys[at : at + _CHUNK])
            )
            for key, row_id in self.session.execute(query.group_by(MarketPostingRow.content_hash)):
                found[str(key)] = int(row_id)
        return found

    def signatures_between(self, start: date, end: date) -> Iterator[tuple[int, bytes]]:
        query = select(MarketPostingRow.id, MarketPostingRow.signature).where(
            MarketPostingRow.duplicate_of.is_(None),
            MarketPostingRow.posted_on >= start,
            MarketPostingRow.posted_on <= end,
        )
        for row_id, signature in self.session.execute(query.execution_options(yield_per=2_000)):
            yield int(row_id), bytes(signature)

    def add_postings(self, postings: Sequence[NewPosting]) -> list[int]:
        rows = [
            MarketPostingRow(
                source=posting.source,
                external_id=posting.external_id,
                content_hash=posting.content_hash,
                title=posting.title,
                text=posting.text,
                posted_on=posting.posted_on,
                month=posting.month,
                place=posting.place,
                place_key=posting.place_key,
                organisation=posting.organisation,
                pay=posting.pay,
                occupation_uri=posting.occupation_uri,
                signature=posting.signature,
                duplicate_of=posting.duplicate_of,
            )
            for posting in postings
        ]
        self.session.add_all(rows)
        self.session.flush()  # one multi-row INSERT ... RETURNING id for the lot
        ids = [row.id for row in rows]
        skills = [
            {
                "posting_id": row_id,
                "skill_uri": uri,
                "confidence": confidence,
                "month": posting.month,
                "posted_on": posting.posted_on,
                "place_key": posting.place_key,
                "occupation_uri": posting.occupation_uri,
                "pay": posting.pay,
            }
            for row_id, posting in zip(ids, postings, strict=True)
            if posting.duplicate_of is None  # a re-post never counts
            for uri, confidence in posting.skills
        ]
        if skills:
            self.session.execute(insert(MarketPostingSkillRow), skills)
        return ids

    def posting_count(self, selection: MarketFilter) -> int:
        return int(self.session.scalar(_where(select(func.count(MarketPostingRow.id)), selection)) or 0)

    def month_totals(self, selection: MarketFilter) -> dict[str, int]:
        query = _where(select(MarketPostingRow.month, func.count(MarketPostingRow.id)), selection)
        return {str(m): int(n) for m, n in self.session.execute(query.group_by(MarketPostingRow.month))}

    def skill_counts(self, selection: MarketFilter) -> dict[str, int]:
        skill = MarketPostingSkillRow
        query = _skill_where(select(skill.skill_uri, func.count()), selection)
        rows = self.session.execute(query.group_by(skill.skill_uri))
        return {str(uri): int(n) for uri, n in rows if _keep(selection, str(uri))}

    def skill_month_counts(
        self, selection: MarketFilter, uris: Sequence[str] | None = None
    ) -> dict[str, dict[str, int]]:
        skill = MarketPostingSkillRow
        query = _skill_where(select(skill.skill_uri, skill.month, func.count()), selection)
        if uris is not None:
            query = query.where(skill.skill_uri.in_(list(uris)))
        out: dict[str, dict[str, int]] = {}
        for uri, month, n in self.session.execute(query.group_by(skill.skill_uri, skill.month)):
            if _keep(selection, str(uri)):
                out.setdefault(str(uri), {})[str(month)] = int(n)
        return out

    def together(self, selection: MarketFilter, uri: str) -> dict[str, int]:
        other = aliased(MarketPostingSkillRow)
        query = _skill_where(
            select(other.skill_uri, func.count())
            .select_from(MarketPostingSkillRow)
            .join(other, other.posting_id == MarketPostingSkillRow.posting_id),
            selection,
        ).where(MarketPostingSkillRow.skill_uri == uri, other.skill_uri != uri)
        rows = self.session.execute(query.group_by(other.skill_uri))
        return {str(u): int(n) for u, n in rows if _keep(selection, str(u))}

    def pay(self, selection: MarketFilter) -> tuple[int, float]:
        query = _where(
            select(func.count(MarketPostingRow.pay), func.avg(MarketPostingRow.pay)), selection
        ).where(MarketPostingRow.pay.is_not(None))
        count, mean = self.session.execute(query).one()
        return int(count or 0), float(mean or 0.0)

    def pay_by_skill(self, selection: MarketFilter) -> dict[str, tuple[int, float]]:
        skill = MarketPostingSkillRow
        query = _skill_where(
            select(skill.skill_uri, func.count(skill.pay), func.avg(skill.pay)), selection
        ).where(skill.pay.is_not(None))
        rows = self.session.execute(query.group_by(skill.skill_uri))
        return {str(u): (int(n), float(m)) for u, n, m in rows if _keep(selection, str(u))}

    def occupation_counts(self, selection: MarketFilter) -> dict[str, int]:
        query = _where(
            select(MarketPostingRow.occupation_uri, func.count(MarketPostingRow.id)), selection
        ).where(MarketPostingRow.occupation_uri.is_not(None))
        rows = self.session.execute(query.group_by(MarketPostingRow.occupation_uri))
        return {str(u): int(n) for u, n in rows}

    def places(self) -> list[PlaceCount]:
        query = (
            select(
                MarketPostingRow.place_key, func.min(MarketPostingRow.place), func.count(MarketPostingRow.id)
            )
            .where(MarketPostingRow.duplicate_of.is_(None), MarketPostingRow.place_key != "")
            .group_by(MarketPostingRow.place_key)
        )
        out = [PlaceCount(str(place), str(key), int(n)) for key, place, n in self.session.execute(query)]
        out.sort(key=lambda p: (-p.postings, p.key))
        return out

    def table_rows(self, table: str) -> Iterator[dict[str, object]]:
        if table not in EXPORT_TABLES:
            raise ValueError(f"no market table {table!r}")
        if table == "postings":
            columns = [c for c in MarketPostingRow.__table__.columns if c.name != "signature"]
            ordered = select(*columns).order_by(MarketPostingRow.id)
        else:
            kept = ("posting_id", "skill_uri", "confidence")  # the posting's facts are in `postings`
            columns = [c for c in MarketPostingSkillRow.__table__.columns if c.name in kept]
            ordered = select(*columns).order_by(
                MarketPostingSkillRow.posting_id, MarketPostingSkillRow.skill_uri
            )
        for row in self.session.execute(ordered.execution_options(yield_per=5_000)):
            yield dict(row._mapping)
