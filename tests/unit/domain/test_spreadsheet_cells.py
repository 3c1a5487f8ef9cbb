"""Text cells a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io

import pytest

from microcareer.domain.spreadsheet_cells import FormulaSafeWriter, neutralised


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_formula_start_is_prefixed(start: str) -> None:
    assert neutralised(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("cell", ["plain", "", "a=b", "1-2", 3, -4, 0.5, None])
def test_other_cells_are_left_alone(cell: object) -> None:
    assert neutralised(cell) == cell


def test_the_writer_neutralises_every_text_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = FormulaSafeWriter(out)
    writer.writerow(["name", "=cmd"])
    writer.writerows([["@x", -1], ["ok", "\tq"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "'=cmd"],
        ["'@x", "-1"],
        ["ok", "'\tq"],
    ]
