"""How search results' extras print: the typos read, and each facet's counts (text or JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.markup import escape

from microcareer.cli.output import console
from microcareer.domain.search import Facets


def search_json(facets: Facets, widened: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    return {
        "facets": {
            name: [{"value": c.value, "count": c.count} for c in counts]
            for name, counts in facets.counts.items()
        },
        "widened": {term: list(words) for term, words in widened.items()},
    }


def print_widened(widened: Mapping[str, Sequence[str]]) -> None:
    for term, words in widened.items():
        console.print(f"[dim]read {escape(term)!r} as {escape(' or '.join(words))}[/dim]")


def print_facets(facets: Facets, *, skip: Sequence[str] = ()) -> None:
    """One line a facet: ``remote: remote 3 · on_site 1``."""
    for name, counts in facets.counts.items():
        if name in skip or not counts:
            continue
        values = " · ".join(f"{escape(c.value)} {c.count}" for c in counts)
        console.print(f"[dim]{name}:[/dim] {values}")
