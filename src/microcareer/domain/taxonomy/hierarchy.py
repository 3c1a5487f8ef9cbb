"""Paths up a polyhierarchy: every chain from a concept to a top concept (one with no broader)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MAX_CHAINS = 25


def broader_chains(start: K, parents: Mapping[K, Sequence[K]], *, limit: int = MAX_CHAINS) -> list[list[K]]:
    """Each chain runs from a top concept down to ``start``'s direct broader; ``start`` is left out.

    ESCO lets a concept have several broader concepts, so there may be several chains; cycles (which a
    bad import could bring) are cut, and at most ``limit`` chains are returned, shortest first.
    """
    chains: list[list[K]] = []
    stack: list[tuple[K, list[K]]] = [(start, [])]
    while stack and len(chains) < limit:
        node, path = stack.pop()
        ups = [up for up in parents.get(node, ()) if up != start and up not in path]
        if not ups:
            if path:
                chains.append(list(reversed(path)))
            continue
        for up in reversed(ups):
            stack.append((up, [*path, up]))
    return sorted(chains, key=len)
