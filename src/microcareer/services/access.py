"""The one authorisation gate: ``authorize(actor, action, resource)``.

Every service asks here before it reads or writes; nothing else decides who may do what. The policy
is a table from action to rule, so the whole of it can be read (and is tested) as a matrix of
role x action x ownership in ``tests/unit/services/test_access.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.errors import NotAuthenticated, NotFound, PermissionDenied


class Action(StrEnum):
    TAXONOMY_READ = "taxonomy.read"
    TAXONOMY_IMPORT = "taxonomy.import"
    ORG_SKILL_READ = "org_skill.read"
    ORG_SKILL_CREATE = "org_skill.create"
    USER_CREATE = "user.create"
    USER_SIGN_UP = "user.sign_up"
    USER_READ = "user.read"
    USER_LIST = "user.list"
    USER_SET_ROLES = "user.set_roles"
    USER_UNLOCK = "user.unlock"
    TOKEN_MANAGE = "token.manage"  # noqa: S105 - an action name, not a secret
    ORG_CREATE = "org.create"
    ORG_READ = "org.read"
    ORG_MANAGE_MEMBERS = "org.manage_members"
    EXTRACT = "skills.extract"
    PROFILE_EDIT = "profile.edit"
    ORG_SKILLS_INVENTORY = "org.skills_inventory"
    ISSUER_CREATE = "issuer.create"
    ISSUER_MANAGE = "issuer.manage"  # keys, achievements, issuing, revoking, proving its domain
    ISSUER_APPROVE = "issuer.approve"  # vouch for an issuer (its credentials count fully), or withdraw that
    WALLET_MANAGE = "wallet.manage"
    JOB_POST = "job.post"
    JOB_MANAGE = "job.manage"  # edit, publish, cancel, read applications, shortlist, decline, accept
    JOB_APPLY = "job.apply"
    APPLICATION_APPROVE = "application.approve"  # a manager's yes to an employee's internal gig
    DISPUTE_RESOLVE = "dispute.resolve"
    CONTRACT_OVERSEE = "contract.oversee"  # see a contract one is not party to (its organisation's admins)
    LEDGER_AUDIT = "ledger.audit"
    WORK_DASHBOARD = "work.dashboard"
    TALENT_SEARCH = "talent.search"
    CREDENTIALS_VERIFY_BATCH = "credentials.verify_batch"  # one credential is public; a batch is not
    PLAN_MANAGE = "plan.manage"  # make, read, progress and delete one's learning pathways
    CATALOGUE_IMPORT = "catalogue.import"  # import outside courses into the pathway catalogue
    RECOMMENDATIONS = "recommendations.read"  # a person's recommended micro-jobs, saving and dismissing
    NETWORK_MANAGE = "network.manage"  # one's requests, answers, blocks, privacy, proposals, introductions
    CONNECTIONS_READ = "network.connections_read"  # a person's list of connections, as their privacy says
    REFERRAL_MAKE = "network.refer"  # recommend one of one's connections for a micro-job
    MENTOR_OFFER = "mentor.offer"  # offer mentoring, find mentors, ask for one
    MENTORSHIP_TAKE_PART = "mentor.take_part"  # see a mentorship, answer, record sessions, confirm it
    PORTFOLIO_EDIT = "portfolio.edit"
    PORTFOLIO_IMAGE = "portfolio.image"  # upload, replace or remove an item's image: its owner alone
    MARKET_INGEST = "market.ingest"  # load job postings from outside corpora
    MARKET_READ = "market.read"  # demand and trends from those postings
    OFFER_SELL = "offer.sell"  # publish service offers on one's storefront (professionals)
    OFFER_MANAGE = "offer.manage"  # edit, pause and resume one's own offers
    OFFER_ORDER = "offer.order"  # order a package of someone else's offer
    IDEA_READ = "idea.read"  # an organisation's idea board: its members only
    IDEA_TAKE_PART = "idea.take_part"  # pitch, support, ask to join: the organisation's own members
    IDEA_SPONSOR = "idea.sponsor"  # give an idea a budget of hours, make internal micro-jobs of it
    IDEA_OUTCOME = "idea.outcome"  # record what became of an idea: its author and its sponsor
    ASSESSMENT_AUTHOR = (
        "assessment.author"  # create, edit, publish, see the bank with its answers, all attempts
    )
    ASSESSMENT_TAKE = "assessment.take"  # see published assessments, start and submit one's own attempts
    ASSESSMENT_REVIEW = "assessment.review"  # score work samples: the reviewer the author named


@dataclass(frozen=True, slots=True)
class Resource:
    """What an action touches: its owner and/or organisation, when it has them."""

    owner_user_id: int | None = None
    organisation_id: int | None = None
    readers: frozenset[int] = frozenset()
    """Other people the resource is shared with (a mentorship's mentor and mentee, one's connections)."""
    open_to_signed_in: bool = False
    """Anyone signed in may read it (a person who shows their connections to everyone)."""

    @classmethod
    def none(cls) -> Resource:
        return cls()


Rule = Callable[[Actor, Resource], bool]


def _anyone(actor: Actor, resource: Resource) -> bool:
    return True


def _platform_admin(actor: Actor, resource: Resource) -> bool:
    return actor.has_role(Role.PLATFORM_ADMIN)


def _authenticated(actor: Actor, resource: Resource) -> bool:
    return actor.is_authenticated


def _signed_out(actor: Actor, resource: Resource) -> bool:
    return not actor.is_authenticated


def _self_or_admin(actor: Actor, resource: Resource) -> bool:
    is_self = actor.user_id is not None and actor.user_id == resource.owner_user_id
    return is_self or _platform_admin(actor, resource)


def _self_only(actor: Actor, resource: Resource) -> bool:
    """The owner alone: not even a platform admin puts pictures on someone's page."""
    return actor.user_id is not None and actor.user_id == resource.owner_user_id


def _org_member_or_admin(actor: Actor, resource: Resource) -> bool:
    if resource.organisation_id is None:
        return _platform_admin(actor, resource)
    return actor.org_role(resource.organisation_id) is not None or _platform_admin(actor, resource)


def _org_member(actor: Actor, resource: Resource) -> bool:
    """Members of the organisation themselves (not platform admins: they take no part in it)."""
    return resource.organisation_id is not None and actor.org_role(resource.organisation_id) is not None


def _org_admin_or_platform_admin(actor: Actor, resource: Resource) -> bool:
    if resource.organisation_id is None:
        return _platform_admin(actor, resource)
    is_org_admin = actor.org_role(resource.organisation_id) is OrgRole.ADMIN
    return is_org_admin or _platform_admin(actor, resource)


def _issuer_creator(actor: Actor, resource: Resource) -> bool:
    """Anyone with the issuer role, for themselves; an organisation's admins, for it."""
    if resource.organisation_id is not None:
        return _org_admin_or_platform_admin(actor, resource)
    return actor.has_role(Role.ISSUER) or _platform_admin(actor, resource)


def _owner_or_org_admin(actor: Actor, resource: Resource) -> bool:
    """The owner; the admins of the organisation it belongs to; platform admins."""
    if _self_or_admin(actor, resource):
        return True
    return resource.organisation_id is not None and actor.org_role(resource.organisation_id) is OrgRole.ADMIN


def _owner_or_readers(actor: Actor, resource: Resource) -> bool:
    """The owner, the people it is shared with, anyone signed in when it is open; platform admins."""
    if _self_or_admin(actor, resource):
        return True
    if actor.user_id is not None and actor.user_id in resource.readers:
        return True
    return resource.open_to_signed_in and actor.is_authenticated


def _seller(actor: Actor, resource: Resource) -> bool:
    """Professionals, for themselves."""
    return actor.has_role(Role.PROFESSIONAL) or _platform_admin(actor, resource)


def _job_poster(actor: Actor, resource: Resource) -> bool:
    """Clients on the open market; an organisation's admins (its managers) for the organisation."""
    if resource.organisation_id is not None:
        return _org_admin_or_platform_admin(actor, resource)
    return actor.has_role(Role.CLIENT) or _platform_admin(actor, resource)


POLICY: dict[Action, Rule] = {
    Action.TAXONOMY_READ: _anyone,
    Action.TAXONOMY_IMPORT: _platform_admin,
    Action.ORG_SKILL_READ: _org_member_or_admin,
    Action.ORG_SKILL_CREATE: _org_admin_or_platform_admin,
    Action.USER_CREATE: _platform_admin,
    Action.USER_SIGN_UP: _signed_out,
    Action.USER_READ: _self_or_admin,
    Action.USER_LIST: _platform_admin,
    Action.USER_SET_ROLES: _platform_admin,
    Action.USER_UNLOCK: _platform_admin,
    Action.TOKEN_MANAGE: _self_or_admin,
    Action.ORG_CREATE: _authenticated,
    Action.ORG_READ: _org_member_or_admin,
    Action.ORG_MANAGE_MEMBERS: _org_admin_or_platform_admin,
    Action.EXTRACT: _authenticated,
    Action.PROFILE_EDIT: _self_or_admin,
    Action.ORG_SKILLS_INVENTORY: _org_admin_or_platform_admin,
    Action.ISSUER_CREATE: _issuer_creator,
    Action.ISSUER_MANAGE: _owner_or_org_admin,
    Action.ISSUER_APPROVE: _platform_admin,
    Action.WALLET_MANAGE: _self_or_admin,
    Action.JOB_POST: _job_poster,
    Action.JOB_MANAGE: _owner_or_org_admin,
    Action.JOB_APPLY: _authenticated,
    Action.APPLICATION_APPROVE: _org_admin_or_platform_admin,
    Action.DISPUTE_RESOLVE: _platform_admin,
    Action.CONTRACT_OVERSEE: _org_admin_or_platform_admin,
    Action.LEDGER_AUDIT: _platform_admin,
    Action.WORK_DASHBOARD: _self_or_admin,
    Action.TALENT_SEARCH: _authenticated,
    Action.CREDENTIALS_VERIFY_BATCH: _authenticated,
    Action.PLAN_MANAGE: _self_or_admin,
    Action.CATALOGUE_IMPORT: _platform_admin,
    Action.RECOMMENDATIONS: _self_or_admin,
    Action.NETWORK_MANAGE: _self_or_admin,
    Action.CONNECTIONS_READ: _owner_or_readers,
    Action.REFERRAL_MAKE: _self_or_admin,
    Action.MENTOR_OFFER: _self_or_admin,
    Action.MENTORSHIP_TAKE_PART: _owner_or_readers,
    Action.PORTFOLIO_EDIT: _self_or_admin,
    Action.PORTFOLIO_IMAGE: _self_only,
    Action.MARKET_INGEST: _platform_admin,
    Action.MARKET_READ: _authenticated,
    Action.OFFER_SELL: _seller,
    Action.OFFER_MANAGE: _self_or_admin,
    Action.OFFER_ORDER: _authenticated,
    Action.IDEA_READ: _org_member_or_admin,
    Action.IDEA_TAKE_PART: _org_member,
    Action.IDEA_SPONSOR: _org_admin_or_platform_admin,
    Action.IDEA_OUTCOME: _owner_or_readers,
    Action.ASSESSMENT_AUTHOR: _owner_or_org_admin,
    Action.ASSESSMENT_TAKE: _authenticated,
    Action.ASSESSMENT_REVIEW: _self_or_admin,
}


def is_allowed(actor: Actor, action: Action, resource: Resource | None = None) -> bool:
    return POLICY[action](actor, resource or Resource.none())


def authorize(actor: Actor, action: Action, resource: Resource | None = None) -> None:
    """Return if ``actor`` may do ``action`` on ``resource``; else raise 401 (anonymous) or 403."""
    if is_allowed(actor, action, resource):
        return
    if not actor.is_authenticated:
        raise NotAuthenticated(f"sign in to do this ({action.value})")
    raise PermissionDenied(f"you may not do this ({action.value})")


def visible_organisations(actor: Actor) -> frozenset[int] | None:
    """The organisations whose private data the actor may see; None means all (platform admin)."""
    if actor.has_role(Role.PLATFORM_ADMIN):
        return None
    return actor.organisation_ids


def authorize_or_hide(actor: Actor, action: Action, resource: Resource, what: str) -> None:
    """Like ``authorize``, but an outsider (signed in, with no part in the resource) gets 404, not 403.

    For things whose very existence is private, such as an organisation's people: someone inside who
    lacks the right still gets 403; someone outside cannot tell the thing exists.
    """
    if is_allowed(actor, action, resource):
        return
    if not actor.is_authenticated:
        raise NotAuthenticated(f"sign in to do this ({action.value})")
    inside = resource.organisation_id is not None and actor.org_role(resource.organisation_id) is not None
    if inside or actor.user_id == resource.owner_user_id:
        raise PermissionDenied(f"you may not do this ({action.value})")
    raise NotFound(f"no {what}")
