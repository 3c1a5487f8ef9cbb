"""The greedy method for catalogues too large to solve exactly: weighted set cover, Chvátal's greedy.

Repeatedly take the step (with the steps its missing prerequisites need, cheapest first: its *bundle*)
whose weight per newly covered need is lowest, while the budget and hours allow; then, in the income
floor mode, add the best-paying micro-jobs per hour until the floor holds.

The bound (Chvátal 1979, "A greedy heuristic for the set-covering problem"): without prerequisites and
without a binding budget or hours limit, the greedy cover weighs at most H(d) = 1 + 1/2 + ... + 1/d
(<= 1 + ln d) times the lightest cover, d being the most needs one step meets. The plan says whether
that bound applies to it (``applies``: False when a bundle brought prerequisite steps or a limit left a
need uncovered), and always gives the gap measured against the linear relaxation (HiGHS), a lower bound
on every plan: the greedy plan is at most ``certified_gap`` above the optimum.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from microcareer.domain.pathways.ordering import Prerequisites, relevant_steps, take_order
from microcareer.domain.pathways.problem import Model, PlanMode, objective


def harmonic(d: int) -> float:
    return sum(1.0 / k for k in range(1, d + 1))


@dataclass(frozen=True, slots=True)
class GreedyBound:
    d: int
    """The most needs one candidate step meets."""
    factor: float
    """H(d): the greedy cover weighs at most this times the lightest cover."""
    applies: bool
    why_not: str
    lower_bound: float | None = None
    """The linear relaxation's objective (a lower bound on the optimum), where it was computed."""
    certified_gap: float | None = None
    """objective / lower_bound - 1: how far above optimal the plan can be at most."""

    def describe(self) -> str:
        words = f"greedy weighted set cover (Chvátal): within H({self.d}) = {self.factor:.3f} x optimal"
        words += " (<= 1 + ln d)" if self.d > 1 else ""
        if not self.applies:
            words += f"; the bound does not cover this plan ({self.why_not})"
        if self.certified_gap is not None:
            words += (
                f"; measured against the linear relaxation: at most {self.certified_gap:.1%} above optimal"
            )
        return words


@dataclass(frozen=True, slots=True)
class GreedyResult:
    chosen: frozenset[int]
    objective: float
    bound: GreedyBound
    seconds: float


def _bundle(model: Model, pre: Prerequisites, j: int, chosen: set[int], depth: int = 0) -> list[int] | None:
    """j and the steps needed before it that are not chosen yet (cheapest providers), or None."""
    if depth > 8:
        return None
    bundle: list[int] = [j]
    have = chosen | {j}
    reached = dict(model.request.held)
    for k in have:
        for uri, level in model.steps[k].teaches.items():
            reached[uri] = max(reached.get(uri, 0), level)
    for needed in pre.step_needs[j]:
        if needed is None:
            return None
        if needed not in have:
            sub = _bundle(model, pre, needed, have, depth + 1)
            if sub is None:
                return None
            bundle += [s for s in sub if s not in bundle]
            have |= set(sub)
    for need, group in zip(pre.skill_needs[j], pre.skill_providers[j], strict=True):
        if reached.get(need.uri, 0) >= need.level or any(k in have for k in group):
            continue
        options = sorted(group, key=lambda k: model.weights[k])
        for k in options[:3]:
            sub = _bundle(model, pre, k, have, depth + 1)
            if sub is not None:
                bundle += [s for s in sub if s not in bundle]
                have |= set(sub)
                break
        else:
            return None
    return bundle


def solve_greedy(model: Model, pre: Prerequisites, candidates: list[int] | None = None) -> GreedyResult:
    started = time.perf_counter()
    income_mode = model.request.mode is PlanMode.INCOME_FLOOR
    if candidates is None:
        candidates = relevant_steps(model, pre, income_matters=income_mode)
    covering = [j for j in candidates if model.covers[j]]
    d = max((len(model.covers[j]) for j in covering), default=0)
    budget = model.budget_cap()
    cap = model.hours_cap()
    chosen: set[int] = set()
    uncovered = set(range(len(model.needs)))
    spent = hours = 0.0
    used_prerequisites = False
    while uncovered:
        best: tuple[float, list[int], int] | None = None
        for j in covering:
            if j in chosen or not model.covers[j] & uncovered:
                continue
            bundle = _bundle(model, pre, j, chosen)
            if bundle is None:
                continue
            new = [k for k in bundle if k not in chosen]
            cost = sum(model.costs[k] for k in new)
            time_ = sum(model.steps[k].hours for k in new)
            if (budget is not None and spent + cost > budget + 1e-9) or (
                cap is not None and hours + time_ > cap + 1e-9
            ):
                continue
            gained: set[int] = set()
            for k in new:
                gained |= model.covers[k] & uncovered
            ratio = sum(model.weights[k] for k in new) / len(gained)
            if best is None or ratio < best[0] - 1e-12:
                best = (ratio, new, j)
        if best is None:
            break
        _, new, _ = best
        used_prerequisites = used_prerequisites or len(new) > 1
        for k in new:
            chosen.add(k)
            uncovered -= model.covers[k]
            spent += model.costs[k]
            hours += model.steps[k].hours
    if income_mode:
        chosen, spent, hours = _top_up_income(model, pre, candidates, chosen, spent, hours)
    order, stuck = take_order(model, pre, sorted(chosen))
    final = frozenset(order)
    limited = bool(uncovered)
    why = []
    if used_prerequisites:
        why.append("steps were added for prerequisites")
    if limited:
        why.append("the budget or hours limit left needs uncovered")
    if income_mode:
        why.append("micro-jobs were added for income")
    bound = GreedyBound(d, harmonic(d), not why and not stuck, "; ".join(why))
    return GreedyResult(final, objective(model, final), bound, time.perf_counter() - started)


def _top_up_income(
    model: Model, pre: Prerequisites, candidates: list[int], chosen: set[int], spent: float, hours: float
) -> tuple[set[int], float, float]:
    slope = model.income_slope()
    budget = model.budget_cap()
    cap = model.hours_cap()

    def surplus() -> float:
        return sum(model.incomes[k] - slope * model.steps[k].hours for k in chosen)

    jobs = sorted(
        (j for j in candidates if model.incomes[j] > 0 and j not in chosen),
        key=lambda j: -(model.incomes[j] - slope * model.steps[j].hours) / model.steps[j].hours,
    )
    for j in jobs:
        if surplus() >= 0:
            break
        if model.incomes[j] - slope * model.steps[j].hours <= 0:
            break
        bundle = _bundle(model, pre, j, chosen)
        if bundle is None:
            continue
        new = [k for k in bundle if k not in chosen]
        cost = sum(model.costs[k] for k in new)
        time_ = sum(model.steps[k].hours for k in new)
        if (budget is not None and spent + cost > budget + 1e-9) or (
            cap is not None and hours + time_ > cap + 1e-9
        ):
            continue
        chosen |= set(new)
        spent += cost
        hours += time_
    return chosen, spent, hours


def ln_bound(d: int) -> float:
    """1 + ln d, the looser closed form of H(d)."""
    return 1.0 + math.log(d) if d >= 1 else 1.0
