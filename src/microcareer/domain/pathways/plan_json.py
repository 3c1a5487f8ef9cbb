"""A plan as plain JSON: what is saved, what the API answers, what the CLI and web pages show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.plan import Plan, PlannedStep
from microcareer.domain.pathways.problem import Need


def _money(money: Money) -> dict[str, Any]:
    return {"amount_minor": money.amount, "currency": money.currency, "text": money.format()}


def _need(need: Need) -> dict[str, Any]:
    return {"uri": need.uri, "label": need.label, "importance": need.importance, "level": need.level}


def step_json(p: PlannedStep) -> dict[str, Any]:
    step = p.step
    return {
        "id": step.id,
        "position": p.position,
        "kind": step.kind.value,
        "title": step.title,
        "provider": step.provider,
        "url": step.url,
        "language": step.language,
        "format": step.format.value,
        "hours": step.hours,
        "cost": _money(step.cost),
        "income": _money(step.income),
        "teaches": [
            {"uri": uri, "label": step.labels.get(uri, uri), "level": level}
            for uri, level in step.teaches.items()
        ],
        "closes": [_need(n) for n in p.closes],
        "why": p.why_here,
        "fit_after": p.fit_after,
        "start_week": p.start_week,
        "end_week": p.end_week,
        "shape": "depth" if p.deepens else "breadth",
        "assumed": step.assumed,
        "criteria": step.criteria,
        "done": False,
    }


def plan_json(plan: Plan, area_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``area_labels`` names the areas of the career shape (skill group URI → label)."""
    names = area_labels or {}

    def areas(uris: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"uri": uri, "label": names.get(uri, uri)} for uri in uris]

    return {
        "career_shape": {
            "areas_now": len(plan.held_areas),
            "areas_after": len(plan.held_areas) + len(plan.areas_opened),
            "deepened": areas(plan.areas_deepened),
            "opened": areas(plan.areas_opened),
        },
        "method": plan.method.value,
        "method_words": plan.method_words(),
        "status": plan.status,
        "optimal": plan.optimal,
        "bound": None
        if plan.bound is None
        else {
            "kind": "H(d), Chvátal's greedy weighted set cover",
            "d": plan.bound.d,
            "factor": plan.bound.factor,
            "applies": plan.bound.applies,
            "why_not": plan.bound.why_not,
            "lower_bound": plan.bound.lower_bound,
            "certified_gap": plan.bound.certified_gap,
        },
        "objective": plan.objective,
        "seconds": round(plan.seconds, 4),
        "candidates": plan.candidates,
        "steps": [step_json(p) for p in plan.steps],
        "weeks": [
            {
                "week": w.number,
                "hours": w.hours,
                "steps": list(w.steps),
                "spent": _money(w.spent),
                "earned": _money(w.earned),
                "fit": w.fit,
            }
            for w in plan.weeks
        ],
        "months": [
            {"month": m.number, "income": _money(m.income), "below_floor": m.below_floor} for m in plan.months
        ],
        "total_cost": _money(plan.total_cost),
        "total_income": _money(plan.total_income),
        "total_hours": plan.total_hours,
        "total_weeks": plan.total_weeks,
        "fit_before": plan.fit_before,
        "fit_after": plan.fit_after,
        "uncovered": [_need(n) for n in plan.uncovered],
        "uncoverable": [_need(n) for n in plan.uncoverable],
        "shape": plan.shape,
        "notes": list(plan.notes),
    }
