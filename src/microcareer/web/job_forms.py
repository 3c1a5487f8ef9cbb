"""The marketplace pages' forms as posted, and what the services take from them.

Each form keeps its fields as typed (so a page shown again after an error keeps them) and turns them
into domain values on request, raising ``InvalidInput`` naming the field that is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from starlette.datastructures import FormData

from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.contracts import Milestone
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, MicroJob
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.errors import InvalidInput
from microcareer.web.profile_forms import field_of

MILESTONE_ROWS = 4
"""Rows of the accept form's milestone editor; empty rows are left out."""


def whole(text: str, name: str, *, low: int = 0, high: int = 10**9) -> int:
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(f"{name}: a whole number {low} to {high}, not {text!r}", field=name)
    return int(value)


def number(text: str, name: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise InvalidInput(f"{name}: a number like 12.5, not {text!r}", field=name) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{name}: a number like 12.5, not {text!r}", field=name)
    return value


def day(text: str, name: str) -> date | None:
    """An ISO date (what ``<input type=date>`` sends), or None when left empty."""
    value = text.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: a date like 2026-12-31, not {text!r}", field=name) from None


def money(text: str, currency: str, name: str) -> Money:
    try:
        return Money.parse(text, currency_code(currency))
    except InvalidInput as exc:
        if exc.extra.get("field") == "currency":
            raise
        raise InvalidInput(f"{name}: {exc.detail.removeprefix('amount: ')}", field=name) from None


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class JobForm:
    """The post-a-job form; skills one per line (a label, key or URI)."""

    title: str = ""
    brief: str = ""
    required: str = ""
    nice: str = ""
    budget_kind: str = "fixed"
    amount: str = ""
    currency: str = "EUR"
    expected_hours: str = ""
    start: str = ""
    end: str = ""
    remote: bool = True
    place: str = ""
    audience: str = "open"
    organisation: str = ""

    @classmethod
    def of(cls, data: FormData) -> JobForm:
        return cls(
            title=field_of(data, "title"),
            brief=field_of(data, "brief"),
            required=field_of(data, "required"),
            nice=field_of(data, "nice"),
            budget_kind=field_of(data, "budget_kind") or "fixed",
            amount=field_of(data, "amount"),
            currency=field_of(data, "currency") or "EUR",
            expected_hours=field_of(data, "expected_hours"),
            start=field_of(data, "start"),
            end=field_of(data, "end"),
            remote=bool(field_of(data, "remote")),
            place=field_of(data, "place"),
            audience=field_of(data, "audience") or "open",
            organisation=field_of(data, "organisation"),
        )

    def job(self, resolve: Callable[[str, str], str]) -> MicroJob:
        """The job as typed; ``resolve(text, field)`` turns a skill's label, key or URI into its URI."""
        try:
            kind = BudgetKind(self.budget_kind)
        except ValueError:
            raise InvalidInput("budget_kind: fixed or hourly", field="budget_kind") from None
        try:
            audience = Audience(self.audience)
        except ValueError:
            raise InvalidInput("audience: open or internal", field="audience") from None
        organisation = None
        if audience is Audience.INTERNAL:
            organisation = whole(self.organisation, "organisation", low=1)
        return MicroJob(
            title=self.title.strip(),
            brief=self.brief.strip(),
            required_skills=tuple(dict.fromkeys(resolve(t, "required") for t in lines(self.required))),
            nice_skills=tuple(dict.fromkeys(resolve(t, "nice") for t in lines(self.nice))),
            budget=Budget(kind, money(self.amount, self.currency, "amount")),
            expected_hours=whole(self.expected_hours, "expected_hours", low=1, high=2000),
            start=day(self.start, "start"),
            end=day(self.end, "end"),
            remote=self.remote,
            place=self.place.strip(),
            audience=audience,
            organisation_id=organisation,
        )


@dataclass(frozen=True)
class ApplyForm:
    rate: str = ""
    hours: str = ""
    hours_per_week: str = ""
    message: str = ""

    @classmethod
    def of(cls, data: FormData) -> ApplyForm:
        return cls(
            rate=field_of(data, "rate"),
            hours=field_of(data, "hours"),
            hours_per_week=field_of(data, "hours_per_week"),
            message=field_of(data, "message"),
        )

    def proposal(self, currency: str) -> Proposal:
        return Proposal(
            rate=money(self.rate, currency, "rate"),
            hours=whole(self.hours, "hours", low=1, high=2000),
            message=self.message.strip(),
            hours_per_week=number(self.hours_per_week, "hours_per_week"),
        )


@dataclass(frozen=True)
class MilestoneRows:
    """The accept form's milestone editor: up to ``MILESTONE_ROWS`` rows of title, amount and due date."""

    titles: tuple[str, ...] = field(default_factory=tuple)
    amounts: tuple[str, ...] = field(default_factory=tuple)
    dues: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, data: FormData) -> MilestoneRows:
        def column(name: str) -> tuple[str, ...]:
            return tuple(field_of(data, f"{name}_{i}") for i in range(MILESTONE_ROWS))

        return cls(column("m_title"), column("m_amount"), column("m_due"))

    def milestones(self, currency: str) -> tuple[Milestone, ...] | None:
        """The filled rows as milestones; None when every row is empty (one "Delivery" milestone)."""
        found: list[Milestone] = []
        for index, (title, amount, due) in enumerate(zip(self.titles, self.amounts, self.dues, strict=True)):
            if not (title.strip() or amount.strip() or due.strip()):
                continue
            where = f"milestones[{index}]"
            when = day(due, f"{where}.due")
            if when is None:
                raise InvalidInput(f"{where}.due: required", field="milestones")
            found.append(Milestone(title.strip(), money(amount, currency, f"{where}.amount"), when))
        return tuple(found) or None
