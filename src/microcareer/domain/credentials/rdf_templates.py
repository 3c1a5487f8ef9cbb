"""JSON-LD → N-Quads by templates: credentials of one shape share their RDF but for their values.

Credentials a verifier meets come in a few shapes: the same keys, the same ``@context`` URLs and the
same types, with other names, ids and dates. pyld's ``toRdf`` spends about a millisecond on each;
for a shape seen before, this fills the strings into the N-Quads pyld gave for that shape instead.

A document's *shape* is its JSON with every *value string* blanked: a string whose key is not a
keyword or a keyword's alias (other than ``@id``'s), and not a type (those choose type-scoped
contexts, so they stay in the shape, as do ``@context`` URLs, numbers and booleans). How a value
string turns into RDF is fixed by its place in the shape and by the active context there, which the
shape fixes: a plain or typed literal (its text, escaped as pyld escapes it), or an IRI (a node id or
an IRI-typed term's value), which is the string itself when it is an absolute IRI whose prefix is no
term of the pinned contexts (else it is expanded: such a place keeps its string in the shape).

A template is learnt from one document of the shape by running pyld twice: on the document, and on
a copy with each value string replaced by a sentinel IRI of its own (``urn:x-microcareer-template:N``).
Where each sentinel lands (``<IRI>`` or ``"literal"``) is the template; it is kept only if filling
in the document's own strings gives back exactly pyld's N-Quads for the document, and if no sentinel
lands anywhere else. A template is learnt the second time a shape is seen (a stream of new shapes
costs pyld alone), at most ``_MAX_ATTEMPTS`` times per shape while it is kept, in a bounded LRU: at
worst (shapes sent to be learnt and evicted in turn) a document costs two pyld runs and a walk.

Anything outside that plain subset takes pyld's path unchanged: an inline ``@context`` object, a
keyword key other than ``@context``/``@id``/``@type``, a value that is not JSON, a shape over
``MAX_SHAPE_BYTES``, an IRI place whose string is not a plain absolute IRI. Filled N-Quads are
sorted and without repeats, as pyld writes them (two nodes given one id merge into one, in RDF and
in pyld alike). ``tests/unit/domain/test_rdf_templates.py`` compares them with pyld's, byte for byte.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from cachetools import LRUCache
from pyld import jsonld

from microcareer.domain.credentials.rdf_template_canon import CanonicalFill, compile_template

SENTINEL = "urn:x-microcareer-template:"
MAX_SHAPE_BYTES = 32_768
_MAX_SHAPES = 128
_MAX_ATTEMPTS = 2
_MAX_PER_SHAPE = 16
_SENTINEL_AT = re.compile(r'<urn:x-microcareer-template:(\d+)>|"urn:x-microcareer-template:(\d+)"')
_KEYWORD_LIKE = re.compile(r"^@[a-zA-Z]+$")
_TYPE_KEYS = frozenset({"@type"})
_ID_KEYS = frozenset({"@id"})

IRI = 0
LITERAL = 1


class _NotPlain(Exception):
    """The document is outside the subset templates handle: pyld's path takes it."""


@dataclass(frozen=True, slots=True)
class _Template:
    """N-Quads text split at the value strings: ``parts[0] + value + parts[1] + ...``."""

    parts: tuple[str, ...]
    slots: tuple[int, ...]
    """The value string (its index in the document's walk) filled in after each part but the last."""
    kinds: tuple[int, ...]
    """Per slot: ``IRI`` (written as it is) or ``LITERAL`` (escaped)."""
    iri_slots: frozenset[int]
    canonical: CanonicalFill | None = None
    """The template compiled to canonical N-Quads (``rdf_template_canon``), where it compiles."""


_NEEDS_ESCAPE = re.compile(r'[\\\t\n\r"]')


def _escape(text: str) -> str:
    """A literal's text as pyld's ``to_nquad`` writes it."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace('"', '\\"')
    )


def _terms(
    contexts: Mapping[str, Mapping[str, Any]],
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every term any pinned context defines (scoped ones too), and the aliases of ``@type``/``@id`` and
    of any other keyword."""
    terms: set[str] = set()
    type_keys: set[str] = set(_TYPE_KEYS)
    keyword_keys: set[str] = set()

    def walk(node: Any, in_context: bool) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, in_context)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if in_context and not key.startswith("@"):
                terms.add(key)
                target = (
                    value if isinstance(value, str) else value.get("@id") if isinstance(value, dict) else None
                )
                if isinstance(target, str) and target.startswith("@"):
                    (type_keys if target == "@type" else keyword_keys).add(key)
            walk(value, key == "@context" or (in_context and isinstance(value, dict) and key != "@context"))

    for document in contexts.values():
        walk(document, False)
    ids = {key for key in keyword_keys if _is_id_alias(contexts, key)}
    return frozenset(terms), frozenset(type_keys), frozenset(keyword_keys - ids)


def _is_id_alias(contexts: Mapping[str, Mapping[str, Any]], key: str) -> bool:
    """Whether every definition of ``key`` in the pinned contexts makes it ``@id``."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for name, value in node.items():
                if name == key:
                    found.append(
                        value
                        if isinstance(value, str)
                        else value.get("@id")
                        if isinstance(value, dict)
                        else None
                    )
                walk(value)

    for document in contexts.values():
        walk(document)
    return bool(found) and all(target == "@id" for target in found)


_PLAIN_KEY, _CONTEXT_KEY, _TYPE_KEY, _REFUSED_KEY = range(4)
_MAX_KEY_KINDS = 4_096
_MAX_PLAIN_IRIS = 16_384


class _Walk:
    """One pass over a document: its shape (value strings blanked) and its value strings in order.

    What a key is (``@context``, a type key, a keyword the walk refuses, or a plain term) is a
    function of the key alone: ``kinds`` remembers it (shared by the walks of one cache, bounded)."""

    def __init__(
        self, type_keys: frozenset[str], keyword_keys: frozenset[str], kinds: dict[str, int] | None = None
    ) -> None:
        self.type_keys = type_keys
        self.keyword_keys = keyword_keys
        self.kinds: dict[str, int] = {} if kinds is None else kinds
        self.values: list[str] = []

    def _kind(self, key: Any) -> int:
        if type(key) is not str:
            raise _NotPlain
        if key == "@context":
            kind = _CONTEXT_KEY
        elif key in self.type_keys:
            kind = _TYPE_KEY
        elif key in self.keyword_keys or (key.startswith("@") and key != "@id"):
            kind = _REFUSED_KEY
        else:
            kind = _PLAIN_KEY
        if len(self.kinds) < _MAX_KEY_KINDS:
            self.kinds[key] = kind
        return kind

    def shape(self, node: Any, depth: int = 0) -> Any:
        if depth > 64:
            raise _NotPlain
        kind = type(node)
        if kind is dict:
            return self._shape_dict(node, depth)
        if kind is list:
            return self._shape_list(node, depth)
        if kind is str:
            self.values.append(node)
            return ""
        return _scalar(node)

    def _shape_dict(self, node: dict[Any, Any], depth: int) -> dict[str, Any]:
        if depth > 64:
            raise _NotPlain
        shaped: dict[str, Any] = {}
        kinds = self.kinds
        values = self.values
        for key, value in node.items():
            key_kind = kinds.get(key)
            if key_kind is None or type(key) is not str:
                key_kind = self._kind(key)
            if key_kind == _PLAIN_KEY:
                value_kind = type(value)
                if value_kind is str:
                    values.append(value)
                    shaped[key] = ""
                elif value_kind is dict:
                    shaped[key] = self._shape_dict(value, depth + 1)
                elif value_kind is list:
                    shaped[key] = self._shape_list(value, depth + 1)
                else:
                    shaped[key] = _scalar(value)
            elif key_kind == _TYPE_KEY:
                _check_types(value)
                shaped[key] = value
            elif key_kind == _CONTEXT_KEY:
                if not (type(value) is str or (type(value) is list and all(type(v) is str for v in value))):
                    raise _NotPlain  # an inline context could define anything
                shaped[key] = value
            else:
                raise _NotPlain
        return shaped

    def _shape_list(self, node: list[Any], depth: int) -> list[Any]:
        if depth > 64:
            raise _NotPlain
        shaped: list[Any] = []
        for item in node:
            item_kind = type(item)
            if item_kind is str:
                self.values.append(item)
                shaped.append("")
            elif item_kind is dict:
                shaped.append(self._shape_dict(item, depth + 1))
            elif item_kind is list:
                shaped.append(self._shape_list(item, depth + 1))
            else:
                shaped.append(_scalar(item))
        return shaped


def _scalar(node: Any) -> Any:
    kind = type(node)
    if kind is bool or node is None or kind is int or (kind is float and math.isfinite(node)):
        return node  # kept in the shape (orjson writes NaN and the infinities as null: refused)
    raise _NotPlain


def _check_types(value: Any) -> None:
    if type(value) is str:
        return
    if type(value) is not list:
        raise _NotPlain
    for item in value:
        if type(item) is not str:
            raise _NotPlain


def _with_sentinels(node: Any, type_keys: frozenset[str], counter: list[int], fixed: frozenset[int]) -> Any:
    """The document with its value strings replaced by numbered sentinels (same walk order), but for
    the ``fixed`` ones (by their index), left as they are."""
    kind = type(node)
    if kind is dict:
        return {
            key: value
            if key == "@context" or key in type_keys
            else _with_sentinels(value, type_keys, counter, fixed)
            for key, value in node.items()
        }
    if kind is list:
        return [_with_sentinels(item, type_keys, counter, fixed) for item in node]
    if kind is str:
        counter[0] += 1
        return node if counter[0] - 1 in fixed else f"{SENTINEL}{counter[0] - 1}"
    return node


def _template_of(nquads: str, count: int) -> _Template | None:
    """The template in sentinel N-Quads (None if a sentinel is anywhere but a whole IRI or literal)."""
    parts: list[str] = []
    slots: list[int] = []
    kinds: list[int] = []
    kind_of: dict[int, int] = {}
    last = 0
    for match in _SENTINEL_AT.finditer(nquads):
        iri, literal = match.group(1), match.group(2)
        index, kind = (int(iri), IRI) if iri is not None else (int(literal), LITERAL)
        if index >= count or kind_of.setdefault(index, kind) != kind:
            return None
        parts.append(nquads[last : match.start()] + ("<" if kind == IRI else '"'))
        slots.append(index)
        kinds.append(kind)
        last = match.end()
    parts.append(nquads[last:])
    parts[1:] = [(">" if kinds[n] == IRI else '"') + part for n, part in enumerate(parts[1:])]
    if any("x-microcareer-template" in part for part in parts):
        return None
    return _Template(
        tuple(parts), tuple(slots), tuple(kinds), frozenset(i for i, k in kind_of.items() if k == IRI)
    )


@dataclass(slots=True)
class _Shape:
    failures: int = 0
    fixed: frozenset[int] | None = None
    """The value strings kept as they are, in the template's key (IRI places where pyld expands the
    string: a term such as ``assertionMethod``, a compact IRI), once a template is learnt."""
    templates: LRUCache[tuple[str, ...], _Template] = field(
        default_factory=lambda: LRUCache(maxsize=_MAX_PER_SHAPE)
    )


class TemplateCache:
    """Templates of the shapes met, for one set of pinned contexts (bounded; thread-safe)."""

    def __init__(self, contexts: Mapping[str, Mapping[str, Any]]) -> None:
        self._terms, self._type_keys, self._keyword_keys = _terms(contexts)
        self._shapes: LRUCache[bytes, _Shape] = LRUCache(maxsize=_MAX_SHAPES)
        self._key_kinds: dict[str, int] = {}
        self._plain_iris: dict[str, bool] = {}
        self._lock = threading.Lock()

    def plain_iri(self, value: str) -> bool:
        """Whether pyld expands ``value`` to itself in any place of any pinned context (an absolute IRI
        that is no term and whose prefix is no term); remembered per string (bounded)."""
        known = self._plain_iris.get(value)
        if known is None:
            known = self._plain_iri(value)
            if len(self._plain_iris) >= _MAX_PLAIN_IRIS:
                self._plain_iris.clear()
            self._plain_iris[value] = known
        return known

    def _plain_iri(self, value: str) -> bool:
        colon = value.find(":")
        if (
            colon <= 0
            or value in self._terms
            or _KEYWORD_LIKE.match(value)
            or not jsonld._is_absolute_iri(value)
        ):
            return False
        prefix = value[:colon]
        return prefix != "_" and (value.startswith("//", colon + 1) or prefix not in self._terms)

    def nquads(self, document: Mapping[str, Any], to_rdf: Callable[[Mapping[str, Any]], str]) -> str:
        """``to_rdf(document)`` (pyld's N-Quads), filled from a template where the shape has one."""
        return self.nquads_or_canonical(document, to_rdf, None)[0]

    def nquads_or_canonical(
        self,
        document: Mapping[str, Any],
        to_rdf: Callable[[Mapping[str, Any]], str],
        limits: tuple[int, int] | None,
    ) -> tuple[str, bool]:
        """``(canonical N-Quads, True)`` where ``limits`` (most quads, most blank nodes) are given and
        the shape's template is compiled and takes the document (``rdf_template_canon``), else
        ``(pyld's N-Quads, False)`` as :meth:`nquads` gives them."""
        walk = _Walk(self._type_keys, self._keyword_keys, self._key_kinds)
        try:
            shaped = walk.shape(document)
            key = orjson.dumps(shaped)
        except (_NotPlain, TypeError, orjson.JSONEncodeError):
            return to_rdf(document), False
        if len(key) > MAX_SHAPE_BYTES or b"x-microcareer-template" in key:
            return to_rdf(document), False
        values = walk.values
        with self._lock:
            shape = self._shapes.get(key)
            if shape is None:
                self._shapes[key] = _Shape()
            fixed = None if shape is None else shape.fixed
            kept = () if fixed is None else tuple(values[index] for index in sorted(fixed))
            template = None if shape is None or fixed is None else shape.templates.get(kept)
        if template is not None:
            compiled = template.canonical
            if limits is not None and compiled is not None and self._all_plain_iris(template, values):
                canonical = compiled(values, max_quads=limits[0], max_blank_nodes=limits[1])
                if canonical is not None:
                    return canonical, True
            filled = self._fill(template, values)
            if filled is not None:
                return filled, False
        nquads = to_rdf(document)
        if shape is not None and template is None and shape.failures < _MAX_ATTEMPTS:
            learnt = self._learn(document, values, nquads, to_rdf, fixed)
            with self._lock:
                if learnt is None:
                    shape.failures += 1
                else:
                    shape.fixed = learnt[0]
                    shape.templates[tuple(values[index] for index in sorted(learnt[0]))] = learnt[1]
        return nquads, False

    def _all_plain_iris(self, template: _Template, values: list[str]) -> bool:
        plain_iri = self.plain_iri
        return all(plain_iri(values[index]) for index in template.iri_slots)

    def _fill(self, template: _Template, values: list[str]) -> str | None:
        for index in template.iri_slots:
            if not self.plain_iri(values[index]):
                return None
        parts = template.parts
        pieces = [parts[0]]
        for index, kind, part in zip(template.slots, template.kinds, parts[1:], strict=True):
            pieces.append(values[index] if kind == IRI else _escape(values[index]))
            pieces.append(part)
        return _sorted_unique("".join(pieces).split("\n"))

    def _learn(
        self,
        document: Mapping[str, Any],
        values: list[str],
        nquads: str,
        to_rdf: Callable[[Mapping[str, Any]], str],
        fixed: frozenset[int] | None,
    ) -> tuple[frozenset[int], _Template] | None:
        """The template of ``document``'s shape and the value strings it keeps, or None.

        A first sentinel run tells the IRI places; where the document's string there is not a plain
        IRI (pyld expands it), the string is kept and the sentinels run again. The shape's kept places,
        once learnt, stay: a document whose other IRI places are not plain takes pyld's path."""
        if any("x-microcareer-template" in value for value in values):
            return None
        keep = fixed or frozenset()
        for _ in range(2):
            counter = [0]
            sentinels = _with_sentinels(document, self._type_keys, counter, keep)
            if counter[0] != len(values):
                return None
            try:
                sentinel_nquads = to_rdf(sentinels)
                template = _template_of(sentinel_nquads, len(values))
            except Exception:  # whatever pyld makes of the sentinel copy, the template is not learnt
                return None
            if template is None:
                return None
            expanded = frozenset(index for index in template.iri_slots if not self.plain_iri(values[index]))
            if not expanded:
                break
            if fixed is not None:
                return None
            keep |= expanded
        else:
            return None
        if self._fill(template, values) != nquads:
            return None
        return keep, dataclasses.replace(template, canonical=compile_template(sentinel_nquads, len(values)))


def _sorted_unique(lines: Iterable[str]) -> str:
    return "".join(sorted({line + "\n" for line in lines if line}))
