"""Reading a posting: markup stripped, bad fields named, the column mapping, near-duplicates (MinHash)."""

from __future__ import annotations

import pytest

from microcareer.domain.market.demo_corpus import FADING, RISING, generate
from microcareer.domain.market.near_duplicates import NearDuplicateIndex, signature
from microcareer.domain.market.postings import (
    BAD_KEY,
    BadRow,
    ColumnMapping,
    parse_pay,
    read_posting,
    strip_html,
)

TEXT = (
    "Orbit Software is growing and looks for a software developer to join our team in Lisbon. You work "
    "closely with colleagues across the business and take ownership of your results. Knowledge of Python "
    "is required. You have solid experience with SQL. We offer flexible hours and a training budget."
)


def test_markup_is_stripped_scripts_dropped_and_entities_decoded() -> None:
    html = "<div><p>Python &amp; SQL</p><script>alert(1)</script><ul><li>remote</li></ul></div>"
    assert strip_html(html) == "Python & SQL\nremote"


def test_a_mapping_renames_columns_and_bad_fields_are_named() -> None:
    mapping = ColumnMapping.parse("id=job_id, text=description")
    record = {"job_id": 7, "title": "Dev", "description": "<b>Python</b>", "date": "2026-03-04T10:00:00Z"}
    posting = read_posting(record, mapping, "file")
    assert (posting.external_id, posting.text, posting.month, posting.source) == (
        "7",
        "Python",
        "2026-03",
        "file",
    )
    with pytest.raises(BadRow, match="date"):
        read_posting({**record, "date": "yesterday"}, mapping, "file")
    with pytest.raises(BadRow, match="id: missing"):
        read_posting({**record, "job_id": ""}, mapping, "file")
    with pytest.raises(BadRow, match="not JSON"):
        read_posting({BAD_KEY: "not JSON: ..."}, mapping, "file")
    with pytest.raises(BadRow, match="not one of"):
        ColumnMapping.parse("salary=pay")


def test_pay_reads_ranges_and_currencies() -> None:
    assert parse_pay("EUR 40,000 - 50,000") == 45_000
    assert parse_pay("") is None
    assert parse_pay(None) is None
    with pytest.raises(BadRow):
        parse_pay("negotiable")


def test_a_re_post_with_a_word_changed_is_found_and_another_posting_is_not() -> None:
    index = NearDuplicateIndex()
    index.add("1", signature(TEXT))
    assert index.match(signature(TEXT.replace("budget.", "allowance."))) == "1"
    other = TEXT.replace("software developer", "data scientist").replace("Python", "statistics")
    other = other.replace("SQL", "machine learning").replace("Orbit Software", "Kestrel Health")
    assert index.match(signature(other)) is None


def test_the_demo_corpus_is_seeded_and_its_re_posts_are_collapsed_without_false_matches() -> None:
    first = list(generate(600, seed=3))
    assert first == list(generate(600, seed=3))
    assert {"TypeScript", "deep learning"} <= set(RISING)
    assert "AJAX" in FADING
    index = NearDuplicateIndex()
    found = wrong = 0
    for record in first:
        posting = read_posting(record, ColumnMapping(), "demo")
        values = signature(f"{posting.title}\n{posting.text}")
        if index.match(values) is not None:
            found += 1
            wrong += not posting.external_id.endswith("-r")
        else:
            index.add(posting.external_id, values)
    reposts = sum(1 for r in first if str(r["id"]).endswith("-r"))
    assert wrong == 0
    assert found >= 0.8 * reposts > 0
