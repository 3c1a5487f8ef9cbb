"""HTML postings: visible text only, blocks on their own lines, list items marked."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from microcareer.adapters.documents import read_document, read_document_bytes
from microcareer.errors import UnreadableDocument
from tests.unit.adapters.document_helpers import DATA

PAGE = b"""<!DOCTYPE html>
<html><head><title>Careers at Acme</title>
<style>.skill { color: red; }</style>
<script>function track() { return "Kubernetes"; }</script></head>
<body>
<noscript>Enable JavaScript</noscript>
<template><p>Hidden template</p></template>
<h1>Junior   UX
   designer</h1>
<p>You will run <b>usability</b>&nbsp;tests and <i>proto</i>type in Figma.<br>Part-time role.</p>
<div><div>Remote</div><div>Berlin</div></div>
<ul>
  <li>User research</li>
  <li><p>Wireframing</p><ul><li>Low fidelity</li></ul></li>
  <li></li>
</ul>
<!-- a comment with the word Java -->
<p></p><p></p><p></p>
<table><tr><th>Tool</th><td>Miro</td></tr></table>
<select><option>Deutsch</option><option>English</option></select>
<p hidden>Internal note</p>
<script>track();</script>
</body></html>
"""

EXPECTED = """Junior UX designer

You will run usability tests and prototype in Figma.
Part-time role.

Remote
Berlin

- User research
- Wireframing
- Low fidelity

Tool
Miro"""


def test_visible_text_in_reading_order(tmp_path: Path) -> None:
    path = tmp_path / "ux.html"
    path.write_bytes(PAGE)
    document = read_document(path)
    assert document.text == EXPECTED
    assert document.media_type == "text/html"


def test_invisible_content_does_not_leak() -> None:
    text = read_document_bytes(PAGE, filename="ux.htm").text
    for hidden in ("color", "function", "Kubernetes", "JavaScript", "Hidden", "Java", "Deutsch", "Internal"):
        assert hidden not in text


def test_the_declared_charset_is_honoured() -> None:
    page = '<meta charset="windows-1252"><p>Résumé – “team player”</p>'.encode("cp1252")
    assert read_document_bytes(page, filename="p.html").text == "Résumé – “team player”"


def test_preformatted_text_keeps_its_lines() -> None:
    text = read_document_bytes(b"<pre>make build\r\n  make   test</pre>", filename="p.html").text
    assert text == "make build\nmake test"


def test_at_most_one_blank_line_in_a_row() -> None:
    text = read_document_bytes(b"<p>A</p><br><br><br><br><section><p>B</p></section>", filename="p.html").text
    assert text == "A\n\nB"


def test_deep_nesting_does_not_hit_the_recursion_limit() -> None:
    page = b"<div>" * 5000 + b"Deep skill" + b"</div>" * 5000
    assert read_document_bytes(page, filename="deep.html").text == "Deep skill"


def test_the_sample_posting_reads_without_script_or_style() -> None:
    text = read_document(DATA / "data-analyst-posting.html").text
    assert text.startswith("Home Careers\n\nData Analyst\n\nNorthwind Retail Group · Manchester")
    assert "- Write and optimise SQL queries against our Snowflake warehouse" in text
    assert "Power BI" in text
    assert "£38,000 – £45,000" in text
    for leaked in ("dataLayer", "trackPageView", "font-family", "apply-button", "enable JavaScript"):
        assert leaked not in text


def test_markup_the_parser_rejects_is_an_error_naming_the_file() -> None:
    with pytest.raises(
        UnreadableDocument, match=r"^odd\.html: the HTML cannot be parsed \(.*expected name token"
    ):
        read_document_bytes(b"<p>Welding</p><![&x", filename="odd.html")


def test_undecodable_bytes_become_replacement_characters_quietly(caplog: pytest.LogCaptureFixture) -> None:
    # 0x81 is undefined in windows-1252 and invalid UTF-8: no candidate encoding decodes it.
    with caplog.at_level(logging.DEBUG):
        text = read_document_bytes(b"<p>Caf\xe9 \x81 staff</p>", filename="odd.html").text
    assert text == "Caf\ufffd \ufffd staff"
    assert [record.message for record in caplog.records if record.name.startswith("bs4")] == []
