"""What an import did: the counts it stored and the relation rows it left out."""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.domain.taxonomy.concepts import SkippedReferences, TaxonomyCounts


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    version: str
    language: str
    counts: TaxonomyCounts
    skipped: tuple[SkippedReferences, ...] = ()

    @property
    def skipped_rows(self) -> int:
        return sum(s.count for s in self.skipped)
