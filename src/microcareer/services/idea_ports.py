"""Port of intrapreneurship (issue 22): ``ports.UnitOfWork.ideas``."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from microcareer.domain.ideas import Idea, JoinState, Outcome, Pitch


class IdeaRepository(Protocol):
    """Ideas with their supporters, requests to join, sponsorship, outcome and jobs."""

    def add_idea(self, organisation_id: int, author_user_id: int, pitch: Pitch, *, at: datetime) -> Idea: ...

    def get_idea(self, idea_id: int, *, for_update: bool = False) -> Idea | None:
        """``for_update``: lock the row until the transaction ends (sponsoring, making jobs)."""
        ...

    def ideas_of(self, organisation_id: int) -> list[Idea]:
        """The organisation's ideas, newest first."""
        ...

    def add_support(self, idea_id: int, user_id: int, *, at: datetime) -> None: ...

    def add_join_request(self, idea_id: int, user_id: int, note: str, *, at: datetime) -> None: ...

    def answer_join_request(self, idea_id: int, user_id: int, state: JoinState, *, at: datetime) -> None: ...

    def sponsor(self, idea_id: int, sponsor_user_id: int, budget_hours: int, *, at: datetime) -> None: ...

    def add_job(self, idea_id: int, job_id: int) -> None: ...

    def set_outcome(self, idea_id: int, outcome: Outcome, note: str, *, at: datetime) -> None: ...
