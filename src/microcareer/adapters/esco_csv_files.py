"""Finding the files of an ESCO CSV download in a folder, whatever its version and language.

Official names carry a language suffix (``skills_en.csv``); relation files downloaded on their own
have none (``occupationSkillRelations.csv``). Either may be gzip'd (``.csv.gz``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from microcareer.errors import DataFileError, InvalidInput

KINDS = (
    "skills",
    "skillGroups",
    "skillsHierarchy",
    "ISCOGroups",
    "occupations",
    "occupationSkillRelations",
    "skillSkillRelations",
    "broaderRelationsSkillPillar",
    "broaderRelationsOccPillar",
)
_NAME = re.compile(r"^(?P<kind>[A-Za-z]+?)(?:_(?P<lang>[a-z]{2,3}(?:-[A-Za-z]+)?))?\.csv(?:\.gz)?$")
_COLLECTION = re.compile(r"^(?P<tag>[a-z]+?)(?:Skills)?Collection$", re.IGNORECASE)

# ESCO's skill collections, as the tags microcareer gives their members.
COLLECTION_TAGS = {
    "digital": "digital",
    "green": "green",
    "language": "language",
    "transversal": "transversal",
    "digcomp": "digcomp",
    "research": "research",
    "ict": "digital",
}


@dataclass(frozen=True, slots=True)
class EscoFiles:
    """The files of one download in one language: by kind, plus the skill collections by tag."""

    folder: Path
    language: str
    files: dict[str, Path]
    collections: dict[str, Path]

    def display(self, path: Path) -> str:
        """A file's name as the user gave it (their folder joined with the file name)."""
        return str(self.folder / path.name)


def locate(folder: Path, language: str | None) -> EscoFiles:
    """The ESCO files in ``folder``; ``language`` picks one where several are present."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder (give the folder that holds the ESCO CSV files)")
    found: dict[str | None, dict[str, list[Path]]] = {}
    for path in sorted(folder.iterdir()):
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        found.setdefault(match["lang"], {}).setdefault(match["kind"], []).append(path)
    languages = sorted(lang for lang in found if lang is not None)
    if language is None:
        if len(languages) > 1:
            raise InvalidInput(
                f"{folder}: holds ESCO files in several languages ({', '.join(languages)}): "
                "choose one with --language"
            )
        language = languages[0] if languages else None
    elif language not in found and None not in found:
        raise InvalidInput(
            f"{folder}: no ESCO files for language {language!r} (found: {', '.join(languages)})"
        )
    by_kind: dict[str, list[Path]] = {}
    for lang in (None, language):
        for kind, paths in found.get(lang, {}).items():
            by_kind.setdefault(kind, []).extend(paths)
    files: dict[str, Path] = {}
    collections: dict[str, Path] = {}
    for kind, paths in by_kind.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise InvalidInput(f"{folder}: several files for {kind} ({names}): keep one")
        collection = _COLLECTION.match(kind)
        if kind in KINDS:
            files[kind] = paths[0]
        elif collection is not None and collection["tag"].lower() in COLLECTION_TAGS:
            collections[COLLECTION_TAGS[collection["tag"].lower()]] = paths[0]
    if "skills" not in files:
        raise DataFileError(
            str(folder),
            None,
            None,
            "no skills file (skills_xx.csv or skills_xx.csv.gz): is this an ESCO download?",
        )
    if language is None:
        raise InvalidInput(f"{folder}: the file names carry no language suffix: give one with --language")
    return EscoFiles(folder=folder, language=language, files=files, collections=collections)
