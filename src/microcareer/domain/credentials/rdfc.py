"""RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, from pinned contexts only.

The JSON-LD processor (pyld) resolves every ``@context`` URL through a loader that serves only the
contexts handed to it (the approved, locally pinned set) and refuses anything else: nothing is
ever fetched. Each call gets a fresh context cache, so a context approved for one call cannot leak
into another. Before canonicalising, the RDF dataset must fit a work budget (quads and blank
nodes): RDFC-1.0 can take time exponential in the blank nodes of a hostile ("poison") graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcareer.domain.credentials.errors import InvalidProof, UnapprovedContext

N_QUADS = "application/n-quads"


@dataclass(frozen=True, slots=True)
class CanonicalizationBudget:
    """The most RDF a document may give before canonicalisation is refused."""

    max_quads: int = 5_000
    max_blank_nodes: int = 200


class _PinnedLoader:
    """A pyld document loader that serves pinned documents and records any other URL asked for."""

    def __init__(self, contexts: Mapping[str, Mapping[str, Any]]) -> None:
        self._contexts = contexts
        self.refused: str | None = None

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        document = self._contexts.get(url)
        if document is None:
            self.refused = url
            raise jsonld.JsonLdError(
                f"{url} is not a pinned context", "jsonld.LoadDocumentError", code="loading document failed"
            )
        return {"contextUrl": None, "documentUrl": url, "document": dict(document)}


def _options(loader: _PinnedLoader) -> dict[str, Any]:
    return {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
    }


def _fail(error: jsonld.JsonLdError, loader: _PinnedLoader, what: str) -> InvalidProof:
    if loader.refused is not None:
        return UnapprovedContext(loader.refused)
    return InvalidProof(f"{what}: JSON-LD processing failed ({getattr(error, 'type', 'error')})")


def to_nquads(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    what: str = "document",
) -> str:
    """The (not yet canonical) N-Quads of ``document``; ``what`` names it in errors."""
    loader = _PinnedLoader(contexts)
    try:
        nquads = jsonld.to_rdf(dict(document), {**_options(loader), "format": N_QUADS})
    except jsonld.JsonLdError as error:
        raise _fail(error, loader, what) from None
    return str(nquads)


def _check_budget(nquads: str, budget: CanonicalizationBudget, what: str) -> None:
    lines = nquads.splitlines()
    if len(lines) > budget.max_quads:
        raise InvalidProof(f"{what}: {len(lines)} RDF quads exceed the limit of {budget.max_quads}")
    blank_nodes = {token for line in lines for token in line.split() if token.startswith("_:")}
    if len(blank_nodes) > budget.max_blank_nodes:
        raise InvalidProof(
            f"{what}: {len(blank_nodes)} blank nodes exceed the canonicalisation limit of "
            f"{budget.max_blank_nodes}"
        )


def canonical_nquads(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    budget: CanonicalizationBudget | None = None,
    what: str = "document",
) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, resolving contexts only from ``contexts``."""
    nquads = to_nquads(document, contexts, what=what)
    _check_budget(nquads, budget or CanonicalizationBudget(), what)
    try:
        canonical = jsonld.normalize(
            nquads, {"algorithm": "URDNA2015", "inputFormat": N_QUADS, "format": N_QUADS}
        )
    except jsonld.JsonLdError as error:
        raise InvalidProof(f"{what}: RDF canonicalisation failed ({error.type})") from None
    return str(canonical)
