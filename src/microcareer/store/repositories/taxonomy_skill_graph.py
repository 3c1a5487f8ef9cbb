"""A skill's neighbourhood: broader chains, narrower skills and related skills, as the actor may see them.

Relations of a ``LinkedSkill``, read from the skill being shown:

- ``essential`` / ``optional``: ESCO says the linked skill is essential / optional for this one;
- ``essential_for`` / ``optional_for``: ESCO says this skill is essential / optional for the linked one;
- ``related``: an organisation linked the two as related.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session, aliased

from microcareer.domain.taxonomy.concepts import LinkedSkill, OrgLinkRelation, SkillRef
from microcareer.domain.taxonomy.hierarchy import broader_chains
from microcareer.store.repositories.taxonomy_rows import skill_ref
from microcareer.store.tables.taxonomy import (
    OccupationRow,
    OccupationSkillRow,
    OrgSkillLinkRow,
    SkillBroaderRow,
    SkillRelationRow,
    SkillRow,
)

MAX_DEPTH = 16
RELATION_ORDER = {"essential": 0, "optional": 1, "essential_for": 2, "optional_for": 3, "related": 4}


def _refs_by_label(rows: Iterable[SkillRow]) -> tuple[SkillRef, ...]:
    unique = {row.uri: row for row in rows}
    return tuple(
        skill_ref(row) for row in sorted(unique.values(), key=lambda r: r.preferred_label.casefold())
    )


class SkillGraphReader:
    """Reads around one skill with a few set-based queries (one per hierarchy level for chains)."""

    def __init__(self, session: Session, visible_orgs: frozenset[int] | None) -> None:
        self.session = session
        self.visible_orgs = visible_orgs

    def _visible(self) -> ColumnElement[bool]:
        if self.visible_orgs is None:
            return true()
        return SkillRow.organisation_id.is_(None) | SkillRow.organisation_id.in_(self.visible_orgs)

    def broader_chains(self, skill_id: int) -> tuple[tuple[SkillRef, ...], ...]:
        """Every chain from a top concept down to the skill's direct broader (top first)."""
        parents: dict[int, list[int]] = {}
        frontier, seen = {skill_id}, {skill_id}
        for _ in range(MAX_DEPTH):
            if not frontier:
                break
            esco = select(SkillBroaderRow.skill_id, SkillBroaderRow.broader_id).where(
                SkillBroaderRow.skill_id.in_(frontier)
            )
            org = (
                select(OrgSkillLinkRow.skill_id, SkillRow.id)
                .join(SkillRow, SkillRow.uri == OrgSkillLinkRow.target_uri)
                .where(OrgSkillLinkRow.skill_id.in_(frontier))
                .where(OrgSkillLinkRow.relation == OrgLinkRelation.NARROWER.value, self._visible())
            )
            frontier = set()
            for child, parent in [*self.session.execute(esco), *self.session.execute(org)]:
                parents.setdefault(child, []).append(parent)
                if parent not in seen:
                    seen.add(parent)
                    frontier.add(parent)
        for ups in parents.values():
            ups.sort()
        chains = broader_chains(skill_id, parents)
        ids = {node for chain in chains for node in chain}
        if not ids:
            return ()
        refs = {
            row.id: skill_ref(row)
            for row in self.session.scalars(select(SkillRow).where(SkillRow.id.in_(ids)))
        }
        return tuple(tuple(refs[node] for node in chain) for chain in chains)

    def narrower(self, skill_id: int, uri: str) -> tuple[SkillRef, ...]:
        esco = self.session.scalars(
            select(SkillRow)
            .join(SkillBroaderRow, SkillBroaderRow.skill_id == SkillRow.id)
            .where(SkillBroaderRow.broader_id == skill_id)
        ).all()
        org = self.session.scalars(
            select(SkillRow)
            .join(OrgSkillLinkRow, OrgSkillLinkRow.skill_id == SkillRow.id)
            .where(OrgSkillLinkRow.target_uri == uri)
            .where(OrgSkillLinkRow.relation == OrgLinkRelation.NARROWER.value, self._visible())
        ).all()
        return _refs_by_label([*esco, *org])

    def related(self, skill_id: int, uri: str) -> tuple[LinkedSkill, ...]:
        found: list[tuple[str, SkillRow]] = []
        needs = (
            select(SkillRelationRow.relation_type, SkillRow)
            .join(SkillRow, SkillRow.id == SkillRelationRow.related_id)
            .where(SkillRelationRow.skill_id == skill_id)
        )
        found += [(relation, row) for relation, row in self._pairs(needs)]
        needed_by = (
            select(SkillRelationRow.relation_type, SkillRow)
            .join(SkillRow, SkillRow.id == SkillRelationRow.skill_id)
            .where(SkillRelationRow.related_id == skill_id)
        )
        found += [(f"{relation}_for", row) for relation, row in self._pairs(needed_by)]
        related = OrgLinkRelation.RELATED.value
        linked_here = (
            select(OrgSkillLinkRow.relation, SkillRow)
            .join(SkillRow, SkillRow.id == OrgSkillLinkRow.skill_id)
            .where(OrgSkillLinkRow.target_uri == uri, OrgSkillLinkRow.relation == related, self._visible())
        )
        linked_from_here = (
            select(OrgSkillLinkRow.relation, SkillRow)
            .join(SkillRow, SkillRow.uri == OrgSkillLinkRow.target_uri)
            .where(OrgSkillLinkRow.skill_id == skill_id, OrgSkillLinkRow.relation == related, self._visible())
        )
        found += self._pairs(linked_here) + self._pairs(linked_from_here)
        unique = {(relation, row.uri): (relation, row) for relation, row in found}
        ordered = sorted(
            unique.values(),
            key=lambda pair: (RELATION_ORDER.get(pair[0], 9), pair[1].preferred_label.casefold()),
        )
        return tuple(LinkedSkill(skill=skill_ref(row), relation=relation) for relation, row in ordered)

    def _pairs(self, statement: Any) -> list[tuple[str, SkillRow]]:
        return [(str(relation), row) for relation, row in self.session.execute(statement)]


def skill_broader_rows(session: Session) -> Iterator[tuple[str, str]]:
    """(uri, broader uri) for every edge of the skill hierarchy, in a stable order."""
    narrower, wider = aliased(SkillRow), aliased(SkillRow)
    hierarchy = (
        select(narrower.uri, wider.uri)
        .join(SkillBroaderRow, SkillBroaderRow.skill_id == narrower.id)
        .join(wider, wider.id == SkillBroaderRow.broader_id)
        .order_by(narrower.uri, wider.uri)
    )
    for uri, other in session.execute(hierarchy):
        yield str(uri), str(other)


def whole_graph_rows(session: Session) -> Iterator[tuple[str, str, str]]:
    """(uri, other uri, link) for every edge of the skill graph, in a stable order.

    ``broader``: other is broader than uri (ESCO's hierarchy, and organisation skills linked as
    narrower); ``essential`` / ``optional``: ESCO's skill→skill relations; ``related``: an
    organisation's link.
    """
    for uri, other in skill_broader_rows(session):
        yield uri, other, "broader"
    source, target = aliased(SkillRow), aliased(SkillRow)
    relations = (
        select(source.uri, target.uri, SkillRelationRow.relation_type)
        .join(SkillRelationRow, SkillRelationRow.skill_id == source.id)
        .join(target, target.id == SkillRelationRow.related_id)
        .order_by(source.uri, target.uri)
    )
    for uri, other, relation in session.execute(relations):
        yield uri, other, str(relation)
    links = (
        select(SkillRow.uri, OrgSkillLinkRow.target_uri, OrgSkillLinkRow.relation)
        .join(SkillRow, SkillRow.id == OrgSkillLinkRow.skill_id)
        .order_by(SkillRow.uri, OrgSkillLinkRow.target_uri)
    )
    for uri, other, relation in session.execute(links):
        yield uri, other, "broader" if relation == OrgLinkRelation.NARROWER.value else "related"


def occupation_skill_rows(session: Session) -> Iterator[tuple[str, str, bool]]:
    """(occupation uri, skill uri, essential) for every occupation→skill relation."""
    statement = (
        select(OccupationRow.uri, SkillRow.uri, OccupationSkillRow.relation_type)
        .join(OccupationSkillRow, OccupationSkillRow.occupation_id == OccupationRow.id)
        .join(SkillRow, SkillRow.id == OccupationSkillRow.skill_id)
        .order_by(OccupationRow.uri, SkillRow.uri)
    )
    for occupation, skill, relation in session.execute(statement):
        yield occupation, skill, relation == "essential"
