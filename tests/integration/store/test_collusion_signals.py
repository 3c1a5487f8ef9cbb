"""Collusion signals (docs/trust.md): a contract between accounts that share an organisation or a
device counts less in the professional's evidence, talent search and reputation, saying why."""

from __future__ import annotations

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.contracts import ContractKind
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.services import collusion, contracts, reviews, talent_search
from tests.integration.store.marketplace_helpers import NOW, RATE, Market, _contract, _user, make_market
from tests.integration.taxonomy_helpers import PYTHON

SHARED_ORG_NOTE = "client in the same organisation: counts 25%"


def _micro_job_evidence(platform: Platform, user_id: int) -> list[tuple[float, str]]:
    with platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(user_id)}
    held = skills.get(PYTHON)
    return (
        []
        if held is None
        else [(e.weight, e.note) for e in held.evidence if e.kind is EvidenceKind.MICRO_JOB]
    )


def _share_an_organisation(platform: Platform, *actors: Actor) -> None:
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="sock-puppets", name="Sock Puppets", created_at=NOW)
        for actor in actors:
            uow.accounts.set_membership(org.id, actor.user_id or 0, OrgRole.MEMBER, created_at=NOW)
        uow.commit()


def _complete_hourly(platform: Platform, market: Market) -> None:
    contracts.complete_contract(platform.uow(), actor=market.client, contract_id=market.hourly_id, now=NOW)


def test_an_arms_length_contract_gives_full_evidence(taxonomy_platform: Platform) -> None:
    market = make_market(taxonomy_platform)
    _complete_hourly(taxonomy_platform, market)
    assert _micro_job_evidence(taxonomy_platform, market.professional.user_id or 0) == [(1.0, "")]


def test_a_shared_organisation_makes_the_evidence_count_a_quarter(taxonomy_platform: Platform) -> None:
    market = make_market(taxonomy_platform)
    _share_an_organisation(taxonomy_platform, market.client, market.professional)
    _complete_hourly(taxonomy_platform, market)
    professional = market.professional.user_id or 0
    assert _micro_job_evidence(taxonomy_platform, professional) == [(0.25, SHARED_ORG_NOTE)]
    # the client's review rates the evidence and keeps its reduced weight
    reviews.review(
        taxonomy_platform.uow(), actor=market.client, contract_id=market.hourly_id, rating=5, text="", now=NOW
    )
    assert _micro_job_evidence(taxonomy_platform, professional) == [(0.25, SHARED_ORG_NOTE)]
    with taxonomy_platform.uow() as uow:
        (outcome,) = reviews.contract_outcomes(uow, professional)
    assert outcome.signals == ("shared_organisation",)


def test_a_shared_device_is_a_signal_too(taxonomy_platform: Platform) -> None:
    market = make_market(taxonomy_platform)
    for actor in (market.client, market.professional):
        collusion.record_sign_in_device(
            taxonomy_platform.uow(), user_id=actor.user_id or 0, device_id="the-same-browser", now=NOW
        )
    collusion.record_sign_in_device(
        taxonomy_platform.uow(), user_id=market.stranger.user_id or 0, device_id="another-browser", now=NOW
    )
    with taxonomy_platform.uow() as uow:
        assert uow.marketplace.devices_of(market.client.user_id or 0) == {
            collusion.device_hash("the-same-browser")
        }
        assert "the-same-browser" not in str(uow.marketplace.devices_of(market.client.user_id or 0))
        signals = collusion.contract_signals(
            uow, market.client.user_id or 0, market.professional.user_id or 0
        )
        assert [s.value for s in signals] == ["shared_device"]
        assert (
            collusion.contract_signals(uow, market.stranger.user_id or 0, market.professional.user_id or 0)
            == ()
        )
    _complete_hourly(taxonomy_platform, market)
    assert _micro_job_evidence(taxonomy_platform, market.professional.user_id or 0) == [
        (0.25, "client signed in from the same device: counts 25%")
    ]


def test_a_sock_puppet_client_does_not_lift_its_professional_in_talent_search(
    taxonomy_platform: Platform,
) -> None:
    """Two professionals, one contract each on the same job skills: the one whose client is their own
    second account (same organisation) ranks below the one with an independent client."""
    market = make_market(taxonomy_platform)
    with taxonomy_platform.uow() as uow:
        mallory = _user(uow, "mallory@pro.test", [Role.PROFESSIONAL])
        puppet = _user(uow, "puppet@client.test", [Role.CLIENT])
        rigged = _contract(uow, puppet, mallory, ContractKind.HOURLY, RATE)
        uow.commit()
    _share_an_organisation(taxonomy_platform, puppet, mallory)
    contracts.complete_contract(taxonomy_platform.uow(), actor=puppet, contract_id=rigged.id, now=NOW)
    _complete_hourly(taxonomy_platform, market)
    found = talent_search.find_people(
        taxonomy_platform.uow(), actor=market.admin, skills=[PYTHON], today=NOW.date()
    )
    ranked = [c.user_id for c in found]
    assert ranked.index(market.professional.user_id or 0) < ranked.index(mallory.user_id or 0)
    rigged_row = next(c for c in found if c.user_id == mallory.user_id)
    assert SHARED_ORG_NOTE in rigged_row.coverage[0].explanation
