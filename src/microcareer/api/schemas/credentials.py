"""Issuers, keys, achievements and issued credentials as the API shows them.

Only public parts leave: a key is its public Multikey and dates, never the sealed secret; an issued
credential shown to anyone is its signed document and status, with no account id or reason.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from microcareer.api.schemas.common import Page
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.open_badges import (
    AchievementDefinition,
    EvidenceItem,
    Recipient,
    ResultSpec,
    SkillAlignment,
)
from microcareer.domain.credentials.records import Achievement, IssuedCredential, Issuer, IssuerKey
from microcareer.services.credential_issuing import ProofFormat, Publication
from microcareer.services.issuer_standing import DomainChallenge


class IssuerCreate(BaseModel):
    name: str = Field(max_length=200, description="The issuer's name, as credentials show it.")
    url: str | None = Field(None, max_length=2000, description="The issuer's web site (http or https).")
    email: str | None = Field(None, max_length=320, description="A contact address, shown in credentials.")
    description: str = Field("", max_length=4000)
    organisation: str | None = Field(
        None, max_length=200, description="Slug of the organisation it issues for (you must be its admin)."
    )


class IssuerKeyPublic(BaseModel):
    """A signing key's public part: the sealed private key never leaves the server."""

    id: int
    public_key_multibase: str = Field(serialization_alias="publicKeyMultibase")
    verification_method: str = Field(description="The key's id in proofs (a DID URL).")
    state: str = Field(description="active (signs now), retired (still verifies), withdrawn (compromised).")
    created_at: datetime
    retired_at: datetime | None
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, key: IssuerKey) -> IssuerKeyPublic:
        return cls(
            id=key.id,
            public_key_multibase=key.public_multikey,
            verification_method=key.verification_method,
            state=key.state,
            created_at=key.created_at,
            retired_at=key.retired_at,
            withdrawn_at=key.withdrawn_at,
        )


class IssuerPublic(BaseModel):
    id: int
    slug: str
    name: str
    url: str | None
    email: str | None
    description: str
    did: str = Field(description="did:web when the server has an https address, else the key's did:key.")
    organisation_id: int | None
    created_at: datetime
    standing: str = Field(
        description="unverified (its credentials reach no wallet and count nothing), domain_verified "
        "(proved control of verified_domain) or approved (by a platform admin). See docs/trust.md."
    )
    verified_domain: str | None = Field(description="The domain it proved it controls, if any.")
    shown_name: str = Field(description="Its name with its standing and verified domain, as pages show it.")

    @classmethod
    def of(cls, issuer: Issuer) -> IssuerPublic:
        return cls(
            id=issuer.id,
            slug=issuer.slug,
            standing=issuer.standing.value,
            verified_domain=issuer.verified_domain,
            shown_name=issuer.shown_name,
            name=issuer.name,
            url=issuer.url,
            email=issuer.email,
            description=issuer.description,
            did=issuer.did,
            organisation_id=issuer.organisation_id,
            created_at=issuer.created_at,
        )


class IssuerDetail(IssuerPublic):
    keys: list[IssuerKeyPublic]

    @classmethod
    def with_keys(cls, issuer: Issuer, keys: list[IssuerKey]) -> IssuerDetail:
        return cls(**IssuerPublic.of(issuer).model_dump(), keys=[IssuerKeyPublic.of(k) for k in keys])


IssuersPublic = Page[IssuerPublic]


class DomainProofStart(BaseModel):
    domain: str = Field(
        max_length=253, description="A host name the issuer controls, such as school.example."
    )


class DomainChallengePublic(BaseModel):
    """Serve ``document`` as JSON at ``url`` (https, port 443), then ask to verify it."""

    domain: str
    url: str
    token: str
    document: dict[str, str]

    @classmethod
    def of(cls, challenge: DomainChallenge) -> DomainChallengePublic:
        return cls(
            domain=challenge.domain, url=challenge.url, token=challenge.token, document=challenge.document
        )


class KeyRotation(BaseModel):
    withdraw_previous: bool = Field(
        False,
        description="Also withdraw the keys it replaces (they were compromised): what they signed fails.",
    )


class AlignmentIn(BaseModel):
    uri: str = Field(
        max_length=255,
        description="A skill's URI (ESCO, or your organisation's own skill), key or name (a label, a tool "
        "name such as Docker: resolved as `GET /skills/resolve` does; a name of no one skill is a 422).",
    )
    label: str = Field("", max_length=400, description="Shown name; empty: the skill's preferred label.")


class ResultIn(BaseModel):
    name: str = Field(max_length=120)
    result_type: str = Field("Status", max_length=64, description="An Open Badges ResultType, or ext:Name.")


class AchievementCreate(BaseModel):
    name: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    criteria: str = Field(max_length=8000, description="What a recipient did to earn it.")
    achievement_type: str = Field(
        "MicroCredential", max_length=64, description="An Open Badges AchievementType, or ext:Name."
    )
    image_url: str | None = Field(None, max_length=2000)
    criteria_url: str | None = Field(None, max_length=2000)
    alignments: list[AlignmentIn] = Field(default_factory=list, max_length=200)
    results: list[ResultIn] = Field(default_factory=list, max_length=50)
    expiry_days: int | None = Field(None, description="Days a credential stays valid; none: no expiry.")
    proficiency: int = Field(3, description="Level (1-5) each aligned skill gets on a recipient's profile.")
    suspendable: bool = Field(
        False,
        description="Credentials can be suspended and reinstated (they point at a suspension list; "
        "revoking then suspends for good); otherwise they can only be revoked.",
    )
    parts: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=100, description="Ids of achievements that together make this one."
    )

    def to_definition(self) -> AchievementDefinition:
        return AchievementDefinition(
            name=self.name,
            description=self.description,
            criteria=self.criteria,
            achievement_type=self.achievement_type,
            image_url=self.image_url,
            criteria_url=self.criteria_url,
            alignments=tuple(SkillAlignment(a.uri, a.label) for a in self.alignments),
            results=tuple(ResultSpec(r.name, r.result_type) for r in self.results),
            expiry_days=self.expiry_days,
            proficiency=self.proficiency,
            suspendable=self.suspendable,
            parts=tuple(self.parts),
        )


class AlignmentPublic(BaseModel):
    uri: str
    label: str
    framework: str


class AchievementPublic(BaseModel):
    id: int
    issuer_id: int
    name: str
    description: str
    criteria: str
    achievement_type: str
    image_url: str | None
    criteria_url: str | None
    alignments: list[AlignmentPublic]
    results: list[ResultIn]
    expiry_days: int | None
    proficiency: int
    suspendable: bool
    parts: list[int]
    created_at: datetime
    url: str = Field(description="Where its Open Badges 3.0 Achievement document is published.")

    @classmethod
    def of(cls, achievement: Achievement, publication: Publication) -> AchievementPublic:
        d = achievement.definition
        return cls(
            id=achievement.id,
            issuer_id=achievement.issuer_id,
            name=d.name,
            description=d.description,
            criteria=d.criteria,
            achievement_type=d.achievement_type,
            image_url=d.image_url,
            criteria_url=d.criteria_url,
            alignments=[
                AlignmentPublic(uri=a.uri, label=a.label, framework=a.framework) for a in d.alignments
            ],
            results=[ResultIn(name=r.name, result_type=r.result_type) for r in d.results],
            expiry_days=d.expiry_days,
            proficiency=d.proficiency,
            suspendable=d.suspendable,
            parts=list(d.parts),
            created_at=achievement.created_at,
            url=publication.achievement_url(achievement.id),
        )


AchievementsPublic = Page[AchievementPublic]


class EvidenceIn(BaseModel):
    narrative: str = Field("", max_length=8000)
    url: str | None = Field(None, max_length=2000)
    name: str = Field("", max_length=400)


class RecipientIn(BaseModel):
    """Who receives it: an e-mail (hashed in the credential; an account with it gets it in its wallet)
    and/or a DID."""

    email: str | None = Field(None, max_length=320)
    did: str | None = Field(None, max_length=255)
    name: str | None = Field(None, max_length=400)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=20)
    results: dict[str, str] = Field(
        default_factory=dict, description="Result name (as the achievement defines it) to value."
    )

    def to_request(self) -> IssueRequest:
        return IssueRequest(
            Recipient(email=self.email, did=self.did, name=self.name),
            tuple(EvidenceItem(narrative=e.narrative, url=e.url, name=e.name) for e in self.evidence),
            dict(self.results),
        )


class IssueCreate(BaseModel):
    recipients: list[RecipientIn] = Field(min_length=1, max_length=1000)
    proof_format: ProofFormat = Field(
        "eddsa-rdfc-2022", description="eddsa-rdfc-2022 or eddsa-jcs-2022 (Data Integrity), or jwt (VC-JWT)."
    )


def _document(record: IssuedCredential) -> dict[str, Any] | str:
    if record.proof_format == "jwt":
        return record.document
    parsed: dict[str, Any] = json.loads(record.document)
    return parsed


class CredentialPublic(BaseModel):
    """An issued credential as anyone holding its id sees it: the signed document and its status."""

    id: str = Field(description="The credential's UUID (its document's id is urn:uuid:UUID).")
    achievement_id: int
    issuer_id: int
    proof_format: str
    issued_at: datetime
    valid_until: datetime | None
    status: str = Field(description="active, suspended or revoked.")
    revoked_at: datetime | None
    verify_url: str
    credential: dict[str, Any] | str = Field(
        description="The signed credential: JSON with its proof, or the compact JWT (proof_format jwt)."
    )

    @classmethod
    def of(cls, record: IssuedCredential, publication: Publication) -> CredentialPublic:
        return cls(
            id=record.id,
            achievement_id=record.achievement_id,
            issuer_id=record.issuer_id,
            proof_format=record.proof_format,
            issued_at=record.issued_at,
            valid_until=record.valid_until,
            status=record.status,
            revoked_at=record.revoked_at,
            verify_url=publication.verify_url(record.id),
            credential=_document(record),
        )


class CredentialSummary(BaseModel):
    """An issued credential as its issuer's managers see it in lists: no document, the reason too."""

    id: str
    achievement_id: int
    recipient_user_id: int | None = Field(description="The account it went to, when the e-mail matched one.")
    recipient_did: str | None
    recipient_email: str | None = Field(
        description="The e-mail as entered at issuing (the credential holds only its salted hash)."
    )
    recipient_name: str | None = Field(description="The name entered at issuing (not in the credential).")
    proof_format: str
    issued_at: datetime
    valid_until: datetime | None
    status: str
    revoked_at: datetime | None
    status_reason: str
    batch_id: str | None
    verify_url: str

    @classmethod
    def of(cls, record: IssuedCredential, publication: Publication) -> CredentialSummary:
        return cls(
            id=record.id,
            achievement_id=record.achievement_id,
            recipient_user_id=record.recipient_user_id,
            recipient_did=record.recipient_did,
            recipient_email=record.recipient_email,
            recipient_name=record.recipient_name,
            proof_format=record.proof_format,
            issued_at=record.issued_at,
            valid_until=record.valid_until,
            status=record.status,
            revoked_at=record.revoked_at,
            status_reason=record.status_reason,
            batch_id=record.batch_id,
            verify_url=publication.verify_url(record.id),
        )


CredentialsPublic = Page[CredentialSummary]


class StatusChange(BaseModel):
    reason: str = Field("", max_length=1000, description="Why; kept for the issuer, not published.")
