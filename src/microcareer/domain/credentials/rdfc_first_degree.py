"""RDFC-1.0 in its common case: every blank node told apart by its first-degree hash.

RDFC-1.0 (https://www.w3.org/TR/rdf-canon/) first hashes each blank node's own quads (§4.6, Hash
First Degree Quads: the node's quads in canonical N-Quads with the node written ``_:a`` and every
other blank node ``_:z``, sorted, concatenated, hashed). Where no two blank nodes share that hash
(§4.4.3 step 3 then issues every identifier, and steps 4 and 5 have no work left), the canonical
label of each blank node is ``c14n`` + its rank among the sorted hashes, and the canonical dataset is
the quads so relabelled, in canonical N-Quads, sorted (§4.4.3 step 6, §4.4.4). Credentials are
almost always so: their blank nodes (alignments, a proof, a subject without an id) differ in what
they say.

:func:`canonicalize_distinct` does exactly that, on N-Quads text, for a strict subset of N-Quads whose
text already is the canonical form of its terms (so it is parsed by one regular expression per line,
not by pyoxigraph): one statement per line, single spaces, ``<IRI>`` without escapes (each one also
accepted by pyoxigraph's IRI parser), ``_:label`` in ASCII, literals without a language tag or the
implicit ``xsd:string``, whose characters are either written as themselves where canonical N-Quads
does so or as its short escapes (``\\t \\b \\n \\r \\f \\" \\\\``). Anything else, and any shared
hash, answers None: the caller runs the full algorithm (pyoxigraph, after its work budget). The
budget's quad and blank-node limits are checked here, as the full path checks them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pyoxigraph

_IRI = re.compile(r'<[^\x00-\x20<>"{}|^`\\]*>')
_BLANK = re.compile(r"_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_LITERAL_BODY = re.compile(r'(?:[^"\\\x00-\x1f\x7f\ufffe\uffff]|\\[tbnrf"\\])*')
_NOT_AS_ITSELF = re.compile(r'["\x00-\x1f\x7f\ufffe\uffff]')
_DATATYPES_OUTSIDE = frozenset(
    {
        "<http://www.w3.org/2001/XMLSchema#string>",  # written without its datatype
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString>",
    }
)
_MAX_KNOWN = 16_384
_known_iris: set[str] = set()
_known_blanks: set[str] = set()

HASHES: dict[str, Callable[[bytes], Any]] = {"SHA256": hashlib.sha256, "SHA384": hashlib.sha384}

Terms = tuple[str, str, str, str | None]


class OverBudget(Exception):
    """The dataset has more quads or blank nodes than allowed (the message says which)."""


def iri_is_canonical(term: str) -> bool:
    """Whether ``<IRI>`` is written canonically (no escapes) and pyoxigraph reads it (RFC 3987)."""
    if term in _known_iris:
        return True
    if _IRI.fullmatch(term) is None:
        return False
    try:
        pyoxigraph.NamedNode(term[1:-1])
    except ValueError:
        return False
    if len(_known_iris) >= _MAX_KNOWN:
        _known_iris.clear()
    _known_iris.add(term)
    return True


def _node(term: str) -> bool:
    """An IRI or a blank node label (ASCII)."""
    if term[:1] == "<":
        return iri_is_canonical(term)
    if term in _known_blanks:
        return True
    if _BLANK.fullmatch(term) is None:
        return False
    if len(_known_blanks) >= _MAX_KNOWN:
        _known_blanks.clear()
    _known_blanks.add(term)
    return True


def line_terms(line: str) -> Terms | None:
    """The four terms of a line in the subset (no graph: None), or None where it is outside it."""
    if line[-2:] != " .":
        return None
    quote = line.find('"')
    if quote < 0:
        parts = line[:-2].split(" ")
        count = len(parts)
        if count == 3:
            subject, predicate, value = parts
            graph = None
        elif count == 4:
            subject, predicate, value, graph = parts
            if not _node(graph):
                return None
        else:
            return None
        if _node(subject) and predicate[:1] == "<" and iri_is_canonical(predicate) and _node(value):
            return subject, predicate, value, graph
        return None
    head = line[:quote].split(" ")
    if len(head) != 3 or head[2]:
        return None
    subject, predicate = head[0], head[1]
    if not (_node(subject) and predicate[:1] == "<" and iri_is_canonical(predicate)):
        return None
    end = line.rindex('"')
    body = line[quote + 1 : end]
    if "\\" in body:
        if _LITERAL_BODY.fullmatch(body) is None:
            return None
    elif _NOT_AS_ITSELF.search(body) is not None:
        return None
    tail = line[end + 1 : -2]
    value = line[quote : end + 1]
    if tail[:2] == "^^":
        datatype, space, graph_text = tail[2:].partition(" ")
        if datatype in _DATATYPES_OUTSIDE or not iri_is_canonical(datatype):
            return None
        value += "^^" + datatype
    elif not tail or tail[0] == " ":
        space, graph_text = tail[:1], tail[1:]
    else:
        return None
    if not space:
        return subject, predicate, value, None
    if graph_text and _node(graph_text):
        return subject, predicate, value, graph_text
    return None


def canonicalize_distinct(
    nquads: str, *, max_quads: int, max_blank_nodes: int, hash_algorithm: str = "SHA256"
) -> str | None:
    """The RDFC-1.0 canonical N-Quads of ``nquads`` where the fast path applies (see the module), or None.

    Raises :class:`OverBudget` over ``max_quads`` statements (counted as written, repeats too, as the
    full path counts them) or ``max_blank_nodes`` blank nodes."""
    new_hash = HASHES.get(hash_algorithm)
    if new_hash is None or "\r" in nquads or not _encodable(nquads):
        return None
    lines = nquads.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    if len(lines) > max_quads:
        raise OverBudget(f"{len(lines)} RDF quads exceed the limit of {max_quads}")
    plain: set[str] = set()
    with_blanks: dict[str, Terms] = {}
    for line in lines:
        terms = line_terms(line)
        if terms is None:
            return None
        if "_:" in line and any(term is not None and term[0] == "_" for term in terms):
            with_blanks[line] = terms
        else:
            plain.add(line + "\n")
    if not with_blanks:
        return "".join(sorted(plain))
    mentions: dict[str, list[Terms]] = {}
    for terms in with_blanks.values():
        for node in {term for term in terms if term is not None and term[0] == "_"}:
            mentions.setdefault(node, []).append(terms)
    if len(mentions) > max_blank_nodes:
        raise OverBudget(
            f"{len(mentions)} blank nodes exceed the canonicalisation limit of {max_blank_nodes}"
        )
    hashes: dict[str, str] = {}
    for node, quads in mentions.items():
        written = sorted(_line(terms, _first_degree_label(node)) for terms in quads)
        hashes[node] = new_hash("".join(written).encode("utf-8")).hexdigest()
    if len(set(hashes.values())) != len(hashes):
        return None  # blank nodes alike in their own quads: Hash N-Degree Quads (the full path)
    labels = {node: f"_:c14n{rank}" for rank, node in enumerate(sorted(hashes, key=hashes.__getitem__))}
    plain.update(_line(terms, labels.__getitem__) for terms in with_blanks.values())
    return "".join(sorted(plain))


def _first_degree_label(node: str) -> Callable[[str], str]:
    """How Hash First Degree Quads writes blank nodes: ``node`` as ``_:a``, any other as ``_:z``."""

    def label(term: str) -> str:
        return "_:a" if term == node else "_:z"

    return label


def _line(terms: Terms, blank: Callable[[str], str]) -> str:
    """One quad in canonical N-Quads, each blank node written as ``blank`` says."""
    return " ".join(blank(term) if term[0] == "_" else term for term in terms if term is not None) + " .\n"


def _encodable(text: str) -> bool:
    """No lone surrogate (the full path refuses such text)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
