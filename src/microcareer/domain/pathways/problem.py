"""What a plan is asked to do, and the one objective every method (exact, greedy, brute force) minimises.

A plan must cover each *need* (a missing or partly covered skill of the gap) by a step that teaches
that skill at least to the required level. Every step's weight is a mix of its hours and its cost net
of what it pays, scaled by preferences:

    weight = preference x max(floor, time_weight x value_of_hour x hours + cost_weight x (cost - income))

with ``floor = 1% of the time part``: a micro-job's pay can bring its weight close to zero but never
below, so a plan never takes a gig only because it pays (the income-floor mode is where gigs are taken
for their income) and every weight is positive, which the greedy bound needs. The modes set the mix:
fastest (time 1, cost 0.01), cheapest (time 0.01, cost 1), balanced and income floor (1, 1).
``preference`` is in [1, 1.95]: lower for steps whose skills are in demand, for providers with a good
standing, and for the shape (depth or breadth) the person chose.

A need no step can meet is reported as not coverable; the rest are covered where budget and hours
allow, and a need left uncovered costs ``importance x UNCOVERED_PENALTY_FACTOR x (sum of all
weights)``, so covering more always beats spending less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.steps import Step, StepKind
from microcareer.errors import InvalidInput

WEEKS_PER_MONTH = 52 / 12
UNCOVERED_PENALTY_FACTOR = 2.0
DEFAULT_VALUE_OF_HOUR = 20.0
"""What an hour of the person's time is worth in the plan's currency (major units), for the mix."""
MAX_HOURS_PER_WEEK = 80.0
DEMAND_PREFERENCE = 0.25
QUALITY_PREFERENCE = 0.25
SHAPE_PREFERENCE = 0.2


class PlanMode(StrEnum):
    BALANCED = "balanced"
    FASTEST = "fastest"
    CHEAPEST = "cheapest"
    INCOME_FLOOR = "income_floor"
    """Keep the monthly income (the person's own plus micro-jobs) above a floor."""


class ShapeChoice(StrEnum):
    ANY = "any"
    DEPTH = "depth"
    BREADTH = "breadth"


MODE_WEIGHTS: Mapping[PlanMode, tuple[float, float]] = MappingProxyType(
    {
        PlanMode.BALANCED: (1.0, 1.0),
        PlanMode.FASTEST: (1.0, 0.01),
        PlanMode.CHEAPEST: (0.01, 1.0),
        PlanMode.INCOME_FLOOR: (1.0, 1.0),
    }
)


@dataclass(frozen=True, slots=True)
class Need:
    """A skill of the gap to close: reach ``level``; ``coverage`` is what the person has of it now."""

    uri: str
    label: str
    importance: float = 1.0
    coverage: float = 0.0
    level: int = 3


@dataclass(frozen=True, slots=True)
class PlanRequest:
    needs: tuple[Need, ...]
    held: Mapping[str, int]
    """Skills the person holds now → proficiency (1-5), for prerequisites."""
    hours_per_week: float
    budget: Money | None = None
    """The most the plan may spend; None: no limit."""
    mode: PlanMode = PlanMode.BALANCED
    income_floor: Money | None = None
    """INCOME_FLOOR mode: the least monthly income to keep."""
    base_income: Money | None = None
    """What the person earns a month anyway, outside the plan."""
    max_weeks: float | None = None
    value_of_hour: float = DEFAULT_VALUE_OF_HOUR
    shape: ShapeChoice = ShapeChoice.ANY
    demand: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Skill URI → market demand in [0, 1]; a skill missing here counts as neutral (0.5)."""
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Skill URI → the areas (broader skill groups) it sits in, for depth vs breadth."""
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not 0 < self.hours_per_week <= MAX_HOURS_PER_WEEK:
            raise InvalidInput(
                f"hours_per_week: above 0 and at most {MAX_HOURS_PER_WEEK:g}, not {self.hours_per_week:g}",
                field="hours_per_week",
            )
        for name in ("budget", "income_floor", "base_income"):
            money = getattr(self, name)
            if money is not None and money.currency != self.currency:
                raise InvalidInput(f"{name}: in {self.currency}, not {money.currency}", field=name)
            if money is not None and money.amount < 0:
                raise InvalidInput(f"{name}: not below 0", field=name)
        if self.mode is PlanMode.INCOME_FLOOR and self.income_floor is None:
            raise InvalidInput(
                "income_floor: the income_floor mode needs the monthly floor", field="income_floor"
            )
        if self.max_weeks is not None and not 0 < self.max_weeks <= 520:
            raise InvalidInput("max_weeks: above 0 and at most 520", field="max_weeks")
        if not 0 <= self.value_of_hour <= 10_000:
            raise InvalidInput("value_of_hour: 0 to 10000", field="value_of_hour")

    @property
    def held_areas(self) -> frozenset[str]:
        return frozenset(a for uri in self.held for a in self.areas.get(uri, ()))


def _major(money: Money) -> float:
    return float(money.amount) / float(10**money.exponent)


@dataclass(frozen=True, slots=True)
class Model:
    """A request and the steps it may use, reduced to numbers: what every method reads."""

    request: PlanRequest
    steps: tuple[Step, ...]
    needs: tuple[Need, ...]
    """The coverable needs (some step meets them)."""
    uncoverable: tuple[Need, ...]
    covers: tuple[frozenset[int], ...]
    """Per step, the indexes of the needs it meets."""
    weights: tuple[float, ...]
    costs: tuple[float, ...]
    incomes: tuple[float, ...]
    penalties: tuple[float, ...]
    """Per need, the cost of leaving it uncovered."""
    depth: tuple[bool, ...]
    """Per step: does it deepen areas the person already works in (True) or open new ones (False)."""
    skipped: tuple[str, ...]
    """Why steps of the catalogue were left out (another currency), one line each."""

    @property
    def size(self) -> int:
        return len(self.steps)

    def income_slope(self) -> float:
        """In INCOME_FLOOR mode: the pay each planned hour must bring for the floor to hold (major units)."""
        req = self.request
        if req.mode is not PlanMode.INCOME_FLOOR or req.income_floor is None:
            return 0.0
        base = _major(req.base_income) if req.base_income is not None else 0.0
        short = _major(req.income_floor) - base
        return max(0.0, short) / (req.hours_per_week * WEEKS_PER_MONTH)

    def hours_cap(self) -> float | None:
        req = self.request
        return None if req.max_weeks is None else req.max_weeks * req.hours_per_week

    def budget_cap(self) -> float | None:
        return None if self.request.budget is None else _major(self.request.budget)


def build_model(request: PlanRequest, catalogue: Sequence[Step]) -> Model:
    """Keep the steps in the request's currency, find which needs each meets, weigh them."""
    skipped: list[str] = []
    steps: list[Step] = []
    seen: set[str] = set()
    for step in catalogue:
        if step.cost.currency != request.currency:
            skipped.append(f"{step.id}: priced in {step.cost.currency}, the plan is in {request.currency}")
            continue
        if step.id in seen:
            raise InvalidInput(f"steps: the id {step.id!r} is given twice", field="steps")
        seen.add(step.id)
        steps.append(step)
    needs = _merged(request.needs)
    wanted = {n.uri: n for n in needs}
    met_uris = {
        uri
        for step in steps
        for uri, level in step.teaches.items()
        if uri in wanted and level >= wanted[uri].level
    }
    meetable = [n for n in needs if n.uri in met_uris]
    uncoverable = tuple(n for n in needs if n.uri not in met_uris)
    index = {n.uri: i for i, n in enumerate(meetable)}
    covers = tuple(
        frozenset(
            index[uri]
            for uri, level in step.teaches.items()
            if uri in index and level >= meetable[index[uri]].level
        )
        for step in steps
    )
    time_weight, cost_weight = MODE_WEIGHTS[request.mode]
    held_areas = request.held_areas
    weights: list[float] = []
    depth: list[bool] = []
    for step in steps:
        time_part = time_weight * request.value_of_hour * step.hours
        net = cost_weight * (_major(step.cost) - _major(step.income))
        base = max(0.01 * time_part + 1e-6, time_part + net)
        # deep: most of the skills it teaches sit in an area the person already works in
        inside = sum(1 for uri in step.teaches if held_areas.intersection(request.areas.get(uri, ())))
        deep = inside * 2 > len(step.teaches)
        depth.append(deep)
        weights.append(base * _preference(step, request, deep))
    total = sum(weights) + 1.0
    penalties = tuple(UNCOVERED_PENALTY_FACTOR * total * max(n.importance, 0.01) for n in meetable)
    return Model(
        request=request,
        steps=tuple(steps),
        needs=tuple(meetable),
        uncoverable=uncoverable,
        covers=covers,
        weights=tuple(weights),
        costs=tuple(_major(s.cost) for s in steps),
        incomes=tuple(_major(s.income) for s in steps),
        penalties=penalties,
        depth=tuple(depth),
        skipped=tuple(skipped),
    )


def _preference(step: Step, request: PlanRequest, deep: bool) -> float:
    """1 for a step teaching only in-demand skills from a top provider in the chosen shape; up to 1.95."""
    demands = [request.demand.get(uri, 0.5) for uri in step.teaches]
    demand = sum(demands) / len(demands)
    factor = (1 + DEMAND_PREFERENCE * (1 - demand)) * (1 + QUALITY_PREFERENCE * (1 - step.quality))
    if (request.shape is ShapeChoice.DEPTH and not deep) or (request.shape is ShapeChoice.BREADTH and deep):
        factor *= 1 + SHAPE_PREFERENCE
    return factor


def _merged(needs: Sequence[Need]) -> tuple[Need, ...]:
    best: dict[str, Need] = {}
    for need in needs:
        known = best.get(need.uri)
        if known is None or need.importance > known.importance:
            best[need.uri] = need
    return tuple(best.values())


def objective(model: Model, chosen: frozenset[int]) -> float:
    """The value every method minimises: weights of the chosen steps plus penalties of uncovered needs."""
    covered: set[int] = set()
    for j in chosen:
        covered |= model.covers[j]
    return sum(model.weights[j] for j in chosen) + sum(
        p for i, p in enumerate(model.penalties) if i not in covered
    )


def is_micro_job(step: Step) -> bool:
    return step.kind is StepKind.MICRO_JOB
