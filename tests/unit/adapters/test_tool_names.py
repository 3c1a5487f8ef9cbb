"""The bundled tool names: their file format, errors naming the line, and what the shipped file maps."""

from __future__ import annotations

import gzip

import pytest

from microcareer.adapters.tool_names import BundledToolNames, parse_tool_names
from microcareer.domain.extraction.extractor import SkillExtractor
from microcareer.domain.extraction.lexicon import Lexicon
from microcareer.errors import DataFileError
from microcareer.services.extraction import lexicon_revision

HEADER = "# attribution\nname,uri,commodity,hot,in_demand\n"
SKILL = "http://data.europa.eu/esco/skill/"


def packed(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


def test_rows_are_tool_labels() -> None:
    data = packed(HEADER + f"Docker,{SKILL}a,Application server software,Y,Y\n")
    assert parse_tool_names(data) == [(SKILL + "a", "Docker", "tool", None)]


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        (f"Docker,{SKILL}a,x,Y\n", 3, None),
        (f",{SKILL}a,x,Y,Y\n", 3, "name"),
        ("Docker,not-a-uri,x,Y,Y\n", 3, "uri"),
    ],
)
def test_a_malformed_row_is_an_error_naming_line_and_column(body: str, line: int, column: str | None) -> None:
    with pytest.raises(DataFileError) as error:
        parse_tool_names(packed(HEADER + body), "tools.csv.gz")
    assert (error.value.file, error.value.line, error.value.column) == ("tools.csv.gz", line, column)


def test_a_file_that_is_not_gzip_or_lacks_the_header_is_an_error() -> None:
    with pytest.raises(DataFileError, match="gzip"):
        parse_tool_names(b"name,uri\n")
    with pytest.raises(DataFileError, match="header"):
        parse_tool_names(packed("name,uri\n"))


def test_the_lexicon_cache_key_changes_with_the_tool_data() -> None:
    one = BundledToolNames(packed(HEADER + f"Docker,{SKILL}a,x,Y,Y\n"))
    two = BundledToolNames(packed(HEADER + f"Docker,{SKILL}b,x,Y,Y\n"))
    assert one.digest != two.digest
    assert len({lexicon_revision("r1", one), lexicon_revision("r1", two), lexicon_revision("r1", None)}) == 3


def test_the_shipped_names_map_tools_to_esco_skills() -> None:
    """The bundled file: postings' tool names reach the ESCO skills the curated mapping names."""
    uris = {
        "virtualisation": SKILL + "ae4f0cc6-e0b9-47f5-bdca-2fc2e6316dce",
        "ticketing": SKILL + "6430eb0d-c6de-46b7-a7fc-3dd2e8e62a69",
        "spreadsheets": SKILL + "1973c966-f236-40c9-b2d4-5d71a89019be",
        "crm": SKILL + "9889b795-d755-41b2-8afd-2e3c87a65a38",
    }
    taxonomy = [(uri, name, "preferred", None) for name, uri in uris.items()]
    extractor = SkillExtractor(Lexicon([*taxonomy, *BundledToolNames().label_rows()]))
    text = (
        "We deploy with Docker and Kubernetes, track work in Jira, report in Microsoft Excel and Salesforce."
    )
    found = [(m.label, m.matched_text) for m in extractor.extract(text).mentions]
    assert found == [
        ("virtualisation", "Docker"),
        ("virtualisation", "Kubernetes"),
        ("ticketing", "Jira"),
        ("spreadsheets", "Microsoft Excel"),
        ("crm", "Salesforce"),
    ]
