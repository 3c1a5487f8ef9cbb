"""Open Badges 3.0 documents: issuer profiles, achievements and unsigned ``OpenBadgeCredential``s.

Follows the 1EdTech Open Badges 3.0 specification on the W3C Verifiable Credentials Data Model 2.0
(context ``https://www.w3.org/ns/credentials/v2``, the OB ``context-3.0.3.json``, then the OB
``extensions.json`` that defines the ``credentialSchema`` type ``1EdTechJsonSchemaValidator2019``, as
the Implementation Guide's signed examples do; without it the type is a term no context defines, which
the verifier warns about). An achievement
is the definition of a microcredential (criteria, ESCO skill alignments, result descriptions); a
credential awards it to one recipient, named by a DID or by a salted SHA-256 hash of their e-mail
(``identityHash`` ``sha256$<hex>``), so the document does not carry the address in clear.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from microcareer.errors import InvalidInput

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CONTEXTS = (VC_V2_CONTEXT, OB_V3_CONTEXT, OB_V3_EXTENSIONS_CONTEXT)
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
ESCO_FRAMEWORK = "ESCO"

# The AchievementType vocabulary of Open Badges 3.0; "ext:" + a name is the spec's extension form.
ACHIEVEMENT_TYPES = frozenset(
    {
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
        "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
        "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma",
        "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate",
        "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
        "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential",
        "ResearchDoctorate", "SecondarySchoolDiploma",
    }
)  # fmt: skip
RESULT_TYPES = frozenset(
    {
        "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore",
        "RawScore", "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore", "ScaledScore",
        "Status",
    }
)  # fmt: skip
_EXTENSION = re.compile(r"^ext:[A-Za-z0-9._-]{1,60}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$")
_SLUG = re.compile(r"[^a-z0-9]+")


def _http_url(value: str, field_name: str) -> None:
    if not re.match(r"^https?://[^\s/]+[^\s]*$", value):
        raise InvalidInput(f"{field_name}: not an http(s) URL: {value!r}", field=field_name)


def _text(value: str, field_name: str, *, limit: int, required: bool = True) -> None:
    if required and not value.strip():
        raise InvalidInput(f"{field_name}: required", field=field_name)
    if len(value) > limit:
        raise InvalidInput(f"{field_name}: longer than {limit} characters", field=field_name)


@dataclass(frozen=True, slots=True)
class SkillAlignment:
    """An achievement's alignment to a skill: an ESCO URI (or an organisation skill's URI)."""

    uri: str
    label: str
    framework: str = ESCO_FRAMEWORK


@dataclass(frozen=True, slots=True)
class ResultSpec:
    """A result the achievement records for each recipient (a grade, a score, a status)."""

    name: str
    result_type: str = "Status"

    def validate(self, where: str) -> None:
        _text(self.name, f"{where}.name", limit=120)
        if self.result_type not in RESULT_TYPES and not _EXTENSION.match(self.result_type):
            raise InvalidInput(
                f"{where}.result_type: {self.result_type!r} is not an Open Badges ResultType "
                f"(one of {', '.join(sorted(RESULT_TYPES))}, or ext:Name)",
                field=f"{where}.result_type",
            )


@dataclass(frozen=True, slots=True)
class AchievementDefinition:
    """What an issuer defines once and awards many times."""

    name: str
    description: str
    criteria: str
    achievement_type: str = "MicroCredential"
    image_url: str | None = None
    criteria_url: str | None = None
    alignments: tuple[SkillAlignment, ...] = ()
    results: tuple[ResultSpec, ...] = ()
    expiry_days: int | None = None
    proficiency: int = 3
    """The level (1-5) a recipient's profile gets for each aligned skill."""
    suspendable: bool = False
    """Credentials point at a suspension list (suspend, reinstate; revoking suspends for good) instead
    of a revocation list: Open Badges 3.0 allows one ``credentialStatus``."""
    parts: tuple[int, ...] = field(default=())
    """Ids of the achievements that together make this one (stackability)."""

    def validate(self) -> None:
        _text(self.name, "name", limit=200)
        _text(self.description, "description", limit=4_000)
        _text(self.criteria, "criteria", limit=8_000)
        if self.achievement_type not in ACHIEVEMENT_TYPES and not _EXTENSION.match(self.achievement_type):
            raise InvalidInput(
                f"achievement_type: {self.achievement_type!r} is not an Open Badges AchievementType "
                "(for example MicroCredential, Badge, Certificate, Competency, Course; or ext:Name)",
                field="achievement_type",
            )
        for name in ("image_url", "criteria_url"):
            value = getattr(self, name)
            if value is not None:
                _http_url(value, name)
        if self.expiry_days is not None and not 1 <= self.expiry_days <= 36_500:
            raise InvalidInput("expiry_days: 1 to 36500 days, or none", field="expiry_days")
        if not 1 <= self.proficiency <= 5:
            raise InvalidInput("proficiency: 1 to 5", field="proficiency")
        uris = [a.uri for a in self.alignments]
        if len(set(uris)) != len(uris):
            raise InvalidInput("alignments: a skill is listed twice", field="alignments")
        names = [r.name for r in self.results]
        if len(set(names)) != len(names):
            raise InvalidInput("results: a result name is used twice", field="results")
        for i, result in enumerate(self.results):
            result.validate(f"results[{i}]")
        if len(set(self.parts)) != len(self.parts):
            raise InvalidInput("parts: an achievement is listed twice", field="parts")


@dataclass(frozen=True, slots=True)
class IssuerProfile:
    """The issuer as it appears in credentials (``Profile``)."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    description: str = ""

    def document(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        if self.url:
            profile["url"] = self.url
        if self.email:
            profile["email"] = self.email
        if self.description:
            profile["description"] = self.description
        return profile


def check_issuer_fields(name: str, url: str | None, email: str | None) -> None:
    _text(name, "name", limit=200)
    if url is not None:
        _http_url(url, "url")
    if email is not None and (len(email) > 320 or not _EMAIL.match(email)):
        raise InvalidInput(f"email: not an e-mail address: {email!r}", field="email")


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "result"


def achievement_document(
    definition: AchievementDefinition, *, achievement_id: str, creator: IssuerProfile
) -> dict[str, Any]:
    """The ``Achievement`` object embedded in every credential that awards it."""
    criteria: dict[str, Any] = {"narrative": definition.criteria}
    if definition.criteria_url:
        criteria["id"] = definition.criteria_url
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": definition.achievement_type,
        "name": definition.name,
        "description": definition.description,
        "criteria": criteria,
        "creator": creator.document(),
    }
    if definition.image_url:
        achievement["image"] = {"id": definition.image_url, "type": "Image"}
    if definition.alignments:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": a.label,
                "targetUrl": a.uri,
                "targetCode": a.uri,
                "targetFramework": a.framework,
                "targetType": "ceasn:Competency",
            }
            for a in definition.alignments
        ]
    if definition.results:
        achievement["resultDescription"] = [
            {
                "id": f"{achievement_id}#result-{_slug(r.name)}",
                "type": ["ResultDescription"],
                "name": r.name,
                "resultType": r.result_type,
            }
            for r in definition.results
        ]
    return achievement


def new_salt() -> str:
    return secrets.token_hex(16)


def email_identity_hash(email: str, salt: str) -> str:
    """``sha256$`` + hex SHA-256 of the lower-cased address followed by the salt (as Open Badges 2.0)."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who receives a credential: a DID, an e-mail (hashed in the document), or both."""

    email: str | None = None
    did: str | None = None
    name: str | None = None

    def validate(self, where: str = "recipient") -> None:
        if self.email is None and self.did is None:
            raise InvalidInput(f"{where}: an e-mail address or a DID is required", field=where)
        if self.email is not None and len(self.email) > 320:
            raise InvalidInput(f"{where}.email: longer than 320 characters", field=f"{where}.email")
        if self.name is not None and len(self.name) > 200:
            raise InvalidInput(f"{where}.name: longer than 200 characters", field=f"{where}.name")
        if self.did is not None and len(self.did) > 255:
            raise InvalidInput(f"{where}.did: longer than 255 characters", field=f"{where}.did")
        if self.email is not None and not _EMAIL.match(self.email.strip()):
            raise InvalidInput(
                f"{where}.email: not an e-mail address: {self.email!r}", field=f"{where}.email"
            )
        if self.did is not None and not _DID.match(self.did):
            raise InvalidInput(f"{where}.did: not a DID: {self.did!r}", field=f"{where}.did")


MAX_NARRATIVE = 8_000
"""Characters of a recipient's narrative (``credentialSubject.narrative``), as of an evidence narrative."""


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """Evidence of the achievement for this recipient: a narrative and/or a link."""

    narrative: str = ""
    url: str | None = None
    name: str = ""
    genre: str = ""

    def validate(self, where: str) -> None:
        if not self.narrative.strip() and not self.url:
            raise InvalidInput(f"{where}: a narrative or a URL is required", field=where)
        _text(self.narrative, f"{where}.narrative", limit=8_000, required=False)
        if self.url is not None:
            _http_url(self.url, f"{where}.url")

    def document(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": ["Evidence"]}
        if self.url:
            item["id"] = self.url
        for key, value in (("name", self.name), ("narrative", self.narrative), ("genre", self.genre)):
            if value:
                item[key] = value
        return item


def xsd_datetime(moment: datetime) -> str:
    """An ``xsd:dateTimeStamp`` in UTC to the second, as credentials carry it."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def valid_until(definition: AchievementDefinition, valid_from: datetime) -> datetime | None:
    if definition.expiry_days is None:
        return None
    return valid_from + timedelta(days=definition.expiry_days)


def open_badge_credential(
    *,
    credential_id: str,
    issuer: IssuerProfile,
    achievement: Mapping[str, Any],
    definition: AchievementDefinition,
    recipient: Recipient,
    salt: str,
    valid_from: datetime,
    evidence: Sequence[EvidenceItem] = (),
    results: Mapping[str, str] | None = None,
    narrative: str = "",
    status: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` (sign it with a Data Integrity proof or as a JWT).

    ``narrative`` is this recipient's own story of the achievement (Markdown), which Open Badges 3.0
    carries as ``credentialSubject.narrative`` (AchievementSubject), beside ``evidence``.
    """
    recipient.validate()
    _text(narrative, "narrative", limit=MAX_NARRATIVE, required=False)
    for i, item in enumerate(evidence):
        item.validate(f"evidence[{i}]")
    results = dict(results or {})
    known = {r.name: r for r in definition.results}
    unknown = sorted(set(results) - set(known))
    if unknown:
        raise InvalidInput(
            f"results: {', '.join(unknown)} not defined by the achievement "
            f"(it defines {', '.join(known) or 'no results'})",
            field="results",
        )
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if recipient.did:
        subject["id"] = recipient.did
    if recipient.email:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": email_identity_hash(recipient.email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ]
    subject["achievement"] = dict(achievement)
    if narrative.strip():
        subject["narrative"] = narrative.strip()
    if results:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{achievement['id']}#result-{_slug(name)}",
                "value": value,
            }
            for name, value in results.items()
        ]
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": definition.name,
        "issuer": issuer.document(),
        "validFrom": xsd_datetime(valid_from),
    }
    until = valid_until(definition, valid_from)
    if until is not None:
        credential["validUntil"] = xsd_datetime(until)
    credential["credentialSubject"] = subject
    if evidence:
        credential["evidence"] = [item.document() for item in evidence]
    if status is not None:
        credential["credentialStatus"] = dict(status)
    credential["credentialSchema"] = [{"id": SCHEMA_ID, "type": SCHEMA_TYPE}]
    return credential


def identity_matches(credential: Mapping[str, Any], *, email: str | None, did: str | None) -> bool:
    """Whether the credential's subject is this person (their DID, or their e-mail's salted hash)."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return False
    if did is not None and subject.get("id") == did:
        return True
    identifiers = subject.get("identifier")
    if email is None or not isinstance(identifiers, list):
        return False
    for identity in identifiers:
        if not isinstance(identity, Mapping) or identity.get("identityType") != "emailAddress":
            continue
        value, salt = identity.get("identityHash"), identity.get("salt") or ""
        if not isinstance(value, str) or not isinstance(salt, str):
            continue
        if identity.get("hashed") is False and value.strip().lower() == email.strip().lower():
            return True
        if value.lower() == email_identity_hash(email, salt).lower():
            return True
    return False
