"""An organisation for the idea tests: a manager (its admin), an idea's author and a colleague, and a
member of another organisation; and a pitch that needs Python."""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.ideas import Pitch
from microcareer.domain.marketplace.money import Money
from tests.integration.store.marketplace_helpers import NOW
from tests.integration.taxonomy_helpers import PYTHON

RATE = Money(3_000, "EUR")
PITCH = Pitch(
    title="Self-service expense reports",
    problem="Expense reports take the accounts team two days every month.",
    proposal="A small Python tool that reads the card exports and fills the report.",
    skills=(PYTHON,),
    hours=40,
)


@dataclass(frozen=True)
class Org:
    manager: Actor
    author: Actor
    member: Actor
    other_org_member: Actor


def make_org(platform: Platform) -> Org:
    with platform.uow() as uow:
        acme = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW)
        other = uow.accounts.add_organisation(slug="other", name="Other", created_at=NOW)
        actors = []
        for name, org, role in (
            ("mona", acme, OrgRole.ADMIN),
            ("alice", acme, OrgRole.MEMBER),
            ("bob", acme, OrgRole.MEMBER),
            ("olga", other, OrgRole.MEMBER),
        ):
            user = uow.accounts.add_user(
                email=f"{name}@{org.slug}.test",
                display_name=name.title(),
                password_hash="x",
                roles=[Role.PROFESSIONAL],
                created_at=NOW,
            )
            uow.accounts.set_membership(org.id, user.id, role, created_at=NOW)
            actors.append(
                Actor(user_id=user.id, roles=frozenset({Role.PROFESSIONAL}), memberships={org.id: role})
            )
        uow.commit()
    return Org(*actors)
