"""Models of the résumé routes: a CV proposal (sent out, and back with what was accepted) and results."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcareer.domain.profiles.cv_proposal import CvProposal
from microcareer.services.resume_import import CvImportResult, JsonResumeImport


class ProposedExperienceModel(BaseModel):
    ref: str = Field(description='How skills point at it ("e1").')
    kind: str = Field(description="job, gig, project or volunteering.")
    title: str = ""
    organisation: str = ""
    start: str | None = Field(None, description='A partial date: "2020", "2020-03" or "2020-03-01".')
    end: str | None = Field(None, description="None: ongoing.")
    description: str = ""
    highlights: list[str] = []
    section: str = Field("", description="The CV heading it was under.")


class ProposedSkillModel(BaseModel):
    uri: str
    label: str = ""
    proficiency: int | None = Field(None, description="1-5; null: 3, or the level already on the profile.")
    experiences: list[str] = Field([], description="Refs of the experiences it was found in.")
    mentions: list[str] = Field([], description="How the CV wrote it.")
    confidence: float = 0.0
    last_used: str | None = Field(None, description="The date its evidence will carry.")


class CvProposalModel(BaseModel):
    """What a CV says; send back the experiences and skills to keep (all is checked again)."""

    source: str = ""
    experiences: list[ProposedExperienceModel] = Field([], max_length=200)
    skills: list[ProposedSkillModel] = Field([], max_length=1_000)

    @classmethod
    def of(cls, proposal: CvProposal) -> CvProposalModel:
        return cls.model_validate(proposal.to_json())


class CvImportResultPublic(BaseModel):
    experiences: int = Field(description="Experiences added to the profile.")
    skills: list[str] = Field(description="URIs of the skills put on the profile, with CV evidence.")

    @classmethod
    def of(cls, result: CvImportResult) -> CvImportResultPublic:
        return cls(experiences=result.experiences, skills=list(result.skills))


class MappedSkillPublic(BaseModel):
    name: str = Field(description="As the résumé wrote it.")
    uri: str
    label: str = Field(description="The label it matched.")


class UnmappedSkillPublic(BaseModel):
    name: str
    reason: str


class JsonResumeImportPublic(BaseModel):
    experiences: int
    mapped: list[MappedSkillPublic]
    unmapped: list[UnmappedSkillPublic] = Field(description="Kept as written, given back on export.")
    notes: list[str]

    @classmethod
    def of(cls, result: JsonResumeImport) -> JsonResumeImportPublic:
        return cls(
            experiences=result.experiences,
            mapped=[MappedSkillPublic(name=m.name, uri=m.uri, label=m.label) for m in result.mapped],
            unmapped=[UnmappedSkillPublic(name=u.name, reason=u.reason) for u in result.unmapped],
            notes=list(result.notes),
        )
