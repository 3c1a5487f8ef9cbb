"""The sample documents in tests/data/documents read as a corpus, each in its own format."""

from __future__ import annotations

from microcareer.adapters.documents import Document, count_corpus, iter_corpus, read_document
from tests.unit.adapters.document_helpers import DATA


def test_the_samples_read_as_a_folder_corpus() -> None:
    documents = list(iter_corpus(DATA))
    assert all(isinstance(item, Document) for item in documents)
    assert [(d.doc_id, d.media_type) for d in documents if isinstance(d, Document)] == [
        ("backend-engineer-posting.md", "text/markdown"),
        ("cv-project-manager.txt", "text/plain"),
        ("data-analyst-posting.html", "text/html"),
    ]
    assert count_corpus(DATA) == 3


def test_the_markdown_posting_is_raw_markdown() -> None:
    text = read_document(DATA / "backend-engineer-posting.md").text
    assert text.startswith("# Backend Engineer (Python)")
    for term in (
        "PostgreSQL",
        "Docker",
        "Kubernetes",
        "REST APIs",
        "CI/CD",
        "code review",
        "Mentor",
        "English",
    ):
        assert term in text


def test_the_cv_keeps_its_non_ascii_names() -> None:
    text = read_document(DATA / "cv-project-manager.txt").text
    assert text.startswith("MARTA KOWALCZYK\n")
    for term in ("Wrocław", "Freelance translator", "Volunteer coordinator", "risk management", "Scrum"):
        assert term in text
