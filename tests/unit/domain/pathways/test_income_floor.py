"""The income floor mode takes a paying micro-job when the plan's months would otherwise fall short,
and says why; without the floor the same gig is left out."""

from __future__ import annotations

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.plan import Method, make_plan
from microcareer.domain.pathways.problem import Need, PlanMode, PlanRequest
from microcareer.domain.pathways.steps import Step, StepKind
from microcareer.domain.pathways.synthetic import skill

COURSE = Step(
    id="course",
    kind=StepKind.COURSE,
    title="A course",
    provider="p",
    teaches={skill(0): 3},
    hours=10.0,
    cost=Money(0, "EUR"),
    income=Money(0, "EUR"),
)
GIG = Step(
    id="gig",
    kind=StepKind.MICRO_JOB,
    title="A paid gig",
    provider="client",
    teaches={skill(9): 3},
    hours=10.0,
    cost=Money(0, "EUR"),
    income=Money(100_000, "EUR"),
)


def _plan(mode: PlanMode, method: Method) -> list[str]:
    request = PlanRequest(
        needs=(Need(skill(0), "the skill"),),
        held={},
        hours_per_week=10.0,
        mode=mode,
        income_floor=Money(50_000, "EUR") if mode is PlanMode.INCOME_FLOOR else None,
        base_income=Money(0, "EUR"),
    )
    plan = make_plan(request, [COURSE, GIG], method=method)
    if mode is PlanMode.INCOME_FLOOR:
        gig = next(p for p in plan.steps if p.step.id == "gig")
        assert "taken for its pay" in gig.why_here
        assert plan.total_income == Money(100_000, "EUR")
    return sorted(p.step.id for p in plan.steps)


def test_the_floor_brings_in_a_gig_and_its_absence_leaves_it_out() -> None:
    for method in (Method.EXACT, Method.GREEDY):
        assert _plan(PlanMode.INCOME_FLOOR, method) == ["course", "gig"]
        assert _plan(PlanMode.BALANCED, method) == ["course"]
