"""Replacing the stored ESCO taxonomy as a whole, and the facts about it (``taxonomy_meta``).

An import deletes every ESCO row and bulk-inserts the new bundle with Core ``insert()`` executemany
in chunks, inside the caller's transaction: the caller commits, or nothing changes. An organisation's
own skills (``organisation_id IS NOT NULL``) are left alone: they link to ESCO by URI.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from microcareer.domain.progress import Progress
from microcareer.domain.taxonomy.concepts import (
    Occupation,
    Skill,
    TaxonomyBundle,
    TaxonomyCounts,
    TaxonomyInfo,
)
from microcareer.store.tables.taxonomy import (
    IscoGroupRow,
    OccupationBroaderRow,
    OccupationLabelRow,
    OccupationRow,
    OccupationSkillRow,
    SkillBroaderRow,
    SkillCollectionRow,
    SkillLabelRow,
    SkillRelationRow,
    SkillRow,
    TaxonomyMetaRow,
)

CHUNK = 5000

Row = dict[str, Any]


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _insert(session: Session, table: Any, rows: Sequence[Row], progress: Progress, stage: str) -> int:
    progress.stage(stage, total=len(rows))
    for chunk in _chunks(rows, CHUNK):
        session.execute(insert(table), chunk)
        progress.advance(len(chunk))
    return len(rows)


def _delete_esco(session: Session) -> None:
    esco_skills = select(SkillRow.id).where(SkillRow.organisation_id.is_(None)).scalar_subquery()
    for child in (SkillLabelRow, SkillCollectionRow):
        session.execute(delete(child).where(child.skill_id.in_(esco_skills)))
    for link in (SkillBroaderRow, SkillRelationRow):
        other = SkillBroaderRow.broader_id if link is SkillBroaderRow else SkillRelationRow.related_id
        session.execute(delete(link).where(or_(link.skill_id.in_(esco_skills), other.in_(esco_skills))))
    for table in (OccupationSkillRow, OccupationLabelRow, OccupationBroaderRow):
        session.execute(delete(table))
    session.execute(delete(SkillRow).where(SkillRow.organisation_id.is_(None)))
    session.execute(delete(OccupationRow))
    session.execute(delete(IscoGroupRow))


def _skill_row(skill: Skill) -> Row:
    return {
        "uri": skill.uri,
        "concept_type": skill.concept_type.value,
        "preferred_label": skill.preferred_label,
        "skill_type": skill.skill_type,
        "reuse_level": skill.reuse_level,
        "code": skill.code,
        "status": skill.status,
        "description": skill.description,
        "definition": skill.definition,
        "scope_note": skill.scope_note,
        "organisation_id": None,
    }


def _occupation_row(occupation: Occupation) -> Row:
    return {
        "uri": occupation.uri,
        "code": occupation.code,
        "isco_group": occupation.isco_group,
        "preferred_label": occupation.preferred_label,
        "status": occupation.status,
        "description": occupation.description,
        "definition": occupation.definition,
        "scope_note": occupation.scope_note,
        "regulated_profession_note": occupation.regulated_profession_note,
    }


def _labels(
    owner: str, owner_id: int, preferred: str, alt: Iterable[str], hidden: Iterable[str]
) -> list[Row]:
    rows = [{owner: owner_id, "kind": "preferred", "label": preferred}]
    rows += [{owner: owner_id, "kind": "alt", "label": label} for label in alt]
    rows += [{owner: owner_id, "kind": "hidden", "label": label} for label in hidden]
    return rows


def replace_esco(session: Session, bundle: TaxonomyBundle, progress: Progress) -> TaxonomyCounts:
    """Swap the stored ESCO taxonomy for ``bundle`` (within the session's transaction)."""
    progress.stage("removing the previous taxonomy")
    _delete_esco(session)
    concepts = [*bundle.skill_groups, *bundle.skills]
    _insert(session, SkillRow.__table__, [_skill_row(s) for s in concepts], progress, "skills")
    skill_ids = _ids(session, select(SkillRow.uri, SkillRow.id).where(SkillRow.organisation_id.is_(None)))
    labels: list[Row] = []
    collections: list[Row] = []
    for skill in concepts:
        sid = skill_ids[skill.uri]
        labels += _labels("skill_id", sid, skill.preferred_label, skill.alt_labels, skill.hidden_labels)
        collections += [{"skill_id": sid, "collection": name} for name in skill.collections]
    label_count = _insert(session, SkillLabelRow.__table__, labels, progress, "skill labels")
    _insert(session, SkillCollectionRow.__table__, collections, progress, "skill collections")
    broader = [
        {"skill_id": skill_ids[b.uri], "broader_id": skill_ids[b.broader_uri]} for b in bundle.skill_broader
    ]
    _insert(session, SkillBroaderRow.__table__, broader, progress, "skill hierarchy")
    relations = [
        {
            "skill_id": skill_ids[r.skill_uri],
            "related_id": skill_ids[r.related_uri],
            "relation_type": r.relation_type.value,
        }
        for r in bundle.skill_relations
    ]
    _insert(session, SkillRelationRow.__table__, relations, progress, "skill relations")

    isco = [
        {"uri": g.uri, "code": g.code, "preferred_label": g.preferred_label, "description": g.description}
        for g in bundle.isco_groups
    ]
    _insert(session, IscoGroupRow.__table__, isco, progress, "ISCO groups")
    occupations = [_occupation_row(o) for o in bundle.occupations]
    _insert(session, OccupationRow.__table__, occupations, progress, "occupations")
    occupation_ids = _ids(session, select(OccupationRow.uri, OccupationRow.id))
    occupation_labels: list[Row] = []
    for occupation in bundle.occupations:
        occupation_labels += _labels(
            "occupation_id",
            occupation_ids[occupation.uri],
            occupation.preferred_label,
            occupation.alt_labels,
            occupation.hidden_labels,
        )
    _insert(session, OccupationLabelRow.__table__, occupation_labels, progress, "occupation labels")
    occupation_broader = [
        {"concept_uri": b.uri, "broader_uri": b.broader_uri} for b in bundle.occupation_broader
    ]
    _insert(session, OccupationBroaderRow.__table__, occupation_broader, progress, "occupation hierarchy")
    occupation_skills = [
        {
            "occupation_id": occupation_ids[r.occupation_uri],
            "skill_id": skill_ids[r.skill_uri],
            "relation_type": r.relation_type.value,
        }
        for r in bundle.occupation_skills
    ]
    _insert(session, OccupationSkillRow.__table__, occupation_skills, progress, "occupation skills")

    progress.stage("recording the import")
    _set_meta(
        session,
        {
            "source": bundle.source,
            "version": bundle.version,
            "language": bundle.language,
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    bump_revision(session)
    session.flush()
    return TaxonomyCounts(
        skills=len(bundle.skills),
        skill_groups=len(bundle.skill_groups),
        labels=label_count,
        occupations=len(bundle.occupations),
        isco_groups=len(bundle.isco_groups),
        occupation_skills=len(occupation_skills),
        skill_relations=len(relations),
        skill_broader=len(broader),
        organisation_skills=_count(session, SkillRow.organisation_id.is_not(None)),
    )


# dict(result) would take a Result for a mapping (it has keys()): unpack the rows instead.
def _ids(session: Session, query: Select[str, int]) -> dict[str, int]:
    return {uri: row_id for uri, row_id in session.execute(query)}  # noqa: C416


def _meta(session: Session) -> dict[str, str]:
    rows = session.execute(select(TaxonomyMetaRow.key, TaxonomyMetaRow.value))
    return {key: value for key, value in rows}  # noqa: C416


def _set_meta(session: Session, values: dict[str, str]) -> None:
    session.execute(delete(TaxonomyMetaRow).where(TaxonomyMetaRow.key.in_(list(values))))
    session.execute(insert(TaxonomyMetaRow), [{"key": k, "value": v} for k, v in values.items()])


def taxonomy_revision(session: Session) -> int:
    """A number that changes whenever the graph does (imports, organisation skills): cache keys use it."""
    value = session.scalar(select(TaxonomyMetaRow.value).where(TaxonomyMetaRow.key == "revision"))
    return int(value) if value else 0


def bump_revision(session: Session) -> int:
    revision = taxonomy_revision(session) + 1
    _set_meta(session, {"revision": str(revision), "revision_id": uuid.uuid4().hex})
    return revision


def taxonomy_revision_id(session: Session) -> str:
    """Unique across databases too (a random part per change): names on-disk caches of the graph."""
    value = session.scalar(select(TaxonomyMetaRow.value).where(TaxonomyMetaRow.key == "revision_id"))
    return f"{taxonomy_revision(session)}-{value or 'none'}"


def _count(session: Session, *where: Any, table: Any = SkillRow) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def taxonomy_info(session: Session) -> TaxonomyInfo:
    """Where the stored taxonomy came from, and how much of it there is."""
    meta = _meta(session)
    esco = SkillRow.organisation_id.is_(None)
    counts = TaxonomyCounts(
        skills=_count(session, esco, SkillRow.concept_type != "SkillGroup"),
        skill_groups=_count(session, esco, SkillRow.concept_type == "SkillGroup"),
        labels=_count(session, table=SkillLabelRow),
        occupations=_count(session, table=OccupationRow),
        isco_groups=_count(session, table=IscoGroupRow),
        occupation_skills=_count(session, table=OccupationSkillRow),
        skill_relations=_count(session, table=SkillRelationRow),
        skill_broader=_count(session, table=SkillBroaderRow),
        organisation_skills=_count(session, SkillRow.organisation_id.is_not(None)),
    )
    return TaxonomyInfo(
        source=meta.get("source"),
        version=meta.get("version"),
        language=meta.get("language"),
        imported_at=meta.get("imported_at"),
        revision=int(meta.get("revision", "0")),
        counts=counts,
    )
