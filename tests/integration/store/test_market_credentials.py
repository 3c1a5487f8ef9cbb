"""The value of a microcredential and the issuer's checkable parts, from postings and the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.open_badges import Recipient
from microcareer.domain.market.trends import Direction
from microcareer.errors import NotAuthenticated, NotFound
from microcareer.services import credential_issuing, market_credentials
from microcareer.services.gap_analysis import graph_cache
from tests.integration.market_postings import ingest_file, write_postings
from tests.integration.store.test_credential_services import LEA, _issue, _world
from tests.integration.taxonomy_helpers import HASKELL, PYTHON


def test_a_credential_is_worth_its_skills_demand_and_the_issuer_is_shown_part_by_part(
    taxonomy_platform: Platform, tmp_path: Path
) -> None:
    world = _world(taxonomy_platform)
    ingest_file(taxonomy_platform, write_postings(tmp_path / "postings.jsonl"))
    graphs = graph_cache(taxonomy_platform.caches)
    reader = world.learner
    value = market_credentials.credential_value(
        taxonomy_platform.uow(), graphs, actor=reader, achievement_id=world.achievement_id
    )
    shares = {s.uri: s.share for s in value.skills}
    assert shares[PYTHON] == 1.0
    assert abs(shares[HASKELL] - 1 / 7) < 1e-9
    assert all(s.direction in set(Direction) for s in value.skills)
    assert "2 of 2 aligned skills appear in the 7 postings" in value.summary

    first, _ = _issue(world, LEA, IssueRequest(Recipient(did="did:example:bob")))
    now = taxonomy_platform.clock()
    credential_issuing.change_status(
        taxonomy_platform.uow(),
        actor=world.issuer_actor,
        credential_id=first.id,
        action="revoke",
        reason="cheated",
        now=now,
    )
    signal = market_credentials.issuer_signal(
        taxonomy_platform.uow(), graphs, actor=reader, slug=world.slug, now=now
    )
    parts = {p.name: p for p in signal.parts}
    assert parts["standing"].value == 0.5
    assert "1 of the 2 credentials" in parts["standing"].explanation
    assert parts["ESCO alignment"].value == 1.0
    assert parts["expiry policy"].value == 1.0
    assert "365 days" in parts["expiry policy"].explanation
    assert parts["holders' outcomes"].measured_on == 1  # Lea has an account; the DID recipient has none
    assert parts["holders' outcomes"].value == 0.0
    assert parts["demand"].value is not None
    assert abs(parts["demand"].value - (1 + 1 / 7) / 2) < 1e-9

    with pytest.raises(NotAuthenticated):
        market_credentials.issuer_signal(
            taxonomy_platform.uow(), graphs, actor=Actor.anonymous(), slug=world.slug, now=now
        )
    with pytest.raises(NotFound):
        market_credentials.issuer_signal(
            taxonomy_platform.uow(), graphs, actor=reader, slug="nobody", now=now
        )
