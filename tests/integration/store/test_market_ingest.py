"""Ingesting postings into the store (both stores): re-posts collapsed, bad rows reported with their
line, re-ingesting changes nothing; demand, lift and pay from the stored postings."""

from __future__ import annotations

import json
from pathlib import Path

from microcareer.adapters.posting_files import read_records
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.postings import ColumnMapping
from microcareer.domain.market.records import MarketFilter
from microcareer.services import market_demand, market_ingest
from microcareer.services.gap_analysis import graph_cache
from microcareer.services.market_demand import Selection
from tests.integration.taxonomy_helpers import DEVELOPER, HASKELL, PYTHON

TEAMS = ("payments", "search", "maps", "billing", "mobile apps", "reports")
BODY = (
    "Team {n} builds {team} for our customers in the region every single working day. "
    "Orbit Software is growing and looks for a developer to join our team. You work closely with "
    "colleagues across the business and take ownership of your results. Knowledge of {a} is required. "
    "You have solid experience with {b}. We offer flexible hours and a training budget number {n}."
)


def _write(path: Path) -> Path:
    rows = [
        {
            "job": f"p{n}",
            "title": "Senior software developer (m/f/d)",
            "body": BODY.format(a="Python", b="SQL", n=n, team=TEAMS[n]),
            "date": f"2026-0{1 + n % 6}-10",
            "place": "Lisbon",
            "pay": 50_000 + 1_000 * n,
        }
        for n in range(6)
    ]
    rows.append({**rows[0], "job": "copy", "date": "2026-01-20"})  # the same text under another id
    rows.append({**rows[1], "job": "edit", "body": str(rows[1]["body"]) + " Apply"})
    rows.append(
        {
            "job": "h",
            "title": "Haskell developer",
            "body": "<p>Haskell &amp; Python</p>",
            "date": "2026-02-01",
            "place": "Porto",
            "pay": "",
        }
    )
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"job": "broken", ')
    lines.append(json.dumps({"job": "nodate", "title": "x", "body": "Python"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(platform: Platform, path: Path) -> market_ingest.IngestReport:
    extractor, matcher = market_ingest.prepare(platform.uow(), platform.caches, platform.lexicons)
    return market_ingest.ingest(
        platform.uow(),
        actor=Actor.system(),
        records=read_records(path),
        mapping=ColumnMapping.parse("id=job,text=body"),
        default_source="test",
        extractor=extractor,
        occupations=matcher,
    )


def test_ingest_collapses_re_posts_reports_bad_rows_and_is_idempotent(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    path = _write(tmp_path / "postings.jsonl")
    report = _ingest(taxonomy_platform, path)
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

    again = _ingest(taxonomy_platform, path)
    assert (again.added, again.reposts, again.known) == (0, 0, 9)
    with taxonomy_platform.uow() as uow:
        assert len(list(uow.market.table_rows("postings"))) == len(rows)


def test_demand_shares_lift_and_pay_from_stored_postings(taxonomy_platform: Platform, tmp_path: Path) -> None:
    _ingest(taxonomy_platform, _write(tmp_path / "postings.jsonl"))
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
