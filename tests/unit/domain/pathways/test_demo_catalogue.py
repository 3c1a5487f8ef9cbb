"""The demo's pathway catalogue parses, and every skill it names is a skill of the bundled ESCO."""

from __future__ import annotations

import csv
import gzip
from importlib.resources import files

from microcareer.domain.pathways.catalogue_rows import parse_catalogue
from microcareer.domain.pathways.steps import StepKind

SKILL = "http://data.europa.eu/esco/skill/"


def test_the_demo_catalogue_names_bundled_skills_only() -> None:
    data = files("microcareer.data")
    with gzip.open(str(data.joinpath("esco/skills_en.csv.gz")), "rt", encoding="utf-8") as handle:
        labels = {row["conceptUri"]: row["preferredLabel"] for row in csv.DictReader(handle)}

    def resolve(ref: str) -> tuple[str, str] | None:
        uri = ref if ref.startswith("http") else SKILL + ref
        return (uri, labels[uri]) if uri in labels else None

    text = data.joinpath("pathway_catalogue_demo.csv").read_text(encoding="utf-8")
    rows = parse_catalogue(text, source="demo", resolve=resolve)
    assert len(rows) >= 15
    kinds = {r.step.kind for r in rows}
    assert {StepKind.COURSE, StepKind.MICROCREDENTIAL, StepKind.ASSESSMENT, StepKind.MICRO_JOB} <= kinds
    assert all(r.step.income.amount > 0 for r in rows if r.step.kind is StepKind.MICRO_JOB)
