"""The issuer pages' forms, kept as typed so that an error shows each form again as it was filled.

Each form reads the posted fields (``of``) and builds what the services take; a bad field raises
``InvalidInput`` naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.open_badges import (
    AchievementDefinition,
    EvidenceItem,
    Recipient,
    ResultSpec,
    SkillAlignment,
)
from microcareer.errors import InvalidInput, MicrocareerError
from microcareer.services.credential_issuing import PROOF_FORMATS, ProofFormat
from microcareer.web.profile_forms import field_of

MAX_SKILLS = 50
RESULT_FIELD = "result:"


@dataclass(frozen=True)
class IssuerForm:
    name: str = ""
    url: str = ""
    email: str = ""
    description: str = ""

    @classmethod
    def of(cls, data: FormData) -> IssuerForm:
        return cls(*(field_of(data, name).strip() for name in ("name", "url", "email", "description")))


@dataclass(frozen=True)
class AchievementForm:
    name: str = ""
    description: str = ""
    criteria: str = ""
    criteria_url: str = ""
    achievement_type: str = "MicroCredential"
    skills: str = ""
    """One skill a line: its URI, key or exact label."""
    expiry_days: str = ""
    proficiency: str = "3"
    suspendable: bool = False

    @classmethod
    def of(cls, data: FormData) -> AchievementForm:
        return cls(
            name=field_of(data, "name").strip(),
            description=field_of(data, "description").strip(),
            criteria=field_of(data, "criteria").strip(),
            criteria_url=field_of(data, "criteria_url").strip(),
            achievement_type=field_of(data, "achievement_type").strip() or "MicroCredential",
            skills=field_of(data, "skills"),
            expiry_days=field_of(data, "expiry_days").strip(),
            proficiency=field_of(data, "proficiency").strip() or "3",
            suspendable=bool(field_of(data, "suspendable")),
        )

    def skill_lines(self) -> list[tuple[int, str]]:
        """The non-empty lines of the skills box, with their line numbers."""
        lines = [(n, line.strip()) for n, line in enumerate(self.skills.splitlines(), 1) if line.strip()]
        if len(lines) > MAX_SKILLS:
            raise InvalidInput(f"skills: at most {MAX_SKILLS} skills", field="skills")
        return lines

    def definition(self, resolve: Callable[[str], str]) -> AchievementDefinition:
        """The definition, each skill line turned into a URI by ``resolve`` (``NotFound`` names the line)."""
        alignments = []
        for number, line in self.skill_lines():
            try:
                uri = resolve(line)
            except MicrocareerError as exc:
                raise InvalidInput(f"skills, line {number}: {exc}", field="skills") from None
            alignments.append(SkillAlignment(uri, ""))
        return AchievementDefinition(
            name=self.name,
            description=self.description,
            criteria=self.criteria,
            achievement_type=self.achievement_type,
            criteria_url=self.criteria_url or None,
            alignments=tuple(alignments),
            expiry_days=_whole(self.expiry_days, "expiry_days") if self.expiry_days else None,
            proficiency=_whole(self.proficiency, "proficiency"),
            suspendable=self.suspendable,
        )


def _whole(text: str, name: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise InvalidInput(f"{name}: {text!r} is not a whole number", field=name)
    return int(text)


def proof_format_of(text: str) -> ProofFormat:
    for known in PROOF_FORMATS:
        if text == known:
            return known
    raise InvalidInput(f"format: one of {', '.join(PROOF_FORMATS)}", field="format")


@dataclass(frozen=True)
class IssueForm:
    recipient: str = ""
    """An e-mail address, or a DID (``did:...``)."""
    name: str = ""
    evidence_narrative: str = ""
    evidence_url: str = ""
    proof_format: str = "eddsa-rdfc-2022"
    results: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: FormData, result_names: list[str]) -> IssueForm:
        return cls(
            recipient=field_of(data, "recipient").strip(),
            name=field_of(data, "name").strip(),
            evidence_narrative=field_of(data, "evidence_narrative").strip(),
            evidence_url=field_of(data, "evidence_url").strip(),
            proof_format=field_of(data, "format") or "eddsa-rdfc-2022",
            results={n: field_of(data, RESULT_FIELD + n).strip() for n in result_names},
        )

    def request(self) -> IssueRequest:
        if not self.recipient:
            raise InvalidInput("recipient: an e-mail address or a DID is required", field="recipient")
        is_did = self.recipient.startswith("did:")
        recipient = Recipient(
            email=None if is_did else self.recipient,
            did=self.recipient if is_did else None,
            name=self.name or None,
        )
        evidence: tuple[EvidenceItem, ...] = ()
        if self.evidence_narrative or self.evidence_url:
            evidence = (EvidenceItem(narrative=self.evidence_narrative, url=self.evidence_url or None),)
        results = {name: value for name, value in self.results.items() if value}
        return IssueRequest(recipient, evidence, results)


def result_names(results: tuple[ResultSpec, ...]) -> list[str]:
    return [r.name for r in results]
