"""The web page's downloads have the CLI's CSV shapes and safe file names."""

from __future__ import annotations

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
