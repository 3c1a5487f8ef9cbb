"""Who can introduce me, and referrals, on both stores."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.applications import ApprovalState
from microcareer.domain.marketplace.contracts import ContractKind, ContractState
from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.marketplace.records import StoredContract
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import connections, introductions, referrals
from tests.integration.job_market_helpers import a_job, a_proposal
from tests.integration.store.marketplace_helpers import NOW, Market, make_market
from tests.integration.taxonomy_helpers import PYTHON

TODAY = NOW.date()


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def _connect(platform: Platform, a: Actor, b: Actor) -> None:
    made = connections.request(platform.uow(), actor=a, user_id=uid(a), other_id=uid(b), message="", now=NOW)
    connections.accept(platform.uow(), actor=b, user_id=uid(b), connection_id=made.id, now=NOW)


def _holds(
    platform: Platform, user_id: int, kind: EvidenceKind, visibility: Visibility = Visibility.PUBLIC
) -> None:
    with platform.uow() as uow:
        uow.profiles.save(user_id, Profile(visibility=visibility), resume_extras={}, at=NOW)
        uow.profiles.set_skill(user_id, PYTHON, 4, at=NOW)
        uow.profiles.add_evidence(user_id, PYTHON, [Evidence(kind, TODAY)], at=NOW)
        uow.commit()


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


def _ask(platform: Platform, who: Actor) -> list[introductions.Path]:
    return introductions.who_can_introduce(
        platform.uow(), actor=who, user_id=uid(who), skill=PYTHON, today=TODAY
    )


def test_two_hops_ranked_by_evidence_and_closeness(taxonomy_platform: Platform, market: Market) -> None:
    platform = taxonomy_platform
    pro, client, stranger = market.professional, market.client, market.stranger
    _connect(platform, pro, client)  # they share contracts: closeness 1.0
    _connect(platform, client, stranger)  # a plain connection: 0.5
    _holds(platform, uid(stranger), EvidenceKind.CREDENTIAL)
    found = _ask(platform, pro)
    assert [(p.introduction.person_id, p.introduction.via_id, p.introduction.hops) for p in found] == [
        (uid(stranger), uid(client), 2)
    ]
    assert found[0].introduction.score == pytest.approx(0.9 * 1.0 * 0.5 * 0.5)
    assert "clara can introduce you" in found[0].why
    assert "worked together on the contract" in found[0].why
    # a connection who holds it, even by self-claim, comes first: one hop, closer
    _holds(platform, uid(client), EvidenceKind.SELF_CLAIM)
    found = _ask(platform, pro)
    assert [p.introduction.person_id for p in found] == [uid(client), uid(stranger)]
    assert found[0].introduction.score == pytest.approx(0.25)
    # the stranger reaches the professional through the client, who worked with him on a contract: two
    # hops, but a micro-job's evidence (0.8 x 0.5 x 1.0 x 0.5 = 0.2) beats the client's self-claim one
    # hop away over a plain connection (0.25 x 0.5 = 0.125)
    _holds(platform, uid(pro), EvidenceKind.MICRO_JOB)
    found = _ask(platform, stranger)
    assert [(p.introduction.person_id, p.introduction.hops) for p in found] == [
        (uid(pro), 2),
        (uid(client), 1),
    ]
    assert found[0].introduction.score == pytest.approx(0.2)
    assert "clara can introduce you (worked together on the contract" in found[0].why


def test_hidden_and_blocked_people_are_not_named(taxonomy_platform: Platform, market: Market) -> None:
    platform = taxonomy_platform
    pro, client, stranger = market.professional, market.client, market.stranger
    _connect(platform, pro, client)
    _connect(platform, client, stranger)
    _holds(platform, uid(stranger), EvidenceKind.CREDENTIAL, Visibility.PRIVATE)
    assert _ask(platform, pro) == []
    _holds(platform, uid(stranger), EvidenceKind.CREDENTIAL, Visibility.PUBLIC)
    connections.block(platform.uow(), actor=stranger, user_id=uid(stranger), other_id=uid(pro), now=NOW)
    assert _ask(platform, pro) == []
    with pytest.raises(PermissionDenied):
        introductions.who_can_introduce(
            platform.uow(), actor=stranger, user_id=uid(pro), skill=PYTHON, today=TODAY
        )


def _open_job(platform: Platform, poster: Actor) -> int:
    with platform.uow() as uow:
        job = uow.marketplace.add_job(uid(poster), a_job(), at=NOW)
        uow.marketplace.set_job_state(job.id, JobState.OPEN, at=NOW)
        uow.commit()
    return job.id


def test_a_referral_the_poster_sees_and_that_counts_once_completed(
    taxonomy_platform: Platform, market: Market
) -> None:
    platform = taxonomy_platform
    pro, client, stranger = market.professional, market.client, market.stranger
    job_id = _open_job(platform, client)
    _connect(platform, stranger, pro)
    with pytest.raises(InvalidInput, match="not one of your connections"):
        referrals.refer(
            platform.uow(),
            actor=stranger,
            user_id=uid(stranger),
            job_id=job_id,
            candidate_id=uid(client),
            note="",
            now=NOW,
        )
    made = referrals.refer(
        platform.uow(),
        actor=stranger,
        user_id=uid(stranger),
        job_id=job_id,
        candidate_id=uid(pro),
        note="Pete is great",
        now=NOW,
    )
    assert made.outcome == "open"
    with pytest.raises(Conflict, match="already"):
        referrals.refer(
            platform.uow(),
            actor=stranger,
            user_id=uid(stranger),
            job_id=job_id,
            candidate_id=uid(pro),
            note="",
            now=NOW,
        )
    seen = referrals.for_job(platform.uow(), actor=client, job_id=job_id)
    assert [(v.referrer_name, v.candidate_name, v.referral.note) for v in seen] == [
        ("sam", "pete", "Pete is great")
    ]
    received = referrals.to_my_jobs(platform.uow(), actor=client, user_id=uid(client))
    assert [(v.referrer_name, v.candidate_name) for v in received] == [("sam", "pete")]
    assert referrals.to_my_jobs(platform.uow(), actor=pro, user_id=uid(pro)) == []
    with pytest.raises(PermissionDenied):
        referrals.to_my_jobs(platform.uow(), actor=pro, user_id=uid(client))
    with pytest.raises(NotFound):  # who referred whom is the poster's: to others it is not there
        referrals.for_job(platform.uow(), actor=pro, job_id=job_id)
    # the candidate is hired and completes the contract: the referral counts
    with platform.uow() as uow:
        application = uow.marketplace.add_application(
            job_id, uid(pro), a_proposal(), approval=ApprovalState.NOT_NEEDED, at=NOW
        )
        contract = uow.marketplace.add_contract(_contract(job_id, application.id, uid(client), uid(pro)))
        uow.commit()
    assert [v.outcome for v in referrals.made_by(platform.uow(), actor=stranger, user_id=uid(stranger))] == [
        "hired"
    ]
    with platform.uow() as uow:
        uow.marketplace.set_contract_state(contract.id, ContractState.COMPLETED, at=NOW)
        uow.commit()
    record = referrals.made_by(platform.uow(), actor=stranger, user_id=uid(stranger))
    assert [(v.outcome, v.counts) for v in record] == [("completed", True)]
    with pytest.raises(PermissionDenied):
        referrals.made_by(platform.uow(), actor=pro, user_id=uid(stranger))
    with pytest.raises(NotFound):
        referrals.refer(
            platform.uow(),
            actor=stranger,
            user_id=uid(stranger),
            job_id=999_999,
            candidate_id=uid(pro),
            note="",
            now=NOW,
        )


def _contract(job_id: int, application_id: int, client: int, professional: int) -> StoredContract:
    return StoredContract(
        id=0,
        job_id=job_id,
        application_id=application_id,
        client_user_id=client,
        professional_user_id=professional,
        organisation_id=None,
        internal=False,
        kind=ContractKind.FIXED,
        currency="EUR",
        hourly_rate=None,
        weekly_limit_hours=None,
        hours_per_week=5.0,
        fee_bp=1000,
        state=ContractState.ACTIVE,
        created_at=NOW,
    )
