"""Depth vs breadth: a step in an area the person works in deepens, one elsewhere broadens; the
person's choice of shape picks between two steps otherwise alike."""

from __future__ import annotations

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.plan import Method, make_plan
from microcareer.domain.pathways.problem import Need, PlanRequest, ShapeChoice
from microcareer.domain.pathways.steps import Step, StepKind
from microcareer.domain.pathways.synthetic import skill

HELD, TARGET, NEAR, FAR = skill(1), skill(2), skill(3), skill(4)
AREAS = {HELD: ("data",), TARGET: ("data",), NEAR: ("data",), FAR: ("design",)}


def _step(sid: str, teaches: dict[str, int]) -> Step:
    return Step(
        id=sid,
        kind=StepKind.COURSE,
        title=sid,
        provider="p",
        teaches=teaches,
        hours=10.0,
        cost=Money(5_000, "EUR"),
        income=Money(0, "EUR"),
    )


def _plan(shape: ShapeChoice) -> tuple[list[str], str, tuple[str, ...], tuple[str, ...]]:
    request = PlanRequest(
        needs=(Need(TARGET, "target"),),
        held={HELD: 3},
        hours_per_week=5.0,
        areas=AREAS,
        shape=shape,
    )
    deep = _step("deep", {TARGET: 3, NEAR: 3})
    broad = _step("broad", {TARGET: 3, FAR: 3})
    plan = make_plan(request, [deep, broad], method=Method.EXACT)
    return [p.step.id for p in plan.steps], plan.shape, plan.areas_deepened, plan.areas_opened


def test_the_chosen_shape_picks_the_step() -> None:
    assert _plan(ShapeChoice.DEPTH) == (["deep"], "depth", ("data",), ())
    assert _plan(ShapeChoice.BREADTH) == (["broad"], "breadth", ("data",), ("design",))
