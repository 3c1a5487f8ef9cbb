"""The corpus counted on Dask (a local cluster of two processes) equals the single-process count and
what the store holds after ingesting the same Parquet partitions (both stores)."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcareer.adapters.extraction_cluster import dask_client
from microcareer.adapters.market_cluster import aggregate_in_process, aggregate_on_dask
from microcareer.adapters.posting_files import read_records, write_records
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.demo_corpus import generate
from microcareer.domain.market.postings import ColumnMapping
from microcareer.domain.market.records import MarketFilter
from microcareer.services import market_ingest
from microcareer.services.extraction import ExtractionRequest, options_for

PARTITION = 500  # the ingest's batch: a file per 500 records keeps its batches where the corpus has them


@pytest.fixture
def partitions(tmp_path: Path) -> list[Path]:
    records = list(generate(1_400, seed=5))[: 3 * PARTITION]
    paths = []
    for n in range(3):
        path = tmp_path / f"part-{n}.parquet"
        write_records(path, records[n * PARTITION : (n + 1) * PARTITION])
        paths.append(path)
    return paths


def test_dask_single_process_and_store_count_the_same(
    taxonomy_platform: Platform, partitions: list[Path]
) -> None:
    extractor, matcher = market_ingest.prepare(
        taxonomy_platform.uow(), taxonomy_platform.caches, taxonomy_platform.lexicons
    )
    options = options_for(Actor.system(), ExtractionRequest(), extractor)
    mapping = ColumnMapping()
    local, kept = aggregate_in_process(
        partitions, mapping=mapping, source="demo", extractor=extractor, options=options
    )
    with dask_client(None, 2) as client:
        spread, kept_there = aggregate_on_dask(
            client, partitions, mapping=mapping, source="demo", extractor=extractor, options=options
        )
    assert local.postings == spread.postings > 0
    assert local.month_totals == spread.month_totals
    assert local.skill_months == spread.skill_months
    assert local.pay_count == spread.pay_count
    assert abs(local.pay_sum - spread.pay_sum) < 1e-6
    assert {f.key for f in kept} == {f.key for f in kept_there}
    assert local.postings < 3 * PARTITION  # re-posts collapsed

    for path in partitions:
        market_ingest.ingest(
            taxonomy_platform.uow(),
            actor=Actor.system(),
            records=read_records(path),
            mapping=mapping,
            default_source="demo",
            extractor=extractor,
            occupations=matcher,
        )
    with taxonomy_platform.uow() as uow:
        everything = MarketFilter()
        assert uow.market.posting_count(everything) == local.postings
        assert uow.market.month_totals(everything) == dict(local.month_totals)
        assert uow.market.skill_month_counts(everything) == local.by_skill()
        assert uow.market.pay(everything)[0] == local.pay_count
