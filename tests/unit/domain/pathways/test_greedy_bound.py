"""Chvátal's bound, property-tested: without prerequisites or limits the greedy cover weighs at most
H(d) times the lightest cover; the measured gap against the linear relaxation is a true upper bound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.domain.pathways.exact import solve_exact
from microcareer.domain.pathways.greedy import harmonic, ln_bound, solve_greedy
from microcareer.domain.pathways.ordering import prerequisites
from microcareer.domain.pathways.problem import PlanRequest, build_model, objective
from microcareer.domain.pathways.synthetic import random_instance


def test_harmonic_numbers() -> None:
    assert harmonic(1) == 1.0
    assert harmonic(3) == pytest.approx(1 + 1 / 2 + 1 / 3)
    assert all(harmonic(d) <= ln_bound(d) for d in range(1, 50))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    steps=st.integers(5, 40),
    needs=st.integers(1, 12),
)
def test_greedy_within_h_d_of_optimal(seed: int, steps: int, needs: int) -> None:
    inst = random_instance(seed, steps=steps, needs=needs, prerequisite_share=0.0)
    model = build_model(PlanRequest(needs=inst.needs, held=inst.held, hours_per_week=10), inst.steps)
    pre = prerequisites(model)
    greedy = solve_greedy(model, pre)
    exact = solve_exact(model, pre)
    assert exact.optimal
    best = objective(model, exact.chosen)
    assert greedy.bound.applies
    assert greedy.objective <= greedy.bound.factor * best + 1e-6
    lp = solve_exact(model, pre, relaxed=True)
    assert lp.lower_bound is not None
    assert lp.lower_bound <= best + 1e-6
    assert greedy.objective >= best - 1e-6


def test_the_bound_is_tight_enough_to_fail_a_bad_cover() -> None:
    """The check above can fail: a cover heavier than H(d) x optimal breaks it."""
    inst = random_instance(7, steps=30, needs=8, prerequisite_share=0.0)
    model = build_model(PlanRequest(needs=inst.needs, held=inst.held, hours_per_week=10), inst.steps)
    pre = prerequisites(model)
    exact = solve_exact(model, pre)
    everything = frozenset(range(model.size))
    greedy = solve_greedy(model, pre)
    assert objective(model, everything) > greedy.bound.factor * objective(model, exact.chosen)
