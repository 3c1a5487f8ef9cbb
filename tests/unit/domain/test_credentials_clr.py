"""The CLR 2.0 export: embedded credentials unchanged and still verifiable, the record signable."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import rfc8785

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.clr import CLR_CONTEXT, CLR_CONTEXTS, OB3_CONTEXT, build_clr
from microcareer.domain.credentials.data_integrity import JCS, RDFC, create_proof, verify_proof
from microcareer.domain.credentials.errors import InvalidProof
from microcareer.domain.credentials.rdfc import canonical_nquads
from microcareer.errors import InvalidInput

SEED = bytes(range(32))
PUBLIC_MULTIKEY = "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"  # the public key of SEED
PUBLIC_KEY = multikey.decode_public_key(PUBLIC_MULTIKEY)
METHOD = multikey.did_key_verification_method(PUBLIC_MULTIKEY)
ISSUER = {"id": multikey.did_key(PUBLIC_MULTIKEY), "type": ["Profile"], "name": "Example Academy"}
LEARNER = "did:example:ebfeb1f712ebc6f1c276e12ec21"
WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
OB3_PINNED = OB3_CONTEXT in pinned_contexts()
needs_ob3 = pytest.mark.skipif(
    not OB3_PINNED, reason=f"the Open Badges 3.0 context {OB3_CONTEXT} is not pinned in data/jsonld yet"
)


def _resolve(method: str) -> bytes:
    return multikey.public_key_of_did_key(method)


def _badge(number: int, suite: str) -> dict[str, Any]:
    """A signed OpenBadgeCredential for one achievement, aligned to an ESCO skill."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
        "id": f"urn:uuid:6a1f0c9e-0000-4000-8000-00000000000{number}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": ISSUER,
        "validFrom": "2026-06-01T00:00:00Z",
        "name": f"Badge {number}",
        "credentialSubject": {
            "id": LEARNER,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"https://academy.example/achievements/{number}",
                "type": ["Achievement"],
                "name": f"Achievement {number}",
                "description": "Écrit des requêtes SQL — «jointures» comprises.",
                "criteria": {"narrative": "Passed the assessed project."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "SQL",
                        "targetUrl": "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742",
                        "targetFramework": "ESCO",
                    }
                ],
            },
        },
    }
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
        "created": "2026-06-01T00:00:00Z",
    }
    return create_proof(credential, options, SEED, pinned_contexts())


def _clr(credentials: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "issuer": ISSUER,
        "subject_id": LEARNER,
        "name": "Learner record",
        "clr_id": "urn:uuid:0b7e2f8a-1111-4000-8000-000000000000",
        "valid_from": WHEN,
    }
    return build_clr(credentials, **{**arguments, **overrides})


def test_the_public_key_constant_is_that_of_the_seed() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw == PUBLIC_KEY


def test_the_record_has_the_clr_shape() -> None:
    badges = [_badge(1, JCS), _badge(2, JCS)]
    clr = _clr(badges, description="All of it")
    assert clr["@context"] == list(CLR_CONTEXTS)
    assert clr["@context"][:2] == ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT]
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr["validFrom"] == "2026-11-23T09:30:00Z"
    assert clr["issuer"] == ISSUER
    assert clr["description"] == "All of it"
    assert "proof" not in clr
    subject = clr["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    assert subject["id"] == LEARNER
    assert [a["id"] for a in subject["achievement"]] == [
        "https://academy.example/achievements/1",
        "https://academy.example/achievements/2",
    ]
    assert subject["achievement"][0] == badges[0]["credentialSubject"]["achievement"]
    assert "association" not in subject


def test_embedded_credentials_are_byte_identical_and_still_verify() -> None:
    badges = [_badge(1, JCS), _badge(2, JCS)]
    before = [rfc8785.dumps(badge) for badge in badges]
    clr = _clr(badges)
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [rfc8785.dumps(credential) for credential in embedded] == before
    for credential in embedded:
        verify_proof(credential, _resolve, pinned_contexts())


def test_the_record_and_its_inputs_do_not_share_objects() -> None:
    badges = [_badge(1, JCS)]
    clr = _clr(badges)
    clr["credentialSubject"]["verifiableCredential"][0]["name"] = "Changed"
    clr["credentialSubject"]["achievement"][0]["name"] = "Changed"
    assert badges[0]["name"] == "Badge 1"
    assert badges[0]["credentialSubject"]["achievement"]["name"] == "Achievement 1"
    verify_proof(badges[0], _resolve, pinned_contexts())
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(clr["credentialSubject"]["verifiableCredential"][0], _resolve, pinned_contexts())


def test_an_achievement_held_twice_is_listed_once() -> None:
    first, again = _badge(1, JCS), copy.deepcopy(_badge(1, JCS))
    again["id"] = "urn:uuid:6a1f0c9e-0000-4000-8000-0000000000aa"
    clr = _clr([first, again])
    assert len(clr["credentialSubject"]["verifiableCredential"]) == 2
    assert len(clr["credentialSubject"]["achievement"]) == 1


def test_associations_relate_achievements_of_the_record() -> None:
    clr = _clr(
        [_badge(1, JCS), _badge(2, JCS)],
        associations=[
            {
                "associationType": "isChildOf",
                "sourceId": "https://academy.example/achievements/2",
                "targetId": "https://academy.example/achievements/1",
            }
        ],
    )
    assert clr["credentialSubject"]["association"] == [
        {
            "type": "Association",
            "associationType": "isChildOf",
            "sourceId": "https://academy.example/achievements/2",
            "targetId": "https://academy.example/achievements/1",
        }
    ]


def test_no_subject_id_leaves_it_out_and_an_offset_time_becomes_utc() -> None:
    clr = _clr([_badge(1, JCS)], subject_id=None, valid_from=WHEN.astimezone(timezone(timedelta(hours=2))))
    assert "id" not in clr["credentialSubject"]
    assert clr["validFrom"] == "2026-11-23T09:30:00Z"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda badges: badges.clear(), "credentials"),
        (lambda badges: badges[0].pop("proof"), "credentials[0].proof"),
        (lambda badges: badges[1].update(type=["OpenBadgeCredential"]), "credentials[1].type"),
        (
            lambda badges: badges[1]["credentialSubject"].pop("achievement"),
            "credentials[1].credentialSubject.achievement",
        ),
        (
            lambda badges: badges[0]["credentialSubject"]["achievement"].pop("id"),
            "credentials[0].credentialSubject.achievement.id",
        ),
        (lambda badges: badges[0].update(credentialSubject=[]), "credentials[0].credentialSubject"),
    ],
)
def test_a_bad_credential_is_refused_naming_where(change: Any, path: str) -> None:
    badges = [_badge(1, JCS), _badge(2, JCS)]
    change(badges)
    with pytest.raises(InvalidInput) as caught:
        _clr(badges)
    assert caught.value.extra["field"] == path
    assert str(caught.value).startswith(path + ":")


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"valid_from": datetime(2026, 11, 23)}, "validFrom"),  # naive on purpose
        ({"issuer": {"name": "No id"}}, "issuer.id"),
        ({"name": " "}, "name"),
        ({"clr_id": ""}, "id"),
        (
            {"associations": [{"associationType": "isChildOf", "sourceId": "x", "targetId": "y"}]},
            "associations[0].sourceId",
        ),
        (
            {
                "associations": [
                    {
                        "associationType": "isCousinOf",
                        "sourceId": "https://academy.example/achievements/1",
                        "targetId": "https://academy.example/achievements/1",
                    }
                ]
            },
            "associations[0].associationType",
        ),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(overrides: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _clr([_badge(1, JCS)], **overrides)
    assert caught.value.extra["field"] == path


def test_the_record_signs_and_verifies_with_jcs() -> None:
    clr = _clr([_badge(1, JCS), _badge(2, JCS)])
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": JCS,
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
    }
    signed = create_proof(clr, options, SEED, pinned_contexts())
    verify_proof(signed, _resolve, pinned_contexts())
    for credential in signed["credentialSubject"]["verifiableCredential"]:
        verify_proof(credential, _resolve, pinned_contexts())


@needs_ob3
def test_the_record_canonicalises_with_pinned_contexts_only_and_signs_with_rdfc() -> None:
    badges = [_badge(1, RDFC), _badge(2, JCS)]
    clr = _clr(
        badges,
        associations=[
            {
                "associationType": "isPeerOf",
                "sourceId": "https://academy.example/achievements/1",
                "targetId": "https://academy.example/achievements/2",
            }
        ],
    )
    nquads = canonical_nquads({**clr, "description": "All of it"}, pinned_contexts())
    assert "issuer-dependent#" not in nquads  # every term is defined: none falls to VC 2.0's @vocab
    assert (
        f"<{LEARNER}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrSubject> ."
    ) in nquads
    assert "<https://purl.imsglobal.org/spec/vc/clr/vocab.html#verifiableCredential>" in nquads
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": RDFC,
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
    }
    signed = create_proof(clr, options, SEED, pinned_contexts())
    verify_proof(signed, _resolve, pinned_contexts())
    for original, credential in zip(badges, signed["credentialSubject"]["verifiableCredential"], strict=True):
        assert rfc8785.dumps(credential) == rfc8785.dumps(original)
        verify_proof(credential, _resolve, pinned_contexts())
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["verifiableCredential"][0]["name"] = "Another badge"
    with pytest.raises(InvalidProof, match="signature does not verify"):
        verify_proof(tampered, _resolve, pinned_contexts())
