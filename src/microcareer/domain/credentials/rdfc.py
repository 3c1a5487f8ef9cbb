"""RDFC-1.0 canonical N-Quads of a JSON-LD document, from pinned contexts only.

Two steps, each by the library that does it best:

1. JSON-LD → RDF (pyld's ``toRdf``). Every ``@context`` URL resolves through a loader that serves
   only the contexts handed to it (the approved, locally pinned set) and refuses anything else:
   nothing is ever fetched. pyld caches each context it has processed, keyed by the active context
   it was applied to; one resolver (with its caches) is kept per distinct set of contexts (the same
   URLs naming the same document objects), so the pinned set is processed once per process rather
   than on every call, and a context approved in one set is never visible from another.
2. RDFC-1.0 on the N-Quads (pyoxigraph, ``CanonicalizationAlgorithm.RDFC_1_0``): byte-identical to
   the W3C test suite's expected outputs (``tests/unit/domain/test_rdf_canon_suite.py``), which
   pyld's own URDNA2015 is not (it escapes some control characters differently).
   Its common case (every blank node told apart by its first-degree hash) is done without
   pyoxigraph: straight from a document's values where its shape's template is compiled
   (``rdf_template_canon``), else on the N-Quads text (``rdfc_first_degree``); both fall back here.

Before canonicalising, the RDF dataset must fit a work budget: at most so many quads and blank
nodes, and, where blank nodes are not told apart by their own quads (first-degree hashes), a bounded
amount of Hash N-Degree Quads work. RDFC-1.0 takes time exponential in such blank nodes in a hostile
("poison") graph, and pyoxigraph cannot be interrupted, so that work is first counted by pyld's
step-by-step implementation of the same algorithm, with a meter that stops it at the budget.
"""

from __future__ import annotations

import copy
import json
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
import pyoxigraph
from cachetools import LRUCache
from frozendict import frozendict
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcareer.domain.credentials.errors import InvalidProof, UnapprovedContext
from microcareer.domain.credentials.rdf_templates import TemplateCache
from microcareer.domain.credentials.rdfc_first_degree import OverBudget, canonicalize_distinct

N_QUADS = "application/n-quads"
HASH_ALGORITHMS = {
    "SHA256": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0,
    "SHA384": pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0_SHA_384,
}


@dataclass(frozen=True, slots=True)
class CanonicalizationBudget:
    """The most RDF (and RDFC-1.0 work) a document may give before canonicalisation is refused.

    ``max_n_degree_work`` bounds Hash N-Degree Quads: each call counts one, and each permutation of
    a group of related blank nodes that it must try counts one more. The W3C suite's hardest
    legitimate inputs need under 1,500; its poison clique of 10 blank nodes needs millions.
    """

    max_quads: int = 5_000
    max_blank_nodes: int = 200
    max_n_degree_work: int = 20_000


class _Refused(Exception):
    """A context URL outside the pinned set was asked for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class _PinnedLoader:
    """A pyld document loader that serves pinned documents and refuses any other URL."""

    def __init__(self, contexts: Mapping[str, Mapping[str, Any]]) -> None:
        self._contexts = contexts

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        document = self._contexts.get(url)
        if document is None:
            raise _Refused(url)
        return {"contextUrl": None, "documentUrl": url, "document": dict(document)}


_MAX_PROCESSED = 1_024
_MAX_RESOLVED = 256
_MAX_IRIS = 65_536
_MAX_SMALL = 256
SMALL_DOCUMENT_BYTES = 2_048
"""Documents up to this size as JSON (proof configurations) have their canonical N-Quads remembered."""


def _context_key(local_ctx: Any) -> bytes | str:
    """A local context's content as a memo key: orjson's sorted JSON (a tenth of ``json.dumps``'s
    time on the large Open Badges context), or ``json.dumps``'s where orjson refuses the value or
    writes a null (it writes NaN and the infinities so: those must not share a key with null)."""
    try:
        text = orjson.dumps(local_ctx, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        text = b"null"
    if b"null" not in text:
        return text
    return json.dumps(local_ctx, sort_keys=True, separators=(",", ":"))


_pyld_is_absolute_iri = jsonld._is_absolute_iri
_absolute_iri_of_text = lru_cache(maxsize=16_384)(_pyld_is_absolute_iri)
_MAX_REMEMBERED_IRI = 512


def _is_absolute_iri(value: Any) -> Any:
    """pyld's ``_is_absolute_iri`` (a pure function of its text: a regular expression), remembered per
    string up to ``_MAX_REMEMBERED_IRI`` characters (the cache stays small whatever is sent): pyld
    asks it about the same few hundred IRIs tens of times per credential."""
    if type(value) is str and len(value) <= _MAX_REMEMBERED_IRI:
        return _absolute_iri_of_text(value)
    return _pyld_is_absolute_iri(value)


jsonld._is_absolute_iri = _is_absolute_iri  # pyld's methods look the function up in their module


class _ContextMemoProcessor(jsonld.JsonLdProcessor):  # type: ignore[misc]  # pyld is untyped
    """pyld's processor, remembering each processed context by what it was processed from.

    pyld caches a processed context under the active context it was applied to, but a type-scoped
    context (``@propagate: false``, as every type in the VC 2.0 context has) is applied to a fresh
    copy of the active context each time, so pyld never finds it again and processes the context
    anew for every typed node. This remembers the result under (the active context's id, the local
    context's JSON, the flags): the same inputs give the same immutable (frozen) active context.
    """

    def __init__(self, memo: OrderedDict[tuple[Any, ...], Any], iris: dict[tuple[Any, ...], Any]) -> None:
        super().__init__()
        self._memo = memo
        self._iris = iris

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        """pyld's IRI expansion, remembered per (frozen) active context outside context processing."""
        if local_ctx is not None or not isinstance(value, str) or not isinstance(active_ctx, frozendict):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        key = (active_ctx.get("_uuid"), value, base, vocab)
        try:
            return self._iris[key]
        except KeyError:
            pass
        expanded = super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        if key[0] is not None:
            if len(self._iris) >= _MAX_IRIS:
                self._iris.clear()
            self._iris[key] = expanded
        return expanded

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        def process() -> Any:
            return super(_ContextMemoProcessor, self)._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected=override_protected,
                propagate=propagate,
                validate_scoped=validate_scoped,
                cycles=set() if cycles is None else cycles,
            )

        active_id = active_ctx.get("_uuid")
        if active_id is None or not isinstance(active_ctx, frozendict):
            # a context still being built (pyld checks scoped contexts half way through defining its
            # terms) shares its id with the finished one: only finished, frozen contexts are keys
            return process()
        try:
            local = _context_key(local_ctx)
        except (TypeError, ValueError):
            return process()
        key = (active_id, local, override_protected, propagate, validate_scoped, options.get("base"))
        found = self._memo.get(key)
        if found is not None:
            self._memo.move_to_end(key)
            return found
        result = process()
        if isinstance(result, frozendict) and "_uuid" in result:
            self._memo[key] = result
            while len(self._memo) > _MAX_PROCESSED:
                self._memo.popitem(last=False)
        return result


@dataclass(slots=True)
class _Processor:
    """One set of pinned contexts with pyld's resolver and processed contexts (its caches).

    The lock keeps the caches consistent across threads (pyld is pure Python: it would hold the
    interpreter lock anyway).
    """

    contexts: Mapping[str, Mapping[str, Any]]
    documents: tuple[Mapping[str, Any], ...]  # held so the ids in the cache key are not reused
    resolver: ContextResolver
    lock: threading.Lock
    processed: OrderedDict[tuple[Any, ...], Any]
    iris: dict[tuple[Any, ...], Any]
    small: LRUCache[tuple[bytes | str, CanonicalizationBudget], str]
    """Canonical N-Quads of small documents (proof configurations) by their sorted JSON."""
    templates: TemplateCache
    """N-Quads templates of the document shapes met (``rdf_templates``)."""


_PROCESSORS: OrderedDict[tuple[tuple[str, int], ...], _Processor] = OrderedDict()
_PROCESSORS_LOCK = threading.Lock()
_MAX_PROCESSORS = 16


_ATOMS = (str, int, float, bool, type(None))


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON: new dicts and lists, the (immutable) scalars shared, as ``deepcopy`` does;
    anything else is left to ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        return {key: _json_copy(item) for key, item in value.items()}
    if kind is list:
        return [_json_copy(item) for item in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


class _Document(dict[str, Any]):
    """A document handed to pyld, which deep-copies it before expanding: copied as JSON.

    ``copy.deepcopy`` (memo table, reductions, type dispatch) was a sixth of pyld's time on a
    credential; :func:`_json_copy` gives the same copy of plain JSON several times faster."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return _json_copy(dict(self))


def _bounded_resolver(loader: _PinnedLoader) -> ContextResolver:
    """pyld's resolver with bounded caches: it also keeps every inline ``@context`` a document brings,
    and a verifier must not grow without bound on what others send it."""
    resolver = ContextResolver(LRUCache(maxsize=_MAX_RESOLVED), loader)
    resolver.per_op_cache = LRUCache(maxsize=_MAX_RESOLVED)
    return resolver


def _processor(contexts: Mapping[str, Mapping[str, Any]]) -> _Processor:
    """The cached processor of this set of contexts (same URLs, same document objects), or a new one."""
    key = tuple((url, id(document)) for url, document in contexts.items())
    with _PROCESSORS_LOCK:
        processor = _PROCESSORS.get(key)
        if processor is None:
            frozen = dict(contexts)
            processor = _Processor(
                frozen,
                tuple(frozen.values()),
                _bounded_resolver(_PinnedLoader(frozen)),
                threading.Lock(),
                OrderedDict(),
                {},
                LRUCache(maxsize=_MAX_SMALL),
                TemplateCache(frozen),
            )
            _PROCESSORS[key] = processor
            while len(_PROCESSORS) > _MAX_PROCESSORS:
                _PROCESSORS.popitem(last=False)
        else:
            _PROCESSORS.move_to_end(key)
        return processor


def _refused_url(error: BaseException | None) -> str | None:
    """The URL our loader refused, found anywhere in the chain of causes pyld wraps it in."""
    seen = 0
    while error is not None and seen < 32:
        if isinstance(error, _Refused):
            return error.url
        details = getattr(error, "details", None)
        cause = details.get("cause") if isinstance(details, Mapping) else None
        error = cause if isinstance(cause, BaseException) else error.__cause__ or error.__context__
        seen += 1
    return None


def to_nquads(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    what: str = "document",
) -> str:
    """The (not yet canonical) N-Quads of ``document``; ``what`` names it in errors."""
    return _nquads(document, contexts, what, None)[0]


def _nquads(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    what: str,
    limits: tuple[int, int] | None,
) -> tuple[str, bool]:
    """pyld's N-Quads of ``document`` (by template where one fits), or its canonical N-Quads straight
    from a compiled template where ``limits`` are given (True then)."""
    processor = _processor(contexts)
    options = {
        "documentLoader": _PinnedLoader(processor.contexts),
        "contextResolver": processor.resolver,
        "processingMode": "json-ld-1.1",
        "format": N_QUADS,
    }

    def to_rdf(source: Mapping[str, Any]) -> str:
        with processor.lock:
            nquads = _ContextMemoProcessor(processor.processed, processor.iris).to_rdf(
                _Document(source), options
            )
        return str(nquads)

    try:
        return processor.templates.nquads_or_canonical(document, to_rdf, limits)
    except jsonld.JsonLdError as error:
        refused = _refused_url(error)
        if refused is not None:
            raise UnapprovedContext(refused) from None
        raise InvalidProof(f"{what}: JSON-LD processing failed ({getattr(error, 'type', 'error')})") from None


def to_nquads_by_pyld(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
) -> str:
    """pyld's N-Quads of ``document`` with no template (what the templates are tested against)."""
    processor = _processor(contexts)
    options = {
        "documentLoader": _PinnedLoader(processor.contexts),
        "contextResolver": processor.resolver,
        "processingMode": "json-ld-1.1",
        "format": N_QUADS,
    }
    with processor.lock:
        nquads = _ContextMemoProcessor(processor.processed, processor.iris).to_rdf(
            _Document(document), options
        )
    return str(nquads)


def expand(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    what: str = "document",
) -> list[Any]:
    """JSON-LD expansion of ``document`` (pyld), resolving contexts only from ``contexts``.

    The same cached processor as :func:`to_nquads`: the pinned contexts are processed once per
    process, not on every call. A context outside ``contexts`` raises ``UnapprovedContext``; any
    other JSON-LD error ``InvalidProof`` naming ``what``."""
    processor = _processor(contexts)
    options = {
        "documentLoader": _PinnedLoader(processor.contexts),
        "contextResolver": processor.resolver,
        "processingMode": "json-ld-1.1",
    }
    try:
        with processor.lock:
            expanded = _ContextMemoProcessor(processor.processed, processor.iris).expand(
                _Document(document), options
            )
    except jsonld.JsonLdError as error:
        refused = _refused_url(error)
        if refused is not None:
            raise UnapprovedContext(refused) from None
        cause = getattr(error, "type", "error")
        raise InvalidProof(f"{what}: JSON-LD expansion failed ({cause}: {error.args[0]})") from None
    return list(expanded)


def _parse(nquads: str, what: str) -> list[pyoxigraph.Quad]:
    try:
        return list(pyoxigraph.parse(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    except SyntaxError as error:
        raise InvalidProof(f"{what}: not N-Quads ({error})") from None


def _first_degree_mentions(quads: list[pyoxigraph.Quad]) -> dict[str, Counter[tuple[object, ...]]]:
    """Each blank node's quads, with the node itself written ``_:a`` and every other blank node ``_:z``.

    One pass, each quad's terms read once (reading a term off a pyoxigraph quad builds a Python
    object: most of what this costs); quads without a blank node are skipped after one look."""
    blank = pyoxigraph.BlankNode
    mentions: dict[str, Counter[tuple[object, ...]]] = {}
    for quad in quads:
        terms = tuple(quad)
        subject, _, value, graph = terms
        if type(subject) is not blank and type(value) is not blank and type(graph) is not blank:
            continue
        nodes = {term.value for term in terms if type(term) is blank}
        for node in nodes:
            key = tuple(
                term if type(term) is not blank else ("_:a" if term.value == node else "_:z")
                for term in terms
            )
            found = mentions.get(node)
            if found is None:
                found = mentions[node] = Counter()
            found[key] += 1
    return mentions


def _has_shared_first_degree_hash(mentions: Mapping[str, Counter[tuple[object, ...]]]) -> bool:
    """Whether two blank nodes have the same first-degree quads (RDFC-1.0 §4.6), so N-degree work follows.

    Hashing is not needed to tell: two blank nodes share a first-degree hash exactly when their
    quads, with the node itself written ``_:a`` and every other blank node ``_:z``
    (:func:`_first_degree_mentions`), are the same multiset (terms compared as pyoxigraph terms:
    equal exactly when their N-Quads are).
    """
    signatures = [frozenset(found.items()) for found in mentions.values()]
    return len(set(signatures)) != len(signatures)


class _WorkExceeded(Exception):
    pass


class _MeteredRdfc(jsonld.URDNA2015):  # type: ignore[misc]  # pyld is untyped
    """pyld's RDFC-1.0 (URDNA2015) steps, stopped once Hash N-Degree Quads has done ``limit`` work."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.work = 0

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
        # called once per Hash N-Degree Quads call, before it tries each permutation of each group
        related: dict[str, list[str]] = super().create_hash_to_related(id_, issuer)
        self.work += 1
        for group in related.values():
            self.work += math.factorial(len(group)) if len(group) < 20 else self.limit + 1
            if self.work > self.limit:
                raise _WorkExceeded
        if self.work > self.limit:
            raise _WorkExceeded
        return related


def _check_n_degree_work(nquads: str, budget: CanonicalizationBudget, what: str) -> None:
    try:
        _MeteredRdfc(budget.max_n_degree_work).main(jsonld.JsonLdProcessor.parse_nquads(nquads), {})
    except _WorkExceeded:
        raise InvalidProof(
            f"{what}: its blank nodes would take RDFC-1.0 more than {budget.max_n_degree_work} steps "
            "of Hash N-Degree Quads to tell apart (a poison graph?)"
        ) from None


def _quads_with_blank_nodes(nquads: str, quads: list[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """The quads that may hold a blank node: those whose line of text has ``_:`` (all the quads where
    the lines cannot be matched to the quads one for one).

    pyoxigraph reads one statement per line, never two, never one over two lines (it refuses both),
    and a blank node is written ``_:label``; so when the text has as many lines as quads (no blank or
    comment-only line), line n is quad n, and a line without ``_:`` has no blank node. A carriage
    return also ends a line in N-Quads: text with one is not matched. Reading a quad's terms builds
    Python objects: most quads of a credential have no blank node, and are skipped on a substring test."""
    if "\r" in nquads:
        return quads
    lines = nquads.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    if len(lines) != len(quads):
        return quads
    return [quad for quad, line in zip(quads, lines, strict=True) if "_:" in line]


def _check_budget(
    nquads: str, quads: list[pyoxigraph.Quad], budget: CanonicalizationBudget, what: str
) -> None:
    if len(quads) > budget.max_quads:
        raise InvalidProof(f"{what}: {len(quads)} RDF quads exceed the limit of {budget.max_quads}")
    # every blank node is mentioned by a quad of its own
    mentions = _first_degree_mentions(_quads_with_blank_nodes(nquads, quads))
    blank_nodes = mentions.keys()
    if len(blank_nodes) > budget.max_blank_nodes:
        raise InvalidProof(
            f"{what}: {len(blank_nodes)} blank nodes exceed the canonicalisation limit of "
            f"{budget.max_blank_nodes}"
        )
    if _has_shared_first_degree_hash(mentions):
        _check_n_degree_work(nquads, budget, what)


def canonicalize_nquads(
    nquads: str,
    *,
    budget: CanonicalizationBudget | None = None,
    hash_algorithm: str = "SHA256",
    what: str = "document",
) -> str:
    """RDFC-1.0 canonical N-Quads of an N-Quads dataset, refused (``InvalidProof``) over ``budget``.

    The common case (canonical-form text, every blank node told apart by its first-degree hash) is
    done by :func:`rdfc_first_degree.canonicalize_distinct`; anything else by pyoxigraph, after the
    work budget is checked."""
    budget = budget or CanonicalizationBudget()
    try:
        fast = canonicalize_distinct(
            nquads,
            max_quads=budget.max_quads,
            max_blank_nodes=budget.max_blank_nodes,
            hash_algorithm=hash_algorithm,
        )
    except OverBudget as error:
        raise InvalidProof(f"{what}: {error}") from None
    if fast is not None:
        return fast
    quads = _parse(nquads, what)
    _check_budget(nquads, quads, budget, what)
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(HASH_ALGORITHMS[hash_algorithm])
    lines = pyoxigraph.serialize(dataset, format=pyoxigraph.RdfFormat.N_QUADS)
    assert isinstance(lines, bytes)  # serialize returns bytes when given no output
    # N-Quads lines end in "\n" only: str.splitlines would also split at U+0085 inside a literal
    return "".join(sorted(line + "\n" for line in lines.decode("utf-8").split("\n") if line))


def canonical_nquads(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    budget: CanonicalizationBudget | None = None,
    what: str = "document",
) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, resolving contexts only from ``contexts``.

    A document of a shape whose N-Quads template is compiled (``rdf_template_canon``) is
    canonicalised straight from its values; any other by :func:`canonicalize_nquads` on its N-Quads."""
    budget = budget or CanonicalizationBudget()
    text, canonical = _nquads(document, contexts, what, (budget.max_quads, budget.max_blank_nodes))
    if canonical:
        return text
    return canonicalize_nquads(text, budget=budget, what=what)


def canonical_nquads_remembered(
    document: Mapping[str, Any],
    contexts: Mapping[str, Mapping[str, Any]],
    *,
    budget: CanonicalizationBudget | None = None,
    what: str = "document",
) -> str:
    """:func:`canonical_nquads`, remembered for small documents (the proof configuration of a proof).

    Every proof of a batch shares its configuration (type, cryptosuite, key, purpose, ``created``,
    the document's ``@context``), so signing or verifying a batch canonicalises it once. The result is
    a pure function of the document's JSON, the pinned set (the cache lives with that set's
    processor) and the budget, so it is kept (a bounded LRU) under exactly those; a document that
    fails is not kept, and anything larger than ``SMALL_DOCUMENT_BYTES`` as JSON is not looked up."""
    budget = budget or CanonicalizationBudget()
    try:  # the exact JSON (NaN, 1.0 and 1, true and 1 all told apart): orjson's, else json's
        text = _context_key(document)
    except (TypeError, ValueError, RecursionError):
        return canonical_nquads(document, contexts, budget=budget, what=what)
    if len(text) > SMALL_DOCUMENT_BYTES:
        return canonical_nquads(document, contexts, budget=budget, what=what)
    processor = _processor(contexts)
    key = (text, budget)
    with processor.lock:
        found = processor.small.get(key)
    if found is not None:
        return found
    canonical = canonical_nquads(document, contexts, budget=budget, what=what)
    with processor.lock:
        processor.small[key] = canonical
    return canonical


def forget_remembered(contexts: Mapping[str, Mapping[str, Any]]) -> None:
    """Drop the remembered small documents of this set of contexts (benchmarks time the cold path)."""
    processor = _processor(contexts)
    with processor.lock:
        processor.small.clear()
