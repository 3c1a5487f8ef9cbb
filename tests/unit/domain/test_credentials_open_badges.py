"""Open Badges 3.0 documents: achievement definitions, recipients, and the credential's shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials.open_badges import (
    SCHEMA_ID,
    AchievementDefinition,
    EvidenceItem,
    IssuerProfile,
    Recipient,
    ResultSpec,
    SkillAlignment,
    achievement_document,
    email_identity_hash,
    identity_matches,
    open_badge_credential,
)
from microcareer.domain.credentials.rdfc import canonical_nquads
from microcareer.errors import InvalidInput

ISSUER = IssuerProfile("did:key:z6MkTest", "Code School", "https://school.example")
DEFINITION = AchievementDefinition(
    name="SQL for analysts",
    description="Writes correct analytical SQL.",
    criteria="Passed the practical.",
    alignments=(SkillAlignment("http://data.europa.eu/esco/skill/sql", "SQL"),),
    results=(ResultSpec("score", "Percent"),),
    expiry_days=30,
)
NOW = datetime(2026, 11, 23, 10, 30, 15, 123456, tzinfo=UTC)


def _credential(**changes: object) -> dict[str, object]:
    arguments: dict[str, object] = {
        "credential_id": "urn:uuid:1",
        "issuer": ISSUER,
        "achievement": achievement_document(
            DEFINITION, achievement_id="https://h/achievements/1", creator=ISSUER
        ),
        "definition": DEFINITION,
        "recipient": Recipient(email="Ana@Example.org"),
        "salt": "abc",
        "valid_from": NOW,
    } | changes
    return open_badge_credential(**arguments)  # type: ignore[arg-type]


def test_the_credential_has_the_open_badges_3_shape() -> None:
    credential = _credential(results={"score": "91"}, evidence=[EvidenceItem(narrative="Query set 4")])
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert credential["validFrom"] == "2026-11-23T10:30:15Z"
    assert credential["validUntil"] == "2026-12-23T10:30:15Z"
    subject = credential["credentialSubject"]
    assert isinstance(subject, dict)
    assert subject["identifier"][0]["identityHash"] == email_identity_hash("ana@example.org", "abc")
    assert subject["result"] == [
        {"type": ["Result"], "resultDescription": "https://h/achievements/1#result-score", "value": "91"}
    ]
    assert subject["achievement"]["resultDescription"][0]["resultType"] == "Percent"
    assert credential["evidence"] == [{"type": ["Evidence"], "narrative": "Query set 4"}]
    assert identity_matches(credential, email=" ANA@example.org ", did=None)


def test_every_term_of_the_credential_is_defined_by_its_contexts() -> None:
    """The schema validator type too: nothing falls to VC 2.0's issuer-dependent ``@vocab``."""
    credential = _credential(results={"score": "91"}, evidence=[EvidenceItem(narrative="Query set 4")])
    assert credential["credentialSchema"] == [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}]
    nquads = canonical_nquads(credential, pinned_contexts())
    assert "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019" in nquads
    assert "issuer-dependent#" not in nquads


def test_the_hash_is_sha256_of_address_and_salt() -> None:
    # sha256("ana@example.orgabc")
    import hashlib

    expected = "sha256$" + hashlib.sha256(b"ana@example.orgabc").hexdigest()
    assert email_identity_hash("Ana@Example.org", "abc") == expected


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient": Recipient()}, "recipient"),
        ({"recipient": Recipient(email="nope")}, "recipient.email"),
        ({"recipient": Recipient(did="mailto:x")}, "recipient.did"),
        ({"results": {"grade": "A"}}, "results"),
        ({"evidence": [EvidenceItem()]}, "evidence[0]"),
        ({"evidence": [EvidenceItem(url="ftp://x")]}, "evidence[0].url"),
    ],
)
def test_bad_requests_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _credential(**changes)
    assert caught.value.extra["field"] == field


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        (AchievementDefinition(name="", description="d", criteria="c"), "name"),
        (
            AchievementDefinition(name="n", description="d", criteria="c", achievement_type="Nope"),
            "achievement_type",
        ),
        (
            AchievementDefinition(name="n", description="d", criteria="c", image_url="javascript:x"),
            "image_url",
        ),
        (AchievementDefinition(name="n", description="d", criteria="c", expiry_days=0), "expiry_days"),
        (AchievementDefinition(name="n", description="d", criteria="c", proficiency=6), "proficiency"),
        (
            AchievementDefinition(
                name="n", description="d", criteria="c", results=(ResultSpec("s", "Bogus"),)
            ),
            "results[0].result_type",
        ),
        (AchievementDefinition(name="n", description="d", criteria="c", parts=(1, 1)), "parts"),
    ],
)
def test_bad_definitions_name_the_field(definition: AchievementDefinition, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        definition.validate()
    assert caught.value.extra["field"] == field


def test_extension_types_are_accepted() -> None:
    AchievementDefinition(name="n", description="d", criteria="c", achievement_type="ext:Gig").validate()
