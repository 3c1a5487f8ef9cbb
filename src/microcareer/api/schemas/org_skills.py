"""An organisation's skills inventory and its gap to target roles, as the API shows them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcareer.services.org_skills import (
    Candidate,
    InventorySkill,
    MemberCount,
    OrganisationGap,
    RoleGap,
    SkillsInventory,
)


class MemberCountPublic(BaseModel):
    members: int
    shown: int = Field(description="Members whose profiles are in the figures.")
    left_out: int = Field(description="Members whose profile you may not read (private): left out.")

    @classmethod
    def of(cls, count: MemberCount) -> MemberCountPublic:
        return cls(members=count.members, shown=count.shown, left_out=count.left_out)


class HolderPublic(BaseModel):
    user_id: int
    display_name: str
    proficiency: int = Field(ge=1, le=5)
    confidence: float = Field(ge=0, le=1)


class InventorySkillPublic(BaseModel):
    uri: str
    label: str
    holders: list[HolderPublic]
    levels: list[int] = Field(description="How many members hold it at level 1, 2, 3, 4 and 5.")
    mean_confidence: float

    @classmethod
    def of(cls, skill: InventorySkill) -> InventorySkillPublic:
        return cls(
            uri=skill.uri,
            label=skill.label,
            holders=[
                HolderPublic(
                    user_id=h.user_id,
                    display_name=h.display_name,
                    proficiency=h.proficiency,
                    confidence=h.confidence,
                )
                for h in skill.holders
            ],
            levels=list(skill.levels),
            mean_confidence=skill.mean_confidence,
        )


class SkillsInventoryPublic(BaseModel):
    organisation: str
    count: MemberCountPublic
    skills: list[InventorySkillPublic]

    @classmethod
    def of(cls, inventory: SkillsInventory) -> SkillsInventoryPublic:
        return cls(
            organisation=inventory.organisation.slug,
            count=MemberCountPublic.of(inventory.count),
            skills=[InventorySkillPublic.of(s) for s in inventory.skills],
        )


class CandidatePublic(BaseModel):
    user_id: int
    display_name: str
    fit: float = Field(ge=0, le=1)
    covered: int
    partial: int
    missing: int
    top_missing: list[str] = Field(description="The essential skills with the highest priority to close.")

    @classmethod
    def of(cls, candidate: Candidate) -> CandidatePublic:
        parts = candidate.breakdown
        return cls(
            user_id=candidate.user_id,
            display_name=candidate.display_name,
            fit=candidate.fit,
            covered=parts.covered,
            partial=parts.partial,
            missing=parts.missing,
            top_missing=list(candidate.top_missing),
        )


class RoleGapPublic(BaseModel):
    uri: str
    label: str
    candidates: list[CandidatePublic]
    note: str
    matched: str = Field(
        description="Said when the role was named by another occupation's label (data engineer → data "
        "scientist), else ''."
    )

    @classmethod
    def of(cls, role: RoleGap) -> RoleGapPublic:
        return cls(
            uri=role.uri,
            label=role.label,
            candidates=[CandidatePublic.of(c) for c in role.candidates],
            note=role.note,
            matched=role.matched,
        )


class OrganisationGapPublic(BaseModel):
    organisation: str
    count: MemberCountPublic
    roles: list[RoleGapPublic]

    @classmethod
    def of(cls, gap: OrganisationGap) -> OrganisationGapPublic:
        return cls(
            organisation=gap.organisation.slug,
            count=MemberCountPublic.of(gap.count),
            roles=[RoleGapPublic.of(r) for r in gap.roles],
        )
