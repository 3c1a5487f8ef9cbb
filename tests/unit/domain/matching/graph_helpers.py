"""A small skills graph for the matching tests: programming with Python, Haskell, Java under it."""

from __future__ import annotations

from microcareer.domain.profiles.skill_graph import SkillGraph

PROGRAMMING = "s:programming"
PYTHON = "s:python"
HASKELL = "s:haskell"
JAVA = "s:java"
DJANGO = "s:django"
SQL = "s:sql"
WELDING = "s:welding"
LABELS = {
    PROGRAMMING: "programming",
    PYTHON: "Python",
    HASKELL: "Haskell",
    JAVA: "Java",
    DJANGO: "Django",
    SQL: "SQL",
    WELDING: "welding",
}


def graph() -> SkillGraph:
    return SkillGraph(
        [(PYTHON, PROGRAMMING), (HASKELL, PROGRAMMING), (JAVA, PROGRAMMING), (DJANGO, PYTHON)],
        [(PYTHON, SQL, False)],
    )
