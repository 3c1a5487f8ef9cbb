"""Pathways as the API takes and gives them: what a plan is made for, and the saved plan.

A plan's body (``plan``) is the JSON every front end shows: steps with why each comes where it does
and the fit after it, week-by-week rows, months with the income kept, totals as minor units with
their currency and a ``text`` form, and which method chose the steps (``method_words``, ``bound``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from microcareer.domain.pathways.plan import Method
from microcareer.domain.pathways.problem import PlanMode, ShapeChoice
from microcareer.domain.pathways.records import StoredPlan
from microcareer.services.pathways import PlanOptions

MONEY_TEXT = Field(None, max_length=24, description="Decimal text in `currency`, e.g. 300.00.")


class PlanOptionsBody(BaseModel):
    hours_per_week: float = Field(8.0, gt=0, le=80, description="Hours a week the person can give.")
    mode: PlanMode = Field(PlanMode.BALANCED, description="What to minimise.")
    budget: str | None = MONEY_TEXT
    income_floor: str | None = MONEY_TEXT
    base_income: str | None = MONEY_TEXT
    max_weeks: float | None = Field(None, gt=0, le=520)
    shape: ShapeChoice = ShapeChoice.ANY
    method: Method = Method.AUTO
    currency: str = Field("EUR", min_length=3, max_length=3)

    def to_options(self) -> PlanOptions:
        return PlanOptions(**self.model_dump(exclude={"target_kind", "target"}))


class PlanBody(PlanOptionsBody):
    target_kind: Literal["occupation", "job", "skills"] = Field(description="What the plan leads to.")
    target: str = Field(
        min_length=1,
        max_length=20_000,
        description=(
            "An occupation's URI, key or label; a job's id; or skill URIs, keys or names, comma-separated."
        ),
    )


class ProgressBody(BaseModel):
    done: list[str] = Field(default_factory=list, max_length=200, description="Ids of steps done.")


class CatalogueBody(BaseModel):
    text: str = Field(min_length=1, max_length=5_000_000, description="The catalogue: CSV, or a JSON array.")
    source: str = Field("catalogue", max_length=200, description="A name for the file, used in errors.")
    currency: str = Field("EUR", min_length=3, max_length=3, description="For rows that name none.")


class CatalogueImported(BaseModel):
    added: int
    replaced: int


class PlanPublic(BaseModel):
    id: int
    user_id: int
    target_kind: str
    target: str
    target_label: str
    options: dict[str, Any]
    done: list[str]
    revision: int
    created_at: datetime
    updated_at: datetime
    plan: dict[str, Any]

    @classmethod
    def of(cls, stored: StoredPlan) -> PlanPublic:
        return cls(
            id=stored.id,
            user_id=stored.user_id,
            target_kind=stored.target_kind,
            target=stored.target_ref,
            target_label=stored.target_label,
            options=stored.options,
            done=list(stored.done),
            revision=stored.revision,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
            plan=stored.plan,
        )
