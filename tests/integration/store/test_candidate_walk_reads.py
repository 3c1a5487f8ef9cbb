"""The candidate walk reads its candidates a page at a time, on SQLite and PostgreSQL: the SQL
statements of one query for people for a job do not grow with how many candidates it walks (a walk of
many candidates in one page runs as many as a walk of a few), and the people it finds, with their
explanations and reputations (ended contracts, some rated, one disputed), are the store path's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractKind, ContractState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import gap_analysis, matching, micro_jobs
from microcareer.services.candidate_index import CandidateIndex
from microcareer.store.repositories import profiles as profiles_repository
from tests.integration.job_market_helpers import NOW, TODAY, a_job, make_people
from tests.integration.store.marketplace_helpers import _contract
from tests.integration.store.test_candidate_index_population import _population


def _world(platform: Platform) -> tuple[Actor, int]:
    """A seeded population, a dozen of its readable, available people with ended contracts of the job's
    poster (completed, some rated, cancelled, disputed and split), an admin who asks, an open job."""
    people = make_people(platform)
    ids = _population(platform, people.acme, people.globex, 80)
    with platform.uow() as uow:
        root = uow.accounts.add_user(
            email="root@x.test", display_name="Root", password_hash="x",
            roles=[Role.PLATFORM_ADMIN], created_at=NOW,
        )  # fmt: skip
        shown = [
            user_id
            for user_id in ids
            if (stored := uow.profiles.get(user_id)) is not None
            and stored.profile.available
            and stored.profile.visibility is not Visibility.PRIVATE
        ]
        for n, user_id in enumerate(shown[:12]):
            pro = Actor(user_id=user_id, roles=frozenset({Role.PROFESSIONAL}))
            for k in range(4):  # three scored (one neutral): a reputation, unless colluding
                amount = Money(10_000 * (n + k + 1), "EUR")
                contract = _contract(uow, people.client, pro, ContractKind.FIXED, amount)
                outcome = (n + k) % 4
                if outcome == 3:  # cancelled by the client: neutral
                    uow.marketplace.set_contract_state(
                        contract.id, ContractState.CANCELLED, at=NOW, ended=True, reason="cancelled_by_client"
                    )
                    continue
                ended = "dispute_ruled" if outcome == 2 else "completed"
                uow.marketplace.set_contract_state(
                    contract.id, ContractState.COMPLETED, at=NOW, ended=True, reason=ended
                )
                if outcome == 2:
                    dispute = uow.marketplace.add_dispute(
                        contract.id, raised_by=user_id, reason="late", at=NOW
                    )
                    uow.marketplace.resolve_dispute(
                        dispute.id, resolution="split", professional_amount=5_000, client_amount=5_000,
                        resolved_by=root.id, at=NOW,
                    )  # fmt: skip
                elif outcome == 1:
                    uow.marketplace.add_review(
                        contract.id, author=people.client.user_id or 0, subject=user_id, rating=1 + n % 5,
                        text="", at=NOW,
                    )  # fmt: skip
        uow.commit()
    job = micro_jobs.post_job(platform.uow(), actor=people.client, job=a_job(), now=NOW)
    micro_jobs.publish_job(platform.uow(), actor=people.client, job_id=job.id, now=NOW)
    return Actor(user_id=root.id, roles=frozenset({Role.PLATFORM_ADMIN})), job.id


@contextmanager
def _counting(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """[SQL statements run, candidates walked] while inside."""
    counts = [0, 0]
    assert platform.engine is not None
    read = matching._Page.person

    def executed(*_: Any) -> None:
        counts[0] += 1

    def walked(*args: Any, **kwargs: Any) -> Any:
        counts[1] += 1
        return read(*args, **kwargs)

    monkeypatch.setattr(matching._Page, "person", walked)
    event.listen(platform.engine, "before_cursor_execute", executed)
    try:
        yield counts
    finally:
        event.remove(platform.engine, "before_cursor_execute", executed)
        monkeypatch.setattr(matching._Page, "person", read)


def _reached(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """[candidates the walk got to] (their reputation worked out: scored or passed over)."""
    reached = [0]
    reputation = matching._Page.reputation

    def reaching(page: matching._Page, user_id: int, today: Any) -> int | None:
        reached[0] += 1
        return reputation(page, user_id, today)

    monkeypatch.setattr(matching._Page, "reputation", reaching)
    return reached


def _ask(
    platform: Platform, actor: Actor, job_id: int, index: CandidateIndex | None, limit: int
) -> matching.PeopleForJob:
    cache = gap_analysis.graph_cache(platform.caches)
    return matching.people_for_job(
        platform.uow(), cache, actor=actor, job_id=job_id, today=TODAY, limit=limit, index=index
    )


def test_the_walks_statements_do_not_grow_with_the_candidates_walked(
    taxonomy_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "WALK_HEAD", 1000)  # one page holds every candidate
    monkeypatch.setattr(matching, "READ_SLICE", 1000)  # read at once
    platform = taxonomy_platform
    actor, job_id = _world(platform)
    index = CandidateIndex(tmp_path / "m.npz")
    _ask(platform, actor, job_id, index, 1)  # built and caught up: not counted
    with _counting(platform, monkeypatch) as few:
        _ask(platform, actor, job_id, index, 1)
    with _counting(platform, monkeypatch) as many:
        _ask(platform, actor, job_id, index, 50)
    assert many[1] >= 4 * few[1] > 0  # the long walk read at least four times the candidates
    # in a page's statements, not a candidate's (the short walk reads only the few it needs, here
    # without contracts, so it may need fewer: no disputes, reviews... to read)
    assert few[0] <= many[0]
    assert many[0] < many[1]
    # the page's profiles, owners, skills and evidence in two statements (five before: 20 in all then)
    assert many[0] <= 17


@pytest.mark.parametrize(("walk_head", "read_slice"), [(1, 2), (4, 1), (4, 2)])
def test_the_paged_walk_finds_the_store_paths_people_explanations_and_reputations(
    taxonomy_platform: Platform,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    walk_head: int,
    read_slice: int,
) -> None:
    monkeypatch.setattr(matching, "WALK_HEAD", walk_head)  # 1: many small pages
    monkeypatch.setattr(matching, "READ_SLICE", read_slice)  # 1: pages read in slices of 2 x limit
    platform = taxonomy_platform
    actor, job_id = _world(platform)
    index = CandidateIndex(tmp_path / "m.npz")
    rated = passed_over = 0
    for limit in (1, 3, 10, 50):
        with _counting(platform, monkeypatch) as counts:
            reached = _reached(monkeypatch)
            by_index = _ask(platform, actor, job_id, index, limit)
        by_store = _ask(platform, actor, job_id, None, limit)
        assert by_index.people
        assert by_index.people == by_store.people  # people, order, scores and explanations
        assert by_index.considered == by_store.considered
        rated = max(rated, sum(any("/100" in x for x in p.match.explanation) for p in by_index.people))
        passed_over += reached[0] - counts[1]
    assert rated >= 5  # reputations from the contracts were read and used
    assert passed_over > 0  # some candidates under the top were passed over unscored, the same answer
    assert index.served == 4


@pytest.mark.parametrize("read_slice", [1, 1000])
def test_the_walk_reads_a_page_a_slice_at_a_time_as_far_as_it_gets(
    taxonomy_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_slice: int
) -> None:
    """The index's page is read from the store at most ``READ_SLICE`` x 2 x limit candidates at a
    time, each slice as far as the walk is expected to go, the next only when the walk gets past the
    one before: a walk that stops early reads less than the page, and the slices it read reach only
    just past where it stopped."""
    monkeypatch.setattr(matching, "WALK_HEAD", 1000)  # one page holds every candidate
    monkeypatch.setattr(matching, "READ_SLICE", read_slice)  # 1: slices of 2 x limit at most
    platform = taxonomy_platform
    actor, job_id = _world(platform)
    index = CandidateIndex(tmp_path / "m.npz")
    _ask(platform, actor, job_id, index, 1)
    asked: list[int] = []
    read = matching._Page.read

    def reading(uow: Any, user_ids: list[int]) -> matching._Page:
        asked.append(len(user_ids))
        return read(uow, user_ids)

    monkeypatch.setattr(matching._Page, "read", reading)
    reached = _reached(monkeypatch)  # every candidate the walk gets to (all readable: an admin asks)
    found = _ask(platform, actor, job_id, index, 4)
    assert found.people
    assert max(asked) <= read_slice * 2 * 4
    if read_slice == 1:
        assert len(asked) >= 2  # the walk went past its first slice here
    assert sum(asked[:-1]) < reached[0] <= sum(asked)  # it walked into its last slice
    assert sum(asked) < found.considered  # and read less than the page: every candidate


@pytest.mark.parametrize("chunk", [7, 900])
def test_matching_people_reads_each_shown_profile_with_its_skills_evidence_and_owner(
    taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """What a walk's page is read with: the available, shown profiles among the ids (none for private,
    unavailable or unknown ones), each with the skills and evidence ``skills`` gives (a skill without
    evidence, several pieces in their order) and its owner's name and joining time; two statements a
    chunk of ids (``_CHUNK``: 7 splits these into many)."""
    monkeypatch.setattr(profiles_repository, "_CHUNK", chunk)
    platform = taxonomy_platform
    people = make_people(platform)
    ids = _population(platform, people.acme, people.globex, 40)
    with platform.uow() as uow:
        pool = sorted({uri for uri, *_ in uow.taxonomy.extraction_label_rows()})
        eve = uow.accounts.add_user(
            email="eve@x.test", display_name="Eve", password_hash="x", roles=[Role.PROFESSIONAL],
            created_at=NOW,
        )  # fmt: skip
        uow.profiles.save(eve.id, Profile(hourly_rate=45.0), resume_extras={}, at=NOW)
        uow.profiles.set_skill(eve.id, pool[0], 3, at=NOW)  # no evidence
        uow.profiles.set_skill(eve.id, pool[1], 4, at=NOW)
        uow.profiles.add_evidence(
            eve.id,
            pool[1],
            [Evidence(kind, TODAY - timedelta(days=days), source=f"e{days}") for kind, days in
             ((EvidenceKind.SELF_CLAIM, 40), (EvidenceKind.MICRO_JOB, 3), (EvidenceKind.SELF_CLAIM, 900))],
            at=NOW,
        )  # fmt: skip
        ids.append(eve.id)
        uow.commit()
    asked = [*reversed(ids), ids[3], 10**7]  # any order, a repeat, an unknown id
    with platform.uow() as uow:
        expected = []
        for user_id in sorted(set(ids)):
            stored, user = uow.profiles.get(user_id), uow.accounts.get_user(user_id)
            assert user is not None
            if stored is None or not stored.profile.available:
                continue
            if stored.profile.visibility is Visibility.PRIVATE:
                continue
            profile = replace(stored.profile, experiences=())
            expected.append(
                (user_id, user.display_name, user.created_at, profile, uow.profiles.skills(user_id))
            )
        assert len(expected) >= 15
        assert any(len(skill.evidence) == 3 for *_, skills in expected for skill in skills)
        assert any(not skill.evidence for *_, skills in expected for skill in skills)
    counts = [0]

    def executed(*_: Any) -> None:
        counts[0] += 1

    assert platform.engine is not None
    event.listen(platform.engine, "before_cursor_execute", executed)
    try:
        with platform.uow() as uow:
            found = list(uow.profiles.matching_people(asked))
    finally:
        event.remove(platform.engine, "before_cursor_execute", executed)
    assert found == expected
    if chunk == 900:
        assert counts[0] == 2  # the profiles with their owners, the skills with their evidence
    else:
        assert counts[0] > 2
