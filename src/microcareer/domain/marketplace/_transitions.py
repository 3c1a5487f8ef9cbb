"""One checked step through a state table, shared by jobs, applications, contracts and milestones."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from microcareer.errors import Conflict

S = TypeVar("S", bound=StrEnum)


def step(table: Mapping[S, frozenset[S]], current: S, target: S, what: str) -> S:
    """``target`` when ``table`` allows ``current`` → ``target``; else ``Conflict`` naming both states."""
    allowed = table[current]
    if target not in allowed:
        onward = ", ".join(sorted(state.value for state in allowed)) or "nothing, it is final"
        raise Conflict(
            f"{what}: cannot go from {current.value} to {target.value} ({current.value} may go to {onward})",
            current=current.value,
            target=target.value,
        )
    return target
