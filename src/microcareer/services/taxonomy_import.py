"""Replacing the ESCO taxonomy from a source (a CSV download, the bundled build), and what is loaded now."""

from __future__ import annotations

from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import TaxonomyInfo
from microcareer.domain.taxonomy.imports import ImportReport
from microcareer.services.access import Action, authorize
from microcareer.services.ports import Progress, TaxonomySource, UnitOfWork


def import_taxonomy(
    uow: UnitOfWork, *, actor: Actor, source: TaxonomySource, progress: Progress
) -> ImportReport:
    """Read ``source`` whole, then swap it for the stored ESCO taxonomy in one transaction.

    Reading comes first, outside the transaction: a malformed file stops the import before anything
    is touched, and any failure while writing rolls back to the previous taxonomy.
    """
    authorize(actor, Action.TAXONOMY_IMPORT)
    bundle = source.read(progress)
    with uow:
        counts = uow.taxonomy.replace_esco(bundle, progress)
        uow.commit()
    return ImportReport(
        source=bundle.source,
        version=bundle.version,
        language=bundle.language,
        counts=counts,
        skipped=tuple(bundle.skipped),
    )


def taxonomy_info(uow: UnitOfWork, *, actor: Actor) -> TaxonomyInfo:
    """Where the stored taxonomy came from, when it was loaded, and how much of it there is."""
    authorize(actor, Action.TAXONOMY_READ)
    with uow:
        return uow.taxonomy.info()
