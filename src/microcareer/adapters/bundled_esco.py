"""The ESCO build shipped in the package, read directly for skill extraction: no database needed.

``BundledEsco`` is an ``ExtractionSource``: the same rows a database loaded from this bundle gives, in
the same order (preferred labels, then alternative and hidden ones). Its revision id is the digest of
the bundle's manifest, which lists every file's SHA-256, so the lexicon cache built from it is reused
until the bundle changes; the CSV files are read only when a cache misses (a few seconds).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Self

from microcareer.domain.progress import NoProgress
from microcareer.domain.taxonomy.concepts import ConceptType, RelationType, TaxonomyBundle

BUNDLE = Path(str(resources.files("microcareer") / "data" / "esco"))


class BundledEsco:
    """The bundled ESCO as extraction reads a taxonomy (``ExtractionSource`` and ``ExtractionTaxonomy``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or BUNDLE
        self._lock = threading.Lock()
        self._bundle: TaxonomyBundle | None = None

    @property
    def taxonomy(self) -> Self:
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    @cached_property
    def _revision_id(self) -> str:
        manifest = self.folder / "manifest.json"  # lists each file's SHA-256; else the files themselves
        files = [manifest] if manifest.is_file() else sorted(p for p in self.folder.iterdir() if p.is_file())
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return f"esco-bundle-{digest.hexdigest()[:16]}"

    def revision_id(self) -> str:
        return self._revision_id

    def extraction_label_rows(self) -> Iterator[tuple[str, str, str, int | None]]:
        skills = [s for s in self._read().skills if s.concept_type != ConceptType.SKILL_GROUP]
        for skill in skills:
            yield skill.uri, skill.preferred_label, "preferred", None
        for skill in skills:
            for label in skill.alt_labels:
                yield skill.uri, label, "alt", None
            for label in skill.hidden_labels:
                yield skill.uri, label, "hidden", None

    def ranking_skill_rows(self) -> Iterator[tuple[str, str | None, str | None, str]]:
        for skill in self._read().skills:
            if skill.concept_type != ConceptType.SKILL_GROUP:
                yield skill.uri, skill.skill_type, skill.reuse_level, skill.description

    def occupation_skill_rows(self) -> Iterator[tuple[str, str, bool]]:
        pairs = sorted(
            (link.occupation_uri, link.skill_uri, link.relation_type == RelationType.ESSENTIAL)
            for link in self._read().occupation_skills
        )
        yield from pairs

    def skill_broader_rows(self) -> Iterator[tuple[str, str]]:
        yield from sorted((link.uri, link.broader_uri) for link in self._read().skill_broader)

    def _read(self) -> TaxonomyBundle:
        with self._lock:
            if self._bundle is None:
                from microcareer.adapters.esco_csv import EscoCsvDirectory

                self._bundle = EscoCsvDirectory(self.folder).read(NoProgress())
            return self._bundle
