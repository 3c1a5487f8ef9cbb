"""Synthetic catalogues and gaps of any size, seeded: what the benchmark and the property tests plan on.

Skills are drawn from a pool; a step teaches 1-4 of them (levels 2-5), costs 0-600, takes 2-80 hours;
about a tenth are micro-jobs that pay; some steps need a skill (at level 2) that others teach.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.problem import Need
from microcareer.domain.pathways.steps import SkillPrerequisite, Step, StepKind

SKILL_URI = "https://example.org/skill/{}"


@dataclass(frozen=True, slots=True)
class Instance:
    steps: tuple[Step, ...]
    needs: tuple[Need, ...]
    held: dict[str, int]


def skill(k: int) -> str:
    return SKILL_URI.format(k)


def random_instance(
    seed: int,
    *,
    steps: int,
    needs: int,
    pool: int | None = None,
    prerequisite_share: float = 0.2,
    currency: str = "EUR",
) -> Instance:
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    pool = pool or max(needs * 3, steps // 4, 10)
    kinds = [StepKind.COURSE, StepKind.COURSE, StepKind.MICROCREDENTIAL, StepKind.ASSESSMENT]
    made: list[Step] = []
    for j in range(steps):
        kind = StepKind.MICRO_JOB if rng.random() < 0.1 else rng.choice(kinds)
        taught = rng.sample(range(pool), rng.randint(1, min(4, pool)))
        teaches = {skill(k): rng.randint(2, 5) for k in taught}
        hours = float(rng.choice([2, 4, 6, 8, 10, 12, 16, 20, 24, 30, 40, 60, 80]))
        cost = 0 if kind is StepKind.MICRO_JOB or rng.random() < 0.2 else rng.randint(1, 60) * 1000
        income = rng.randint(10, 60) * int(hours) * 100 if kind is StepKind.MICRO_JOB else 0
        prereqs: tuple[SkillPrerequisite, ...] = ()
        if rng.random() < prerequisite_share:
            other = rng.randrange(pool)
            if skill(other) not in teaches:
                prereqs = (SkillPrerequisite(skill(other), 2),)
        made.append(
            Step(
                id=f"s{j}",
                kind=kind,
                title=f"step {j}",
                provider=f"provider {rng.randrange(20)}",
                teaches=teaches,
                hours=hours,
                cost=Money(cost, currency),
                income=Money(income, currency),
                needs_skills=prereqs,
                quality=rng.choice([0.3, 0.5, 0.8, 1.0]),
            )
        )
    wanted = rng.sample(range(pool), min(needs, pool))
    need_list = tuple(
        Need(skill(k), f"skill {k}", rng.choice([1.0, 0.5]), rng.choice([0.0, 0.0, 0.3]), rng.randint(2, 4))
        for k in wanted
    )
    held_pool = [k for k in range(pool) if k not in wanted]
    held = {skill(k): rng.randint(1, 4) for k in rng.sample(held_pool, min(len(held_pool), pool // 5))}
    return Instance(tuple(made), need_list, held)
