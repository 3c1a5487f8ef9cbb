"""The import service: who may import, and that a source is read whole before any transaction opens."""

from __future__ import annotations

from types import TracebackType
from typing import Self, cast

import pytest

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.taxonomy.concepts import SkippedReferences, TaxonomyBundle, TaxonomyCounts
from microcareer.errors import DataFileError, PermissionDenied
from microcareer.services.ports import NoProgress, Progress, UnitOfWork
from microcareer.services.taxonomy_import import import_taxonomy

COUNTS = TaxonomyCounts(1, 0, 1, 0, 0, 0, 0, 0)


class RecordingTaxonomy:
    def __init__(self) -> None:
        self.replaced: list[TaxonomyBundle] = []

    def replace_esco(self, bundle: TaxonomyBundle, progress: Progress) -> TaxonomyCounts:
        self.replaced.append(bundle)
        return COUNTS


class RecordingUnitOfWork:
    def __init__(self) -> None:
        self.taxonomy = RecordingTaxonomy()
        self.entered = 0
        self.commits = 0

    def __enter__(self) -> Self:
        self.entered += 1
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1


class Source:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.reads = 0

    def read(self, progress: Progress) -> TaxonomyBundle:
        self.reads += 1
        if self.error is not None:
            raise self.error
        skipped = [SkippedReferences("rel.csv", 1, ("rel.csv:2 http://x.org/a",))]
        return TaxonomyBundle(source="test", version="9", language="en", skipped=skipped)


def _import(uow: RecordingUnitOfWork, actor: Actor, source: Source) -> object:
    return import_taxonomy(cast(UnitOfWork, uow), actor=actor, source=source, progress=NoProgress())


def test_the_system_actor_imports_in_one_committed_unit_of_work() -> None:
    uow = RecordingUnitOfWork()
    report = import_taxonomy(
        cast(UnitOfWork, uow), actor=Actor.system(), source=Source(), progress=NoProgress()
    )
    assert (uow.entered, uow.commits, len(uow.taxonomy.replaced)) == (1, 1, 1)
    assert report.counts == COUNTS
    assert report.skipped_rows == 1


@pytest.mark.parametrize("roles", [frozenset(), frozenset({Role.PROFESSIONAL, Role.ISSUER})])
def test_only_platform_admins_may_import(roles: frozenset[Role]) -> None:
    uow, source = RecordingUnitOfWork(), Source()
    with pytest.raises(PermissionDenied):
        _import(uow, Actor(user_id=7, roles=roles), source)
    assert (source.reads, uow.entered) == (0, 0)


def test_a_malformed_source_never_opens_the_unit_of_work() -> None:
    uow = RecordingUnitOfWork()
    with pytest.raises(DataFileError):
        _import(uow, Actor.system(), Source(DataFileError("skills_en.csv", 3, "conceptUri", "bad")))
    assert uow.entered == 0
