"""What the store keeps of pathways: a saved plan (its target, the options it was made with, the plan as
JSON, the steps done) and the imported catalogue's steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcareer.domain.pathways.steps import Step


@dataclass(frozen=True, slots=True)
class StoredPlan:
    id: int
    user_id: int
    target_kind: str
    """"occupation", "job" or "skills"."""
    target_ref: str
    """The occupation's URI, the job's id, or the skills' URIs comma-separated."""
    target_label: str
    options: dict[str, Any]
    plan: dict[str, Any]
    done: tuple[str, ...]
    """Ids of the steps done so far, in the order they were marked."""
    revision: int
    """1 when made; one more each time progress re-plans it."""
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredStep:
    step: Step
    imported_by: int | None
    imported_at: datetime
