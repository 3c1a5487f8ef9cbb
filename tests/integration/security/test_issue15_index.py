"""The security suite's index: every test ``elsewhere.txt`` names for an attack of issue 15 exists.

``make security`` runs this folder (the account attacks of point 4 and the schemathesis run of point
7) and the tests named there (upload limits, trust and collusion, SSRF, edge input, headers, CSV
injection, time entries, review visibility), so a renamed or deleted test fails here instead of
silently leaving the suite.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
INDEX = Path(__file__).with_name("elsewhere.txt")


def node_ids() -> list[str]:
    lines = INDEX.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_test_the_index_names_exists() -> None:
    ids = node_ids()
    assert len(ids) >= 10
    for node in ids:
        path, _, name = node.partition("::")
        module = ROOT / path
        assert module.is_file(), f"{node}: no such file"
        tree = ast.parse(module.read_text(encoding="utf-8"))
        functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert name in functions, f"{node}: no such test in {path}"
