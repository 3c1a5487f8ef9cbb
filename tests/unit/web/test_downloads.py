"""The web page's downloads have the CLI's CSV shapes and safe file names."""

from __future__ import annotations

import csv
import io

import pytest
from rich.console import Console

from microcareer.cli.extraction_output import ExtractionWriter, OutputFormat
from microcareer.domain.extraction.mentions import DocumentExtraction, Method, SkillMention, skill_set
from microcareer.web.downloads import attachment, csv_text

TEXT = 'Python, "SQL", statistcs'


def found() -> DocumentExtraction:
    mentions = (
        SkillMention(
            "urn:python", "Python (computer programming)", 0, 6, "Python", "Python", Method.LEXICAL, 0.9
        ),
        SkillMention("urn:sql", "SQL", 9, 12, "SQL", "SQL", Method.LEXICAL, 0.85),
        SkillMention("urn:stats", "statistics", 15, 24, "statistcs", "statistics", Method.FUZZY, 0.72),
        SkillMention("urn:python", "Python (computer programming)", 0, 6, "Python", "Py", Method.FUZZY, 0.61),
    )
    return DocumentExtraction(doc_id="cv, final.docx", mentions=mentions, skills=skill_set(mentions))


@pytest.mark.parametrize(("output", "skills"), [(OutputFormat.CSV, False), (OutputFormat.SKILLS_CSV, True)])
def test_csv_downloads_equal_what_the_cli_writes(output: OutputFormat, skills: bool) -> None:
    out = io.StringIO()
    ExtractionWriter(out, output, Console(file=io.StringIO())).write(found())
    assert csv_text(found(), skills=skills) == out.getvalue()
    assert csv_text(found(), skills=skills).count("\n") == 1 + (3 if skills else 4)


@pytest.mark.parametrize(
    ("doc_id", "name"),
    [
        ("cv, final.docx", "cv-final.json"),
        ("", "extraction.json"),
        ('"><script>.pdf', "script.json"),
        ("../../etc/passwd", "etc-passwd.json"),
    ],
)
def test_download_names_keep_safe_characters_only(doc_id: str, name: str) -> None:
    assert attachment(doc_id, ".json") == {"Content-Disposition": f'attachment; filename="{name}"'}


@pytest.mark.parametrize("output", [OutputFormat.CSV, OutputFormat.SKILLS_CSV])
def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(output: OutputFormat) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    mention = SkillMention("urn:x", formula, 0, 6, "+cmd|' /C calc'!A0", "@SUM(1)", Method.LEXICAL, 0.9)
    document = DocumentExtraction(doc_id="-cv.docx", mentions=(mention,), skills=skill_set((mention,)))
    skills = output is OutputFormat.SKILLS_CSV
    web = csv_text(document, skills=skills)
    cli = io.StringIO()
    ExtractionWriter(cli, output, Console(file=io.StringIO())).write(document)
    assert web == cli.getvalue()
    rows = list(csv.reader(io.StringIO(web)))[1:]
    cells = [cell for row in rows for cell in row]
    assert cells, "no rows written"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    assert "'" + formula in cells
    assert "'-cv.docx" in cells
    assert "0.9" in cells  # numbers stay numbers
