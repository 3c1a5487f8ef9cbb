"""Prerequisites: which steps a step needs first, and the order a chosen set can be taken in.

A step's skill prerequisite is met by what the person holds (at the level asked) or by an earlier step
that teaches the skill to that level; a step prerequisite by that step earlier in the plan. A chosen
set is takeable when repeatedly taking any step whose prerequisites are met takes them all; the steps
left when none is takeable are *stuck* (the exact method then adds a cut and solves again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from microcareer.domain.pathways.problem import Model
from microcareer.domain.pathways.steps import SkillPrerequisite


@dataclass(frozen=True, slots=True)
class Prerequisites:
    """Per step, its prerequisites the person does not meet now, and who can meet each."""

    skill_needs: tuple[tuple[SkillPrerequisite, ...], ...]
    """Per step: its skill prerequisites not met by what the person holds."""
    skill_providers: tuple[tuple[tuple[int, ...], ...], ...]
    """Per step, per unmet skill prerequisite: the other steps that teach it to the level."""
    step_needs: tuple[tuple[int | None, ...], ...]
    """Per step: the steps it needs (None where the needed id is not in the catalogue)."""

    def providers_of(self, j: int) -> frozenset[int]:
        found = {i for group in self.skill_providers[j] for i in group}
        found |= {i for i in self.step_needs[j] if i is not None}
        return frozenset(found)

    def impossible(self, j: int) -> bool:
        """A prerequisite nobody can meet: the step can never be taken."""
        providers, steps = self.skill_providers[j], self.step_needs[j]
        if not providers and not steps:
            return False
        return any(not group for group in providers) or None in steps


def prerequisites(model: Model) -> Prerequisites:
    held = model.request.held
    index = {step.id: j for j, step in enumerate(model.steps)}
    teachers: dict[str, list[tuple[int, int]]] = {}
    for j, step in enumerate(model.steps):
        for uri, level in step.teaches.items():
            teachers.setdefault(uri, []).append((j, level))
    skill_needs: list[tuple[SkillPrerequisite, ...]] = []
    skill_providers: list[tuple[tuple[int, ...], ...]] = []
    step_needs: list[tuple[int | None, ...]] = []
    for j, step in enumerate(model.steps):
        if not step.needs_skills and not step.needs_steps:
            skill_needs.append(())
            skill_providers.append(())
            step_needs.append(())
            continue
        unmet = tuple(p for p in step.needs_skills if held.get(p.uri, 0) < p.level)
        skill_needs.append(unmet)
        skill_providers.append(
            tuple(
                tuple(i for i, level in teachers.get(p.uri, ()) if i != j and level >= p.level) for p in unmet
            )
        )
        step_needs.append(tuple(index.get(sid) for sid in step.needs_steps))
    return Prerequisites(tuple(skill_needs), tuple(skill_providers), tuple(step_needs))


def met(model: Model, pre: Prerequisites, j: int, reached: dict[str, int], done: set[int]) -> bool:
    for need in pre.skill_needs[j]:
        if reached.get(need.uri, 0) < need.level:
            return False
    return all(i is not None and i in done for i in pre.step_needs[j])


def take_order(
    model: Model,
    pre: Prerequisites,
    chosen: Sequence[int],
    pick: Callable[[list[int], dict[str, int], set[int]], int] | None = None,
) -> tuple[list[int], list[int]]:
    """The order the chosen steps are taken in and the stuck ones (empty when all can be taken).

    ``pick`` chooses among the takeable steps (default: the first by catalogue position)."""
    reached = dict(model.request.held)
    done: set[int] = set()
    order: list[int] = []
    left = sorted(set(chosen))
    while left:
        ready = [j for j in left if met(model, pre, j, reached, done)]
        if not ready:
            break
        j = ready[0] if pick is None else pick(ready, reached, done)
        order.append(j)
        done.add(j)
        left.remove(j)
        for uri, level in model.steps[j].teaches.items():
            if reached.get(uri, 0) < level:
                reached[uri] = level
    return order, left


def relevant_steps(model: Model, pre: Prerequisites, *, income_matters: bool) -> list[int]:
    """Steps worth offering a solver: those meeting a need (or, when income matters, paying), and
    those that can meet a prerequisite of a relevant step; never one whose prerequisite nobody meets."""
    keep = {
        j
        for j in range(model.size)
        if not pre.impossible(j) and (model.covers[j] or (income_matters and model.incomes[j] > 0))
    }
    frontier = list(keep)
    while frontier:
        j = frontier.pop()
        for i in pre.providers_of(j):
            if i not in keep and not pre.impossible(i):
                keep.add(i)
                frontier.append(i)
    return sorted(keep)
