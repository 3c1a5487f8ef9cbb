"""Verification on the server and the wallet (imports, public entries, CLR), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import struct
import zlib

import httpx
import pytest

from microcareer.adapters.credential_keys import CredentialKeys
from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.outbound_http import Outbound, OutboundPolicy
from microcareer.adapters.status_lists_http import StatusLists
from microcareer.bootstrap import Platform, online_verifier_sources
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials import data_integrity
from microcareer.domain.credentials.baking import bake_png
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.multikey import public_key_of_did_key
from microcareer.domain.credentials.open_badges import Recipient
from microcareer.domain.credentials.records import WalletEntry
from microcareer.domain.credentials.verification_model import VerificationReport
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import credential_issuing, credential_verification, wallet
from microcareer.services.credential_verification import VerifierSources
from tests.integration.store.test_credential_services import LEA, World, _issue, _world, accept, accept_issued
from tests.integration.taxonomy_helpers import PYTHON

OFFLINE = VerifierSources(keys=CredentialKeys({}), status=StatusLists({}), schemas=pinned_schemas())


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0"))
        + chunk(b"IEND", b"")
    )


def _checks(report: object) -> dict[str, str]:
    return {c.name: c.outcome for c in report.checks}  # type: ignore[attr-defined]


def _verify_issued(world: World, credential_id: str):  # type: ignore[no-untyped-def]
    platform = world.platform
    return credential_verification.verify_issued(
        platform.uow(),
        platform.key_vault,
        credential_id=credential_id,
        publication=platform.publication,
        sources=OFFLINE,
        now=platform.clock(),
    )


@pytest.mark.parametrize("proof_format", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "jwt"])
def test_what_we_issue_passes_every_check_and_fails_once_revoked(
    taxonomy_platform: Platform, proof_format: credential_issuing.ProofFormat
) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA, proof_format=proof_format)
    report = _verify_issued(world, record.id)
    assert report.valid, report.as_json()["checks"]
    assert _checks(report)["status"] == "pass"
    assert _checks(report)["schema"] == "pass"
    credential_issuing.change_status(
        taxonomy_platform.uow(),
        actor=world.issuer_actor,
        credential_id=record.id,
        action="revoke",
        now=taxonomy_platform.clock(),
    )
    report = _verify_issued(world, record.id)
    assert not report.valid
    assert any(c.name == "status" and c.outcome == "fail" and "revoked" in c.reason for c in report.checks)


def test_a_withdrawn_key_no_longer_verifies_what_it_signed(taxonomy_platform: Platform) -> None:
    from microcareer.services import credential_issuers

    world = _world(taxonomy_platform, public_url="https://careers.example")
    (record,) = _issue(world, LEA)
    assert _verify_issued(world, record.id).valid
    now = taxonomy_platform.clock()
    credential_issuers.rotate_key(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.issuer_actor,
        slug=world.slug,
        withdraw_previous=True,
        now=now,
    )
    report = _verify_issued(world, record.id)
    assert not report.valid
    assert _checks(report)["key"] == "fail"


def test_issued_credentials_are_in_the_wallet_and_can_be_shown(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA)
    assert world.learner.user_id is not None
    uid = world.learner.user_id
    items = wallet.wallet(taxonomy_platform.uow(), actor=world.learner, user_id=uid)
    assert [i.entry.issued_id for i in items] == [record.id]
    assert items[0].credential is not None
    assert items[0].credential["name"] == "Python for data work"
    assert items[0].pending
    assert items[0].shown_issuer == "Code School (approved)"
    with pytest.raises(PermissionDenied):
        wallet.wallet(taxonomy_platform.uow(), actor=world.stranger, user_id=uid)
    with pytest.raises(NotFound):  # private entries do not exist for others
        wallet.wallet_entry(taxonomy_platform.uow(), actor=world.stranger, entry_id=items[0].entry.id)
    assert wallet.public_wallet(taxonomy_platform.uow(), user_id=uid) == []
    with pytest.raises(Conflict, match="pending"):  # a pending credential cannot be shown
        wallet.set_public(
            taxonomy_platform.uow(), actor=world.learner, entry_id=items[0].entry.id, public=True
        )
    accept(world, items[0].entry.id)
    wallet.set_public(taxonomy_platform.uow(), actor=world.learner, entry_id=items[0].entry.id, public=True)
    shown = wallet.wallet_entry(taxonomy_platform.uow(), actor=Actor.anonymous(), entry_id=items[0].entry.id)
    assert shown.entry.public
    with taxonomy_platform.uow() as uow:
        assert [e.kind for e in {s.uri: s for s in uow.profiles.skills(uid)}[PYTHON].evidence] == [
            EvidenceKind.CREDENTIAL
        ]
    # a holder can always take a credential issued here out of the wallet and the profile
    wallet.remove_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=items[0].entry.id)
    assert wallet.wallet(taxonomy_platform.uow(), actor=world.learner, user_id=uid) == []
    assert wallet.public_wallet(taxonomy_platform.uow(), user_id=uid) == []
    with taxonomy_platform.uow() as uow:
        assert all(not s.evidence for s in uow.profiles.skills(uid))


def test_importing_verifies_and_adds_evidence_only_for_the_holder(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    platform = taxonomy_platform
    # issued before the person had an account here, then imported by them
    (mine,) = _issue(world, IssueRequest(Recipient(email="nia@x.test")))
    (theirs,) = _issue(world, IssueRequest(Recipient(did="did:example:zed")))
    now = platform.clock()
    with platform.uow() as uow:
        nia = uow.accounts.add_user(
            email="nia@x.test",
            display_name="Nia",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        uow.commit()
    actor = Actor(user_id=nia.id, roles=frozenset({Role.PROFESSIONAL}))

    def import_(data: bytes) -> tuple[WalletEntry, VerificationReport | None]:
        return wallet.import_credential(
            platform.uow(),
            platform.key_vault,
            actor=actor,
            user_id=nia.id,
            data=data,
            source="upload",
            publication=platform.publication,
            sources=OFFLINE,
            now=now,
        )

    entry, report = import_(bake_png(_png(), mine.document))
    assert entry.source_format == "json"
    assert json.loads(entry.document)["id"] == f"urn:uuid:{mine.id}"
    assert report is not None
    assert report.valid
    assert entry.details["recipient_matches"] is True
    assert entry.details["skills_evidenced"] == 2
    with platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(nia.id)}
    assert [e.kind for e in skills[PYTHON].evidence] == [EvidenceKind.CREDENTIAL]
    with pytest.raises(Conflict, match="already in"):
        import_(mine.document.encode())
    other, _ = import_(theirs.document.encode())
    assert other.details["recipient_matches"] is False
    assert other.details["skills_evidenced"] == 0
    tampered = json.loads(theirs.document)
    tampered["name"] = "Rocket science"
    with pytest.raises(InvalidInput, match="not imported"):
        import_(json.dumps(tampered).encode())
    wallet.remove_entry(platform.uow(), actor=actor, entry_id=entry.id)
    with platform.uow() as uow:
        assert PYTHON not in {s.uri: s for s in uow.profiles.skills(nia.id) if s.evidence}


def test_open_badges_2_assertions_are_kept_for_display_as_unverifiable(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    assert world.learner.user_id is not None
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/123",
        "recipient": {"type": "email", "hashed": False, "identity": "lea@x.test"},
        "issuedOn": "2016-12-31T23:59:59Z",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass",
            "id": "https://example.org/badges/5",
            "name": "3-D Printmaster",
            "description": "Prints things",
            "image": "https://example.org/badges/5/image",
            "criteria": {"narrative": "Print 3 things"},
            "issuer": {"id": "https://example.org/issuer", "type": "Profile", "name": "Makerspace"},
        },
    }
    entry, report = wallet.import_credential(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.learner,
        user_id=world.learner.user_id,
        data=json.dumps(assertion).encode(),
        source="badge.json",
        publication=taxonomy_platform.publication,
        sources=OFFLINE,
        now=taxonomy_platform.clock(),
    )
    assert report is None
    assert (entry.source_format, entry.title, entry.issuer_name) == ("ob2", "3-D Printmaster", "Makerspace")
    assert entry.details["verifiable"] is False


def test_a_clr_export_is_signed_and_keeps_each_proof(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    first, second = _issue(world, LEA, IssueRequest(Recipient(email="lea@x.test"), results={"grade": "B"}))
    accept_issued(world, first)
    accept_issued(world, second)
    assert world.learner.user_id is not None
    contexts = taxonomy_platform.publication.contexts
    clr = wallet.export_clr(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.learner,
        user_id=world.learner.user_id,
        entry_ids=None,
        publication=taxonomy_platform.publication,
        now=taxonomy_platform.clock(),
    )
    data_integrity.verify_proof(clr, public_key_of_did_key, contexts)
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [c["id"] for c in embedded] == [f"urn:uuid:{first.id}", f"urn:uuid:{second.id}"]
    for credential in embedded:
        data_integrity.verify_proof(credential, public_key_of_did_key, contexts)
    with taxonomy_platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}
    assert [e.kind for e in skills[PYTHON].evidence] == [EvidenceKind.CREDENTIAL, EvidenceKind.CREDENTIAL]


def test_one_verification_shares_one_deadline_across_its_fetches(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA)
    issued = json.loads(record.document)
    did = "did:web:issuer.example"
    (proof,) = issued["proof"]
    claimed = {
        **issued,
        "issuer": {**issued["issuer"], "id": did},
        "proof": [{**proof, "verificationMethod": f"{did}#key-1"}],
        "credentialStatus": {**issued["credentialStatus"], "statusListCredential": "https://lists.example/1"},
    }
    now = [0.0]
    hosts: list[str] = []

    def slow(request: httpx.Request) -> httpx.Response:
        hosts.append(request.headers["host"])
        now[0] += 9.0  # every answer comes after the whole 8 s deadline
        return httpx.Response(200, json={})

    outbound = Outbound(
        OutboundPolicy(deadline_seconds=8.0),
        resolver=lambda host, port: ["93.184.216.34"],
        transport=httpx.MockTransport(slow),
        clock=lambda: now[0],
    )
    sources = online_verifier_sources(outbound)
    for expected in (["issuer.example"], ["issuer.example", "issuer.example"]):
        report = credential_verification.verify(
            taxonomy_platform.uow(),
            taxonomy_platform.key_vault,
            raw=claimed,
            publication=taxonomy_platform.publication,
            sources=sources,
            now=taxonomy_platform.clock(),
        )
        reasons = {c.name: c.reason for c in report.checks}
        assert reasons["key"] == f"{did}#key-1: could not fetch the issuer's DID document"
        assert "could not fetch the status list" in reasons["status"]
        # the status list was not even asked for: the verification's deadline had passed
        assert hosts == expected
