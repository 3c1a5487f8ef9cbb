"""Gap analysis as the API shows it: a ranked gap with its fit, the closest occupations, career shape."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from microcareer.domain.pathways.records import StoredPlan
from microcareer.domain.profiles.gap import GapItem, GapStatus
from microcareer.domain.profiles.holdings import Holding
from microcareer.domain.profiles.shape import AreaChange, AreaDepth
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.services.gap_analysis import MAX_TARGET_SKILLS, ClosestOccupation, GapReport, ShapeReport
from microcareer.services.taxonomy import OccupationMatch


class CreditPublic(BaseModel):
    """Where a partial credit comes from: the person's skill, the link, and the skill it passes through."""

    source_uri: str
    link: str = Field(description="same skill, narrower skill, broader skill, sibling skill, ...")
    via_uri: str | None
    value: float


class GapItemPublic(BaseModel):
    uri: str
    key: str
    label: str
    importance: float = Field(description="1 for an essential skill, 0.5 for an optional one.")
    demand: float | None = Field(description="Market demand in [0, 1]; none where it is not known.")
    status: GapStatus
    coverage: float = Field(description="How much of the skill the profile covers, 0 to 1.")
    priority: float = Field(description="Importance x distance x demand: the higher, the sooner to learn.")
    credit: CreditPublic | None
    explanation: str

    @classmethod
    def of(cls, item: GapItem) -> GapItemPublic:
        credit = item.credit
        return cls(
            uri=item.skill.uri,
            key=concept_key(item.skill.uri),
            label=item.skill.label,
            importance=item.skill.importance,
            demand=item.skill.demand,
            status=item.status,
            coverage=item.coverage,
            priority=item.priority,
            credit=None
            if credit is None
            else CreditPublic(
                source_uri=credit.source, link=credit.link.value, via_uri=credit.via, value=credit.value
            ),
            explanation=item.explanation,
        )


class FitBreakdownPublic(BaseModel):
    covered: int
    partial: int
    missing: int
    covered_weight: float = Field(description="The part of the fit the profile's own skills bring.")
    partial_weight: float = Field(description="The part of the fit that partial credits bring.")
    total_weight: float


class OccupationAlternativePublic(BaseModel):
    uri: str
    key: str
    preferred_label: str


class OccupationMatchPublic(BaseModel):
    """How the occupation asked for was found: by its URI or key, its name, or another of its labels."""

    asked: str = Field(description="The text given, spaces collapsed.")
    matched_label: str = Field(description="The label that matched; '' for a URI or key.")
    label_kind: str = Field(description="uri, preferred, alt or hidden.")
    by_another_name: bool = Field(
        description="True when the text is another label of the occupation (data engineer → data scientist)."
    )
    notice: str = Field(description="What to tell people when by_another_name, else ''.")
    alternatives: list[OccupationAlternativePublic] = Field(
        description="Other occupations whose labels fit the text, best first."
    )

    @classmethod
    def of(cls, match: OccupationMatch) -> OccupationMatchPublic:
        return cls(
            asked=match.asked,
            matched_label=match.matched_label,
            label_kind=match.label_kind,
            by_another_name=match.by_another_name,
            notice=match.notice,
            alternatives=[
                OccupationAlternativePublic(
                    uri=ref.uri, key=concept_key(ref.uri), preferred_label=ref.preferred_label
                )
                for ref in match.alternatives
            ],
        )


class GapPublic(BaseModel):
    target_uri: str | None = Field(description="The occupation's URI; none for a custom skill list.")
    target_label: str
    fit: float = Field(description="Importance-weighted share covered, in [0, 1].")
    breakdown: FitBreakdownPublic
    note: str = Field(description="Plain words about the target (an occupation with no skill list), or ''.")
    items: list[GapItemPublic] = Field(
        description="The gap first, highest priority first; then what is covered."
    )
    matched: OccupationMatchPublic | None = Field(
        None, description="How the occupation asked for was found (for an occupation given by name)."
    )

    @classmethod
    def of(cls, report: GapReport, matched: OccupationMatch | None = None) -> GapPublic:
        gap = report.gap
        b = gap.breakdown
        return cls(
            target_uri=report.target_uri,
            target_label=report.target_label,
            fit=gap.fit,
            breakdown=FitBreakdownPublic(
                covered=b.covered,
                partial=b.partial,
                missing=b.missing,
                covered_weight=b.covered_weight,
                partial_weight=b.partial_weight,
                total_weight=b.total_weight,
            ),
            note=report.note,
            items=[GapItemPublic.of(item) for item in gap.items],
            matched=OccupationMatchPublic.of(matched) if matched is not None else None,
        )


class GapRequest(BaseModel):
    """A custom target: skill URIs, each essential unless ``optional`` names it."""

    skills: list[str] = Field(min_length=1, max_length=MAX_TARGET_SKILLS, description="Skill URIs.")
    optional: list[str] = Field(
        default_factory=list, max_length=MAX_TARGET_SKILLS, description="Those of ``skills`` that weigh half."
    )
    label: str = Field("custom skill list", min_length=1, max_length=200, description="What the list is.")


class ClosestOccupationPublic(BaseModel):
    uri: str
    key: str
    label: str
    fit: float = Field(description="Fit shrunk towards 0 for short skill lists; what the ranking uses.")
    raw_fit: float = Field(description="Importance-weighted share of the occupation's skills covered.")
    essential_covered: int
    essential_total: int
    matched: list[str] = Field(description="Labels of the occupation's skills the profile covers best.")

    @classmethod
    def of(cls, found: ClosestOccupation) -> ClosestOccupationPublic:
        fit = found.fit
        return cls(
            uri=fit.uri,
            key=concept_key(fit.uri),
            label=found.label,
            fit=fit.fit,
            raw_fit=fit.raw_fit,
            essential_covered=fit.essential_covered,
            essential_total=fit.essential_total,
            matched=list(found.matched_labels),
        )


class ClosestOccupationsPublic(BaseModel):
    items: list[ClosestOccupationPublic] = Field(description="Best fit first.")


class AreaPublic(BaseModel):
    uri: str
    label: str
    depth: float
    skills: list[str]

    @classmethod
    def of(cls, area: AreaDepth) -> AreaPublic:
        return cls(uri=area.uri, label=area.label, depth=area.depth, skills=list(area.skills))


class StaleSkillPublic(BaseModel):
    uri: str
    label: str
    proficiency: int
    last_used: date | None
    freshness: float = Field(description="1 = used today, 0.5 = one half-life ago.")
    explanation: str

    @classmethod
    def of(cls, holding: Holding) -> StaleSkillPublic:
        confidence = holding.confidence
        return cls(
            uri=holding.uri,
            label=holding.label,
            proficiency=holding.proficiency,
            last_used=confidence.last_used,
            freshness=round(confidence.freshness, 4),
            explanation=confidence.explanation,
        )


class AreaChangePublic(BaseModel):
    uri: str
    label: str
    before: float = Field(description="Depth now.")
    after: float = Field(description="Depth once the plan's steps are done.")
    effect: str = Field(description="opens (no skill in the area now) or deepens.")
    becomes_deep: bool

    @classmethod
    def of(cls, change: AreaChange) -> AreaChangePublic:
        return cls(
            uri=change.uri,
            label=change.label,
            before=change.before,
            after=change.after,
            effect="opens" if change.opened else "deepens",
            becomes_deep=change.becomes_deep,
        )


class PlanEffectPublic(BaseModel):
    plan_id: int
    target: str
    revision: int
    shape: str = Field(description="The shape once the plan's remaining steps are done.")
    explanation: str
    deep: int
    broad: int
    changes: list[AreaChangePublic] = Field(description="Areas the plan opens, then those it deepens.")


class ShapePublic(BaseModel):
    shape: str = Field(description="emerging, generalist, I-shaped, T-shaped or comb-shaped.")
    explanation: str
    deep: int = Field(description="Areas held in depth.")
    broad: int = Field(description="Areas with at least one solid skill.")
    areas: list[AreaPublic] = Field(description="Deepest first.")
    stale: list[StaleSkillPublic] = Field(description="Skills whose evidence is going stale, oldest first.")
    after_plan: PlanEffectPublic | None = Field(
        None, description="The effect of a saved plan (the one asked for, or the latest), for its owner."
    )

    @classmethod
    def of(cls, report: ShapeReport, plan: StoredPlan | None = None) -> ShapePublic:
        shape = report.shape
        after = report.after
        effect = (
            None
            if plan is None or after is None
            else PlanEffectPublic(
                plan_id=plan.id,
                target=plan.target_label,
                revision=plan.revision,
                shape=after.shape.value,
                explanation=after.explanation,
                deep=after.deep,
                broad=after.broad,
                changes=[AreaChangePublic.of(c) for c in report.changes],
            )
        )
        return cls(
            shape=shape.shape.value,
            explanation=shape.explanation,
            deep=shape.deep,
            broad=shape.broad,
            areas=[AreaPublic.of(a) for a in shape.areas],
            stale=[StaleSkillPublic.of(h) for h in report.stale],
            after_plan=effect,
        )
