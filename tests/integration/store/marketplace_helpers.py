"""Contracts made straight through the repository, so contract tests need no job or application services.

``make_market`` gives a client, a professional, a stranger and a platform admin; a fixed contract with
two milestones (EUR 100.00 and EUR 50.00) and an hourly contract (EUR 40.00 an hour, at most 10 h a
week), both open-market with a 10 % fee; ``make_internal`` an internal contract of an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import ContractKind, ContractState, Milestone
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.records import StoredContract
from microcareer.services.ports import UnitOfWork
from tests.integration.taxonomy_helpers import PYTHON

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday, ISO week 2026-W47
MONDAY = date(2026, 11, 16)
CONTRACTS_START = NOW - timedelta(days=30)
"""The contracts began a month before NOW: time is logged only within a contract's dates."""
FEE_BP = 1000
NOT_IN_TAXONOMY = "https://skills.example.org/skill/juggling"
M1 = Money(10_000, "EUR")
M2 = Money(5_000, "EUR")
RATE = Money(4_000, "EUR")


@dataclass(frozen=True)
class Market:
    client: Actor
    professional: Actor
    stranger: Actor
    admin: Actor
    fixed_id: int
    milestone_ids: tuple[int, int]
    hourly_id: int


def _user(uow: UnitOfWork, email: str, roles: list[Role]) -> Actor:
    user = uow.accounts.add_user(
        email=email, display_name=email.split("@")[0], password_hash="x", roles=roles, created_at=NOW
    )
    return Actor(user_id=user.id, roles=frozenset(roles))


def _job(
    uow: UnitOfWork, poster: int, kind: BudgetKind, amount: Money, organisation_id: int | None = None
) -> int:
    job = MicroJob(
        title=f"A {kind.value} job",
        brief="Write a small Python tool that cleans CSV files for the accounts team.",
        required_skills=(PYTHON, NOT_IN_TAXONOMY),
        nice_skills=(),
        budget=Budget(kind, amount),
        expected_hours=10,
        start=None,
        end=None,
        remote=True,
        place="",
        audience=Audience.INTERNAL if organisation_id is not None else Audience.OPEN,
        organisation_id=organisation_id,
        state=JobState.IN_PROGRESS,
    )
    return uow.marketplace.add_job(poster, job, at=NOW).id


def _contract(
    uow: UnitOfWork,
    client: Actor,
    professional: Actor,
    kind: ContractKind,
    amount: Money,
    organisation_id: int | None = None,
) -> StoredContract:
    assert client.user_id is not None
    assert professional.user_id is not None
    budget = BudgetKind.HOURLY if kind is ContractKind.HOURLY else BudgetKind.FIXED
    job_id = _job(uow, client.user_id, budget, amount, organisation_id)
    application = uow.marketplace.add_application(
        job_id,
        professional.user_id,
        Proposal(amount, 10, "I can do this.", 5.0),
        approval=ApprovalState.NOT_NEEDED if organisation_id is None else ApprovalState.APPROVED,
        at=NOW,
    )
    uow.marketplace.set_application_state(application.id, ApplicationState.ACCEPTED, at=NOW)
    hourly = kind is ContractKind.HOURLY
    return uow.marketplace.add_contract(
        StoredContract(
            id=0,
            job_id=job_id,
            application_id=application.id,
            client_user_id=client.user_id,
            professional_user_id=professional.user_id,
            organisation_id=organisation_id,
            internal=organisation_id is not None,
            kind=kind,
            currency=amount.currency,
            hourly_rate=amount if hourly else None,
            weekly_limit_hours=10.0 if hourly else None,
            hours_per_week=5.0,
            fee_bp=0 if organisation_id is not None else FEE_BP,
            state=ContractState.ACTIVE,
            created_at=CONTRACTS_START,
        )
    )


def make_market(platform: Platform) -> Market:
    with platform.uow() as uow:
        client = _user(uow, "clara@client.test", [Role.CLIENT])
        professional = _user(uow, "pete@pro.test", [Role.PROFESSIONAL])
        stranger = _user(uow, "sam@else.test", [Role.PROFESSIONAL, Role.CLIENT])
        admin = _user(uow, "root@platform.test", [Role.PLATFORM_ADMIN])
        fixed = _contract(uow, client, professional, ContractKind.FIXED, M1 + M2)
        first = uow.marketplace.add_milestone(fixed.id, 1, Milestone("Draft", M1, date(2026, 12, 1)), at=NOW)
        second = uow.marketplace.add_milestone(
            fixed.id, 2, Milestone("Final", M2, date(2026, 12, 15)), at=NOW
        )
        hourly = _contract(uow, client, professional, ContractKind.HOURLY, RATE)
        uow.commit()
    return Market(client, professional, stranger, admin, fixed.id, (first, second), hourly.id)


@dataclass(frozen=True)
class Internal:
    organisation_id: int
    org_admin: Actor
    other_org_admin: Actor
    contract_id: int


def make_internal(platform: Platform, market: Market) -> Internal:
    """An internal fixed contract of organisation "acme" between the market's client and professional."""
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW)
        other = uow.accounts.add_organisation(slug="other", name="Other", created_at=NOW)
        org_admin = _user(uow, "boss@acme.test", [])
        other_admin = _user(uow, "boss@other.test", [])
        uow.accounts.set_membership(org.id, org_admin.user_id or 0, OrgRole.ADMIN, created_at=NOW)
        uow.accounts.set_membership(other.id, other_admin.user_id or 0, OrgRole.ADMIN, created_at=NOW)
        contract = _contract(uow, market.client, market.professional, ContractKind.FIXED, M1, org.id)
        uow.commit()
    return Internal(
        org.id,
        Actor(user_id=org_admin.user_id, memberships={org.id: OrgRole.ADMIN}),
        Actor(user_id=other_admin.user_id, memberships={other.id: OrgRole.ADMIN}),
        contract.id,
    )
