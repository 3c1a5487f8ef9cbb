"""Canonical N-Quads straight from an N-Quads template: RDFC-1.0's common case, compiled per shape.

An N-Quads template (``rdf_templates``) fixes every quad of a document shape but for its value
strings, and fixes which quads mention which blank node. So the work of RDFC-1.0's common case
(``rdfc_first_degree``: every blank node told apart by its first-degree hash) can be laid out once
per template, as two Python functions generated from the template's text:

- the first-degree quads of each blank node (itself ``_:a``, the others ``_:z``), values filled in;
- every quad in canonical N-Quads, values filled in and each blank node given its canonical label.

Filling a document then costs a few string joins per quad and one hash per blank node, with no
N-Quads text to parse. The template's own text (its sentinel form) must be in the subset of N-Quads
that ``rdfc_first_degree`` reads as canonical, or nothing is compiled. Each value is written as
canonical N-Quads writes it (a literal's characters escaped as pyoxigraph escapes them; an IRI only
where it needs no escaping and pyoxigraph accepts it). Anything else answers None and the caller
takes the general path: a value outside that, two blank nodes sharing a first-degree hash, two
quads made one by their values, a template over the budget's quad or blank-node limit.

The generated code holds only ``repr``s of the template's constant text and indexes into the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from microcareer.domain.credentials.rdfc_first_degree import HASHES, iri_is_canonical, line_terms

_SENTINEL_IRI = re.compile(r"<urn:x-microcareer-template:(\d+)>")
_SENTINEL_LITERAL = re.compile(r'"urn:x-microcareer-template:(\d+)"((?:\^\^<[^>]*>)?)')
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\ufffe\uffff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04X}"


def canonical_literal(text: str) -> str:
    """A string literal's quoted text in canonical N-Quads (as pyoxigraph writes it)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(_escape_one, text) + '"'


class CanonicalFill:
    """A template compiled to canonical N-Quads (see the module)."""

    __slots__ = (
        "_emit",
        "_hash_inputs",
        "blank_nodes",
        "iri_slots",
        "literal_slots",
        "quads",
        "quads_with_blanks",
    )

    def __init__(
        self,
        hash_inputs: Callable[[Sequence[str]], tuple[list[str], ...]],
        emit: Callable[[Sequence[str], Sequence[str]], list[str]],
        iri_slots: tuple[int, ...],
        literal_slots: tuple[int, ...],
        blank_nodes: int,
        quads: int,
        quads_with_blanks: int,
    ) -> None:
        self._hash_inputs = hash_inputs
        self._emit = emit
        self.iri_slots = iri_slots
        self.literal_slots = literal_slots
        self.blank_nodes = blank_nodes
        self.quads = quads
        self.quads_with_blanks = quads_with_blanks
        """``emit`` writes these first."""

    def __call__(
        self, values: Sequence[str], *, max_quads: int, max_blank_nodes: int, hash_algorithm: str = "SHA256"
    ) -> str | None:
        """The RDFC-1.0 canonical N-Quads of the document whose value strings are ``values``, or None."""
        new_hash = HASHES.get(hash_algorithm)
        if new_hash is None or self.quads > max_quads or self.blank_nodes > max_blank_nodes:
            return None
        terms = list(values)
        for index in self.iri_slots:
            iri = f"<{values[index]}>"
            if not iri_is_canonical(iri):
                return None
            terms[index] = iri
        for index in self.literal_slots:
            text = values[index]
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return None  # a lone surrogate: the general path refuses it
            terms[index] = canonical_literal(text)
        hashes = [
            new_hash("".join(sorted(quads)).encode("utf-8")).hexdigest() for quads in self._hash_inputs(terms)
        ]
        if len(set(hashes)) != len(hashes):
            return None
        labels = [""] * len(hashes)
        for rank, node in enumerate(sorted(range(len(hashes)), key=hashes.__getitem__)):
            labels[node] = f"_:c14n{rank}"
        lines = self._emit(terms, labels)
        with_blanks = self.quads_with_blanks
        if len(set(lines[:with_blanks])) != with_blanks:
            return None  # two quads made one by their values: a blank node's hash would count it once
        return "".join(sorted(set(lines)))


def _join(pieces: list[tuple[bool, str]]) -> str:
    """Python source concatenating ``pieces`` (constant text, or an expression), constants merged."""
    merged: list[str] = []
    constant = ""
    for is_text, piece in pieces:
        if is_text:
            constant += piece
            continue
        if constant:
            merged.append(repr(constant))
            constant = ""
        merged.append(piece)
    if constant:
        merged.append(repr(constant))
    return " + ".join(merged) or "''"


def _first_degree_piece(node: int) -> Callable[[int], tuple[bool, str]]:
    """Blank nodes as Hash First Degree Quads writes them: ``node`` as ``_:a``, any other as ``_:z``."""

    def piece(other: int) -> tuple[bool, str]:
        return True, "_:a" if other == node else "_:z"

    return piece


def compile_template(sentinel_nquads: str, count: int) -> CanonicalFill | None:
    """The canonical filler of a template, from pyld's N-Quads of its sentinel document, or None."""
    lines = sentinel_nquads.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    iri_slots: set[int] = set()
    literal_slots: set[int] = set()
    blanks: dict[str, int] = {}
    quads: list[list[tuple[str, Any]]] = []  # each term: ("text", repr) | ("value", index) | ("blank", n)
    for line in lines:
        terms = line_terms(line)
        if terms is None:
            return None
        quad: list[tuple[str, Any]] = []
        for term in terms:
            if term is None:
                continue
            iri = _SENTINEL_IRI.fullmatch(term)
            literal = _SENTINEL_LITERAL.fullmatch(term)
            if iri is not None:
                index = int(iri.group(1))
                iri_slots.add(index)
                quad.append(("value", (index, "")))
            elif literal is not None:
                index = int(literal.group(1))
                literal_slots.add(index)
                quad.append(("value", (index, literal.group(2))))
            elif "x-microcareer-template" in term:
                return None
            elif term[0] == "_":
                quad.append(("blank", blanks.setdefault(term, len(blanks))))
            else:
                quad.append(("text", term))
        quads.append(quad)
    if iri_slots & literal_slots or any(index >= count for index in iri_slots | literal_slots):
        return None

    def source(quad: list[tuple[str, Any]], blank: Callable[[int], tuple[bool, str]]) -> str:
        pieces: list[tuple[bool, str]] = []
        for n, (kind, what) in enumerate(quad):
            if n:
                pieces.append((True, " "))
            if kind == "text":
                pieces.append((True, what))
            elif kind == "value":
                pieces.append((False, f"V[{what[0]}]"))
                pieces.append((True, what[1]))
            else:
                pieces.append(blank(what))
        pieces.append((True, " .\n"))
        return _join(pieces)

    per_node: list[list[str]] = [[] for _ in blanks]
    for quad in quads:
        nodes = {what for kind, what in quad if kind == "blank"}
        for node in nodes:
            per_node[node].append(source(quad, _first_degree_piece(node)))
    with_blanks = [quad for quad in quads if any(kind == "blank" for kind, _ in quad)]
    without = [quad for quad in quads if all(kind != "blank" for kind, _ in quad)]
    emitted = [source(quad, lambda node: (False, f"B[{node}]")) for quad in with_blanks + without]
    code = (
        "def hash_inputs(V):\n    return ("
        + "".join("[" + ", ".join(node) + "], " for node in per_node)
        + ")\n"
        + "def emit(V, B):\n    return ["
        + ", ".join(emitted)
        + "]\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(code, "<rdf template>", "exec"), namespace)  # noqa: S102 - generated from reprs only
    return CanonicalFill(
        namespace["hash_inputs"],
        namespace["emit"],
        tuple(sorted(iri_slots)),
        tuple(sorted(literal_slots)),
        len(blanks),
        len(quads),
        len(with_blanks),
    )
