"""The ESCO build shipped in the package: intact, rebuilt byte for byte by its script, and importable."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from scripts.build_esco_bundle import build

from microcareer.adapters.esco_csv import EscoCsvDirectory, bundled_taxonomy
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy

MINI = Path(__file__).resolve().parents[2] / "data" / "esco" / "mini_en"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "esco"


def _manifest(folder: Path) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = json.loads((folder / "manifest.json").read_text("utf-8"))["files"]
    return files


def test_the_manifest_matches_the_shipped_files() -> None:
    folder = bundled_taxonomy().path
    files = _manifest(folder)
    assert sorted(files) == sorted(p.name for p in folder.glob("*.csv.gz"))
    for name, facts in files.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == facts["sha256"], name


def test_the_script_builds_the_same_bytes_twice_and_they_read_back(tmp_path: Path) -> None:
    first = build(MINI, tmp_path / "a", None, "mini")
    second = build(MINI, tmp_path / "b", None, "mini")
    assert first == second
    source = EscoCsvDirectory(MINI).read(NoProgress())
    rebuilt = EscoCsvDirectory(tmp_path / "a").read(NoProgress())
    assert rebuilt.version == "mini"
    assert {s.uri: s.alt_labels for s in rebuilt.skills} == {s.uri: s.alt_labels for s in source.skills}
    assert sorted(map(repr, rebuilt.occupation_skills)) == sorted(map(repr, source.occupation_skills))
    assert len(rebuilt.skill_broader) == len(source.skill_broader)


@pytest.mark.skipif(
    not (SHARED / "v1.1.1").is_dir(), reason="the ESCO v1.1.1 download is not in ../shared/data"
)
def test_the_shipped_build_is_what_the_script_makes_from_esco_v1_1_1(tmp_path: Path) -> None:
    build(SHARED / "v1.1.1", tmp_path, SHARED / "occupations_en.csv", "1.1.1")
    assert _manifest(tmp_path) == _manifest(bundled_taxonomy().path)


def test_the_bundle_imports_with_nothing_left_out(platform: Platform) -> None:
    report = import_taxonomy(
        platform.uow(), actor=Actor.system(), source=bundled_taxonomy(), progress=NoProgress()
    )
    assert (report.version, report.language) == ("1.1.1", "en")
    assert report.skipped == ()
    assert report.counts.skills == 13896
    assert report.counts.occupations == 3008
    assert report.counts.occupation_skills == 123855  # every official row, the 67 of the added occupation too
