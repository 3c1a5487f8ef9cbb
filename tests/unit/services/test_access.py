"""The authorisation matrix, written out: actor x action x ownership -> allowed or not.

Each row reads five resources in this order: nothing in particular, the actor's own thing, someone
else's thing, something of organisation 1, something of organisation 2. ``Y`` allowed, ``.`` refused.
The expectations are typed by hand, not derived from ``POLICY``: a change to the policy must change
this table too.
"""

from __future__ import annotations

import pytest

from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.errors import NotAuthenticated, NotFound, PermissionDenied
from microcareer.services.access import (
    Action,
    Resource,
    authorize,
    authorize_or_hide,
    is_allowed,
    visible_organisations,
)

OTHER_USER = 99
ACTORS: dict[str, Actor] = {
    "anonymous": Actor.anonymous(),
    "professional": Actor(user_id=1, roles=frozenset({Role.PROFESSIONAL})),
    "client": Actor(user_id=2, roles=frozenset({Role.CLIENT})),
    "issuer": Actor(user_id=3, roles=frozenset({Role.ISSUER})),
    "platform_admin": Actor(user_id=4, roles=frozenset({Role.PLATFORM_ADMIN})),
    "org1_admin": Actor(user_id=5, roles=frozenset({Role.CLIENT}), memberships={1: OrgRole.ADMIN}),
    "org1_member": Actor(user_id=6, roles=frozenset({Role.PROFESSIONAL}), memberships={1: OrgRole.MEMBER}),
    "org2_member": Actor(user_id=7, roles=frozenset({Role.PROFESSIONAL}), memberships={2: OrgRole.MEMBER}),
    "system": Actor.system(),
}
COLUMNS = ("none", "own", "other", "org1", "org2")

ALL = "YYYYY"
NONE = "....."
ADMINS_ONLY = dict.fromkeys(ACTORS, NONE) | {"platform_admin": ALL, "system": ALL}
SELF_OR_ADMIN = dict.fromkeys(ACTORS, ".Y...") | {"anonymous": NONE, "platform_admin": ALL, "system": ALL}
SELF_ONLY = dict.fromkeys(ACTORS, ".Y...") | {"anonymous": NONE, "system": NONE}
ORG_MEMBERS = ADMINS_ONLY | {"org1_admin": "...Y.", "org1_member": "...Y.", "org2_member": "....Y"}
ORG_ADMINS = ADMINS_ONLY | {"org1_admin": "...Y."}

EXPECTED: dict[Action, dict[str, str]] = {
    Action.TAXONOMY_READ: dict.fromkeys(ACTORS, ALL),
    Action.TAXONOMY_IMPORT: ADMINS_ONLY,
    Action.ORG_SKILL_READ: ORG_MEMBERS,
    Action.ORG_SKILL_CREATE: ORG_ADMINS,
    Action.USER_CREATE: ADMINS_ONLY,
    Action.USER_SIGN_UP: dict.fromkeys(ACTORS, NONE) | {"anonymous": ALL},
    Action.USER_READ: SELF_OR_ADMIN,
    Action.USER_LIST: ADMINS_ONLY,
    Action.USER_SET_ROLES: ADMINS_ONLY,
    Action.USER_UNLOCK: ADMINS_ONLY,
    Action.TOKEN_MANAGE: SELF_OR_ADMIN,
    Action.ORG_CREATE: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.ORG_READ: ORG_MEMBERS,
    Action.ORG_MANAGE_MEMBERS: ORG_ADMINS,
    Action.EXTRACT: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.PROFILE_EDIT: SELF_OR_ADMIN,
    Action.ISSUER_CREATE: ADMINS_ONLY | {"issuer": "YYY..", "org1_admin": "...Y."},
    Action.ISSUER_MANAGE: SELF_OR_ADMIN | {"org1_admin": ".Y.Y."},
    Action.ISSUER_APPROVE: ADMINS_ONLY,
    Action.WALLET_MANAGE: SELF_OR_ADMIN,
    Action.JOB_POST: ADMINS_ONLY | {"client": "YYY..", "org1_admin": "YYYY."},
    Action.JOB_MANAGE: SELF_OR_ADMIN | {"org1_admin": ".Y.Y."},
    Action.JOB_APPLY: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.APPLICATION_APPROVE: ORG_ADMINS,
    Action.DISPUTE_RESOLVE: ADMINS_ONLY,
    Action.CONTRACT_OVERSEE: ORG_ADMINS,
    Action.LEDGER_AUDIT: ADMINS_ONLY,
    Action.WORK_DASHBOARD: SELF_OR_ADMIN,
    Action.TALENT_SEARCH: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.PLAN_MANAGE: SELF_OR_ADMIN,
    Action.CATALOGUE_IMPORT: ADMINS_ONLY,
    Action.RECOMMENDATIONS: SELF_OR_ADMIN,
    Action.ORG_SKILLS_INVENTORY: ORG_ADMINS,
    Action.CREDENTIALS_VERIFY_BATCH: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.NETWORK_MANAGE: SELF_OR_ADMIN,
    Action.CONNECTIONS_READ: SELF_OR_ADMIN,
    Action.REFERRAL_MAKE: SELF_OR_ADMIN,
    Action.MENTOR_OFFER: SELF_OR_ADMIN,
    Action.MENTORSHIP_TAKE_PART: SELF_OR_ADMIN,
    Action.PORTFOLIO_EDIT: SELF_OR_ADMIN,
    Action.PORTFOLIO_IMAGE: SELF_ONLY,
    Action.MARKET_INGEST: ADMINS_ONLY,
    Action.MARKET_READ: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.OFFER_SELL: ADMINS_ONLY | {"professional": ALL, "org1_member": ALL, "org2_member": ALL},
    Action.OFFER_MANAGE: SELF_OR_ADMIN,
    Action.OFFER_ORDER: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.IDEA_READ: ORG_MEMBERS,
    Action.IDEA_TAKE_PART: dict.fromkeys(ACTORS, NONE)
    | {"org1_admin": "...Y.", "org1_member": "...Y.", "org2_member": "....Y"},
    Action.IDEA_SPONSOR: ORG_ADMINS,
    Action.IDEA_OUTCOME: SELF_OR_ADMIN,
    Action.ASSESSMENT_AUTHOR: SELF_OR_ADMIN | {"org1_admin": ".Y.Y."},
    Action.ASSESSMENT_TAKE: dict.fromkeys(ACTORS, ALL) | {"anonymous": NONE},
    Action.ASSESSMENT_REVIEW: SELF_OR_ADMIN,
}


def resource(column: str, actor: Actor) -> Resource:
    return {
        "none": Resource.none(),
        "own": Resource(owner_user_id=actor.user_id),
        "other": Resource(owner_user_id=OTHER_USER),
        "org1": Resource(organisation_id=1),
        "org2": Resource(organisation_id=2),
    }[column]


def test_every_action_has_a_row_for_every_actor() -> None:
    assert set(EXPECTED) == set(Action), "a new Action needs its row in this table"
    for action, rows in EXPECTED.items():
        assert set(rows) == set(ACTORS), action


CASES = [
    pytest.param(action, name, column, rows[name][i] == "Y", id=f"{action.value}-{name}-{column}")
    for action, rows in EXPECTED.items()
    for name in ACTORS
    for i, column in enumerate(COLUMNS)
]


@pytest.mark.parametrize(("action", "actor_name", "column", "allowed"), CASES)
def test_matrix(action: Action, actor_name: str, column: str, allowed: bool) -> None:
    actor = ACTORS[actor_name]
    target = resource(column, actor)
    assert is_allowed(actor, action, target) is allowed
    if allowed:
        authorize(actor, action, target)
    else:
        expected = PermissionDenied if actor.is_authenticated else NotAuthenticated
        with pytest.raises(expected, match=action.value):
            authorize(actor, action, target)


def test_anonymous_is_asked_to_sign_in_not_forbidden() -> None:
    with pytest.raises(NotAuthenticated):
        authorize(Actor.anonymous(), Action.ORG_CREATE)


def test_outsiders_are_told_nothing_exists_and_insiders_are_forbidden() -> None:
    org1 = Resource(organisation_id=1)
    with pytest.raises(NotFound, match="organisation 'acme'"):
        authorize_or_hide(ACTORS["org2_member"], Action.ORG_MANAGE_MEMBERS, org1, "organisation 'acme'")
    with pytest.raises(PermissionDenied):
        authorize_or_hide(ACTORS["org1_member"], Action.ORG_MANAGE_MEMBERS, org1, "organisation 'acme'")
    with pytest.raises(NotAuthenticated):
        authorize_or_hide(ACTORS["anonymous"], Action.ORG_READ, org1, "organisation 'acme'")
    authorize_or_hide(ACTORS["org1_admin"], Action.ORG_MANAGE_MEMBERS, org1, "organisation 'acme'")


@pytest.mark.parametrize(
    ("actor_name", "visible"),
    [
        ("anonymous", frozenset()),
        ("professional", frozenset()),
        ("org1_admin", frozenset({1})),
        ("org1_member", frozenset({1})),
        ("org2_member", frozenset({2})),
        ("platform_admin", None),
        ("system", None),
    ],
)
def test_visible_organisations(actor_name: str, visible: frozenset[int] | None) -> None:
    assert visible_organisations(ACTORS[actor_name]) == visible


# Resources shared with some people (``readers``) or open to everyone signed in: two more columns, for the
# actions whose rule reads them. "shared": someone else's thing shared with the actor; "open": someone
# else's thing open to anyone signed in; "closed": someone else's thing shared with another person.
SHARED_COLUMNS = ("shared", "open", "closed")
SHARED_EXPECTED: dict[Action, dict[str, str]] = {
    action: dict.fromkeys(ACTORS, "YY.") | {"anonymous": "...", "platform_admin": "YYY", "system": "YYY"}
    for action in (Action.CONNECTIONS_READ, Action.MENTORSHIP_TAKE_PART)
} | {
    action: dict.fromkeys(ACTORS, "...") | {"platform_admin": "YYY", "system": "YYY"}
    for action in (Action.NETWORK_MANAGE, Action.PORTFOLIO_EDIT, Action.MENTOR_OFFER, Action.REFERRAL_MAKE)
}


def shared_resource(column: str, actor: Actor) -> Resource:
    me = frozenset({actor.user_id}) if actor.user_id is not None else frozenset()
    return {
        "shared": Resource(owner_user_id=OTHER_USER, readers=me),
        "open": Resource(owner_user_id=OTHER_USER, open_to_signed_in=True),
        "closed": Resource(owner_user_id=OTHER_USER, readers=frozenset({OTHER_USER + 1})),
    }[column]


@pytest.mark.parametrize(
    ("action", "actor_name", "column", "allowed"),
    [
        pytest.param(action, name, column, rows[name][i] == "Y", id=f"{action.value}-{name}-{column}")
        for action, rows in SHARED_EXPECTED.items()
        for name in ACTORS
        for i, column in enumerate(SHARED_COLUMNS)
    ],
)
def test_shared_matrix(action: Action, actor_name: str, column: str, allowed: bool) -> None:
    actor = ACTORS[actor_name]
    assert is_allowed(actor, action, shared_resource(column, actor)) is allowed
