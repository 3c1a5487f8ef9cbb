"""Collusion signals, issuer standing and weighted evidence, as pure functions (docs/trust.md)."""

from __future__ import annotations

from datetime import date

import pytest

from microcareer.domain.credentials.issuer_standing import (
    Standing,
    check_domain,
    display_name,
    evidence_terms,
    may_deliver,
    name_key,
    proof_holds,
)
from microcareer.domain.marketplace.collusion import (
    COLLUSION_FACTOR,
    CollusionSignal,
    collusion_factor,
    collusion_note,
    collusion_signals,
)
from microcareer.domain.marketplace.reputation import ContractOutcome, reputation
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind, assess
from microcareer.errors import InvalidInput

TODAY = date(2026, 12, 5)


def test_signals_from_organisations_and_devices() -> None:
    assert collusion_signals(client_organisations={1, 2}, professional_organisations={3}) == ()
    assert collusion_signals(client_organisations={1, 2}, professional_organisations={2}) == (
        CollusionSignal.SHARED_ORGANISATION,
    )
    both = collusion_signals(
        client_organisations={1},
        professional_organisations={1},
        client_devices={"a", "b"},
        professional_devices={"b"},
    )
    assert both == (CollusionSignal.SHARED_ORGANISATION, CollusionSignal.SHARED_DEVICE)
    assert collusion_factor(()) == 1.0
    assert collusion_factor([s.value for s in both]) == COLLUSION_FACTOR  # signals do not compound
    assert collusion_note([s.value for s in both]) == (
        "client in the same organisation and client signed in from the same device: counts 25%"
    )
    assert collusion_note(()) == ""


def _completed(contract_id: int, signals: tuple[str, ...] = (), rating: float = 5.0) -> ContractOutcome:
    return ContractOutcome(contract_id, TODAY, 50_000, "completed", rating, signals)


def test_flagged_contracts_give_no_reputation_until_enough_real_weight() -> None:
    rigged = [_completed(i, ("shared_organisation",)) for i in range(1, 4)]
    flagged_only = reputation(rigged, TODAY)
    assert flagged_only.score is None
    assert "3 of them with a client linked to the professional" in flagged_only.explanation[0]
    assert all(row.signals == ("shared_organisation",) for row in flagged_only.breakdown)
    honest = [_completed(i, rating=3.0) for i in range(10, 13)]
    mixed = reputation(rigged + honest, TODAY)
    # three 5-star flagged contracts weigh a quarter each: the score stays near the honest 3-star mean
    honest_only = reputation(honest, TODAY)
    assert honest_only.score == 75
    assert mixed.score is not None
    assert honest_only.score < mixed.score < 85
    assert any("3 with a client linked to the professional" in line for line in mixed.explanation)
    flagged_weight = next(r.weight for r in mixed.breakdown if r.contract_id == 1)
    honest_weight = next(r.weight for r in mixed.breakdown if r.contract_id == 10)
    assert flagged_weight == pytest.approx(honest_weight * COLLUSION_FACTOR, rel=1e-3)


def test_evidence_weight_and_note_change_confidence_and_explanation() -> None:
    full = Evidence(
        EvidenceKind.CREDENTIAL, TODAY, "urn:uuid:1", weight=1.0, note="issuer approved by the platform"
    )
    part = Evidence(EvidenceKind.CREDENTIAL, TODAY, "urn:uuid:1", weight=0.6, note="domain verified")
    none = Evidence(
        EvidenceKind.CREDENTIAL, TODAY, "urn:uuid:1", weight=0.0, note="unverified issuer: not counted"
    )
    assert assess([full], TODAY).value > assess([part], TODAY).value > assess([none], TODAY).value == 0.0
    assert "[unverified issuer: not counted]" in assess([none], TODAY).explanation
    with pytest.raises(ValueError, match="weight"):
        Evidence(EvidenceKind.MICRO_JOB, TODAY, weight=1.5)


def test_standing_terms_and_display() -> None:
    assert evidence_terms(Standing.APPROVED)[0] > evidence_terms(Standing.DOMAIN_VERIFIED)[0] > 0
    assert evidence_terms(Standing.UNVERIFIED)[0] == 0.0
    assert not may_deliver(Standing.UNVERIFIED)
    assert may_deliver(Standing.DOMAIN_VERIFIED)
    assert may_deliver(Standing.APPROVED)
    assert (
        display_name("Code School", Standing.APPROVED, "school.example")
        == "Code School (approved, school.example)"
    )
    assert display_name("Code School", Standing.UNVERIFIED, None) == "Code School (unverified)"


@pytest.mark.parametrize(
    "name",
    ["Code School", "code school", "CODE-SCHOOL", "Code  School!", "Çode Schööl", "Ｃｏｄｅ Ｓｃｈｏｏｌ"],
)
def test_names_that_read_alike_fold_alike(name: str) -> None:
    assert name_key(name) == "codeschool"


def test_different_names_stay_different() -> None:
    assert name_key("Code School") != name_key("Code Schools")
    assert name_key("...") == ""


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("School.Example", "school.example"),
        ("school.example.", "school.example"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_normalised(domain: str, expected: str) -> None:
    assert check_domain(domain) == expected


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "localhost",
        "127.0.0.1",
        "2130706433",
        "[::1]",
        "::1",
        "school.example:443",
        "https://school.example",
        "school.example/path",
        "-bad.example",
        "a..b",
        "x" * 300 + ".example",
    ],
)
def test_bad_domains_are_refused(domain: str) -> None:
    with pytest.raises(InvalidInput, match="domain"):
        check_domain(domain)


def test_the_proof_must_name_the_issuer_and_carry_the_token() -> None:
    assert proof_holds({"issuer": "did:key:z1", "token": "t"}, issuer_did="did:key:z1", token="t")
    assert not proof_holds({"issuer": "did:key:z2", "token": "t"}, issuer_did="did:key:z1", token="t")
    assert not proof_holds({"issuer": "did:key:z1", "token": "u"}, issuer_did="did:key:z1", token="t")
    assert not proof_holds(["did:key:z1", "t"], issuer_did="did:key:z1", token="t")
