"""A plan: the chosen steps in order, each explained, on a week-by-week timeline with cost, income and
the fit after each step; which method chose them and how far from optimal it can be.

The steps are taken one after another at the person's hours per week (a week never holds more), in an
order that respects prerequisites and, among the steps takeable next, starts with the one that closes
the most important gap per hour; in the income floor mode a micro-job comes next whenever the pay so far
trails the floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.exact import DEFAULT_TIME_LIMIT, solve_exact
from microcareer.domain.pathways.greedy import GreedyBound, solve_greedy
from microcareer.domain.pathways.ordering import Prerequisites, prerequisites, relevant_steps, take_order
from microcareer.domain.pathways.problem import (
    WEEKS_PER_MONTH,
    Model,
    Need,
    PlanMode,
    PlanRequest,
    build_model,
    objective,
)
from microcareer.domain.pathways.steps import Step, StepKind

EXACT_UP_TO = 20_000
"""Auto: the exact method when at most this many steps are relevant to the gap, else greedy. Measured
(bench/bench_pathways.py): with 10,000 steps (about 5,700 relevant) HiGHS finds the optimum in about the
time the greedy takes, most of both being the model built in Python."""
MAX_PLAN_WEEKS = 520


class Method(StrEnum):
    AUTO = "auto"
    EXACT = "exact"
    GREEDY = "greedy"


FitOf = Callable[[Mapping[str, int]], float]
"""The fit to the target once the person holds these skills (URI → level)."""


@dataclass(frozen=True, slots=True)
class PlannedStep:
    step: Step
    position: int
    start_week: int
    end_week: int
    closes: tuple[Need, ...]
    why_here: str
    fit_after: float
    deepens: bool
    """True: deepens areas the person already works in; False: broadens into new ones."""


@dataclass(frozen=True, slots=True)
class Week:
    number: int
    hours: float
    steps: tuple[str, ...]
    spent: Money
    earned: Money
    fit: float


@dataclass(frozen=True, slots=True)
class Month:
    number: int
    income: Money
    """The person's own monthly income plus the micro-jobs paid that month."""
    below_floor: bool


@dataclass(frozen=True, slots=True)
class Plan:
    method: Method
    status: str
    optimal: bool
    bound: GreedyBound | None
    objective: float
    seconds: float
    steps: tuple[PlannedStep, ...]
    weeks: tuple[Week, ...]
    months: tuple[Month, ...]
    total_cost: Money
    total_income: Money
    total_hours: float
    fit_before: float
    fit_after: float
    uncovered: tuple[Need, ...]
    """Needs some step meets that the limits (budget, hours, weeks) left open."""
    uncoverable: tuple[Need, ...]
    """Needs no step of the catalogue meets."""
    shape: str
    """"depth", "breadth" or "mixed": where most of the plan's hours go."""
    candidates: int
    notes: tuple[str, ...]
    held_areas: tuple[str, ...] = ()
    """The areas (second-level skill groups) the person works in now: the career shape before."""
    areas_deepened: tuple[str, ...] = ()
    """Areas the person works in that the plan's steps teach more of."""
    areas_opened: tuple[str, ...] = ()
    """Areas the plan's steps open that the person does not work in yet."""

    @property
    def total_weeks(self) -> int:
        return len(self.weeks)

    def method_words(self) -> str:
        if self.method is Method.EXACT:
            return f"exact (SciPy milp, HiGHS): {self.status}"
        return self.bound.describe() if self.bound is not None else "greedy"


def make_plan(
    request: PlanRequest,
    catalogue: Sequence[Step],
    *,
    method: Method = Method.AUTO,
    fit_of: FitOf | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    certify_greedy: bool = True,
) -> Plan:
    """Choose, order and schedule steps for ``request`` from ``catalogue``."""
    model = build_model(request, catalogue)
    pre = prerequisites(model)
    relevant = relevant_steps(model, pre, income_matters=request.mode is PlanMode.INCOME_FLOOR)
    use = method
    if use is Method.AUTO:
        use = Method.EXACT if len(relevant) <= EXACT_UP_TO else Method.GREEDY
    notes = list(model.skipped)
    bound: GreedyBound | None = None
    solution = None
    if use is Method.EXACT:
        solution = solve_exact(model, pre, time_limit=time_limit, candidates=relevant)
        if solution.objective == float("inf") and method is Method.AUTO:
            notes.append(f"the exact method found no plan ({solution.status}): the greedy one was used")
            use = Method.GREEDY
    if use is Method.EXACT and solution is not None:
        chosen, optimal, status, seconds = (
            solution.chosen,
            solution.optimal,
            solution.status,
            solution.seconds,
        )
        value = objective(model, chosen)
    else:
        result = solve_greedy(model, pre, relevant)
        chosen, seconds, value = result.chosen, result.seconds, result.objective
        bound = result.bound
        if certify_greedy:
            lp = solve_exact(model, pre, time_limit=time_limit, relaxed=True, candidates=relevant)
            seconds += lp.seconds
            if lp.lower_bound is not None and lp.lower_bound > 0:
                gap = max(0.0, value / lp.lower_bound - 1.0)
                bound = GreedyBound(bound.d, bound.factor, bound.applies, bound.why_not, lp.lower_bound, gap)
        optimal = bound.certified_gap is not None and bound.certified_gap < 1e-9
        status = "greedy"
    return _schedule(
        model, pre, chosen, use, status, optimal, bound, value, seconds, len(relevant), fit_of, notes
    )


def default_fit(needs: Sequence[Need]) -> FitOf:
    """Importance-weighted share of the needs met (partly covered ones count their coverage)."""
    total = sum(n.importance for n in needs) or 1.0

    def fit(reached: Mapping[str, int]) -> float:
        got = sum(n.importance * (1.0 if reached.get(n.uri, 0) >= n.level else n.coverage) for n in needs)
        return round(got / total, 4)

    return fit


def _schedule(
    model: Model,
    pre: Prerequisites,
    chosen: frozenset[int],
    method: Method,
    status: str,
    optimal: bool,
    bound: GreedyBound | None,
    value: float,
    seconds: float,
    candidates: int,
    fit_of: FitOf | None,
    notes: list[str],
) -> Plan:
    request = model.request
    fit = fit_of or default_fit((*model.needs, *model.uncoverable))
    slope = model.income_slope()
    covered: set[int] = set()
    state = {"hours": 0.0, "income": 0.0}

    def gain(j: int) -> float:
        return sum(model.needs[i].importance for i in model.covers[j] - covered) / model.steps[j].hours

    def pick(ready: list[int], reached: dict[str, int], done: set[int]) -> int:
        if slope > 0 and state["income"] < slope * state["hours"]:
            jobs = [j for j in ready if model.incomes[j] > 0]
            if jobs:
                return max(jobs, key=lambda j: (model.incomes[j] / model.steps[j].hours, -j))
        return max(ready, key=lambda j: (gain(j), -model.weights[j], -j))

    def tracked(ready: list[int], reached: dict[str, int], done: set[int]) -> int:
        j = pick(ready, reached, done)
        covered.update(model.covers[j])
        state["hours"] += model.steps[j].hours
        state["income"] += model.incomes[j]
        return j

    order, stuck = take_order(model, pre, sorted(chosen), tracked)
    if stuck:
        notes.append(f"{len(stuck)} chosen steps could not be ordered and were left out")
    currency = request.currency
    reached = dict(request.held)
    fit_before = fit(reached)
    planned: list[PlannedStep] = []
    covered_now: set[int] = set()
    hours_done = 0.0
    weekly = request.hours_per_week
    taught_by: dict[str, int] = {}
    for position, j in enumerate(order, start=1):
        step = model.steps[j]
        start_week = int(hours_done // weekly) + 1
        hours_done += step.hours
        end_week = max(start_week, math.ceil(hours_done / weekly - 1e-9))
        closes = tuple(model.needs[i] for i in sorted(model.covers[j] - covered_now))
        covered_now |= model.covers[j]
        why = _why_here(model, pre, j, position, taught_by, closes, slope)
        for uri, level in step.teaches.items():
            if reached.get(uri, 0) < level:
                reached[uri] = level
                taught_by[uri] = j
        planned.append(
            PlannedStep(step, position, start_week, end_week, closes, why, fit(reached), model.depth[j])
        )
    weeks = _weeks(model, planned, weekly, fit_before)
    months = _months(model, weeks)
    total_cost = sum((model.steps[j].cost for j in order), Money.zero(currency))
    total_income = sum((model.steps[j].income for j in order), Money.zero(currency))
    uncovered = tuple(n for i, n in enumerate(model.needs) if i not in covered_now)
    deep_hours = sum(p.step.hours for p in planned if p.deepens)
    all_hours = sum(p.step.hours for p in planned)
    shape = "mixed"
    if all_hours and deep_hours >= 0.65 * all_hours:
        shape = "depth"
    elif all_hours and deep_hours <= 0.35 * all_hours:
        shape = "breadth"
    held_areas = request.held_areas
    taught_areas = {a for p in planned for uri in p.step.teaches for a in request.areas.get(uri, ())}
    if any(m.below_floor for m in months):
        notes.append("some months fall below the income floor: see the months marked")
    return Plan(
        method=method,
        status=status,
        optimal=optimal,
        bound=bound,
        objective=round(value, 4),
        seconds=seconds,
        steps=tuple(planned),
        weeks=weeks,
        months=months,
        total_cost=total_cost,
        total_income=total_income,
        total_hours=all_hours,
        fit_before=fit_before,
        fit_after=planned[-1].fit_after if planned else fit_before,
        uncovered=uncovered,
        uncoverable=model.uncoverable,
        shape=shape,
        candidates=candidates,
        notes=tuple(notes),
        held_areas=tuple(sorted(held_areas)),
        areas_deepened=tuple(sorted(taught_areas & held_areas)),
        areas_opened=tuple(sorted(taught_areas - held_areas)),
    )


def _why_here(
    model: Model,
    pre: Prerequisites,
    j: int,
    position: int,
    taught_by: dict[str, int],
    closes: tuple[Need, ...],
    slope: float,
) -> str:
    step = model.steps[j]
    after: list[str] = []
    for need in pre.skill_needs[j]:
        k = taught_by.get(need.uri)
        label = step.labels.get(need.uri, need.uri)
        if k is not None:
            after.append(f"needs {label} (level {need.level}), which step {model.steps[k].title!r} teaches")
    for k in pre.step_needs[j]:
        if k is not None:
            after.append(f"needs {model.steps[k].title!r} first")
    if after:
        where = "comes after earlier steps: " + "; ".join(after)
    elif position == 1:
        where = "comes first: it needs nothing the person lacks, and closes the most important gap per hour"
    else:
        where = "needs nothing the person lacks; comes here as it closes the most important gap per hour left"
    if not closes:
        if step.kind is StepKind.MICRO_JOB and slope > 0:
            return f"{where}; taken for its pay ({step.income}) to keep the monthly income above the floor"
        return f"{where}; taken because a later step needs it"
    what = ", ".join(n.label for n in closes)
    line = f"{where}; closes {what}"
    if step.kind is StepKind.MICRO_JOB:
        line += f", and pays {step.income}"
    return line


def _weeks(model: Model, planned: list[PlannedStep], weekly: float, fit_before: float) -> tuple[Week, ...]:
    currency = model.request.currency
    total = sum(p.step.hours for p in planned)
    count = min(MAX_PLAN_WEEKS, math.ceil(total / weekly - 1e-9)) if total else 0
    rows: list[Week] = []
    elapsed = 0.0
    spans: list[tuple[float, float, PlannedStep]] = []
    for p in planned:
        spans.append((elapsed, elapsed + p.step.hours, p))
        elapsed += p.step.hours
    for w in range(1, count + 1):
        lo, hi = (w - 1) * weekly, min(w * weekly, total)
        active = [p for s, e, p in spans if s < hi and e > lo]
        spent = sum((p.step.cost for s, _, p in spans if lo <= s < hi), Money.zero(currency))
        earned = sum((p.step.income for _, e, p in spans if lo < e <= hi + 1e-9), Money.zero(currency))
        done = [p for _, e, p in spans if e <= hi + 1e-9]
        fit = done[-1].fit_after if done else fit_before
        rows.append(Week(w, round(hi - lo, 2), tuple(p.step.id for p in active), spent, earned, fit))
    return tuple(rows)


def _months(model: Model, weeks: tuple[Week, ...]) -> tuple[Month, ...]:
    request = model.request
    currency = request.currency
    base = request.base_income or Money.zero(currency)
    floor = request.income_floor if request.mode is PlanMode.INCOME_FLOOR else None
    count = math.ceil(len(weeks) / WEEKS_PER_MONTH - 1e-9) if weeks else 0
    months: list[Month] = []
    for m in range(1, count + 1):
        lo, hi = (m - 1) * WEEKS_PER_MONTH, m * WEEKS_PER_MONTH
        earned = sum((w.earned for w in weeks if lo < w.number <= hi + 1e-9), Money.zero(currency))
        income = base + earned
        months.append(Month(m, income, floor is not None and income < floor))
    return tuple(months)
