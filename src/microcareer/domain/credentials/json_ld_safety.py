"""JSON-LD checks a verifier needs and pyld does not make: pinned contexts only, and no dropped data.

JSON-LD expansion silently drops a property no context defines (and a key such as ``@foo``), and
RDF conversion drops a node whose ``id`` is not an absolute IRI. An ``eddsa-rdfc-2022`` signature
covers the RDF, so whatever was dropped is not signed and can be changed at will. pyld has no safe
mode, so :func:`find_undefined_terms` expands the document with one more context appended, a
``@vocab`` of :data:`UNDEFINED`: every term no earlier context defines then expands to an IRI under
it, and is found. Under VC 2.0 the base context has its own ``@vocab`` (``issuer-dependent#``), so
such a term is kept (mapped to that vocabulary) rather than dropped; under VC 1.1 it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcareer.domain.credentials import rdfc

UNDEFINED = "urn:microcareer:undefined-term#"
KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@direction",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@prefix",
        "@propagate",
        "@protected",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

Contexts = Mapping[str, Mapping[str, Any]]


def context_urls(document: Any) -> list[str]:
    """Every context URL the document names, at the top and in nested objects, in order."""
    found: list[str] = []
    for context in _context_values(document):
        for item in context if isinstance(context, list) else [context]:
            if isinstance(item, str) and item not in found:
                found.append(item)
    return found


def inline_contexts(document: Any) -> int:
    """How many context objects are written into the document itself (not named by URL)."""
    count = 0
    for context in _context_values(document):
        count += sum(
            1 for item in (context if isinstance(context, list) else [context]) if isinstance(item, dict)
        )
    return count


def _context_values(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield value
            else:
                yield from _context_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _context_values(item)


def expand(document: Mapping[str, Any], contexts: Contexts) -> list[Any]:
    """JSON-LD expansion resolving contexts only from ``contexts``; raises ``InvalidProof``
    (``UnapprovedContext`` for a context outside them).

    pyld's expansion, by the processor ``rdfc`` keeps per pinned set: its contexts are processed
    once per process rather than on every call (the same expansion, several times faster)."""
    return rdfc.expand(document, contexts)


@dataclass(slots=True)
class UndefinedTerms:
    """Where a document's data is not defined by its contexts."""

    properties: list[str] = field(default_factory=list)
    """Paths (``credentialSubject.foo``) of properties no context defines."""
    types: list[str] = field(default_factory=list)
    """Type names no context defines."""
    ignored_keys: list[str] = field(default_factory=list)
    """Keys shaped like keywords (``@foo``) that JSON-LD ignores."""
    relative_ids: list[str] = field(default_factory=list)
    """``id`` values that are not absolute IRIs (RDF drops their statements)."""

    def __bool__(self) -> bool:
        return bool(self.properties or self.types or self.ignored_keys or self.relative_ids)


def find_undefined_terms(document: Mapping[str, Any], contexts: Contexts) -> UndefinedTerms:
    """Expand ``document`` with a catch-all ``@vocab`` appended and report what fell into it."""
    found = UndefinedTerms()
    _ignored_keys(document, "", found.ignored_keys)
    context = document.get("@context")
    items = list(context) if isinstance(context, list) else [context]
    marked = {**document, "@context": [*items, {"@vocab": UNDEFINED}]}
    for node in expand(marked, contexts):
        _walk(node, "", found)
    return found


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def _ignored_keys(node: Any, path: str, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            if key.startswith("@") and key not in KEYWORDS:
                out.append(_join(path, key))
            _ignored_keys(value, _join(path, key), out)
    elif isinstance(node, list):
        for item in node:
            _ignored_keys(item, path, out)


def _walk(node: Any, path: str, found: UndefinedTerms) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, path, found)
        return
    if not isinstance(node, dict) or "@value" in node:
        return
    for key, value in node.items():
        if key == "@id":
            if isinstance(value, str) and not value.startswith("_:") and not _ABSOLUTE_IRI.match(value):
                found.relative_ids.append(f"{_join(path, 'id')} = {value!r}")
        elif key == "@type":
            for kind in value if isinstance(value, list) else [value]:
                if isinstance(kind, str) and kind.startswith(UNDEFINED):
                    name = kind[len(UNDEFINED) :]
                    if name not in found.types:
                        found.types.append(name)
        elif key in ("@list", "@set", "@graph", "@included"):
            _walk(value, path, found)
        elif key == "@reverse":
            for reverse_key, reverse_value in value.items() if isinstance(value, dict) else []:
                _walk(reverse_value, _join(path, _local_name(reverse_key)), found)
        elif key.startswith(UNDEFINED):
            found.properties.append(_join(path, key[len(UNDEFINED) :]))
            _walk(value, _join(path, key[len(UNDEFINED) :]), found)
        elif not key.startswith("@"):
            _walk(value, _join(path, _local_name(key)), found)
