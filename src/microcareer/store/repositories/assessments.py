"""Skill assessments in the store: assessments, item banks (with their scoring in ``spec``), attempts
and the assessments micro-jobs require."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from microcareer.domain.assessments.attempts import Attempt, AttemptState
from microcareer.domain.assessments.definitions import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    Criterion,
    Owner,
    StoredAssessment,
)
from microcareer.domain.assessments.items import Answer, Item, ItemKind
from microcareer.store.tables.assessments import (
    AssessmentAttemptRow,
    AssessmentItemRow,
    AssessmentRow,
    JobAssessmentRow,
)

LIST_MAX = 500


def _assessment(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        id=row.id,
        owner=Owner(issuer_id=row.issuer_id, organisation_id=row.organisation_id),
        assessment=Assessment(
            title=row.title,
            description=row.description,
            skills=tuple(str(s) for s in row.skills),
            kind=AssessmentKind(row.kind),
            draw_count=row.draw_count,
            pass_percent=row.pass_percent,
            time_limit_minutes=row.time_limit_minutes,
            max_attempts=row.max_attempts,
            cooldown_hours=row.cooldown_hours,
            proficiency=row.proficiency,
            achievement_id=row.achievement_id,
            task=row.task,
            rubric=tuple(Criterion(str(c["name"]), int(c["points"])) for c in row.rubric),
            reviewer_user_id=row.reviewer_user_id,
        ),
        state=AssessmentState(row.state),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _fill(row: AssessmentRow, assessment: Assessment) -> None:
    row.title = assessment.title
    row.description = assessment.description
    row.skills = list(assessment.skills)
    row.kind = assessment.kind.value
    row.draw_count = assessment.draw_count
    row.pass_percent = assessment.pass_percent
    row.time_limit_minutes = assessment.time_limit_minutes
    row.max_attempts = assessment.max_attempts
    row.cooldown_hours = assessment.cooldown_hours
    row.proficiency = assessment.proficiency
    row.achievement_id = assessment.achievement_id
    row.task = assessment.task
    row.rubric = [{"name": c.name, "points": c.points} for c in assessment.rubric]
    row.reviewer_user_id = assessment.reviewer_user_id


def _spec(item: Item) -> dict[str, Any]:
    return {
        "options": list(item.options),
        "correct": list(item.correct),
        "value": item.value,
        "tolerance": item.tolerance,
        "accepted": list(item.accepted),
    }


def _item(row: AssessmentItemRow) -> Item:
    spec = row.spec
    value = spec.get("value")
    return Item(
        kind=ItemKind(row.kind),
        prompt=row.prompt,
        options=tuple(str(o) for o in spec.get("options", ())),
        correct=tuple(int(i) for i in spec.get("correct", ())),
        value=None if value is None else float(value),
        tolerance=float(spec.get("tolerance", 0.0)),
        accepted=tuple(str(a) for a in spec.get("accepted", ())),
        points=row.points,
    )


def _answers_json(answers: Mapping[int, Answer]) -> dict[str, Any]:
    return {
        str(k): {"choices": list(a.choices), "number": a.number, "text": a.text} for k, a in answers.items()
    }


def _answers(data: Mapping[str, Any]) -> dict[int, Answer]:
    return {
        int(k): Answer(
            choices=tuple(int(c) for c in v.get("choices", ())),
            number=None if v.get("number") is None else float(v["number"]),
            text=str(v.get("text", "")),
        )
        for k, v in data.items()
    }


def _attempt(row: AssessmentAttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        assessment_id=row.assessment_id,
        candidate_id=row.candidate_id,
        started_at=row.started_at,
        deadline=row.deadline,
        item_ids=tuple(int(i) for i in row.item_ids),
        state=AttemptState(row.state),
        answers=_answers(row.answers),
        work=row.work,
        submitted_at=row.submitted_at,
        points=row.points,
        total=row.total,
        right=frozenset(int(i) for i in row.right_items),
        criterion_points={str(k): int(v) for k, v in row.criterion_points.items()},
        review_comment=row.review_comment,
        reviewer_id=row.reviewer_id,
        scored_at=row.scored_at,
        credential_id=row.credential_id,
    )


class SqlAlchemyAssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, owner: Owner, assessment: Assessment, *, created_by: int | None, at: datetime) -> int:
        row = AssessmentRow(
            issuer_id=owner.issuer_id,
            organisation_id=owner.organisation_id,
            created_by=created_by,
            state=AssessmentState.DRAFT.value,
            created_at=at,
            updated_at=at,
        )
        _fill(row, assessment)
        self.session.add(row)
        self.session.flush()
        return row.id

    def get(self, assessment_id: int) -> StoredAssessment | None:
        row = self.session.get(AssessmentRow, assessment_id)
        return None if row is None else _assessment(row)

    def update(
        self, assessment_id: int, assessment: Assessment, state: AssessmentState, *, at: datetime
    ) -> None:
        row = self.session.get_one(AssessmentRow, assessment_id)
        _fill(row, assessment)
        row.state = state.value
        row.updated_at = at
        self.session.flush()

    def listed(self, *, states: Sequence[AssessmentState], limit: int) -> list[StoredAssessment]:
        query = (
            select(AssessmentRow)
            .where(AssessmentRow.state.in_([s.value for s in states]))
            .order_by(AssessmentRow.id.desc())
            .limit(min(limit, LIST_MAX))
        )
        return [_assessment(r) for r in self.session.scalars(query)]

    def owned_by(
        self, *, issuer_ids: Sequence[int], organisation_ids: Sequence[int], reviewer_id: int | None
    ) -> list[StoredAssessment]:
        conditions: list[ColumnElement[bool]] = [
            AssessmentRow.issuer_id.in_(list(issuer_ids)),
            AssessmentRow.organisation_id.in_(list(organisation_ids)),
        ]
        if reviewer_id is not None:
            conditions.append(AssessmentRow.reviewer_user_id == reviewer_id)
        query = (
            select(AssessmentRow).where(or_(*conditions)).order_by(AssessmentRow.id.desc()).limit(LIST_MAX)
        )
        return [_assessment(r) for r in self.session.scalars(query)]

    def add_item(self, assessment_id: int, item: Item, *, at: datetime) -> int:
        row = AssessmentItemRow(
            assessment_id=assessment_id,
            kind=item.kind.value,
            prompt=item.prompt,
            spec=_spec(item),
            points=item.points,
            retired=False,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def replace_item(self, item_id: int, item: Item) -> None:
        row = self.session.get_one(AssessmentItemRow, item_id)
        row.kind, row.prompt, row.spec, row.points = item.kind.value, item.prompt, _spec(item), item.points
        self.session.flush()

    def remove_item(self, item_id: int) -> None:
        row = self.session.get_one(AssessmentItemRow, item_id)
        row.retired = True
        self.session.flush()

    def items(self, assessment_id: int) -> dict[int, Item]:
        query = (
            select(AssessmentItemRow)
            .where(AssessmentItemRow.assessment_id == assessment_id, AssessmentItemRow.retired.is_(False))
            .order_by(AssessmentItemRow.id)
        )
        return {r.id: _item(r) for r in self.session.scalars(query)}

    def bank_sizes(self, assessment_ids: Sequence[int]) -> dict[int, int]:
        if not assessment_ids:
            return {}
        query = (
            select(AssessmentItemRow.assessment_id, func.count())
            .where(
                AssessmentItemRow.assessment_id.in_(list(assessment_ids)),
                AssessmentItemRow.retired.is_(False),
            )
            .group_by(AssessmentItemRow.assessment_id)
        )
        return {int(row[0]): int(row[1]) for row in self.session.execute(query)}

    def items_by_id(self, item_ids: Sequence[int]) -> dict[int, Item]:
        if not item_ids:
            return {}
        query = select(AssessmentItemRow).where(AssessmentItemRow.id.in_(list(item_ids)))
        return {r.id: _item(r) for r in self.session.scalars(query)}

    def add_attempt(
        self,
        assessment_id: int,
        candidate_id: int,
        item_ids: Sequence[int],
        *,
        started_at: datetime,
        deadline: datetime,
    ) -> Attempt:
        row = AssessmentAttemptRow(
            assessment_id=assessment_id,
            candidate_id=candidate_id,
            state=AttemptState.IN_PROGRESS.value,
            item_ids=list(item_ids),
            started_at=started_at,
            deadline=deadline,
            answers={},
            work="",
            right_items=[],
            criterion_points={},
            review_comment="",
        )
        self.session.add(row)
        self.session.flush()
        return _attempt(row)

    def get_attempt(self, attempt_id: int, *, for_update: bool = False) -> Attempt | None:
        query = select(AssessmentAttemptRow).where(AssessmentAttemptRow.id == attempt_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).one_or_none()
        return None if row is None else _attempt(row)

    def save_attempt(self, attempt: Attempt) -> None:
        row = self.session.get_one(AssessmentAttemptRow, attempt.id)
        row.state = attempt.state.value
        row.answers = _answers_json(attempt.answers)
        row.work = attempt.work
        row.submitted_at = attempt.submitted_at
        row.points, row.total = attempt.points, attempt.total
        row.percent = None if attempt.percent is None else float(attempt.percent)
        row.right_items = sorted(attempt.right)
        row.criterion_points = dict(attempt.criterion_points)
        row.review_comment = attempt.review_comment
        row.reviewer_id = attempt.reviewer_id
        row.scored_at = attempt.scored_at
        row.credential_id = attempt.credential_id
        self.session.flush()

    def _attempts(self, *conditions: Any) -> list[Attempt]:
        query = (
            select(AssessmentAttemptRow).where(*conditions).order_by(AssessmentAttemptRow.id).limit(LIST_MAX)
        )
        return [_attempt(r) for r in self.session.scalars(query)]

    def attempts_of(self, assessment_id: int, candidate_id: int) -> list[Attempt]:
        return self._attempts(
            AssessmentAttemptRow.assessment_id == assessment_id,
            AssessmentAttemptRow.candidate_id == candidate_id,
        )

    def attempts_for(self, assessment_id: int) -> list[Attempt]:
        return self._attempts(AssessmentAttemptRow.assessment_id == assessment_id)

    def candidate_attempts(self, candidate_id: int) -> list[Attempt]:
        return self._attempts(AssessmentAttemptRow.candidate_id == candidate_id)

    def passed(self, assessment_ids: Sequence[int], candidate_ids: Sequence[int]) -> list[Attempt]:
        if not assessment_ids or not candidate_ids:
            return []
        return self._attempts(
            AssessmentAttemptRow.assessment_id.in_(list(assessment_ids)),
            AssessmentAttemptRow.candidate_id.in_(list(candidate_ids)),
            AssessmentAttemptRow.state == AttemptState.PASSED.value,
        )

    def job_requirements(self, job_id: int) -> list[int]:
        query = select(JobAssessmentRow.assessment_id).where(JobAssessmentRow.job_id == job_id)
        return sorted(self.session.scalars(query))

    def set_job_requirements(self, job_id: int, assessment_ids: Sequence[int]) -> None:
        self.session.execute(delete(JobAssessmentRow).where(JobAssessmentRow.job_id == job_id))
        for assessment_id in dict.fromkeys(assessment_ids):
            self.session.add(JobAssessmentRow(job_id=job_id, assessment_id=assessment_id))
        self.session.flush()
