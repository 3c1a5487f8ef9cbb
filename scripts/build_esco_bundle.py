"""Build the compact English ESCO taxonomy that microcareer ships (``src/microcareer/data/esco``).

    .venv/bin/python -m scripts.build_esco_bundle --source /work/shared/data/esco/v1.1.1 \\
        --legacy-occupations /work/shared/data/esco/occupations_en.csv

Keeps the official file names and CSV format, only the columns microcareer reads, rows sorted, gzip'd
with no timestamp: the same input always gives the same bytes. The one occupation that v1.1.1's
relations name but its ``occupations_en.csv`` lacks is taken from the older (v1.0.x) file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from microcareer.adapters.esco_csv import MANIFEST, EscoCsvDirectory
from microcareer.adapters.esco_csv_files import EscoFiles, locate
from microcareer.adapters.esco_csv_reader import read_rows
from microcareer.services.ports import NoProgress

ATTRIBUTION = (
    "This work uses ESCO, the multilingual classification of European Skills, Competences, "
    "Qualifications and Occupations, © European Union, https://esco.ec.europa.eu. Reuse is authorised "
    "under Commission Decision 2011/833/EU. Changes made: columns microcareer does not use removed, rows "
    "sorted, files gzip'd, and one occupation that the v1.1.1 relations name (therapeutic radiographer) "
    "added from ESCO v1.0.x."
)
DEFAULT_TARGET = Path(__file__).resolve().parents[1] / "src" / "microcareer" / "data" / "esco"

# kind -> (columns kept, in the official order; columns the rows are sorted by)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "skills": (
        (
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "description",
        ),
        ("conceptUri",),
    ),
    "skillGroups": (
        (
            "conceptType",
            "conceptUri",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "description",
            "code",
        ),
        ("conceptUri",),
    ),
    "skillsHierarchy": (
        (
            *(f"Level {n} {what}" for n in range(4) for what in ("URI", "preferred term")),
            *(f"Level {n} code" for n in range(4)),
        ),
        tuple(f"Level {n} URI" for n in range(4)),
    ),
    "ISCOGroups": (("conceptType", "conceptUri", "code", "preferredLabel", "description"), ("conceptUri",)),
    "occupations": (
        (
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "regulatedProfessionNote",
            "description",
            "code",
        ),
        ("conceptUri",),
    ),
    "occupationSkillRelations": (
        ("occupationUri", "relationType", "skillUri"),
        ("occupationUri", "skillUri"),
    ),
    "skillSkillRelations": (
        ("originalSkillUri", "relationType", "relatedSkillUri"),
        ("originalSkillUri", "relatedSkillUri"),
    ),
    "broaderRelationsSkillPillar": (
        ("conceptType", "conceptUri", "broaderType", "broaderUri"),
        ("conceptUri", "broaderUri"),
    ),
    "broaderRelationsOccPillar": (
        ("conceptType", "conceptUri", "broaderType", "broaderUri"),
        ("conceptUri", "broaderUri"),
    ),
}
COLLECTION_COLUMNS = ("conceptType", "conceptUri")
COLLECTION_FILES = {
    "digital": "digitalSkillsCollection",
    "green": "greenSkillsCollection",
    "language": "languageSkillsCollection",
    "transversal": "transversalSkillsCollection",
    "digcomp": "digCompSkillsCollection",
    "research": "researchSkillsCollection",
}


def _csv_gz(columns: Iterable[str], rows: Iterable[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = list(columns)
    writer.writerow(names)
    writer.writerows([row.get(name, "") for name in names] for row in rows)
    return gzip.compress(buffer.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def _sort_key(columns: tuple[str, ...]) -> Callable[[dict[str, str]], tuple[str, ...]]:
    return lambda row: tuple(row[c] for c in columns)


def _rows(path: Path, columns: tuple[str, ...], *, ragged: bool = False) -> list[dict[str, str]]:
    return [
        {c: row.values.get(c, "") for c in columns} for row in read_rows(path, str(path), (), ragged=ragged)
    ]


def _missing_occupations(files: EscoFiles, legacy: Path | None) -> list[dict[str, str]]:
    """Occupations the relations name that the occupations file lacks, from the older file."""
    if legacy is None:
        return []
    known = {row.get("conceptUri") for row in read_rows(files.files["occupations"], "occupations", ())}
    named = {
        row.get("occupationUri") for row in read_rows(files.files["occupationSkillRelations"], "rel", ())
    }
    columns = FILES["occupations"][0]
    return [
        {c: row.values.get(c, "") for c in columns}
        for row in read_rows(legacy, str(legacy), ("conceptUri",))
        if row.get("conceptUri") in named - known
    ]


def build(source: Path, target: Path, legacy: Path | None, version: str) -> dict[str, object]:
    files = locate(source, "en")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.csv.gz"):
        old.unlink()
    outputs: dict[str, tuple[tuple[str, ...], list[dict[str, str]]]] = {}
    for kind, (columns, key) in FILES.items():
        path = files.files.get(kind)
        if path is None:
            continue
        rows = _rows(path, columns, ragged=kind == "skillsHierarchy")
        if kind == "occupations":
            rows += _missing_occupations(files, legacy)
        rows.sort(key=_sort_key(key))
        outputs[f"{kind}_en.csv.gz"] = (columns, rows)
    for tag, path in files.collections.items():
        rows = sorted(_rows(path, COLLECTION_COLUMNS), key=lambda r: r["conceptUri"])
        outputs[f"{COLLECTION_FILES[tag]}_en.csv.gz"] = (COLLECTION_COLUMNS, rows)
    manifest_files: dict[str, dict[str, object]] = {}
    for name, (columns, rows) in sorted(outputs.items()):
        data = _csv_gz(columns, rows)
        (target / name).write_bytes(data)
        manifest_files[name] = {
            "rows": len(rows),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    manifest: dict[str, object] = {
        "version": version,
        "language": "en",
        "source": f"ESCO v{version} (English), compact build of the official CSV download",
        "attribution": ATTRIBUTION,
        "licence": "Commission Decision 2011/833/EU (reuse of Commission documents)",
        "files": manifest_files,
    }
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, required=True, help="folder of the official ESCO CSV download")
    parser.add_argument(
        "--legacy-occupations", type=Path, help="an older occupations_en.csv for missing rows"
    )
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="where to write the build")
    parser.add_argument("--version", default="1.1.1", help="the ESCO version of the source")
    args = parser.parse_args(argv)
    manifest = build(args.source, args.target, args.legacy_occupations, args.version)
    files = manifest["files"]
    assert isinstance(files, dict)
    total = sum(int(f["bytes"]) for f in files.values())
    bundle = EscoCsvDirectory(args.target).read(NoProgress())  # the build must read back cleanly
    print(f"wrote {len(files)} files, {total / 2**20:.2f} MiB, to {args.target}")
    print(f"{len(bundle.skills)} skills, {len(bundle.occupations)} occupations, skipped: {bundle.skipped}")


if __name__ == "__main__":
    main()
