"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be read as a formula
by Excel, LibreOffice or Google Sheets; every CSV the platform writes (extraction downloads, the CLI's
``--output csv``, a batch's ``index.csv``) goes through ``FormulaSafeWriter``, which prefixes such a text
cell with ``'`` (shown as text, not evaluated). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> object:
    """``cell`` as a spreadsheet will show it, not run it."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class FormulaSafeWriter:
    """``csv.writer`` whose text cells are neutralised."""

    def __init__(self, out: IO[str], *, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(out, lineterminator=lineterminator)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
