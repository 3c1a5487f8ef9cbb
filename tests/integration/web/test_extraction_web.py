"""The extraction page on the mini ESCO taxonomy, on each database: sign-in, marks, uploads, errors."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services import extraction, taxonomy
from microcareer.services.extraction import MAX_TEXT_LENGTH
from microcareer.services.sessions import SESSION_COOKIE, start_session
from microcareer.services.tokens import create_token
from microcareer.web.routes import extraction as extraction_page
from tests.integration.taxonomy_helpers import ESCO, HASKELL, PYTHON, PYTHON_KEY, OrgSetup, make_organisation
from tests.unit.adapters.document_helpers import docx_bytes, pdf_bytes
from tests.unit.adapters.hostile_documents import empty_paragraphs_docx

TEXT = "We want Python and SQL,\r\nplus statistcs skills."
SENT = TEXT.replace("\r\n", "\n")  # what a browser's CRLF line ends become
SQL = ESCO + "skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
STATISTICS = ESCO + "skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"


@dataclass
class Mark:
    attrs: dict[str, str]
    text: str = ""
    href: str = ""


@dataclass
class ExtractionPage(HTMLParser):
    """The marks of ``#document``, its visible text, the skill table's rows and the form's textarea."""

    marks: list[Mark] = field(default_factory=list)
    document: str = ""
    rows: list[list[str]] = field(default_factory=list)
    row_links: list[str] = field(default_factory=list)
    textarea: str = ""
    _in: str = ""
    _mark: Mark | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "div" and named.get("id") == "document":
            self._in = "document"
        elif tag == "textarea":
            self._in = "textarea"
        elif tag == "tbody":
            self._in = "tbody"
        elif tag == "mark" and self._in == "document":
            self._mark = Mark(named)
        elif tag == "a" and self._mark is not None:
            self._mark.href = named["href"]
        elif tag == "tr" and self._in == "tbody":
            self.rows.append([])
        elif tag == "td" and self._in == "tbody":
            self.rows[-1].append("")
        elif tag == "a" and self._in == "tbody":
            self.row_links.append(named["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        elif tag in ("div", "textarea", "tbody") and self._in in ("document", "textarea", "tbody"):
            self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "document":
            self.document += data
            if self._mark is not None:
                self._mark.text += data
        elif self._in == "textarea":
            self.textarea += data
        elif self._in == "tbody" and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data.strip()


def parse(page: str) -> ExtractionPage:
    parsed = ExtractionPage()
    parsed.feed(page)
    parsed.close()
    # The parser keeps the newline a textarea's content starts with; a browser drops it.
    parsed.textarea = parsed.textarea.removeprefix("\n")
    return parsed


@pytest.fixture
def org(taxonomy_platform: Platform) -> OrgSetup:
    return make_organisation(taxonomy_platform)


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, platform: Platform, user_id: int | None) -> str:
    """Sets the session cookie of the user; returns the page's CSRF token."""
    assert user_id is not None
    with platform.uow() as uow:
        user = uow.accounts.get_user(user_id)
    assert user is not None
    session = start_session(platform.uow(), user=user, clock=platform.clock, session_hours=1)
    client.cookies.set(SESSION_COOKIE, session.token)
    page = client.get("/extract")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def csrf(client: TestClient, taxonomy_platform: Platform, org: OrgSetup) -> str:
    return sign_in(client, taxonomy_platform, org.outsider.user_id)


def post(client: TestClient, csrf: str, files: Any = None, **fields: Any) -> Any:
    form = {"text": TEXT, "methods": ["lexical", "fuzzy"], "min_confidence": "0.5", "csrf_token": csrf}
    return client.post("/extract", data={**form, **fields}, files=files)


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for response in (client.get("/extract"), client.post("/extract", data={"text": TEXT})):
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/extract"
    assert 'href="/extract"' in client.get("/").text


def test_a_posting_shows_its_skills_marked_at_their_spans_and_in_the_table(
    client: TestClient, csrf: str
) -> None:
    response = post(client, csrf)
    assert response.status_code == 200, response.text
    page = parse(response.text)
    assert page.document == SENT
    marks = {(m.text, m.attrs["data-uri"], m.href) for m in page.marks}
    assert marks == {
        ("Python", PYTHON, f"/skills/{PYTHON_KEY}"),
        ("SQL", SQL, "/skills/598de5b0-5b58-4ea7-8058-a4bc4d18c742"),
        ("statistcs", STATISTICS, "/skills/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"),
    }
    for mark in page.marks:
        assert SENT[int(mark.attrs["data-start"]) : int(mark.attrs["data-end"])] == mark.text
    statistics = next(m for m in page.marks if m.text == "statistcs")
    assert statistics.attrs["title"].startswith("statistics · fuzzy · 0.")
    labels = [row[0] for row in page.rows]
    assert sorted(labels) == ["Python (computer programming)", "SQL", "statistics"]
    confidences = [float(row[2]) for row in page.rows]
    assert confidences == sorted(confidences, reverse=True)
    assert {row[3] for row in page.rows} == {"lexical", "fuzzy"}
    assert f"/skills/{PYTHON_KEY}" in page.row_links
    assert page.textarea == SENT


def test_the_skill_table_sorts_by_label_and_by_count(client: TestClient, csrf: str) -> None:
    text = "SQL and Python; more SQL, and statistics."
    by_label = parse(post(client, csrf, text=text, sort="label").text).rows
    assert [row[0] for row in by_label] == ["Python (computer programming)", "SQL", "statistics"]
    by_count = parse(post(client, csrf, text=text, sort="count").text).rows
    assert (by_count[0][0], by_count[0][1]) == ("SQL", "2")


def test_two_skills_on_the_same_words_make_one_mark_naming_both(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup
) -> None:
    own = taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=org.admin,
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="SQL",
        links=[(SQL, OrgLinkRelation.RELATED)],
    )
    csrf = sign_in(client, taxonomy_platform, org.admin.user_id)
    text = "Experience with SQL and Python."
    page = parse(post(client, csrf, text=text).text)
    assert page.document == text
    assert [m.text for m in page.marks] == ["SQL", "Python"]
    sql = page.marks[0]
    assert (sql.attrs["data-start"], sql.attrs["data-end"]) == ("16", "19")
    assert sql.attrs.get("class") == "overlap"
    assert len(sql.attrs["title"].split("\n")) == 2
    assert sorted(r[0] for r in page.rows) == ["Python (computer programming)", "SQL", "SQL"]
    assert {f"/skills/{concept_key(own.uri)}", f"/skills/{concept_key(SQL)}"} <= set(page.row_links)


def test_the_text_is_escaped(client: TestClient, csrf: str) -> None:
    text = '<script>alert("x")</script> Python <b>&amp;</b>'
    response = post(client, csrf, text=text, doc_id='"><img src=x onerror=alert(1)>')
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;" in response.text
    page = parse(response.text)
    assert page.document == text
    assert [m.text for m in page.marks] == ["Python"]
    assert page.marks[0].attrs["data-start"] == str(text.index("Python"))
    assert page.textarea == text


def make_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    return docx_bytes(document)


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("cv.docx", make_docx("Profile", "Skills: Haskell and statistics."), "application/octet-stream"),
        ("cv.pdf", pdf_bytes("Skills: Haskell and statistics."), "application/pdf"),
    ],
)
def test_an_uploaded_document_is_read_and_its_text_marked(
    client: TestClient, csrf: str, name: str, data: bytes, media_type: str
) -> None:
    response = post(client, csrf, text="", files={"file": (name, data, media_type)})
    assert response.status_code == 200, response.text
    page = parse(response.text)
    assert "Skills: Haskell and statistics." in page.document
    assert {(m.text, m.attrs["data-uri"]) for m in page.marks} == {
        ("Haskell", HASKELL),
        ("statistics", STATISTICS),
    }
    assert page.textarea == page.document  # sorting or downloading re-sends the document's text
    assert f'name="doc_id" value="{name}"' in response.text


@pytest.mark.parametrize(
    ("fields", "files", "status", "message"),
    [
        ({"text": "   "}, None, 422, "text: paste a text or choose a file"),
        ({"methods": ["lexical", "magic"]}, None, 422, "methods: &#39;magic&#39; is not one of"),
        ({"methods": []}, None, 422, "methods: give at least one method"),
        ({"min_confidence": "lots"}, None, 422, "min_confidence: &#39;lots&#39; is not a number"),
        ({"min_confidence": "2"}, None, 422, "min_confidence must be between 0 and 1"),
        ({"csrf_token": "forged"}, None, 403, "did not come from this site"),
        ({}, {"file": ("cv.pdf", b"%PDF-1.7 broken", "application/pdf")}, 422, "cv.pdf"),
        ({}, {"file": ("cv.exe", b"MZ\x90\x00", "application/octet-stream")}, 422, "unsupported file type"),
        (
            {},
            {"file": ("locked.pdf", pdf_bytes("Python", user_password="pw"), "application/pdf")},
            422,
            "locked.pdf",
        ),
    ],
)
def test_errors_show_the_form_again_with_the_input_kept(
    client: TestClient,
    csrf: str,
    fields: dict[str, Any],
    files: Any,
    status: int,
    message: str,
) -> None:
    response = post(client, csrf, files=files, **fields)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text
    assert 'role="alert"' in response.text
    page = parse(response.text)
    assert page.textarea == fields.get("text", SENT)
    assert page.marks == []
    methods = fields.get("methods", ["lexical", "fuzzy"])
    for method in ("lexical", "fuzzy", "semantic"):
        checked = re.search(rf'value="{method}"\s+checked', response.text) is not None
        assert checked == (method in methods and method != "magic")
    if "min_confidence" in fields:
        assert f'value="{fields["min_confidence"]}"' in response.text


def test_semantic_without_its_extra_is_refused_in_the_form(
    client: TestClient, taxonomy_platform: Platform, csrf: str
) -> None:
    taxonomy_platform.caches[extraction.CACHE_KEY] = extraction.ExtractorCache()  # no semantic matcher
    response = post(client, csrf, methods=["lexical", "semantic"])
    assert response.status_code == 422
    assert "methods: semantic extraction" in response.text
    assert parse(response.text).textarea == SENT
    assert re.search(r'value="semantic"\s+checked', response.text) is not None


def test_an_encrypted_pdf_is_refused_with_a_reason(client: TestClient, csrf: str) -> None:
    locked = pdf_bytes("Python", user_password="pw")
    response = post(client, csrf, text="", files={"file": ("locked.pdf", locked, "application/pdf")})
    assert response.status_code == 422
    assert "password" in html.unescape(response.text).lower()


def test_a_text_over_the_limit_is_refused_and_kept(client: TestClient, csrf: str) -> None:
    text = "Python " + "x" * MAX_TEXT_LENGTH
    response = post(client, csrf, text=text)
    assert response.status_code == 422
    assert f"over {MAX_TEXT_LENGTH:,} characters" in response.text
    assert parse(response.text).textarea == text


def test_a_form_too_large_to_read_is_a_400_page_not_an_error(
    client: TestClient, csrf: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extraction_page, "MAX_FIELD_BYTES", 100)
    response = post(client, csrf, text="Python " * 50)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "The form could not be read" in response.text


def api_result(client: TestClient, platform: Platform, org: OrgSetup, text: str) -> dict[str, Any]:
    assert org.outsider.user_id is not None
    issued = create_token(
        platform.uow(), actor=Actor.system(), user_id=org.outsider.user_id, name="t", clock=platform.clock
    )
    response = client.post(
        "/api/v1/extract",
        json={"documents": [{"doc_id": "", "text": text}]},
        headers={"Authorization": f"Bearer {issued.plaintext}"},
    )
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()["documents"][0]
    return document


def test_downloads_match_the_api_result_for_the_same_text(
    client: TestClient, taxonomy_platform: Platform, org: OrgSetup, csrf: str
) -> None:
    expected = api_result(client, taxonomy_platform, org, SENT)
    assert len(expected["mentions"]) == 3
    as_json = post(client, csrf, output="json")
    assert as_json.status_code == 200
    assert as_json.headers["content-disposition"] == 'attachment; filename="extraction.json"'
    assert as_json.json() == {**expected, "text": SENT}

    mentions = post(client, csrf, output="csv")
    assert mentions.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(mentions.text)))
    assert [
        (r["uri"], int(r["start"]), int(r["end"]), r["method"], float(r["confidence"])) for r in rows
    ] == [(m["uri"], m["start"], m["end"], m["method"], m["confidence"]) for m in expected["mentions"]]
    skills = list(csv.DictReader(io.StringIO(post(client, csrf, output="skills-csv").text)))
    assert [(r["uri"], int(r["count"]), float(r["confidence"]), r["methods"].split()) for r in skills] == [
        (s["uri"], s["count"], s["confidence"], s["methods"]) for s in expected["skills"]
    ]


def test_a_hostile_docx_is_refused_in_the_form_naming_its_limit(client: TestClient, csrf: str) -> None:
    files = {"file": ("spacing.docx", empty_paragraphs_docx(), "application/octet-stream")}
    response = post(client, csrf, text="", files=files)
    assert response.status_code == 422
    assert "spacing.docx: the DOCX has more than the limit of 100,000 paragraphs" in html.unescape(
        response.text
    )


def test_an_upload_over_the_body_limit_is_refused_before_it_is_read(
    taxonomy_platform: Platform, org: OrgSetup
) -> None:
    taxonomy_platform.settings.max_upload_body_bytes = 100_000
    with TestClient(create_app(taxonomy_platform), follow_redirects=False) as small:
        csrf = sign_in(small, taxonomy_platform, org.outsider.user_id)
        small.headers["Accept"] = "text/html"  # as a browser sends the form
        files = {"file": ("cv.txt", b"Python " * 30_000, "text/plain")}
        response = post(small, csrf, text="", files=files)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "over the limit of 100,000 bytes" in response.text
