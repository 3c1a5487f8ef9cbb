"""The professional's dashboard and work settings as the API shows and takes them.

Money is integer minor units (cents for EUR) with its currency: settings' ``cash`` and
``monthly_spending``, the dashboard's ``*_minor`` figures, these with a ``formatted`` text (``EUR 12.50``)
for display. Hours are decimal numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from microcareer.domain.marketplace.dashboard import DueMilestone, MonthIncome, WeekLoad
from microcareer.domain.marketplace.records import WorkSettings
from microcareer.services.work_dashboard import Dashboard, IncomeSeries, format_money


class WorkSettingsBody(BaseModel):
    """What a PUT replaces: every field, those left out take their default."""

    workload_threshold_hours: float = Field(
        40.0, description="Weekly hours past which the dashboard warns (1 to 168)."
    )
    contracted_hours_per_week: float = Field(
        40.0, description="Hours a week of the person's employment, if any (1 to 80)."
    )
    monthly_spending: int = Field(
        0, description="What the person spends a month, in minor units of currency (cents for EUR)."
    )
    cash: int = Field(0, description="Cash on hand, in minor units of currency.")
    currency: str = Field("EUR", max_length=8, description="ISO 4217 code of spending and cash.")
    manager_user_id: int | None = Field(
        None, description="Who approves this person's internal gigs: another user's id."
    )

    def to_settings(self, user_id: int) -> WorkSettings:
        return WorkSettings(
            user_id=user_id,
            workload_threshold_hours=self.workload_threshold_hours,
            contracted_hours_per_week=self.contracted_hours_per_week,
            monthly_spending=self.monthly_spending,
            cash=self.cash,
            currency=self.currency,
            manager_user_id=self.manager_user_id,
        )


class ManagerBody(BaseModel):
    manager_user_id: int | None = Field(
        ge=1,
        le=2**31 - 1,
        description="Who approves this person's internal gigs; null: the admins of the job's organisation.",
    )


class WorkSettingsPublic(WorkSettingsBody):
    user_id: int

    @classmethod
    def of(cls, settings: WorkSettings) -> WorkSettingsPublic:
        return cls(
            user_id=settings.user_id,
            workload_threshold_hours=settings.workload_threshold_hours,
            contracted_hours_per_week=settings.contracted_hours_per_week,
            monthly_spending=settings.monthly_spending,
            cash=settings.cash,
            currency=settings.currency,
            manager_user_id=settings.manager_user_id,
        )


class MonthIncomePublic(BaseModel):
    month: str = Field(description="YYYY-MM.")
    amount_minor: int
    formatted: str

    @classmethod
    def of(cls, month: MonthIncome, currency: str) -> MonthIncomePublic:
        return cls(
            month=month.label,
            amount_minor=month.amount_minor,
            formatted=format_money(month.amount_minor, currency),
        )


class VolatilityPublic(BaseModel):
    months: int
    coefficient_of_variation: float | None
    worst_drop_percent: int | None
    zero_months: int
    level: Literal["steady", "uneven", "volatile"] | None
    reading: str


class IncomePublic(BaseModel):
    currency: str
    months: list[MonthIncomePublic] = Field(description="The last 12 calendar months, oldest first.")
    total_minor: int
    total_formatted: str
    volatility: VolatilityPublic

    @classmethod
    def of(cls, series: IncomeSeries) -> IncomePublic:
        v = series.volatility
        return cls(
            currency=series.currency,
            months=[MonthIncomePublic.of(m, series.currency) for m in series.months],
            total_minor=series.total_minor,
            total_formatted=format_money(series.total_minor, series.currency),
            volatility=VolatilityPublic(
                months=v.months,
                coefficient_of_variation=v.coefficient_of_variation,
                worst_drop_percent=v.worst_drop_percent,
                zero_months=v.zero_months,
                level=v.level,
                reading=v.reading,
            ),
        )


class RunwayPublic(BaseModel):
    months: float | None = Field(description="None: nothing is spent, it never runs out.")
    cash_months: float | None
    cash_minor: int
    monthly_spending_minor: int
    expected_minor_next_90_days: int = Field(
        description="Escrow funded for the person's active contracts, due within 90 days, net of fees."
    )
    currency: str
    explanation: str


class WeekPublic(BaseModel):
    week: str = Field(description="ISO week, 2026-W48.")
    monday: date
    position: int = Field(description="0 this week, -1 last week, 1 next week.")
    logged_hours: float
    planned_hours: float
    total_hours: float
    over_threshold: bool

    @classmethod
    def of(cls, load: WeekLoad, threshold: float) -> WeekPublic:
        return cls(
            week=load.label,
            monday=load.monday,
            position=load.position,
            logged_hours=load.logged_hours,
            planned_hours=load.planned_hours,
            total_hours=load.total_hours,
            over_threshold=load.total_hours > threshold,
        )


class WorkloadPublic(BaseModel):
    threshold_hours: float
    weeks: list[WeekPublic]
    warning: str | None


class MilestoneDuePublic(BaseModel):
    contract_id: int
    title: str
    due: date
    amount_minor: int
    currency: str
    formatted: str
    state: str
    days_left: int
    overdue: bool
    when: str

    @classmethod
    def of(cls, due: DueMilestone) -> MilestoneDuePublic:
        m = due.milestone
        return cls(
            contract_id=m.contract_id,
            title=m.title,
            due=m.due,
            amount_minor=m.amount_minor,
            currency=m.currency,
            formatted=format_money(m.amount_minor, m.currency),
            state=m.state,
            days_left=due.days_left,
            overdue=due.overdue,
            when=due.when,
        )


class CountsPublic(BaseModel):
    active_contracts: int
    open_applications: int


class DashboardPublic(BaseModel):
    user_id: int
    today: date
    settings: WorkSettingsPublic
    settings_saved: bool = Field(description="False: defaults, with the platform's workload threshold.")
    income: list[IncomePublic] = Field(description="Per currency, the settings' currency first.")
    runway: RunwayPublic
    workload: WorkloadPublic
    upcoming_milestones: list[MilestoneDuePublic]
    counts: CountsPublic

    @classmethod
    def of(cls, board: Dashboard) -> DashboardPublic:
        settings = board.settings
        return cls(
            user_id=board.user_id,
            today=board.today,
            settings=WorkSettingsPublic.of(settings),
            settings_saved=board.settings_saved,
            income=[IncomePublic.of(s) for s in board.income],
            runway=RunwayPublic(
                months=board.runway.months,
                cash_months=board.runway.cash_months,
                cash_minor=settings.cash,
                monthly_spending_minor=settings.monthly_spending,
                expected_minor_next_90_days=board.expected_minor_next_90_days,
                currency=settings.currency,
                explanation=board.runway.explanation,
            ),
            workload=WorkloadPublic(
                threshold_hours=board.threshold_hours,
                weeks=[WeekPublic.of(w, board.threshold_hours) for w in board.weeks],
                warning=board.workload_warning,
            ),
            upcoming_milestones=[MilestoneDuePublic.of(d) for d in board.upcoming],
            counts=CountsPublic(
                active_contracts=board.active_contracts, open_applications=board.open_applications
            ),
        )
