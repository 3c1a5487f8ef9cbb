"""An ESCO CSV download (any version or language) read as a ``TaxonomyBundle``; and the bundled build.

Every record is checked as it streams past: a malformed one stops the read with a ``DataFileError``
naming file, line and column, before anything is written. Relation rows naming a concept that no
concept file holds are left out and reported (``TaxonomyBundle.skipped``): the official data has some.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Iterator
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Protocol, TypeVar

from microcareer.adapters.esco_csv_files import EscoFiles, locate
from microcareer.adapters.esco_csv_reader import LocatedRow, read_rows, split_labels
from microcareer.domain.progress import Progress
from microcareer.domain.taxonomy.concepts import (
    Broader,
    ConceptType,
    IscoGroup,
    Occupation,
    OccupationSkill,
    RelationType,
    Skill,
    SkillRelation,
    SkippedReferences,
    TaxonomyBundle,
)
from microcareer.errors import DataFileError

MANIFEST = "manifest.json"
EXAMPLES = 5
_RELATIONS = tuple(r.value for r in RelationType)


class _Skips:
    """Collects relation rows left out for naming unknown concepts, per file."""

    def __init__(self) -> None:
        self._by_file: dict[str, tuple[int, list[str]]] = {}

    def add(self, row: LocatedRow, uri: str) -> None:
        count, examples = self._by_file.get(row.file, (0, []))
        if len(examples) < EXAMPLES:
            examples.append(f"{row.file}:{row.line} {uri}")
        self._by_file[row.file] = (count + 1, examples)

    def report(self) -> list[SkippedReferences]:
        return [SkippedReferences(f, n, tuple(ex)) for f, (n, ex) in self._by_file.items()]


class EscoCsvDirectory:
    """A folder of ESCO CSV files (``TaxonomySource``); ``version`` defaults to the folder's manifest."""

    def __init__(self, path: Path | str, language: str | None = None, version: str | None = None) -> None:
        self.path = Path(path)
        self.language = language
        self.version = version

    def read(self, progress: Progress) -> TaxonomyBundle:
        files = locate(self.path, self.language)
        manifest = _manifest(self.path)
        reader = _BundleReader(files, progress)
        bundle = reader.read()
        bundle.version = self.version or str(manifest.get("version") or "unknown")
        bundle.source = str(manifest.get("source") or f"ESCO CSV files in {self.path}")
        return bundle


def bundled_taxonomy() -> EscoCsvDirectory:
    """The compact English ESCO build shipped in the package (``microcareer/data/esco``)."""
    folder = Path(str(resources.files("microcareer") / "data" / "esco"))
    return EscoCsvDirectory(folder)


def _manifest(folder: Path) -> dict[str, object]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), None, None, f"not valid JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


class _BundleReader:
    def __init__(self, files: EscoFiles, progress: Progress) -> None:
        self.files = files
        self.progress = progress
        self.skips = _Skips()
        self.bundle = TaxonomyBundle(source="", version="", language=files.language)

    def rows(self, kind: str, required: Iterable[str], *, ragged: bool = False) -> Iterator[LocatedRow]:
        path = self.files.files.get(kind)
        if path is None:
            return
        self.progress.stage(f"reading {path.name}")
        for count, row in enumerate(read_rows(path, self.files.display(path), required, ragged=ragged), 1):
            yield row
            if count % 1000 == 0:
                self.progress.advance(1000)

    def read(self) -> TaxonomyBundle:
        bundle = self.bundle
        collections = self._collections()
        bundle.skills = self._skills(collections)
        bundle.skill_groups = self._skill_groups({s.uri for s in bundle.skills})
        skill_uris = {s.uri for s in bundle.skills}
        concept_uris = skill_uris | {g.uri for g in bundle.skill_groups}
        bundle.isco_groups = self._isco_groups()
        bundle.occupations = self._occupations()
        occupation_uris = {o.uri for o in bundle.occupations}
        bundle.skill_broader = self._broader("broaderRelationsSkillPillar", concept_uris)
        bundle.skill_broader = _unique(bundle.skill_broader + self._hierarchy_broader(concept_uris))
        bundle.occupation_broader = self._broader(
            "broaderRelationsOccPillar", occupation_uris | {g.uri for g in bundle.isco_groups}
        )
        bundle.skill_relations = self._skill_relations(skill_uris)
        bundle.occupation_skills = self._occupation_skills(occupation_uris, concept_uris)
        bundle.skipped = self.skips.report()
        return bundle

    def _collections(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for tag, path in sorted(self.files.collections.items()):
            self.progress.stage(f"reading {path.name}")
            for row in read_rows(path, self.files.display(path), ["conceptUri"]):
                members.setdefault(row.uri("conceptUri"), []).append(tag)
        return members

    def _skills(self, collections: dict[str, list[str]]) -> list[Skill]:
        skills: dict[str, Skill] = {}
        for row in self.rows("skills", ["conceptUri", "preferredLabel"]):
            uri = _new_uri(row, skills)
            skills[uri] = Skill(
                uri=uri,
                preferred_label=row.required("preferredLabel"),
                concept_type=ConceptType.SKILL,
                alt_labels=split_labels(row.get("altLabels")),
                hidden_labels=split_labels(row.get("hiddenLabels")),
                skill_type=row.get("skillType") or None,
                reuse_level=row.get("reuseLevel") or None,
                status=row.get("status") or None,
                description=row.get("description"),
                definition=row.get("definition"),
                scope_note=row.get("scopeNote"),
                collections=tuple(sorted(set(collections.get(uri, ())))),
            )
        return list(skills.values())

    def _skill_groups(self, skill_uris: set[str]) -> list[Skill]:
        groups: dict[str, Skill] = {}
        for row in self.rows("skillGroups", ["conceptUri", "preferredLabel"]):
            uri = _new_uri(row, groups)
            if uri in skill_uris:
                raise row.error("conceptUri", f"{uri} is both a skill and a skill group")
            groups[uri] = Skill(
                uri=uri,
                preferred_label=row.required("preferredLabel"),
                concept_type=ConceptType.SKILL_GROUP,
                alt_labels=split_labels(row.get("altLabels")),
                hidden_labels=split_labels(row.get("hiddenLabels")),
                code=row.get("code") or None,
                status=row.get("status") or None,
                description=row.get("description"),
                scope_note=row.get("scopeNote"),
            )
        # Partial downloads may lack skillGroups: the hierarchy names the top levels too.
        for row in self.rows("skillsHierarchy", ["Level 0 URI", "Level 0 preferred term"], ragged=True):
            for level in range(4):
                level_uri = row.optional_uri(f"Level {level} URI")
                if level_uri is None or level_uri in groups or level_uri in skill_uris:
                    continue
                groups[level_uri] = Skill(
                    uri=level_uri,
                    preferred_label=row.required(f"Level {level} preferred term"),
                    concept_type=ConceptType.SKILL_GROUP,
                    code=row.get(f"Level {level} code") or None,
                )
        return list(groups.values())

    def _hierarchy_broader(self, known: set[str]) -> list[Broader]:
        links: list[Broader] = []
        for row in self.rows("skillsHierarchy", ["Level 0 URI"], ragged=True):
            chain = [uri for uri in (row.get(f"Level {level} URI") for level in range(4)) if uri]
            links += [Broader(n, b) for b, n in pairwise(chain) if n in known and b in known]
        return links

    def _isco_groups(self) -> list[IscoGroup]:
        groups: dict[str, IscoGroup] = {}
        for row in self.rows("ISCOGroups", ["conceptUri", "code", "preferredLabel"]):
            uri = _new_uri(row, groups)
            groups[uri] = IscoGroup(
                uri=uri,
                code=row.required("code"),
                preferred_label=row.required("preferredLabel"),
                description=row.get("description"),
            )
        return list(groups.values())

    def _occupations(self) -> list[Occupation]:
        occupations: dict[str, Occupation] = {}
        for row in self.rows("occupations", ["conceptUri", "preferredLabel"]):
            uri = _new_uri(row, occupations)
            occupations[uri] = Occupation(
                uri=uri,
                preferred_label=row.required("preferredLabel"),
                code=row.get("code") or None,
                isco_group=row.get("iscoGroup") or None,
                alt_labels=split_labels(row.get("altLabels")),
                hidden_labels=split_labels(row.get("hiddenLabels")),
                status=row.get("status") or None,
                description=row.get("description"),
                definition=row.get("definition"),
                scope_note=row.get("scopeNote"),
                regulated_profession_note=row.get("regulatedProfessionNote"),
            )
        return list(occupations.values())

    def _broader(self, kind: str, known: set[str]) -> list[Broader]:
        links: dict[tuple[str, str], Broader] = {}
        for row in self.rows(kind, ["conceptUri", "broaderUri"]):
            uri, broader = row.uri("conceptUri"), row.uri("broaderUri")
            if self._known(row, known, uri, broader) and uri != broader:
                links.setdefault((uri, broader), Broader(uri, broader))
        return list(links.values())

    def _skill_relations(self, known: set[str]) -> list[SkillRelation]:
        relations: dict[tuple[str, str], SkillRelation] = {}
        for row in self.rows("skillSkillRelations", ["originalSkillUri", "relationType", "relatedSkillUri"]):
            skill, related = row.uri("originalSkillUri"), row.uri("relatedSkillUri")
            relation = RelationType(row.choice("relationType", _RELATIONS))
            if self._known(row, known, skill, related) and skill != related:
                _keep_strongest(relations, (skill, related), SkillRelation(skill, related, relation))
        return list(relations.values())

    def _occupation_skills(self, occupations: set[str], skills: set[str]) -> list[OccupationSkill]:
        links: dict[tuple[str, str], OccupationSkill] = {}
        for row in self.rows("occupationSkillRelations", ["occupationUri", "relationType", "skillUri"]):
            occupation, skill = row.uri("occupationUri"), row.uri("skillUri")
            relation = RelationType(row.choice("relationType", _RELATIONS))
            if not self._known(row, occupations, occupation) or not self._known(row, skills, skill):
                continue
            _keep_strongest(links, (occupation, skill), OccupationSkill(occupation, skill, relation))
        return list(links.values())

    def _known(self, row: LocatedRow, known: set[str], *uris: str) -> bool:
        for uri in uris:
            if uri not in known:
                self.skips.add(row, uri)
                return False
        return True


def _new_uri(row: LocatedRow, seen: Container[str]) -> str:
    uri = row.uri("conceptUri")
    if uri in seen:
        raise row.error("conceptUri", f"{uri} appears twice (duplicate conceptUri)")
    return uri


class _Link(Protocol):
    @property
    def relation_type(self) -> RelationType: ...


L = TypeVar("L", bound=_Link)


def _keep_strongest(links: dict[tuple[str, str], L], key: tuple[str, str], link: L) -> None:
    """A pair listed twice keeps ``essential`` over ``optional``: the stronger claim wins."""
    if key not in links or link.relation_type is RelationType.ESSENTIAL:
        links[key] = link


def _unique(links: list[Broader]) -> list[Broader]:
    return list(dict.fromkeys(links))
