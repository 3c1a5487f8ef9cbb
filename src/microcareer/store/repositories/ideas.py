"""Ideas in the store: one row each, with supports, requests to join and jobs in their own tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from microcareer.domain.ideas import Idea, JoinRequest, JoinState, Outcome, Pitch
from microcareer.store.tables.ideas import IdeaJobRow, IdeaJoinRequestRow, IdeaRow, IdeaSupportRow


class SqlAlchemyIdeaRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _ideas(self, rows: Sequence[IdeaRow]) -> list[Idea]:
        ids = [row.id for row in rows]
        supporters: dict[int, set[int]] = defaultdict(set)
        joins: dict[int, list[JoinRequest]] = defaultdict(list)
        jobs: dict[int, list[int]] = defaultdict(list)
        if ids:
            for support in self.session.scalars(
                select(IdeaSupportRow).where(IdeaSupportRow.idea_id.in_(ids))
            ):
                supporters[support.idea_id].add(support.user_id)
            requests = select(IdeaJoinRequestRow).where(IdeaJoinRequestRow.idea_id.in_(ids))
            for join in self.session.scalars(requests.order_by(IdeaJoinRequestRow.created_at)):
                joins[join.idea_id].append(
                    JoinRequest(join.user_id, join.note, join.created_at, JoinState(join.state))
                )
            made = select(IdeaJobRow).where(IdeaJobRow.idea_id.in_(ids)).order_by(IdeaJobRow.job_id)
            for job in self.session.scalars(made):
                jobs[job.idea_id].append(job.job_id)
        return [
            Idea(
                id=row.id,
                organisation_id=row.organisation_id,
                author_user_id=row.author_user_id,
                pitch=Pitch(
                    title=row.title,
                    problem=row.problem,
                    proposal=row.proposal,
                    skills=tuple(str(s) for s in row.skills),
                    hours=row.hours,
                ),
                created_at=row.created_at,
                supporters=frozenset(supporters[row.id]),
                join_requests=tuple(joins[row.id]),
                sponsor_user_id=row.sponsor_user_id,
                budget_hours=row.budget_hours,
                sponsored_at=row.sponsored_at,
                outcome=Outcome(row.outcome) if row.outcome else None,
                outcome_note=row.outcome_note,
                outcome_at=row.outcome_at,
                job_ids=tuple(jobs[row.id]),
            )
            for row in rows
        ]

    def add_idea(self, organisation_id: int, author_user_id: int, pitch: Pitch, *, at: datetime) -> Idea:
        row = IdeaRow(
            organisation_id=organisation_id,
            author_user_id=author_user_id,
            title=pitch.title,
            problem=pitch.problem,
            proposal=pitch.proposal,
            skills=list(pitch.skills),
            hours=pitch.hours,
            created_at=at,
            outcome_note="",
        )
        self.session.add(row)
        self.session.flush()
        return self._ideas([row])[0]

    def get_idea(self, idea_id: int, *, for_update: bool = False) -> Idea | None:
        query = select(IdeaRow).where(IdeaRow.id == idea_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).first()
        return None if row is None else self._ideas([row])[0]

    def ideas_of(self, organisation_id: int) -> list[Idea]:
        query = select(IdeaRow).where(IdeaRow.organisation_id == organisation_id)
        return self._ideas(self.session.scalars(query.order_by(IdeaRow.id.desc())).all())

    def add_support(self, idea_id: int, user_id: int, *, at: datetime) -> None:
        self.session.add(IdeaSupportRow(idea_id=idea_id, user_id=user_id, created_at=at))
        self.session.flush()

    def add_join_request(self, idea_id: int, user_id: int, note: str, *, at: datetime) -> None:
        self.session.add(IdeaJoinRequestRow(idea_id=idea_id, user_id=user_id, note=note, created_at=at))
        self.session.flush()

    def answer_join_request(self, idea_id: int, user_id: int, state: JoinState, *, at: datetime) -> None:
        row = self.session.get(IdeaJoinRequestRow, (idea_id, user_id))
        if row is None:
            raise LookupError(f"no request of user {user_id} to join idea {idea_id}")
        row.state, row.answered_at = state.value, at
        self.session.flush()

    def _row(self, idea_id: int) -> IdeaRow:
        row = self.session.get(IdeaRow, idea_id)
        if row is None:
            raise LookupError(f"no idea {idea_id}")
        return row

    def sponsor(self, idea_id: int, sponsor_user_id: int, budget_hours: int, *, at: datetime) -> None:
        row = self._row(idea_id)
        row.sponsor_user_id = sponsor_user_id
        row.budget_hours = budget_hours
        row.sponsored_at = at
        self.session.flush()

    def add_job(self, idea_id: int, job_id: int) -> None:
        self.session.add(IdeaJobRow(idea_id=idea_id, job_id=job_id))
        self.session.flush()

    def set_outcome(self, idea_id: int, outcome: Outcome, note: str, *, at: datetime) -> None:
        row = self._row(idea_id)
        row.outcome = outcome.value
        row.outcome_note = note
        row.outcome_at = at
        self.session.flush()
