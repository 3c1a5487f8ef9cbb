"""The exact method: a mixed-integer programme solved by HiGHS through SciPy's ``milp``.

Variables: ``x_j`` (take step j, binary) and ``u_i`` (need i left uncovered, in [0, 1]; integral at any
integral x). Minimise ``sum w_j x_j + sum penalty_i u_i`` subject to

- cover: ``sum_{j meets i} x_j + u_i >= 1`` for each need;
- prerequisites: ``x_j <= sum_{k teaches p} x_k`` for each skill prerequisite p of j the person lacks,
  ``x_j <= x_k`` for each step k that j needs;
- budget ``sum cost_j x_j <= B``; hours ``sum hours_j x_j <= weeks x hours per week``;
- income floor: ``sum (income_j - slope x hours_j) x_j >= 0``, slope being the pay an hour of the plan
  must bring for the monthly income (own plus micro-jobs) to stay at the floor on average.

Two steps could each teach the other's prerequisite; such a cycle satisfies the rows above but cannot be
taken. When the solution has stuck steps T (see ``ordering``), the cut ``x(T) - |T| + 1 <= sum of x_k``
over the steps outside T that meet a prerequisite of a step in T is added and the programme solved
again: in any takeable plan the first step of T taken had its prerequisites met from outside T, so the
cut removes no takeable plan.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from microcareer.domain.pathways.ordering import Prerequisites, relevant_steps, take_order
from microcareer.domain.pathways.problem import Model, PlanMode

MAX_CUT_ROUNDS = 50
DEFAULT_TIME_LIMIT = 20.0


@dataclass(frozen=True, slots=True)
class Solution:
    chosen: frozenset[int]
    objective: float
    optimal: bool
    status: str
    seconds: float
    rounds: int = 1
    lower_bound: float | None = None


class _Rows:
    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, entries: dict[int, float], low: float, high: float) -> None:
        row = len(self.lower)
        for col, val in entries.items():
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(val)
        self.lower.append(low)
        self.upper.append(high)

    def constraint(self, width: int) -> Any:
        import numpy as np  # SciPy and numpy load when a plan is first made, not at start-up
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_array

        matrix = coo_array((self.vals, (self.rows, self.cols)), shape=(len(self.lower), width)).tocsr()
        constraint: Any = LinearConstraint(matrix, np.array(self.lower), np.array(self.upper))
        return constraint


def build_rows(model: Model, pre: Prerequisites, candidates: list[int]) -> _Rows:
    """Every row but the cuts; columns 0..len(candidates)-1 are the x, then one u per need."""
    col = {j: c for c, j in enumerate(candidates)}
    n = len(candidates)
    rows = _Rows()
    for i in range(len(model.needs)):
        entries = {col[j]: 1.0 for j in candidates if i in model.covers[j]}
        entries[n + i] = 1.0
        rows.add(entries, 1.0, math.inf)
    for j in candidates:
        for group in pre.skill_providers[j]:
            entries = {col[j]: 1.0}
            for k in group:
                if k in col:
                    entries[col[k]] = entries.get(col[k], 0.0) - 1.0
            rows.add(entries, -math.inf, 0.0)
        for needed in pre.step_needs[j]:
            if needed is not None and needed in col:
                rows.add({col[j]: 1.0, col[needed]: -1.0}, -math.inf, 0.0)
    budget = model.budget_cap()
    if budget is not None:
        rows.add({col[j]: model.costs[j] for j in candidates if model.costs[j]}, -math.inf, budget)
    cap = model.hours_cap()
    if cap is not None:
        rows.add({col[j]: model.steps[j].hours for j in candidates}, -math.inf, cap)
    slope = model.income_slope()
    if model.request.mode is PlanMode.INCOME_FLOOR and slope > 0:
        rows.add({col[j]: model.incomes[j] - slope * model.steps[j].hours for j in candidates}, 0.0, math.inf)
    return rows


def solve_exact(
    model: Model,
    pre: Prerequisites,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    relaxed: bool = False,
    candidates: list[int] | None = None,
) -> Solution:
    """The optimal plan (or, past ``time_limit`` seconds, the best found and HiGHS's bound).

    ``relaxed``: solve the linear relaxation only; its objective is a lower bound on every plan's."""
    started = time.perf_counter()
    if candidates is None:
        candidates = relevant_steps(model, pre, income_matters=model.request.mode is PlanMode.INCOME_FLOOR)
    n, m = len(candidates), len(model.needs)
    if n == 0:
        value = sum(model.penalties)
        return Solution(
            frozenset(), value, True, "nothing to choose from", time.perf_counter() - started, 0, value
        )
    import numpy as np  # loaded when a plan is first made
    from scipy.optimize import Bounds, milp

    c = np.array([model.weights[j] for j in candidates] + list(model.penalties))
    integrality = np.array([0 if relaxed else 1] * n + [0] * m)
    bounds_low = np.zeros(n + m)
    bounds_high = np.ones(n + m)
    rows = build_rows(model, pre, candidates)

    deadline = started + time_limit
    rounds = 0
    while True:
        rounds += 1
        left = max(0.1, deadline - time.perf_counter())
        result = milp(
            c,
            integrality=integrality,
            bounds=Bounds(bounds_low, bounds_high),
            constraints=[rows.constraint(n + m)],
            options={"time_limit": left, "mip_rel_gap": 1e-9, "presolve": True},
        )
        seconds = time.perf_counter() - started
        if result.x is None:
            return Solution(frozenset(), float("inf"), False, f"HiGHS: {result.message}", seconds, rounds)
        bound = getattr(result, "mip_dual_bound", None)
        if relaxed:
            return Solution(
                frozenset(), float(result.fun), True, "linear relaxation", seconds, rounds, float(result.fun)
            )
        chosen = frozenset(candidates[c_] for c_ in range(n) if result.x[c_] > 0.5)
        _, stuck = take_order(model, pre, sorted(chosen))
        optimal = result.status == 0
        if not stuck or rounds >= MAX_CUT_ROUNDS:
            status = "optimal" if optimal and not stuck else f"HiGHS: {result.message}"
            if stuck:
                chosen = chosen - frozenset(stuck)
                status = "prerequisite cycles left after the cut rounds; stuck steps dropped"
                optimal = False
            return Solution(
                chosen,
                float(result.fun),
                optimal,
                status,
                seconds,
                rounds,
                float(bound) if bound is not None else None,
            )
        col = {j: k for k, j in enumerate(candidates)}
        stuck_set = set(stuck)
        outside = {k for j in stuck for k in pre.providers_of(j) if k not in stuck_set and k in col}
        entries = {col[j]: 1.0 for j in stuck}
        for k in outside:
            entries[col[k]] = entries.get(col[k], 0.0) - 1.0
        rows.add(entries, -math.inf, len(stuck) - 1.0)
