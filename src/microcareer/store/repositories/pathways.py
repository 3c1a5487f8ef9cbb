"""Pathways in the store: the imported catalogue of steps and saved plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.records import StoredPlan, StoredStep
from microcareer.domain.pathways.steps import SkillPrerequisite, Step, StepFormat, StepKind
from microcareer.store.tables.pathways import PathwayPlanRow, PathwayStepRow


def _step(row: PathwayStepRow) -> StoredStep:
    step = Step(
        id=row.step_key,
        kind=StepKind(row.kind),
        title=row.title,
        provider=row.provider,
        teaches=MappingProxyType({str(k): int(v) for k, v in row.teaches["levels"].items()}),
        hours=row.hours,
        cost=Money(row.cost_amount, row.currency),
        income=Money(row.income_amount, row.currency),
        url=row.url,
        language=row.language,
        format=StepFormat(row.step_format),
        needs_skills=tuple(SkillPrerequisite(str(u), int(level)) for u, level in row.needs["skills"]),
        needs_steps=tuple(str(k) for k in row.needs["steps"]),
        quality=row.quality,
        labels=MappingProxyType({str(k): str(v) for k, v in row.teaches.get("labels", {}).items()}),
    )
    return StoredStep(step, row.imported_by, row.imported_at)


def _plan(row: PathwayPlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        user_id=row.user_id,
        target_kind=row.target_kind,
        target_ref=row.target_ref,
        target_label=row.target_label,
        options=dict(row.options),
        plan=dict(row.plan),
        done=tuple(str(d) for d in row.done),
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlAlchemyPathwayRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save_steps(self, steps: Sequence[Step], *, imported_by: int | None, at: datetime) -> tuple[int, int]:
        keys = [s.id for s in steps]
        existing = set(
            self.session.scalars(select(PathwayStepRow.step_key).where(PathwayStepRow.step_key.in_(keys)))
        )
        if existing:
            self.session.execute(delete(PathwayStepRow).where(PathwayStepRow.step_key.in_(sorted(existing))))
            self.session.flush()
        for step in steps:
            self.session.add(
                PathwayStepRow(
                    step_key=step.id,
                    kind=step.kind.value,
                    title=step.title,
                    provider=step.provider,
                    url=step.url,
                    language=step.language,
                    step_format=step.format.value,
                    hours=step.hours,
                    cost_amount=step.cost.amount,
                    income_amount=step.income.amount,
                    currency=step.cost.currency,
                    quality=step.quality,
                    teaches={"levels": dict(step.teaches), "labels": dict(step.labels)},
                    needs={
                        "skills": [[p.uri, p.level] for p in step.needs_skills],
                        "steps": list(step.needs_steps),
                    },
                    imported_by=imported_by,
                    imported_at=at,
                )
            )
        self.session.flush()
        return len(steps) - len(existing), len(existing)

    def catalogue(self) -> list[StoredStep]:
        return [
            _step(row) for row in self.session.scalars(select(PathwayStepRow).order_by(PathwayStepRow.id))
        ]

    def add_plan(
        self,
        *,
        user_id: int,
        target_kind: str,
        target_ref: str,
        target_label: str,
        options: dict[str, Any],
        plan: dict[str, Any],
        at: datetime,
    ) -> StoredPlan:
        row = PathwayPlanRow(
            user_id=user_id,
            target_kind=target_kind,
            target_ref=target_ref,
            target_label=target_label[:300],
            options=options,
            plan=plan,
            done=[],
            revision=1,
            created_at=at,
            updated_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _plan(row)

    def get_plan(self, plan_id: int) -> StoredPlan | None:
        row = self.session.get(PathwayPlanRow, plan_id)
        return None if row is None else _plan(row)

    def plans_of(self, user_id: int) -> list[StoredPlan]:
        query = (
            select(PathwayPlanRow).where(PathwayPlanRow.user_id == user_id).order_by(PathwayPlanRow.id.desc())
        )
        return [_plan(row) for row in self.session.scalars(query)]

    def update_plan(
        self, plan_id: int, *, plan: dict[str, Any], done: Sequence[str], at: datetime
    ) -> StoredPlan:
        row = self.session.get(PathwayPlanRow, plan_id, with_for_update=True)
        if row is None:
            raise LookupError(plan_id)
        row.plan = plan
        row.done = list(done)
        row.revision = row.revision + 1
        row.updated_at = at
        self.session.flush()
        return _plan(row)

    def delete_plan(self, plan_id: int) -> bool:
        result = self.session.execute(delete(PathwayPlanRow).where(PathwayPlanRow.id == plan_id))
        return bool(getattr(result, "rowcount", 0))
