"""Importing ESCO CSVs into the store: counts, labels, relations, and what an import must not lose."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import DataFileError
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy, taxonomy_info
from microcareer.store.tables.taxonomy import (
    OccupationRow,
    OccupationSkillRow,
    OrgSkillLinkRow,
    SkillCollectionRow,
    SkillLabelRow,
    SkillRow,
)
from microcareer.store.unit_of_work import SqlAlchemyUnitOfWork

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
SYSTEM = Actor.system()


def _session_uow(platform: Platform) -> SqlAlchemyUnitOfWork:
    uow = platform.uow()
    assert isinstance(uow, SqlAlchemyUnitOfWork)
    return uow


def _add_org_skill(platform: Platform) -> None:
    with _session_uow(platform) as uow:
        from microcareer.store.tables.accounts import OrganisationRow

        now = datetime.now(UTC)
        org = OrganisationRow(slug="acme", name="Acme", created_at=now)
        uow.session.add(org)
        uow.session.flush()
        skill = SkillRow(
            uri="urn:microcareer:org:acme:skill:internal-python",
            concept_type="KnowledgeSkillCompetence",
            preferred_label="Acme's internal Python framework",
            organisation_id=org.id,
            created_at=now,
        )
        uow.session.add(skill)
        uow.session.flush()
        uow.session.execute(
            insert(OrgSkillLinkRow), [{"skill_id": skill.id, "target_uri": PYTHON, "relation": "narrower"}]
        )
        uow.commit()


def test_import_stores_the_mini_taxonomy(taxonomy_platform: Platform) -> None:
    info = taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM)
    assert (info.version, info.language, info.revision) == ("mini", "en", 1)
    assert info.imported_at is not None
    counts = info.counts
    assert (counts.skills, counts.occupations, counts.isco_groups) == (14, 4, 10)
    assert counts.occupation_skills == 12  # the 13th row names an unknown skill and is skipped
    assert counts.skill_relations == 3
    assert counts.skill_groups == 26
    assert counts.skill_broader == 34


def test_labels_relations_and_collections_are_stored(taxonomy_platform: Platform) -> None:
    with _session_uow(taxonomy_platform) as uow:
        s = uow.session
        python_id = s.scalar(select(SkillRow.id).where(SkillRow.uri == PYTHON))
        labels = set(
            s.execute(
                select(SkillLabelRow.kind, SkillLabelRow.label).where(SkillLabelRow.skill_id == python_id)
            )
        )
        assert ("preferred", "Python (computer programming)") in labels
        assert ("alt", "Python") in labels
        collections = s.scalars(
            select(SkillCollectionRow.collection).where(SkillCollectionRow.skill_id == python_id)
        )
        assert list(collections) == ["digital"]
        developer = s.scalar(select(OccupationRow.id).where(OccupationRow.uri == SOFTWARE_DEVELOPER))
        rows = s.execute(
            select(OccupationSkillRow.relation_type, func.count())
            .where(OccupationSkillRow.occupation_id == developer)
            .group_by(OccupationSkillRow.relation_type)
        )
        kinds = {kind: count for kind, count in rows}  # noqa: C416 - dict(result) misreads a Result
        assert kinds == {"essential": 5, "optional": 3}


def test_reimport_is_idempotent_and_keeps_organisation_skills(
    taxonomy_platform: Platform, mini_esco: EscoCsvDirectory
) -> None:
    _add_org_skill(taxonomy_platform)
    before = taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM)
    report = import_taxonomy(taxonomy_platform.uow(), actor=SYSTEM, source=mini_esco, progress=NoProgress())
    after = taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM)
    assert after.counts == before.counts
    assert after.counts.organisation_skills == 1
    assert after.revision == before.revision + 1
    assert report.skipped_rows == 1
    with _session_uow(taxonomy_platform) as uow:
        links = uow.session.scalars(select(OrgSkillLinkRow.target_uri)).all()
        assert links == [PYTHON]


def test_a_broken_file_leaves_the_previous_taxonomy(taxonomy_platform: Platform, tmp_path: Path) -> None:
    broken = tmp_path / "esco"
    shutil.copytree(Path(__file__).parents[2] / "data" / "esco" / "mini_en", broken)
    occupations = broken / "occupations_en.csv"
    occupations.write_text(occupations.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    before = taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM)
    with pytest.raises(DataFileError) as caught:
        import_taxonomy(
            taxonomy_platform.uow(), actor=SYSTEM, source=EscoCsvDirectory(broken), progress=NoProgress()
        )
    assert caught.value.file == str(occupations)
    assert taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM) == before


def test_a_failure_while_writing_rolls_back(taxonomy_platform: Platform, mini_esco: EscoCsvDirectory) -> None:
    class Exploding:
        def stage(self, name: str, total: int | None = None) -> None:
            if name == "occupation skills":
                raise RuntimeError("disk full")

        def advance(self, amount: int = 1) -> None:
            return None

    before = taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM)
    with pytest.raises(RuntimeError):
        import_taxonomy(taxonomy_platform.uow(), actor=SYSTEM, source=mini_esco, progress=Exploding())
    assert taxonomy_info(taxonomy_platform.uow(), actor=SYSTEM) == before
