"""The store as pathways see it: the imported catalogue and saved plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from microcareer.domain.pathways.records import StoredPlan, StoredStep
from microcareer.domain.pathways.steps import Step


class PathwayRepository(Protocol):
    def save_steps(self, steps: Sequence[Step], *, imported_by: int | None, at: datetime) -> tuple[int, int]:
        """Add the steps, replacing those with the same ids; (added, replaced)."""
        ...

    def catalogue(self) -> list[StoredStep]: ...

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
    ) -> StoredPlan: ...

    def get_plan(self, plan_id: int) -> StoredPlan | None: ...

    def plans_of(self, user_id: int) -> list[StoredPlan]: ...

    def update_plan(
        self, plan_id: int, *, plan: dict[str, Any], done: Sequence[str], at: datetime
    ) -> StoredPlan:
        """Store the re-made plan and the steps done; the revision goes up by one."""
        ...

    def delete_plan(self, plan_id: int) -> bool: ...
