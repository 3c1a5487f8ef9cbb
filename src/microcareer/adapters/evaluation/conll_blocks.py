"""CoNLL files cut into sentences: token rows with their line numbers, and the sentence id comments.

One token per line, columns split by tabs (or by runs of spaces when a line has no tab), a blank line
between sentences. Lines starting with ``#`` before a sentence's first token are comments, and
``# sentence_id = ...``, ``# sent_id = ...`` or ``# id = ...`` names the sentence; inside a sentence a
``#`` is a token like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from microcareer.errors import DataFileError

_ID_COMMENT = re.compile(r"^#\s*(?:sentence_id|sent_id|id)\s*[=:]\s*(\S.*?)\s*$")


@dataclass(frozen=True, slots=True)
class TokenRow:
    line: int
    cells: tuple[str, ...]


@dataclass(slots=True)
class Block:
    """One sentence's rows, and the id its comments gave, if any."""

    first_line: int
    given_id: str | None = None
    rows: list[TokenRow] = field(default_factory=list)


def split_blocks(text: str, file: str) -> list[Block]:
    """Every sentence with at least one token; all token rows must have as many columns as the first."""
    blocks: list[Block] = []
    current: Block | None = None
    width: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            current = None
            continue
        if current is None:
            current = Block(first_line=number)
            blocks.append(current)
        if line.startswith("#") and not current.rows:
            match = _ID_COMMENT.match(line)
            current.given_id = match.group(1) if match else current.given_id
            continue
        cells = tuple(c.strip() for c in line.split("\t")) if "\t" in line else tuple(line.split())
        width = width or len(cells)
        if len(cells) != width:
            raise DataFileError(
                file, number, None, f"has {len(cells)} columns but the first token line has {width}"
            )
        if not cells[0]:
            raise DataFileError(file, number, "token (column 1)", "a tag without a token")
        current.rows.append(TokenRow(number, cells))
    return [block for block in blocks if block.rows]
