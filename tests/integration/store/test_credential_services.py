"""Issuers, achievements, issuing, status and wallets on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials import data_integrity, vc_jwt
from microcareer.domain.credentials.issue_rows import BatchRejected, IssueRequest, parse_issue_csv
from microcareer.domain.credentials.multikey import decode_public_key, public_key_of_did_key
from microcareer.domain.credentials.open_badges import (
    AchievementDefinition,
    EvidenceItem,
    Recipient,
    ResultSpec,
    SkillAlignment,
    identity_matches,
)
from microcareer.domain.credentials.records import IssuedCredential
from microcareer.domain.credentials.status_list import decode_status_list
from microcareer.domain.profiles.evidence import EvidenceKind
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import achievements, credential_issuers, credential_issuing, issuer_standing, wallet
from microcareer.services.credential_issuing import Publication
from microcareer.store.tables.credentials import IssuerKeyRow
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, make_organisation

ADMIN = Actor(user_id=None, roles=frozenset({Role.PLATFORM_ADMIN}))


@dataclass(frozen=True)
class World:
    platform: Platform
    issuer_actor: Actor
    learner: Actor
    stranger: Actor
    slug: str
    achievement_id: int


def _world(platform: Platform, public_url: str = "http://127.0.0.1:8000", *, approved: bool = True) -> World:
    """An issuer (approved by a platform admin unless ``approved`` is False), a learner and a stranger."""
    now = platform.clock()
    with platform.uow() as uow:
        owner = uow.accounts.add_user(
            email="school@x.test",
            display_name="School",
            password_hash="x",
            roles=[Role.ISSUER],
            created_at=now,
        )
        learner = uow.accounts.add_user(
            email="lea@x.test",
            display_name="Lea",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        stranger = uow.accounts.add_user(
            email="sam@x.test", display_name="Sam", password_hash="x", roles=[Role.ISSUER], created_at=now
        )
        uow.commit()
    issuer_actor = Actor(user_id=owner.id, roles=frozenset({Role.ISSUER}))
    issuer = credential_issuers.create_issuer(
        platform.uow(),
        platform.key_vault,
        actor=issuer_actor,
        name="Code School",
        url="https://school.example",
        email="badges@school.example",
        public_url=public_url,
        now=now,
    )
    achievement = achievements.define_achievement(
        platform.uow(),
        actor=issuer_actor,
        issuer_slug=issuer.slug,
        definition=AchievementDefinition(
            name="Python for data work",
            description="Writes tested Python to clean and analyse data.",
            criteria="Passed a proctored 3-hour practical.",
            alignments=(SkillAlignment(PYTHON, ""), SkillAlignment(HASKELL, "")),
            results=(ResultSpec("grade", "LetterGrade"),),
            expiry_days=365,
            proficiency=4,
        ),
        now=now,
    )
    if approved:
        issuer_standing.approve_issuer(platform.uow(), actor=ADMIN, slug=issuer.slug, now=now)
    return World(
        platform,
        issuer_actor,
        Actor(user_id=learner.id, roles=frozenset({Role.PROFESSIONAL})),
        Actor(user_id=stranger.id, roles=frozenset({Role.ISSUER})),
        issuer.slug,
        achievement.id,
    )


def accept(world: World, entry_id: int) -> None:
    """The learner accepts a pending credential."""
    wallet.accept_entry(world.platform.uow(), actor=world.learner, entry_id=entry_id)


def accept_issued(world: World, record: IssuedCredential) -> None:
    """The recipient accepts the credential that reached their wallet."""
    with world.platform.uow() as uow:
        entry = uow.credentials.wallet_entry_for(record.id)
    assert entry is not None
    wallet.accept_entry(
        world.platform.uow(), actor=Actor(user_id=entry.user_id, roles=frozenset()), entry_id=entry.id
    )


def _issue(
    world: World, *requests: IssueRequest, proof_format: credential_issuing.ProofFormat = "eddsa-rdfc-2022"
) -> list[IssuedCredential]:
    return credential_issuing.issue_credentials(
        world.platform.uow(),
        world.platform.key_vault,
        actor=world.issuer_actor,
        achievement_id=world.achievement_id,
        requests=list(requests),
        proof_format=proof_format,
        publication=world.platform.publication,
        now=world.platform.clock(),
    )


LEA = IssueRequest(
    Recipient(email="lea@x.test"),
    evidence=(
        EvidenceItem(narrative="Cleaned the city's bike-share data", url="https://git.example/lea/bikes"),
    ),
    results={"grade": "A"},
)


def _verify(world: World, document: str) -> dict[str, Any]:
    signed: dict[str, Any] = json.loads(document)
    data_integrity.verify_proof(signed, public_key_of_did_key, world.platform.publication.contexts)
    return signed


@pytest.mark.parametrize("proof_format", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_an_issued_credential_is_open_badges_3_and_verifies(
    taxonomy_platform: Platform, proof_format: credential_issuing.ProofFormat
) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA, proof_format=proof_format)
    credential = _verify(world, record.document)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    subject = credential["credentialSubject"]
    assert "lea@x.test" not in record.document  # the e-mail travels hashed
    assert identity_matches(credential, email="LEA@x.test", did=None)
    assert not identity_matches(credential, email="other@x.test", did=None)
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert [a["targetUrl"] for a in achievement["alignment"]] == [PYTHON, HASKELL]
    assert achievement["alignment"][0]["targetName"] == "Python (computer programming)"
    assert subject["result"][0]["value"] == "A"
    assert credential["evidence"][0]["id"] == "https://git.example/lea/bikes"
    status = credential["credentialStatus"]  # one entry, as Open Badges 3.0 allows
    assert status["statusPurpose"] == record.status_purpose == "revocation"
    assert int(status["statusListIndex"]) == record.status_index
    assert isinstance(credential["proof"], list)
    assert len(credential["proof"]) == 1
    assert record.valid_until is not None
    assert record.valid_until - record.issued_at == timedelta(days=365)


def test_issuing_puts_it_in_the_wallet_and_adds_credential_evidence(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA)
    assert record.recipient_user_id == world.learner.user_id
    with taxonomy_platform.uow() as uow:
        assert world.learner.user_id is not None
        entries = uow.credentials.wallet(world.learner.user_id)
        skills = {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}
    assert [(w.issued_id, w.state) for w in entries] == [(record.id, "pending")]
    assert PYTHON not in skills  # pending: no evidence until the holder accepts
    accept(world, entries[0].id)
    with taxonomy_platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}
    assert skills[PYTHON].proficiency == 4
    assert [e.kind for e in skills[PYTHON].evidence] == [EvidenceKind.CREDENTIAL]
    assert skills[PYTHON].evidence[0].source == f"urn:uuid:{record.id}"
    assert skills[PYTHON].evidence[0].weight == 1.0
    assert skills[PYTHON].evidence[0].note == "issuer approved by the platform"


def test_revoking_sets_the_bit_takes_evidence_away_and_is_final(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    first, second = _issue(world, LEA, IssueRequest(Recipient(did="did:example:bob")))
    accept_issued(world, first)
    now = taxonomy_platform.clock()
    platform = taxonomy_platform
    with platform.uow() as uow:
        assert world.learner.user_id is not None
        assert [
            e.kind for e in {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}[PYTHON].evidence
        ] == [EvidenceKind.CREDENTIAL]

    def bit(record_list: int, index: int) -> bool:
        text = credential_issuing.status_list_document(
            platform.uow(), platform.key_vault, list_id=record_list, publication=platform.publication
        )
        status = _verify(world, text)
        subject = status["credentialSubject"]
        return decode_status_list(subject["encodedList"]).get(index)

    assert not bit(first.status_list_id, first.status_index)
    with pytest.raises(PermissionDenied):
        credential_issuing.change_status(
            platform.uow(), actor=world.stranger, credential_id=first.id, action="revoke", now=now
        )
    credential_issuing.change_status(
        platform.uow(),
        actor=world.issuer_actor,
        credential_id=first.id,
        action="revoke",
        reason="cheated",
        now=now,
    )
    assert bit(first.status_list_id, first.status_index)
    assert not bit(second.status_list_id, second.status_index)
    with platform.uow() as uow:
        assert world.learner.user_id is not None
        skills = {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}
    assert skills[PYTHON].evidence == ()
    with pytest.raises(Conflict, match="final"):
        credential_issuing.change_status(
            platform.uow(), actor=world.issuer_actor, credential_id=first.id, action="reinstate", now=now
        )
    with pytest.raises(Conflict, match="without suspension"):
        credential_issuing.change_status(
            platform.uow(), actor=world.issuer_actor, credential_id=second.id, action="suspend", now=now
        )


def test_a_suspendable_achievement_suspends_reinstates_and_revokes_for_good(
    taxonomy_platform: Platform,
) -> None:
    world = _world(taxonomy_platform)
    platform = taxonomy_platform
    now = platform.clock()
    licence = achievements.define_achievement(
        platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(
            name="Forklift licence",
            description="d",
            criteria="c",
            achievement_type="License",
            suspendable=True,
        ),
        now=now,
    )
    (record,) = credential_issuing.issue_credentials(
        platform.uow(),
        platform.key_vault,
        actor=world.issuer_actor,
        achievement_id=licence.id,
        requests=[IssueRequest(Recipient(did="did:example:bob"))],
        publication=platform.publication,
        now=now,
    )
    assert json.loads(record.document)["credentialStatus"]["statusPurpose"] == "suspension"

    def bit() -> bool:
        text = credential_issuing.status_list_document(
            platform.uow(),
            platform.key_vault,
            list_id=record.status_list_id,
            publication=platform.publication,
        )
        return decode_status_list(_verify(world, text)["credentialSubject"]["encodedList"]).get(
            record.status_index
        )

    def change(action: credential_issuing.StatusAction) -> str:
        updated = credential_issuing.change_status(
            platform.uow(), actor=world.issuer_actor, credential_id=record.id, action=action, now=now
        )
        return updated.status

    assert not bit()
    assert change("suspend") == "suspended"
    assert bit()
    with pytest.raises(Conflict, match="already suspended"):
        change("suspend")
    assert change("reinstate") == "active"
    assert not bit()
    assert change("revoke") == "revoked"
    assert bit()
    with pytest.raises(Conflict, match="final"):
        change("reinstate")


def test_a_batch_with_one_bad_row_issues_nothing(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    csv_text = (
        "email,did,evidence_narrative,result:grade\n"
        "lea@x.test,,Built it,A\nnot-an-email,,,B\n,did:example:c,,\n"
    )
    with pytest.raises(BatchRejected) as caught:
        parse_issue_csv(csv_text, source="batch.csv", result_names=["grade"])
    assert caught.value.extra["rows"] == [
        {"line": 3, "column": "email", "message": "not an e-mail address: 'not-an-email'"}
    ]
    good = parse_issue_csv(
        "email,did,result:grade\nlea@x.test,,A\n,did:example:c,B\n",
        source="batch.csv",
        result_names=["grade"],
    )
    bad = [*good, IssueRequest(Recipient(email="z@x.test"), results={"mark": "9"})]
    with pytest.raises(BatchRejected, match="line 4"):
        _issue(world, *bad)
    with taxonomy_platform.uow() as uow:
        issuer = uow.credentials.issuer_by_slug(world.slug)
        assert issuer is not None
        assert uow.credentials.credentials_of_issuer(issuer.id, limit=10, offset=0) == ([], 0)
    issued = _issue(world, *good)
    assert len(issued) == 2
    assert issued[0].batch_id == issued[1].batch_id is not None
    indexes = {(r.status_list_id, r.status_index) for r in issued}
    assert len(indexes) == 2


def test_keys_are_sealed_rotate_and_old_credentials_still_verify(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (before,) = _issue(world, LEA)
    with taxonomy_platform.uow() as uow:
        rows = uow.session.scalars(select(IssuerKeyRow)).all()  # type: ignore[attr-defined]
        sealed = [bytes(r.sealed_secret) for r in rows]
        opened = [
            taxonomy_platform.key_vault.open(s, r.public_multikey) for s, r in zip(sealed, rows, strict=True)
        ]
    assert all(len(seed) == 32 and seed not in blob for seed, blob in zip(opened, sealed, strict=True))
    new_key = credential_issuers.rotate_key(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.issuer_actor,
        slug=world.slug,
        now=taxonomy_platform.clock(),
    )
    (after,) = _issue(world, IssueRequest(Recipient(did="did:example:bob")))
    assert after.key_id == new_key.id != before.key_id
    _verify(world, before.document)
    _verify(world, after.document)
    # the old key still signs the status list of what it signed
    text = credential_issuing.status_list_document(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        list_id=before.status_list_id,
        publication=taxonomy_platform.publication,
    )
    assert (
        json.loads(text)["proof"]["verificationMethod"].split("#")[0]
        == json.loads(before.document)["issuer"]["id"]
    )


def test_did_web_issuers_publish_every_key_not_withdrawn(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform, public_url="https://careers.example:8443/mc")
    issuer = credential_issuers.find_issuer(taxonomy_platform.uow(), world.slug)
    assert issuer.did == f"did:web:careers.example%3A8443:mc:issuers:{world.slug}"
    first = credential_issuers.issuer_keys(taxonomy_platform.uow(), world.slug)[0]
    now = taxonomy_platform.clock()
    credential_issuers.rotate_key(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.issuer_actor,
        slug=world.slug,
        now=now,
    )
    document = credential_issuers.did_document(taxonomy_platform.uow(), world.slug)
    assert document["id"] == issuer.did
    assert len(document["verificationMethod"]) == 2
    assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]
    assert all(decode_public_key(m["publicKeyMultibase"]) for m in document["verificationMethod"])
    credential_issuers.withdraw_key(
        taxonomy_platform.uow(), actor=world.issuer_actor, slug=world.slug, key_id=first.id, now=now
    )
    document = credential_issuers.did_document(taxonomy_platform.uow(), world.slug)
    assert [m["publicKeyMultibase"] for m in document["verificationMethod"]] != [first.public_multikey]
    assert len(document["verificationMethod"]) == 1


def test_a_jwt_credential_verifies_with_the_issuer_key(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA, proof_format="jwt")
    decoded = vc_jwt.decode_jwt_unverified(record.document)
    assert decoded.kid is not None
    vc_jwt.verify_jwt_signature(record.document, public_key_of_did_key(decoded.kid))
    assert decoded.credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_who_may_define_and_issue(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    now = taxonomy_platform.clock()
    definition = AchievementDefinition(name="X", description="Y", criteria="Z")
    with pytest.raises(PermissionDenied):
        achievements.define_achievement(
            taxonomy_platform.uow(),
            actor=world.stranger,
            issuer_slug=world.slug,
            definition=definition,
            now=now,
        )
    with pytest.raises(PermissionDenied):
        credential_issuing.issue_credentials(
            taxonomy_platform.uow(),
            taxonomy_platform.key_vault,
            actor=world.learner,
            achievement_id=world.achievement_id,
            requests=[LEA],
            publication=taxonomy_platform.publication,
            now=now,
        )
    with pytest.raises(PermissionDenied):  # a professional is no issuer
        credential_issuers.create_issuer(
            taxonomy_platform.uow(),
            taxonomy_platform.key_vault,
            actor=world.learner,
            name="Me",
            public_url="http://x",
            now=now,
        )
    with pytest.raises(InvalidInput, match="not a skill"):
        achievements.define_achievement(
            taxonomy_platform.uow(),
            actor=world.issuer_actor,
            issuer_slug=world.slug,
            definition=AchievementDefinition(
                name="X", description="Y", criteria="Z", alignments=(SkillAlignment("http://nope", ""),)
            ),
            now=now,
        )
    org = make_organisation(taxonomy_platform)
    org_issuer = credential_issuers.create_issuer(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=org.admin,
        name="Acme Academy",
        organisation_id=org.organisation_id,
        public_url="http://x",
        now=now,
    )
    with pytest.raises(PermissionDenied):
        credential_issuers.create_issuer(
            taxonomy_platform.uow(),
            taxonomy_platform.key_vault,
            actor=world.issuer_actor,
            name="Not mine",
            organisation_id=org.organisation_id,
            public_url="http://x",
            now=now,
        )
    assert org_issuer.organisation_id == org.organisation_id
    with pytest.raises(NotFound):
        credential_issuing.credential_record(
            taxonomy_platform.uow(), "urn:uuid:00000000-0000-0000-0000-000000000000"
        )


def test_stacked_achievements_show_progress(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    now = taxonomy_platform.clock()
    part_two = achievements.define_achievement(
        taxonomy_platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(name="Haskell basics", description="d", criteria="c"),
        now=now,
    )
    whole = achievements.define_achievement(
        taxonomy_platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(
            name="Functional data engineer",
            description="d",
            criteria="Both parts",
            parts=(world.achievement_id, part_two.id),
        ),
        now=now,
    )
    _issue(world, LEA)
    assert world.learner.user_id is not None
    progress = achievements.stack_progress(taxonomy_platform.uow(), user_id=world.learner.user_id)
    assert progress == [
        {
            "achievement_id": whole.id,
            "name": "Functional data engineer",
            "held": [world.achievement_id],
            "missing": [part_two.id],
            "complete": False,
        }
    ]
    published = achievements.published_achievement(
        taxonomy_platform.uow(), whole.id, Publication("http://h", {})
    )
    assert published["id"] == f"http://h/achievements/{whole.id}"


@pytest.mark.parametrize("bad", ["\x00", "\ud800"])
def test_a_batch_csv_with_a_nul_or_lone_surrogate_is_refused_with_its_line(bad: str) -> None:
    text = f"email,name\nada@example.org,Ada\nbob@example.org,B{bad}b\n"
    with pytest.raises(InvalidInput, match=r"^batch\.csv: line 3 holds a NUL character or a lone surrogate"):
        parse_issue_csv(text, source="batch.csv", result_names=[])
