"""Reporting long work (imports, index builds) without knowing how it is shown: bars, logs, or nothing."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Reports long work: a named stage with an optional total, then advances within it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class NoProgress:
    """Progress that shows nothing (library calls, tests)."""

    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None
