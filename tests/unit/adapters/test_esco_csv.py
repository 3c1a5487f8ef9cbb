"""Reading ESCO CSV downloads: the mini fixture reads whole, and every kind of bad input is named."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.domain.taxonomy.concepts import RelationType, TaxonomyBundle
from microcareer.errors import DataFileError, InvalidInput
from microcareer.services.ports import NoProgress

MINI = Path(__file__).resolve().parents[2] / "data" / "esco" / "mini_en"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
SKILLS_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,definition,inScheme,description\n"
)


def _read(folder: Path, **kwargs: str) -> TaxonomyBundle:
    return EscoCsvDirectory(folder, **kwargs).read(NoProgress())


@pytest.fixture
def esco(tmp_path: Path) -> Path:
    """A writable copy of the mini download."""
    folder = tmp_path / "esco"
    shutil.copytree(MINI, folder)
    return folder


def _write_skills(folder: Path, body: str) -> Path:
    (folder / "skills_en.csv.gz").unlink()
    path = folder / "skills_en.csv"
    path.write_text(SKILLS_HEADER + body, encoding="utf-8")
    return path


def _skill_row(uri: str = PYTHON, label: str = "Python (computer programming)") -> str:
    return (
        f'KnowledgeSkillCompetence,{uri},knowledge,sector-specific,{label},"Python\nPython3",,released,,,,,\n'
    )


def _error(folder: Path) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        _read(folder)
    return caught.value


def test_the_mini_download_reads_whole() -> None:
    bundle = _read(MINI)
    assert (bundle.language, bundle.version) == ("en", "unknown")
    python = next(s for s in bundle.skills if s.uri == PYTHON)
    assert python.preferred_label == "Python (computer programming)"
    assert "Python" in python.alt_labels
    assert python.collections == ("digital",)
    assert [s.skill_type for s in bundle.skills].count(None) == 1  # a blank skillType is accepted
    essential = {r.skill_uri for r in bundle.occupation_skills if r.occupation_uri == DEVELOPER}
    assert len(essential) == 8
    assert any(r.relation_type is RelationType.ESSENTIAL for r in bundle.skill_relations)
    assert len(bundle.occupations) == 4


def test_unknown_references_are_skipped_and_reported() -> None:
    (skipped,) = _read(MINI).skipped
    assert skipped.file.endswith("occupationSkillRelations_en.csv.gz")
    assert skipped.count == 1
    assert skipped.examples[0].startswith(f"{skipped.file}:14 ")


def test_version_comes_from_the_argument() -> None:
    assert _read(MINI, version="1.1.1").version == "1.1.1"


def test_wrong_number_of_fields_names_the_line_where_the_record_starts(esco: Path) -> None:
    path = _write_skills(esco, _skill_row() + "KnowledgeSkillCompetence,http://x.org/a,knowledge\n")
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 4, "reuseLevel")  # row 1 spans lines 2-3


def test_unterminated_quote(esco: Path) -> None:
    path = _write_skills(esco, _skill_row() + 'KnowledgeSkillCompetence,http://x.org/b,knowledge,,"broken\n')
    error = _error(esco)
    assert (error.file, error.line) == (str(path), 4)
    assert "unterminated quote" in error.detail


def test_truncated_gzip(esco: Path) -> None:
    path = esco / "occupationSkillRelations_en.csv.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    error = _error(esco)
    assert error.file == str(path)
    assert error.line is not None
    assert "truncated" in error.detail


def test_missing_required_column(esco: Path) -> None:
    path = esco / "occupations_en.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("preferredLabel", "prefLabel", 1), encoding="utf-8")
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 1, "preferredLabel")


def test_empty_required_field(esco: Path) -> None:
    path = _write_skills(esco, _skill_row() + _skill_row("http://data.europa.eu/esco/skill/x", label=""))
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 4, "preferredLabel")


def test_uri_that_is_not_an_absolute_http_uri(esco: Path) -> None:
    path = _write_skills(esco, _skill_row("skill/ccd0a1d9"))
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 2, "conceptUri")


def test_unknown_relation_type(esco: Path) -> None:
    path = esco / "skillSkillRelations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",essential,", ",mandatory,"), encoding="utf-8")
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 3, "relationType")
    assert "mandatory" in error.detail


def test_duplicate_concept_uri(esco: Path) -> None:
    path = _write_skills(esco, _skill_row() + _skill_row())
    error = _error(esco)
    assert (error.file, error.line, error.column) == (str(path), 4, "conceptUri")


def test_a_folder_without_skills_is_refused(tmp_path: Path) -> None:
    (tmp_path / "occupations_en.csv").write_text("conceptUri,preferredLabel\n", encoding="utf-8")
    error = _error(tmp_path)
    assert "no skills file" in error.detail


def test_several_languages_need_a_choice(esco: Path) -> None:
    shutil.copy(esco / "skills_en.csv.gz", esco / "skills_de.csv.gz")
    with pytest.raises(InvalidInput, match=r"several languages \(de, en\)"):
        _read(esco)
    assert _read(esco, language="de").language == "de"


def test_names_without_language_suffix_and_plain_or_gzip(esco: Path) -> None:
    relations = esco / "occupationSkillRelations_en.csv.gz"
    (esco / "occupationSkillRelations.csv").write_bytes(gzip.decompress(relations.read_bytes()))
    relations.unlink()
    assert len(_read(esco).occupation_skills) == 12
