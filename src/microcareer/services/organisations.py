"""Organisations and their people: create one (its creator becomes its admin), read it, manage members.

An organisation's people stay inside it: members see each other, admins manage them, and anyone
outside is told the organisation does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.domain.account_rules import clean_name, clean_slug
from microcareer.domain.accounts import Actor, Organisation, OrgRole, User
from microcareer.domain.confusables import imitates
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from microcareer.services.access import Action, Resource, authorize, authorize_or_hide, is_allowed
from microcareer.services.ports import AccountRepository, Clock, UnitOfWork


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    role: OrgRole


def _organisation(accounts: AccountRepository, actor: Actor, slug: str) -> Organisation:
    organisation = accounts.get_organisation_by_slug(slug.strip().lower())
    if organisation is None:
        if not actor.is_authenticated:  # so that signed-out callers cannot probe which slugs exist
            raise NotAuthenticated("sign in to see organisations")
        raise NotFound(f"no organisation {slug!r}")
    return organisation


def _hidden(actor: Actor, action: Action, organisation: Organisation) -> None:
    resource = Resource(organisation_id=organisation.id)
    authorize_or_hide(actor, action, resource, f"organisation {organisation.slug!r}")


def organisation_for(accounts: AccountRepository, actor: Actor, slug: str, action: Action) -> Organisation:
    """The organisation if the actor may do ``action`` in it (inside an open unit of work): signed out
    401, outsiders 404 as if it did not exist, members without the right 403."""
    organisation = _organisation(accounts, actor, slug)
    _hidden(actor, action, organisation)
    return organisation


def create_organisation(
    uow: UnitOfWork,
    *,
    actor: Actor,
    slug: str,
    name: str,
    clock: Clock,
    admin_user_id: int | None = None,
) -> Organisation:
    """A new organisation whose first admin is the creator (or ``admin_user_id``, for platform admins)."""
    authorize(actor, Action.ORG_CREATE)
    admin = admin_user_id if admin_user_id is not None else actor.user_id
    if admin != actor.user_id:
        # naming someone else as the admin is managing members with no organisation yet
        authorize(actor, Action.ORG_MANAGE_MEMBERS, Resource(owner_user_id=admin))
    cleaned_slug = clean_slug(slug)
    cleaned_name = clean_name(name, field="name")
    now = clock()
    with uow:
        if uow.accounts.get_organisation_by_slug(cleaned_slug) is not None:
            raise Conflict(f"an organisation with slug {cleaned_slug} exists already", field="slug")
        if admin is not None and uow.accounts.get_user(admin) is None:
            raise NotFound(f"no user with id {admin}")
        for other in uow.accounts.organisations_looking_like(cleaned_name):
            if imitates(cleaned_name, other.name):
                raise InvalidInput(
                    f"name: {cleaned_name!r} looks like the name of the organisation {other.slug!r} but is "
                    "spelled with other characters (look-alike letters from another script)",
                    field="name",
                )
        organisation = uow.accounts.add_organisation(slug=cleaned_slug, name=cleaned_name, created_at=now)
        if admin is not None:
            uow.accounts.set_membership(organisation.id, admin, OrgRole.ADMIN, created_at=now)
        uow.commit()
    return organisation


def get_organisation(uow: UnitOfWork, *, actor: Actor, slug: str) -> Organisation:
    """An organisation, for its members and platform admins; outsiders get not found."""
    with uow:
        organisation = _organisation(uow.accounts, actor, slug)
    _hidden(actor, Action.ORG_READ, organisation)
    return organisation


@dataclass(frozen=True, slots=True)
class ManagedMember:
    """A member and who approves their internal gigs (None: the organisation's admins do)."""

    user: User
    role: OrgRole
    manager_user_id: int | None


def members_with_managers(
    uow: UnitOfWork, *, actor: Actor, slug: str
) -> tuple[Organisation, list[ManagedMember]]:
    """The organisation's people with their managers, for its admins (members 403, outsiders 404)."""
    with uow:
        organisation = _organisation(uow.accounts, actor, slug)
        _hidden(actor, Action.ORG_MANAGE_MEMBERS, organisation)
        people = uow.accounts.members_of(organisation.id)
        members = [
            ManagedMember(user, role, uow.marketplace.work_settings(user.id).manager_user_id)
            for user, role in people
        ]
    return organisation, sorted(members, key=lambda m: m.user.display_name.casefold())


def _organisations(uow: UnitOfWork, ids: list[int]) -> list[Organisation]:
    if not ids:
        return []
    with uow:
        found = [uow.accounts.get_organisation(org_id) for org_id in ids]
    return sorted((o for o in found if o is not None), key=lambda o: o.name.casefold())


def administered_by(uow: UnitOfWork, *, actor: Actor) -> list[Organisation]:
    """The organisations the actor is an admin of (whose skills pages they see), by name."""
    ids = [org_id for org_id, role in actor.memberships.items() if role is OrgRole.ADMIN]
    return [
        o
        for o in _organisations(uow, ids)
        if is_allowed(actor, Action.ORG_SKILLS_INVENTORY, Resource(organisation_id=o.id))
    ]


def joined_by(uow: UnitOfWork, *, actor: Actor) -> list[Organisation]:
    """The organisations the actor is a plain member of (whose idea boards they see), by name."""
    return _organisations(
        uow, [org_id for org_id, role in actor.memberships.items() if role is OrgRole.MEMBER]
    )


def list_members(uow: UnitOfWork, *, actor: Actor, slug: str) -> list[Member]:
    """The organisation's people, for its members and platform admins."""
    with uow:
        organisation = _organisation(uow.accounts, actor, slug)
        _hidden(actor, Action.ORG_READ, organisation)
        return [Member(user, role) for user, role in uow.accounts.members_of(organisation.id)]


def _admins(accounts: AccountRepository, organisation_id: int) -> set[int]:
    return {u.id for u, role in accounts.members_of(organisation_id) if role is OrgRole.ADMIN}


def add_member(
    uow: UnitOfWork,
    *,
    actor: Actor,
    slug: str,
    user_id: int,
    role: OrgRole | str,
    clock: Clock,
) -> Member:
    """Add a user to the organisation, or change their role (its admins and platform admins)."""
    try:
        wanted = OrgRole(role)
    except ValueError:
        raise InvalidInput(f"role: {role!r} must be 'admin' or 'member'", field="role") from None
    with uow:
        organisation = _organisation(uow.accounts, actor, slug)
        _hidden(actor, Action.ORG_MANAGE_MEMBERS, organisation)
        user = uow.accounts.get_user(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        if wanted is OrgRole.MEMBER and _admins(uow.accounts, organisation.id) == {user_id}:
            raise Conflict(f"{user.email} is the last admin of {organisation.slug}: name another first")
        uow.accounts.set_membership(organisation.id, user_id, wanted, created_at=clock())
        uow.commit()
    return Member(user, wanted)


def remove_member(uow: UnitOfWork, *, actor: Actor, slug: str, user_id: int) -> None:
    """Take a user out of the organisation; the last admin stays."""
    with uow:
        organisation = _organisation(uow.accounts, actor, slug)
        _hidden(actor, Action.ORG_MANAGE_MEMBERS, organisation)
        if _admins(uow.accounts, organisation.id) == {user_id}:
            raise Conflict(f"user {user_id} is the last admin of {organisation.slug}: name another first")
        if not uow.accounts.remove_membership(organisation.id, user_id):
            raise NotFound(f"user {user_id} is not a member of {organisation.slug}")
        uow.commit()
