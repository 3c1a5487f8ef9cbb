"""The exact planner against brute force on small catalogues; prerequisite cycles; the limits."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.exact import solve_exact
from microcareer.domain.pathways.ordering import prerequisites, take_order
from microcareer.domain.pathways.plan import Method, make_plan
from microcareer.domain.pathways.problem import Model, Need, PlanMode, PlanRequest, build_model, objective
from microcareer.domain.pathways.steps import SkillPrerequisite, Step, StepKind
from microcareer.domain.pathways.synthetic import random_instance, skill


def brute_force(model: Model) -> float:
    """The lowest objective over every subset of steps that can be taken within the limits."""
    pre = prerequisites(model)
    best = float("inf")
    budget, cap, slope = model.budget_cap(), model.hours_cap(), model.income_slope()
    for size in range(model.size + 1):
        for subset in itertools.combinations(range(model.size), size):
            if budget is not None and sum(model.costs[j] for j in subset) > budget + 1e-9:
                continue
            if cap is not None and sum(model.steps[j].hours for j in subset) > cap + 1e-9:
                continue
            if slope and sum(model.incomes[j] - slope * model.steps[j].hours for j in subset) < -1e-9:
                continue
            if take_order(model, pre, subset)[1]:
                continue
            best = min(best, objective(model, frozenset(subset)))
    return best


def _request(inst_needs: tuple[Need, ...], held: dict[str, int], **extra: object) -> PlanRequest:
    return PlanRequest(needs=inst_needs, held=held, hours_per_week=8, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("mode", [PlanMode.BALANCED, PlanMode.FASTEST, PlanMode.CHEAPEST])
def test_exact_equals_brute_force(seed: int, mode: PlanMode) -> None:
    inst = random_instance(seed, steps=10, needs=4, pool=8, prerequisite_share=0.5)
    budget = Money(40_000, "EUR") if seed % 3 == 0 else None
    max_weeks = 6.0 if seed % 4 == 1 else None
    model = build_model(
        _request(inst.needs, inst.held, mode=mode, budget=budget, max_weeks=max_weeks), inst.steps
    )
    solution = solve_exact(model, prerequisites(model))
    assert solution.optimal
    assert objective(model, solution.chosen) == pytest.approx(brute_force(model), rel=1e-7, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_exact_equals_brute_force_with_an_income_floor(seed: int) -> None:
    inst = random_instance(seed + 100, steps=11, needs=3, pool=8, prerequisite_share=0.3)
    request = _request(
        inst.needs,
        inst.held,
        mode=PlanMode.INCOME_FLOOR,
        income_floor=Money(60_000, "EUR"),
        base_income=Money(40_000, "EUR"),
    )
    model = build_model(request, inst.steps)
    solution = solve_exact(model, prerequisites(model))
    assert objective(model, solution.chosen) == pytest.approx(brute_force(model), rel=1e-7, abs=1e-6)
    slope = model.income_slope()
    assert sum(model.incomes[j] - slope * model.steps[j].hours for j in solution.chosen) >= -1e-6


def _step(sid: str, teaches: dict[str, int], cost: int, needs: tuple[int, ...] = ()) -> Step:
    return Step(
        id=sid,
        kind=StepKind.COURSE,
        title=sid,
        provider="p",
        teaches=teaches,
        hours=4.0,
        cost=Money(cost, "EUR"),
        income=Money(0, "EUR"),
        needs_skills=tuple(SkillPrerequisite(skill(n), 2) for n in needs),
    )


def test_a_prerequisite_cycle_is_cut_and_never_planned() -> None:
    # a teaches the target and p but needs q; b teaches q but needs p: cheap together, never takeable
    a = _step("a", {skill(0): 3, skill(1): 3}, 100, needs=(2,))
    b = _step("b", {skill(2): 3}, 100, needs=(1,))
    c = _step("c", {skill(0): 3}, 90_000)
    request = _request((Need(skill(0), "target"),), {})
    model = build_model(request, [a, b, c])
    solution = solve_exact(model, prerequisites(model))
    assert solution.chosen == frozenset({2})
    assert solution.rounds >= 2
    assert objective(model, solution.chosen) == pytest.approx(brute_force(model))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    weekly=st.sampled_from([3.0, 5.0, 8.0, 12.5, 40.0]),
    budget=st.one_of(st.none(), st.integers(0, 200_000)),
    method=st.sampled_from([Method.EXACT, Method.GREEDY]),
)
def test_plans_never_break_prerequisites_hours_or_budget(
    seed: int, weekly: float, budget: int | None, method: Method
) -> None:
    inst = random_instance(seed, steps=60, needs=8, prerequisite_share=0.4)
    request = PlanRequest(
        needs=inst.needs,
        held=inst.held,
        hours_per_week=weekly,
        budget=None if budget is None else Money(budget, "EUR"),
    )
    plan = make_plan(request, inst.steps, method=method, certify_greedy=False)
    reached = dict(inst.held)
    done: set[str] = set()
    for planned in plan.steps:
        for need in planned.step.needs_skills:
            assert reached.get(need.uri, 0) >= need.level, (planned.step.id, need)
        assert all(sid in done for sid in planned.step.needs_steps)
        for uri, level in planned.step.teaches.items():
            reached[uri] = max(reached.get(uri, 0), level)
        done.add(planned.step.id)
    assert all(week.hours <= weekly + 1e-9 for week in plan.weeks)
    assert sum(w.hours for w in plan.weeks) == pytest.approx(plan.total_hours)
    if budget is not None:
        assert plan.total_cost.amount <= budget
    starts = [p.start_week for p in plan.steps]
    assert starts == sorted(starts)
