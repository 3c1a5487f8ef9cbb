"""A profile's skills at risk of obsolescence (issue 19, point 3), on each database: of the skills a
person holds, those whose share of stored postings falls significantly, and none that holds steady."""

from __future__ import annotations

import random
from datetime import date

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.market.postings import ColumnMapping
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.services import market_ingest, market_trends, profiles
from microcareer.services.gap_analysis import graph_cache
from tests.integration.job_market_helpers import make_people, uid
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

WORDS = [
    "orbit",
    "harbour",
    "lantern",
    "meadow",
    "copper",
    "violet",
    "summit",
    "river",
    "quartz",
    "maple",
    "falcon",
    "ember",
    "willow",
    "canyon",
    "prairie",
    "glacier",
    "cobalt",
    "saffron",
    "thistle",
    "granite",
    "beacon",
    "tundra",
    "juniper",
    "marble",
    "cedar",
    "lagoon",
]


def _postings() -> list[tuple[int, dict[str, object]]]:
    """Twelve months of 20 postings: all ask for Python; Haskell goes from all of them to none."""
    rng = random.Random(19)
    out: list[tuple[int, dict[str, object]]] = []
    for month in range(1, 13):
        for n in range(20):
            filler = " ".join(rng.choice(WORDS) for _ in range(40))  # no two alike: none is a re-post
            haskell = n < round(20 * (12 - month) / 11)
            text = f"{filler}. You have solid experience with Python." + (
                " Knowledge of Haskell is required." if haskell else ""
            )
            record: dict[str, object] = {
                "id": f"m{month}-{n}",
                "title": "Developer",
                "text": text,
                "date": f"2026-{month:02d}-10",
            }
            out.append((len(out) + 1, record))
    return out


def test_a_held_skill_whose_demand_falls_is_at_risk_and_a_steady_one_is_not(
    taxonomy_platform: Platform,
) -> None:
    platform = taxonomy_platform
    extractor, matcher = market_ingest.prepare(platform.uow(), platform.caches, platform.lexicons)
    report = market_ingest.ingest(
        platform.uow(),
        actor=Actor.system(),
        records=_postings(),
        mapping=ColumnMapping(),
        default_source="t",
        extractor=extractor,
        occupations=matcher,
    )
    assert (report.added, report.reposts) == (240, 0)
    people = make_people(platform)
    today = date(2026, 12, 6)
    for uri in (HASKELL, PYTHON):
        profiles.set_skill(
            platform.uow(),
            actor=Actor.system(),
            user_id=uid(people.pro),
            uri=uri,
            proficiency=3,
            evidence=[Evidence(EvidenceKind.SELF_CLAIM, today)],
            now=platform.clock(),
        )
    found = market_trends.skills_at_risk(
        platform.uow(), graph_cache(platform.caches), actor=people.pro, user_id=uid(people.pro), today=today
    )
    assert (found.held, found.in_postings) == (2, 2)
    assert [t.uri for t in found.at_risk] == [HASKELL]
    assert found.at_risk[0].q_value is not None
    assert found.at_risk[0].q_value < 0.05
