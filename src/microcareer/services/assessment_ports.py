"""Port of skill assessments (issue 22): ``ports.UnitOfWork.assessments``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from microcareer.domain.assessments.attempts import Attempt
from microcareer.domain.assessments.definitions import Assessment, AssessmentState, Owner, StoredAssessment
from microcareer.domain.assessments.items import Item


class AssessmentRepository(Protocol):
    """Assessments, their item banks, attempts, and the assessments micro-jobs require."""

    def add(self, owner: Owner, assessment: Assessment, *, created_by: int | None, at: datetime) -> int: ...

    def get(self, assessment_id: int) -> StoredAssessment | None: ...

    def update(
        self, assessment_id: int, assessment: Assessment, state: AssessmentState, *, at: datetime
    ) -> None: ...

    def listed(self, *, states: Sequence[AssessmentState], limit: int) -> list[StoredAssessment]: ...

    def owned_by(
        self, *, issuer_ids: Sequence[int], organisation_ids: Sequence[int], reviewer_id: int | None
    ) -> list[StoredAssessment]:
        """Those set by any of the issuers or organisations, or reviewed by ``reviewer_id``."""
        ...

    def add_item(self, assessment_id: int, item: Item, *, at: datetime) -> int: ...

    def replace_item(self, item_id: int, item: Item) -> None: ...

    def remove_item(self, item_id: int) -> None: ...

    def items(self, assessment_id: int) -> dict[int, Item]:
        """The bank, by item id (retired items left out)."""
        ...

    def bank_sizes(self, assessment_ids: Sequence[int]) -> dict[int, int]:
        """How many items each bank holds (retired ones left out; an empty bank is left out)."""
        ...

    def items_by_id(self, item_ids: Sequence[int]) -> dict[int, Item]:
        """These items, retired ones included (an attempt keeps what it drew)."""
        ...

    def add_attempt(
        self,
        assessment_id: int,
        candidate_id: int,
        item_ids: Sequence[int],
        *,
        started_at: datetime,
        deadline: datetime,
    ) -> Attempt: ...

    def get_attempt(self, attempt_id: int, *, for_update: bool = False) -> Attempt | None: ...

    def save_attempt(self, attempt: Attempt) -> None:
        """Its state, answers, work, score, review and credential."""
        ...

    def attempts_of(self, assessment_id: int, candidate_id: int) -> list[Attempt]: ...

    def attempts_for(self, assessment_id: int) -> list[Attempt]: ...

    def candidate_attempts(self, candidate_id: int) -> list[Attempt]: ...

    def passed(self, assessment_ids: Sequence[int], candidate_ids: Sequence[int]) -> list[Attempt]:
        """Passed attempts of these people at these assessments."""
        ...

    def job_requirements(self, job_id: int) -> list[int]: ...

    def set_job_requirements(self, job_id: int, assessment_ids: Sequence[int]) -> None: ...
