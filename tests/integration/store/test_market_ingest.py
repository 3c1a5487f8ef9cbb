"""Ingesting postings into the store (both stores): re-posts collapsed, bad rows reported with their
line, re-ingesting changes nothing; demand, lift and pay from the stored postings."""

from __future__ import annotations

from pathlib import Path

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.records import MarketFilter
from microcareer.services import market_demand
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection
from tests.integration.market_postings import ingest_file, write_postings
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PROGRAMMING, PYTHON

SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


def test_ingest_collapses_re_posts_reports_bad_rows_and_is_idempotent(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    path = write_postings(tmp_path / "postings.jsonl")
    report = ingest_file(taxonomy_platform, path)
    assert (report.read, report.added, report.reposts, report.bad_count) == (11, 7, 2, 2)
    assert [line for line, _ in report.bad] == [4, 11]
    assert "not JSON" in report.bad[0][1]
    assert "date: missing" in report.bad[1][1]
    with taxonomy_platform.uow() as uow:
        everything = MarketFilter()
        assert uow.market.posting_count(everything) == 7
        counts = uow.market.skill_counts(everything)
        assert counts[PYTHON] == 7
        assert counts[HASKELL] == 1
        assert uow.market.occupation_counts(everything)[DEVELOPER] == 6
        rows = list(uow.market.table_rows("postings"))
    assert sum(1 for r in rows if r["duplicate_of"] is not None) == 2

    again = ingest_file(taxonomy_platform, path)
    assert (again.added, again.reposts, again.known) == (0, 0, 9)
    with taxonomy_platform.uow() as uow:
        assert len(list(uow.market.table_rows("postings"))) == len(rows)


def test_demand_shares_lift_and_pay_from_stored_postings(taxonomy_platform: Platform, tmp_path: Path) -> None:
    ingest_file(taxonomy_platform, write_postings(tmp_path / "postings.jsonl"))
    graphs = graph_cache(taxonomy_platform.caches)
    report = market_demand.demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection()
    )
    shares = {s.uri: s.share for s in report.skills}
    assert shares[PYTHON] == 1.0
    assert abs(shares[HASKELL] - 1 / 7) < 1e-9
    assert report.postings_with_pay == 6
    assert abs(report.mean_pay - 52_500) < 1e-6
    porto = market_demand.demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection(place="PORTO")
    )
    assert porto.postings == 1
    found = market_demand.skill_demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), uri=PYTHON, selection=Selection()
    )
    assert found.postings == 7
    assert all(c.lift > 0 for c in found.together)


def test_demand_of_a_skill_group_counts_only_the_skills_under_it(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    """Seven originals: Python in all 7, SQL in the 6 developer postings, Haskell in 1. The group
    "computer programming" holds Python and Haskell (narrower, in the mini ESCO), not SQL."""
    ingest_file(taxonomy_platform, write_postings(tmp_path / "postings.jsonl"))
    graphs = graph_cache(taxonomy_platform.caches)
    everything = market_demand.demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection()
    )
    assert {s.uri: s.postings for s in everything.skills} == {PYTHON: 7, SQL: 6, HASKELL: 1}
    grouped = market_demand.demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection(skill_group=PROGRAMMING)
    )
    assert grouped.group_label
    assert [(s.uri, s.postings) for s in grouped.skills] == [(PYTHON, 7), (HASKELL, 1)]
    assert grouped.skills[1].share == grouped.skills[1].postings / grouped.postings


def test_top_skills_per_occupation_of_postings_matched_by_title(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    """The six originals titled "Senior software developer (m/f/d)" match the ESCO occupation
    "software developer" by title; "Haskell developer" matches none. Each of the six names Python and
    SQL: both at a share of 1, Python first (equal counts: by label)."""
    ingest_file(taxonomy_platform, write_postings(tmp_path / "postings.jsonl"))
    graphs = graph_cache(taxonomy_platform.caches)
    found = market_demand.occupations(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection(), top=5
    )
    assert [(o.occupation.uri, o.postings) for o in found] == [(DEVELOPER, 6)]
    assert [(s.uri, s.postings, s.share) for s in found[0].top] == [(PYTHON, 6, 1.0), (SQL, 6, 1.0)]
    assert (
        market_demand.occupations(
            taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection(place="Porto")
        )
        == []
    )
    narrowed = market_demand.demand(
        taxonomy_platform.uow(), graphs, actor=Actor.system(), selection=Selection(occupation=DEVELOPER)
    )
    assert narrowed.postings == 6
    assert narrowed.occupation_label == found[0].occupation.preferred_label
