"""Connections on both stores: request, accept, decline, remove; proposals from shared work with how the
two know each other; blocks; who sees a person's connections."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.network.connections import ConnectionState, ConnectionsVisibility
from microcareer.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import connections
from tests.integration.store.marketplace_helpers import NOW, Market, make_market


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


def _connect(platform: Platform, a: Actor, b: Actor) -> None:
    made = connections.request(
        platform.uow(), actor=a, user_id=uid(a), other_id=uid(b), message="hello", now=NOW
    )
    connections.accept(platform.uow(), actor=b, user_id=uid(b), connection_id=made.id, now=NOW)


@pytest.fixture
def market(platform: Platform) -> Market:
    return make_market(platform)


def test_proposals_come_from_a_shared_contract_and_say_how(platform: Platform, market: Market) -> None:
    proposed = connections.proposals(
        platform.uow(), actor=market.professional, user_id=uid(market.professional)
    )
    assert [p.user_id for p in proposed] == [uid(market.client)]
    assert any("worked together on the contract" in line for line in proposed[0].how)
    assert proposed[0].closeness == 1.0
    # the stranger shares nothing with the professional: not proposed
    assert connections.proposals(platform.uow(), actor=market.stranger, user_id=uid(market.stranger)) == []


def test_organisation_members_are_proposed(platform: Platform, market: Market) -> None:
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW).id
        uow.accounts.set_membership(org, uid(market.stranger), OrgRole.MEMBER, created_at=NOW)
        uow.accounts.set_membership(org, uid(market.professional), OrgRole.MEMBER, created_at=NOW)
        uow.commit()
    proposed = connections.proposals(platform.uow(), actor=market.stranger, user_id=uid(market.stranger))
    assert [(p.user_id, p.how) for p in proposed] == [(uid(market.professional), ("both members of Acme",))]


def test_request_accept_and_how_you_know_them(platform: Platform, market: Market) -> None:
    pro, client = market.professional, market.client
    made = connections.request(
        platform.uow(),
        actor=pro,
        user_id=uid(pro),
        other_id=uid(client),
        message="we met on the API",
        now=NOW,
    )
    assert made.state is ConnectionState.PENDING
    waiting = connections.connections(platform.uow(), actor=client, user_id=uid(client))
    assert [(v.other_id, v.incoming) for v in waiting] == [(uid(pro), True)]
    with pytest.raises(Conflict, match="already waiting"):
        connections.request(
            platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(client), message="", now=NOW
        )
    # only the one asked may accept
    with pytest.raises(NotFound):
        connections.accept(platform.uow(), actor=pro, user_id=uid(pro), connection_id=made.id, now=NOW)
    connections.accept(platform.uow(), actor=client, user_id=uid(client), connection_id=made.id, now=NOW)
    seen = connections.connections(platform.uow(), actor=pro, user_id=uid(pro))
    assert [(v.other_id, v.state) for v in seen] == [(uid(client), ConnectionState.ACCEPTED)]
    assert any("worked together on the contract" in line for line in seen[0].how)
    assert "you wrote: “we met on the API”" in seen[0].how
    # connected people are not proposed any more
    assert connections.proposals(platform.uow(), actor=pro, user_id=uid(pro)) == []
    connections.remove(platform.uow(), actor=client, user_id=uid(client), other_id=uid(pro))
    assert connections.connections(platform.uow(), actor=pro, user_id=uid(pro)) == []


def test_a_request_back_accepts_and_decline_removes(platform: Platform, market: Market) -> None:
    pro, client, stranger = market.professional, market.client, market.stranger
    connections.request(
        platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(client), message="", now=NOW
    )
    back = connections.request(
        platform.uow(), actor=client, user_id=uid(client), other_id=uid(pro), message="", now=NOW
    )
    assert back.state is ConnectionState.ACCEPTED
    asked = connections.request(
        platform.uow(), actor=stranger, user_id=uid(stranger), other_id=uid(pro), message="", now=NOW
    )
    connections.decline(platform.uow(), actor=pro, user_id=uid(pro), connection_id=asked.id)
    assert [v.other_id for v in connections.connections(platform.uow(), actor=pro, user_id=uid(pro))] == [
        uid(client)
    ]
    with pytest.raises(InvalidInput, match="themselves"):
        connections.request(
            platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(pro), message="", now=NOW
        )
    with pytest.raises(InvalidInput, match="message"):
        connections.request(
            platform.uow(),
            actor=stranger,
            user_id=uid(stranger),
            other_id=uid(client),
            message="x" * 501,
            now=NOW,
        )


def test_nobody_acts_for_someone_else(platform: Platform, market: Market) -> None:
    with pytest.raises(PermissionDenied):
        connections.request(
            platform.uow(),
            actor=market.stranger,
            user_id=uid(market.professional),
            other_id=uid(market.client),
            message="",
            now=NOW,
        )
    with pytest.raises(NotAuthenticated):
        connections.proposals(platform.uow(), actor=Actor.anonymous(), user_id=uid(market.professional))
    # a platform admin may act for a person
    connections.proposals(platform.uow(), actor=market.admin, user_id=uid(market.professional))


def test_a_block_stops_requests_sight_and_proposals(platform: Platform, market: Market) -> None:
    pro, client, stranger = market.professional, market.client, market.stranger
    _connect(platform, pro, stranger)
    connections.set_visibility(
        platform.uow(), actor=pro, user_id=uid(pro), value=ConnectionsVisibility.SIGNED_IN
    )
    assert connections.connections(platform.uow(), actor=client, user_id=uid(pro))
    connections.block(platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(client), now=NOW)
    # the blocked person cannot ask, and is told the same as for nobody at all
    with pytest.raises(NotFound, match="no user"):
        connections.request(
            platform.uow(), actor=client, user_id=uid(client), other_id=uid(pro), message="", now=NOW
        )
    with pytest.raises(NotFound):
        connections.connections(platform.uow(), actor=client, user_id=uid(pro))
    assert connections.proposals(platform.uow(), actor=client, user_id=uid(client)) == []
    assert connections.proposals(platform.uow(), actor=pro, user_id=uid(pro)) == []
    assert connections.blocked(platform.uow(), actor=pro, user_id=uid(pro)) == [(uid(client), "clara")]
    connections.unblock(platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(client))
    assert [p.user_id for p in connections.proposals(platform.uow(), actor=pro, user_id=uid(pro))] == [
        uid(client)
    ]


def test_blocking_ends_a_connection(platform: Platform, market: Market) -> None:
    _connect(platform, market.professional, market.client)
    connections.block(
        platform.uow(),
        actor=market.client,
        user_id=uid(market.client),
        other_id=uid(market.professional),
        now=NOW,
    )
    assert (
        connections.connections(platform.uow(), actor=market.professional, user_id=uid(market.professional))
        == []
    )


@pytest.mark.parametrize(
    ("setting", "connection_sees", "stranger_sees", "anonymous"),
    [
        (ConnectionsVisibility.ONLY_ME, False, False, NotAuthenticated),
        (ConnectionsVisibility.CONNECTIONS, True, False, NotAuthenticated),
        (ConnectionsVisibility.SIGNED_IN, True, True, NotAuthenticated),
    ],
)
def test_who_sees_ones_connections(
    platform: Platform,
    market: Market,
    setting: ConnectionsVisibility,
    connection_sees: bool,
    stranger_sees: bool,
    anonymous: type[Exception],
) -> None:
    pro = market.professional
    _connect(platform, pro, market.client)
    connections.set_visibility(platform.uow(), actor=pro, user_id=uid(pro), value=setting)
    assert connections.visibility(platform.uow(), actor=pro, user_id=uid(pro)) is setting

    def sees(actor: Actor) -> bool:
        try:
            connections.connections(platform.uow(), actor=actor, user_id=uid(pro))
        except NotFound:
            return False
        return True

    assert sees(pro)
    assert sees(market.admin)
    assert sees(market.client) is connection_sees
    assert sees(market.stranger) is stranger_sees
    with pytest.raises(anonymous):
        connections.connections(platform.uow(), actor=Actor.anonymous(), user_id=uid(pro))


def test_others_never_see_pending_requests(platform: Platform, market: Market) -> None:
    pro = market.professional
    connections.set_visibility(
        platform.uow(), actor=pro, user_id=uid(pro), value=ConnectionsVisibility.SIGNED_IN
    )
    connections.request(
        platform.uow(),
        actor=market.stranger,
        user_id=uid(market.stranger),
        other_id=uid(pro),
        message="",
        now=NOW,
    )
    assert connections.connections(platform.uow(), actor=market.client, user_id=uid(pro)) == []
    assert len(connections.connections(platform.uow(), actor=pro, user_id=uid(pro))) == 1


def test_standing_with_another_person(platform: Platform, market: Market) -> None:
    """What a profile page's "Your connection" box shows: none, pending either way, connected with how;
    nothing for oneself, for no one, or across a block (either way)."""
    pro, client, stranger = market.professional, market.client, market.stranger

    def standing(actor: Actor, other: int) -> connections.Standing | None:
        return connections.standing(platform.uow(), actor=actor, user_id=uid(actor), other_id=other)

    assert standing(pro, uid(pro)) is None
    assert standing(pro, 999_999) is None
    fresh = standing(pro, uid(client))
    assert fresh is not None
    assert fresh.state is None
    assert fresh.connection_id is None
    made = connections.request(
        platform.uow(), actor=pro, user_id=uid(pro), other_id=uid(client), message="hi", now=NOW
    )
    mine, theirs = standing(pro, uid(client)), standing(client, uid(pro))
    assert mine is not None
    assert theirs is not None
    assert (mine.state, mine.incoming) == (ConnectionState.PENDING, False)
    assert (theirs.state, theirs.incoming, theirs.connection_id) == (ConnectionState.PENDING, True, made.id)
    connections.accept(platform.uow(), actor=client, user_id=uid(client), connection_id=made.id, now=NOW)
    now_connected = standing(client, uid(pro))
    assert now_connected is not None
    assert now_connected.state is ConnectionState.ACCEPTED
    assert any("worked together on the contract" in line for line in now_connected.how)
    assert "they wrote: “hi”" in now_connected.how
    connections.block(platform.uow(), actor=stranger, user_id=uid(stranger), other_id=uid(client), now=NOW)
    assert standing(client, uid(stranger)) is None
    assert standing(stranger, uid(client)) is None
    with pytest.raises(PermissionDenied):
        connections.standing(platform.uow(), actor=stranger, user_id=uid(pro), other_id=uid(client))
    with pytest.raises(NotAuthenticated):
        connections.standing(platform.uow(), actor=Actor.anonymous(), user_id=uid(pro), other_id=uid(client))
