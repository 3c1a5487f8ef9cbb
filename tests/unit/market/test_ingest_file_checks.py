"""``market_ingest.ingest_file`` refuses a file before anything is stored, naming the field: the mapping
(``columns``), the source, a file with no rows, over its row or text cap (413), or without a mapped
required column; only platform admins (and the local operator) ingest. No store: the checks come first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pytest

from microcareer.domain.accounts import Actor, Role
from microcareer.errors import FileTooLarge, InvalidInput, NotAuthenticated, PermissionDenied
from microcareer.services import market_ingest
from microcareer.services.ports import UnitOfWork

ADMIN = Actor(user_id=1, roles=frozenset({Role.PLATFORM_ADMIN}))


@dataclass
class FakePostingFile:
    rows: int = 3
    size: int = 100
    header: list[str] | None = None
    name: str = "p.csv"
    stem: str = "p"

    def count(self) -> int | None:
        return self.rows

    def text_bytes(self) -> int:
        return self.size

    def columns(self) -> list[str] | None:
        return self.header

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        raise AssertionError("refused files are never read")


def _ingest(
    file: FakePostingFile, *, actor: Actor = ADMIN, columns: str = "id=job", source: str = ""
) -> None:
    market_ingest.ingest_file(
        cast(UnitOfWork, None),  # never reached: every case here is refused first
        {},
        None,
        actor=actor,
        file=file,
        columns=columns,
        source=source,
        max_rows=10,
        max_bytes=1_000,
    )


@pytest.mark.parametrize(
    ("file", "options", "error", "field"),
    [
        (FakePostingFile(), {"columns": "id"}, InvalidInput, "columns"),
        (FakePostingFile(), {"columns": "colour=job"}, InvalidInput, "columns"),
        (FakePostingFile(), {"source": "s" * 101}, InvalidInput, "source"),
        (FakePostingFile(rows=0), {}, InvalidInput, "file"),
        (FakePostingFile(rows=11), {}, FileTooLarge, "file"),
        (FakePostingFile(size=1_001), {}, FileTooLarge, "file"),
        (FakePostingFile(header=["id", "title", "text", "date"]), {}, InvalidInput, "columns"),  # no "job"
    ],
)
def test_a_file_is_refused_naming_the_field(
    file: FakePostingFile, options: dict[str, str], error: type[InvalidInput], field: str
) -> None:
    with pytest.raises(error) as refused:
        _ingest(file, columns=options.get("columns", "id=job"), source=options.get("source", ""))
    assert refused.value.extra["field"] == field
    assert type(refused.value) is error


def test_only_platform_admins_ingest() -> None:
    with pytest.raises(NotAuthenticated):
        _ingest(FakePostingFile(), actor=Actor.anonymous())
    with pytest.raises(PermissionDenied):
        _ingest(FakePostingFile(), actor=Actor(user_id=2, roles=frozenset({Role.PROFESSIONAL})))
