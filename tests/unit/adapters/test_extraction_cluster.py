"""Extraction on a Dask cluster (in-process here): results in input order, the client's options applied."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from distributed import Client, LocalCluster

from microcareer.adapters.documents import Document
from microcareer.adapters.extraction_cluster import ClusterExtraction, check_methods
from microcareer.domain.extraction.extractor import ExtractionOptions, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import DocumentExtraction, Method
from microcareer.errors import InvalidInput, NotReady, UnreadableDocument

ESCO = "http://data.europa.eu/esco/skill/"
# No dashboard, and the scheduler's HTTP endpoint on a free port (8787 may be taken).
NO_DASHBOARD: dict[str, Any] = {
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
}
ROWS: list[LabelRow] = [
    (ESCO + "python", "Python (computer programming)", "preferred", None),
    (ESCO + "python", "Python", "alt", None),
    (ESCO + "statistics", "statistics", "preferred", None),
    (ESCO + "welding", "welding", "preferred", None),
    (ESCO + "own", "Northwind release pipeline", "preferred", 7),  # organisation 7's own skill
]
TEXTS = [
    "Python and statistics.",
    "Welding, then the Northwind release pipeline.",
    "Nothing to find here.",
    "Statistics with Python; welding.",
    "The Northwind release pipeline in Python.",
]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, **NO_DASHBOARD) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def documents() -> list[Document | UnreadableDocument]:
    items: list[Document | UnreadableDocument] = [
        Document(f"d{i}", text, f"test:{i}", "text/plain") for i, text in enumerate(TEXTS)
    ]
    items.insert(2, UnreadableDocument("test", 3, "text", "the text field is missing"))
    return items


@pytest.mark.parametrize("visible_orgs", [frozenset(), frozenset({7}), None])
def test_results_match_one_process_in_order_with_the_same_options(
    client: Client, visible_orgs: frozenset[int] | None
) -> None:
    extractor = SkillExtractor(Lexicon(ROWS, revision="test"))
    options = ExtractionOptions(min_confidence=0.6, visible_orgs=visible_orgs)
    cluster = ClusterExtraction(client, extractor, options, batch_documents=2)
    items = documents()
    results = list(cluster.results(items))
    expected = [
        item
        if isinstance(item, UnreadableDocument)
        else extractor.extract(item.text, doc_id=item.doc_id, options=options)
        for item in items  # the unreadable one passed through as it is
    ]
    assert results == expected
    own = [
        m for r in results if isinstance(r, DocumentExtraction) for m in r.mentions if m.uri.endswith("own")
    ]
    assert len(own) == (0 if visible_orgs == frozenset() else 2)  # the organisation's skill only if visible


def test_semantic_matching_is_refused_before_any_work() -> None:
    # the message now names ranking too, which stays in one process for the same reason
    with pytest.raises(InvalidInput, match="semantic extraction and ranking run in this process only"):
        check_methods(frozenset({Method.LEXICAL, Method.SEMANTIC}))
    with pytest.raises(InvalidInput, match="ranking run in this process only"):
        check_methods(frozenset({Method.LEXICAL, Method.RANKING}))
    check_methods(frozenset({Method.LEXICAL, Method.FUZZY}))


def test_a_cluster_without_workers_is_refused_with_what_to_do() -> None:
    with (
        LocalCluster(n_workers=0, processes=False, **NO_DASHBOARD) as cluster,
        Client(cluster) as empty,
        pytest.raises(NotReady, match="has no workers: start some with `dask worker ADDRESS`"),
    ):
        ClusterExtraction(empty, SkillExtractor(Lexicon(ROWS, revision="test")), ExtractionOptions())
