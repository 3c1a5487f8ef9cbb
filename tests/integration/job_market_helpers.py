"""People and jobs for the micro-job and application service tests (mini ESCO loaded)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.marketplace.applications import Proposal
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, MicroJob
from microcareer.domain.marketplace.money import Money
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass(frozen=True)
class People:
    acme: int
    globex: int
    client: Actor  # posts on the open market
    pro: Actor  # a professional of no organisation
    admin: Actor  # admin of acme
    employee: Actor  # member of acme
    colleague: Actor  # another member of acme
    manager: Actor  # member of acme, the employee's designated manager
    stranger: Actor  # member of globex


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def make_people(platform: Platform) -> People:
    now = platform.clock()
    with platform.uow() as uow:
        acme = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=now).id
        globex = uow.accounts.add_organisation(slug="globex", name="Globex", created_at=now).id

        def user(name: str, roles: list[Role], orgs: dict[int, OrgRole]) -> Actor:
            made = uow.accounts.add_user(
                email=f"{name}@x.test", display_name=name, password_hash="x", roles=roles, created_at=now
            )
            for org, role in orgs.items():
                uow.accounts.set_membership(org, made.id, role, created_at=now)
            return Actor(user_id=made.id, roles=frozenset(roles), memberships=orgs)

        people = People(
            acme=acme,
            globex=globex,
            client=user("Clara", [Role.CLIENT], {}),
            pro=user("Pia", [Role.PROFESSIONAL], {}),
            admin=user("Ada", [], {acme: OrgRole.ADMIN}),
            employee=user("Emil", [Role.PROFESSIONAL], {acme: OrgRole.MEMBER}),
            colleague=user("Cora", [Role.PROFESSIONAL], {acme: OrgRole.MEMBER}),
            manager=user("Max", [], {acme: OrgRole.MEMBER}),
            stranger=user("Stan", [Role.PROFESSIONAL], {globex: OrgRole.MEMBER}),
        )
        uow.commit()
    return people


def a_job(**changes: object) -> MicroJob:
    job = MicroJob(
        title="Port a script to Python",
        brief="Rewrite a small Haskell tool in Python, with tests and a short README.",
        required_skills=(PYTHON,),
        nice_skills=(HASKELL, PROGRAMMING),
        budget=Budget(BudgetKind.FIXED, Money(50_000, "EUR")),
        expected_hours=20,
        start=date(2026, 12, 1),
        end=date(2026, 12, 20),
        remote=True,
        place="",
        audience=Audience.OPEN,
        organisation_id=None,
    )
    return replace(job, **changes)  # type: ignore[arg-type]


def a_proposal(amount: int = 48_000, hours_per_week: float = 5.0, currency: str = "EUR") -> Proposal:
    return Proposal(Money(amount, currency), 20, "I have done this before.", hours_per_week)
