"""``SqlAlchemyTaxonomyRepository``: look-ups on the skills graph, organisation skills, label rows.

Loading a whole taxonomy lives in ``taxonomy_load``; this module reads the graph and adds an
organisation's own skills. Each look-up costs a fixed handful of queries, whatever the graph's size.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from microcareer.domain.progress import Progress
from microcareer.domain.taxonomy.concepts import (
    IscoGroup,
    Occupation,
    OccupationDetail,
    OccupationRef,
    OrgLinkRelation,
    Skill,
    SkillDetail,
    SkillRef,
    TaxonomyBundle,
    TaxonomyCounts,
    TaxonomyInfo,
)
from microcareer.store.repositories import taxonomy_load
from microcareer.store.repositories.taxonomy_rows import (
    concept_type,
    occupation_from_row,
    occupation_labels,
    skill_from_row,
    skill_labels,
    skill_ref,
)
from microcareer.store.repositories.taxonomy_skill_graph import (
    SkillGraphReader,
    occupation_skill_rows,
    skill_broader_rows,
    whole_graph_rows,
)
from microcareer.store.tables.taxonomy import (
    IscoGroupRow,
    OccupationBroaderRow,
    OccupationLabelRow,
    OccupationRow,
    OccupationSkillRow,
    OrgSkillLinkRow,
    SkillLabelRow,
    SkillRow,
)

LabelRow = tuple[str, str, str, int | None]
ESCO = "http://data.europa.eu/esco/"
SKILL_NAMESPACES = (ESCO + "skill/", ESCO + "isced-f/")
OCCUPATION_NAMESPACES = (ESCO + "occupation/", ESCO + "isco/")
_CHUNK = 500
"""Values in one ``IN`` list (well within SQLite's variable limit)."""
_SKILLS: Table = SkillRow.__table__  # type: ignore[assignment]  # a mapped class's table
_SKILL_REFS = select(
    _SKILLS.c.uri,
    _SKILLS.c.preferred_label,
    _SKILLS.c.concept_type,
    _SKILLS.c.skill_type,
    _SKILLS.c.organisation_id,
).where(_SKILLS.c.uri.in_(bindparam("uris", expanding=True)))
"""The five columns of a skill reference for a list of URIs: built once (its cache key with it) and run
on the table, not through the ORM's execution path (issue 17)."""


def org_skill_uri(organisation_id: int) -> str:
    return f"urn:microcareer:org:{organisation_id}:skill:{uuid.uuid4()}"


class SqlAlchemyTaxonomyRepository:
    """The skills graph on one session (one unit of work)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the whole taxonomy (import helper's module) ---------------------------------------------
    def info(self) -> TaxonomyInfo:
        return taxonomy_load.taxonomy_info(self.session)

    def revision(self) -> int:
        return taxonomy_load.taxonomy_revision(self.session)

    def revision_id(self) -> str:
        return taxonomy_load.taxonomy_revision_id(self.session)

    def replace_esco(self, bundle: TaxonomyBundle, progress: Progress) -> TaxonomyCounts:
        return taxonomy_load.replace_esco(self.session, bundle, progress)

    # -- skills ----------------------------------------------------------------------------------
    def get_skill(self, uri: str) -> Skill | None:
        row = self.session.scalar(select(SkillRow).where(SkillRow.uri == uri))
        if row is None:
            return None
        return skill_from_row(row, *skill_labels(self.session, row.id))

    def skill_uri_for_key(self, key: str) -> str | None:
        """The URI whose last segment (after ``/`` or ``:``) is ``key``."""
        return self._uri_for_key(SkillRow.uri, key, SKILL_NAMESPACES)

    def skill_refs(self, uris: Sequence[str]) -> dict[str, SkillRef]:
        if not uris:
            return {}
        # the five columns a reference needs, not whole ORM rows (descriptions, scope notes): the profile
        # read, the skills search and every job write ask for these (issue 17); in chunks of _CHUNK
        # (a matching page asks for many); one statement built once, on the table (``_SKILL_REFS``)
        wanted = sorted(set(uris))
        found: dict[str, SkillRef] = {}
        for at in range(0, len(wanted), _CHUNK):
            chunk = {"uris": wanted[at : at + _CHUNK]}
            found.update(
                (
                    uri,
                    SkillRef(
                        uri=uri,
                        preferred_label=label,
                        concept_type=concept_type(kind),
                        skill_type=skill_type,
                        organisation_id=organisation_id,
                    ),
                )
                for uri, label, kind, skill_type, organisation_id in self.session.connection().execute(
                    _SKILL_REFS, chunk
                )
            )
        return found

    def skill_detail(self, uri: str, *, visible_orgs: frozenset[int] | None) -> SkillDetail | None:
        skill = self.get_skill(uri)
        if skill is None:
            return None
        row_id = self.session.scalar(select(SkillRow.id).where(SkillRow.uri == uri))
        assert row_id is not None
        graph = SkillGraphReader(self.session, visible_orgs)
        counts = dict(
            self.session.execute(
                select(OccupationSkillRow.relation_type, func.count())
                .where(OccupationSkillRow.skill_id == row_id)
                .group_by(OccupationSkillRow.relation_type)
            ).all()
        )
        return SkillDetail(
            skill=skill,
            broader_chain=graph.broader_chains(row_id),
            narrower=graph.narrower(row_id, uri),
            related=graph.related(row_id, uri),
            occupations_essential=int(counts.get("essential", 0)),
            occupations_optional=int(counts.get("optional", 0)),
        )

    def skill_label_rows(self) -> Iterator[LabelRow]:
        """(uri, label, kind, organisation_id) for every label of every skill, for the search index."""
        preferred = select(SkillRow.uri, SkillRow.preferred_label, SkillRow.organisation_id)
        for uri, label, org in self.session.execute(preferred):
            yield uri, label, "preferred", org
        others = (
            select(SkillRow.uri, SkillLabelRow.label, SkillLabelRow.kind, SkillRow.organisation_id)
            .join(SkillRow, SkillRow.id == SkillLabelRow.skill_id)
            .where(SkillLabelRow.kind != "preferred")
        )
        for uri, label, kind, org in self.session.execute(others):
            yield uri, label, kind, org

    def extraction_label_rows(self) -> Iterator[LabelRow]:
        """(uri, label, kind, organisation_id) for every label of every skill that is not a group."""
        concrete = SkillRow.concept_type != "SkillGroup"
        preferred = select(SkillRow.uri, SkillRow.preferred_label, SkillRow.organisation_id).where(concrete)
        for uri, label, org in self.session.execute(preferred):
            yield uri, label, "preferred", org
        others = (
            select(SkillRow.uri, SkillLabelRow.label, SkillLabelRow.kind, SkillRow.organisation_id)
            .join(SkillRow, SkillRow.id == SkillLabelRow.skill_id)
            .where(SkillLabelRow.kind != "preferred", concrete)
        )
        for uri, label, kind, org in self.session.execute(others):
            yield uri, label, kind, org

    def ranking_skill_rows(self) -> Iterator[tuple[str, str | None, str | None, str]]:
        """(uri, skill type, reuse level, description) of every skill that is not a group."""
        query = select(SkillRow.uri, SkillRow.skill_type, SkillRow.reuse_level, SkillRow.description).where(
            SkillRow.concept_type != "SkillGroup"
        )
        for uri, skill_type, reuse_level, description in self.session.execute(query):
            yield uri, skill_type, reuse_level, description or ""

    def skill_graph_rows(self) -> Iterator[tuple[str, str, str]]:
        return whole_graph_rows(self.session)

    def occupation_skill_rows(self) -> Iterator[tuple[str, str, bool]]:
        return occupation_skill_rows(self.session)

    def skill_broader_rows(self) -> Iterator[tuple[str, str]]:
        return skill_broader_rows(self.session)

    def add_org_skill(
        self,
        skill: Skill,
        links: Iterable[tuple[str, OrgLinkRelation]],
        *,
        created_by: int | None,
        created_at: datetime,
    ) -> Skill:
        """Store an organisation's skill under a new URI, with its labels and links by target URI."""
        if skill.organisation_id is None:
            raise ValueError("an organisation skill needs its organisation_id")
        uri = org_skill_uri(skill.organisation_id)
        row = SkillRow(
            uri=uri,
            concept_type=skill.concept_type.value,
            preferred_label=skill.preferred_label,
            skill_type=skill.skill_type,
            reuse_level=skill.reuse_level,
            description=skill.description,
            definition=skill.definition,
            scope_note=skill.scope_note,
            organisation_id=skill.organisation_id,
            created_by=created_by,
            created_at=created_at,
        )
        self.session.add(row)
        self.session.flush()
        labels = [("preferred", skill.preferred_label)]
        labels += [("alt", label) for label in skill.alt_labels]
        labels += [("hidden", label) for label in skill.hidden_labels]
        self.session.add_all(SkillLabelRow(skill_id=row.id, kind=k, label=v) for k, v in labels)
        unique_links = dict(links)
        self.session.add_all(
            OrgSkillLinkRow(skill_id=row.id, target_uri=target, relation=relation.value)
            for target, relation in unique_links.items()
        )
        self.session.flush()
        taxonomy_load.bump_revision(self.session)
        return skill_from_row(row, tuple(skill.alt_labels), tuple(skill.hidden_labels), ())

    # -- occupations -----------------------------------------------------------------------------
    def get_occupation(self, uri: str) -> Occupation | None:
        row = self.session.scalar(select(OccupationRow).where(OccupationRow.uri == uri))
        if row is None:
            return None
        return occupation_from_row(row, *occupation_labels(self.session, row.id))

    def occupation_uri_for_key(self, key: str) -> str | None:
        return self._uri_for_key(OccupationRow.uri, key, OCCUPATION_NAMESPACES)

    def occupation_refs(self, uris: Sequence[str]) -> dict[str, OccupationRef]:
        if not uris:
            return {}
        wanted = set(uris)
        refs = {
            uri: OccupationRef(uri=uri, preferred_label=label, code=code)
            for uri, label, code in self.session.execute(
                select(OccupationRow.uri, OccupationRow.preferred_label, OccupationRow.code).where(
                    OccupationRow.uri.in_(wanted)
                )
            )
        }
        isco = select(IscoGroupRow.uri, IscoGroupRow.preferred_label, IscoGroupRow.code).where(
            IscoGroupRow.uri.in_(wanted - set(refs))
        )
        for uri, label, code in self.session.execute(isco):
            refs[uri] = OccupationRef(uri=uri, preferred_label=label, code=code)
        return refs

    def occupation_detail(self, uri: str) -> OccupationDetail | None:
        row = self.session.scalar(select(OccupationRow).where(OccupationRow.uri == uri))
        if row is None:
            return None
        occupation = occupation_from_row(row, *occupation_labels(self.session, row.id))
        isco: IscoGroup | None = None
        if row.isco_group:
            group = self.session.scalar(select(IscoGroupRow).where(IscoGroupRow.code == row.isco_group))
            if group is not None:
                isco = IscoGroup(group.uri, group.code, group.preferred_label, group.description)
        broader_uris = self.session.scalars(
            select(OccupationBroaderRow.broader_uri).where(OccupationBroaderRow.concept_uri == uri)
        ).all()
        refs = self.occupation_refs(broader_uris)
        broader = tuple(sorted(refs.values(), key=lambda ref: ref.preferred_label.casefold()))
        skills = self.session.execute(
            select(SkillRow, OccupationSkillRow.relation_type)
            .join(OccupationSkillRow, OccupationSkillRow.skill_id == SkillRow.id)
            .where(OccupationSkillRow.occupation_id == row.id)
        ).all()
        by_label = sorted(skills, key=lambda pair: pair[0].preferred_label.casefold())
        return OccupationDetail(
            occupation=occupation,
            isco_group=isco,
            broader=broader,
            essential_skills=tuple(skill_ref(s) for s, kind in by_label if kind == "essential"),
            optional_skills=tuple(skill_ref(s) for s, kind in by_label if kind == "optional"),
        )

    def occupation_label_rows(self) -> Iterator[LabelRow]:
        for uri, label in self.session.execute(select(OccupationRow.uri, OccupationRow.preferred_label)):
            yield uri, label, "preferred", None
        others = (
            select(OccupationRow.uri, OccupationLabelRow.label, OccupationLabelRow.kind)
            .join(OccupationRow, OccupationRow.id == OccupationLabelRow.occupation_id)
            .where(OccupationLabelRow.kind != "preferred")
        )
        for uri, label, kind in self.session.execute(others):
            yield uri, label, kind, None

    # -- shared ----------------------------------------------------------------------------------
    def _uri_for_key(
        self, column: InstrumentedAttribute[str], key: str, usual: tuple[str, ...]
    ) -> str | None:
        if not key:
            return None
        # The usual ESCO namespaces hit the unique index on uri; anything else needs a suffix scan.
        known = self.session.scalars(select(column).where(column.in_([p + key for p in usual]))).all()
        if len(known) == 1:
            return known[0]
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = or_(column.like("%/" + escaped, escape="\\"), column.like("%:" + escaped, escape="\\"))
        found = self.session.scalars(select(column).where(matches).limit(2)).all()
        return found[0] if len(found) == 1 else None  # an ambiguous key names nothing
