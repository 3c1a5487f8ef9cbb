"""Connections (issue 21): request, accept, decline, remove; block; who sees one's connections; people
proposed from shared work, each with how one knows them.

Every call names the person it acts for (``user_id``) and asks ``access`` whether the actor may act
for them (``NETWORK_MANAGE``: the person and platform admins). A block works both ways: neither can
request the other, neither sees the other's connections, neither is proposed to the other; blocking
ends their connection. A request to someone blocked, or to no one, is the same 404, so a block does
not show. Reading a person's connections follows their setting (``only_me``, ``connections``,
``signed_in``; ``connections`` until they choose) and is 404 to whoever it hides them from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from microcareer.domain.accounts import Actor
from microcareer.domain.network.connections import (
    TIE_WEIGHT,
    Connection,
    ConnectionState,
    ConnectionsVisibility,
    Tie,
    check_message,
    how_known,
)
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.ports import UnitOfWork

DEFAULT_VISIBILITY = ConnectionsVisibility.CONNECTIONS
TIES_PER_KIND = 200
PROPOSALS_MAX = 50


@dataclass(frozen=True, slots=True)
class ConnectionView:
    """A connection as one side sees it: the other person, the state, and how they know each other."""

    id: int
    other_id: int
    other_name: str
    state: ConnectionState
    incoming: bool
    """A pending request the other person sent (it waits for this person's answer)."""
    how: tuple[str, ...]
    since: datetime


@dataclass(frozen=True, slots=True)
class Proposal:
    """Someone to connect with, because of the work done together."""

    user_id: int
    name: str
    how: tuple[str, ...]
    closeness: float


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the person stands with someone else, as shown on that someone's profile page."""

    other_id: int
    state: ConnectionState | None
    """None: neither connected nor asked."""
    incoming: bool
    """A pending request the other person sent."""
    connection_id: int | None
    how: tuple[str, ...]


def _acting(actor: Actor, user_id: int) -> None:
    authorize(actor, Action.NETWORK_MANAGE, Resource(owner_user_id=user_id))


def _name(uow: UnitOfWork, user_id: int) -> str:
    user = uow.accounts.get_user(user_id)
    return user.display_name if user is not None else f"user {user_id}"


def _require_user(uow: UnitOfWork, user_id: int) -> None:
    if uow.accounts.get_user(user_id) is None:
        raise NotFound(f"no user {user_id}")


def ties_by_person(uow: UnitOfWork, user_id: int) -> dict[int, list[Tie]]:
    grouped: dict[int, list[Tie]] = defaultdict(list)
    for tie in uow.network.ties_of(user_id, limit=TIES_PER_KIND):
        if tie.other_user_id != user_id:
            grouped[tie.other_user_id].append(tie)
    return grouped


def closeness(ties: list[Tie]) -> float:
    """1 for a contract done together, down to 0.6 for sharing an organisation; 0.5 for none."""
    return max((TIE_WEIGHT[t.kind] for t in ties), default=0.5)


def visibility(uow: UnitOfWork, *, actor: Actor, user_id: int) -> ConnectionsVisibility:
    _acting(actor, user_id)
    with uow:
        return uow.network.connections_visibility(user_id) or DEFAULT_VISIBILITY


def set_visibility(
    uow: UnitOfWork, *, actor: Actor, user_id: int, value: ConnectionsVisibility
) -> ConnectionsVisibility:
    _acting(actor, user_id)
    with uow:
        _require_user(uow, user_id)
        uow.network.set_connections_visibility(user_id, value)
        uow.commit()
    return value


def request(
    uow: UnitOfWork, *, actor: Actor, user_id: int, other_id: int, message: str, now: datetime
) -> Connection:
    """Ask ``other_id`` to connect; a request they had sent already is accepted instead."""
    _acting(actor, user_id)
    text = check_message(message)
    if other_id == user_id:
        raise InvalidInput("user: a person cannot connect with themselves", field="user")
    with uow:
        _require_user(uow, user_id)
        if uow.accounts.get_user(other_id) is None or uow.network.blocks_between(user_id, other_id):
            raise NotFound(f"no user {other_id} to connect with")
        existing = uow.network.connection_between(user_id, other_id)
        if existing is not None:
            if existing.state is ConnectionState.ACCEPTED:
                raise Conflict(f"already connected with user {other_id}")
            if existing.requester_id == user_id:
                raise Conflict(f"a request to user {other_id} is already waiting for an answer")
            uow.network.set_connection_state(existing.id, ConnectionState.ACCEPTED, at=now)
            uow.commit()
            return _accepted(existing, now)
        made = uow.network.add_connection(
            user_id, other_id, state=ConnectionState.PENDING, message=text, at=now
        )
        uow.commit()
    return made


def _accepted(connection: Connection, now: datetime) -> Connection:
    return Connection(
        connection.id,
        connection.requester_id,
        connection.addressee_id,
        ConnectionState.ACCEPTED,
        connection.message,
        connection.created_at,
        now,
    )


def _incoming(uow: UnitOfWork, user_id: int, connection_id: int) -> Connection:
    connection = uow.network.get_connection(connection_id)
    if connection is None or connection.addressee_id != user_id:
        raise NotFound(f"no request {connection_id} to answer")
    if connection.state is not ConnectionState.PENDING:
        raise Conflict(f"request {connection_id} is answered already")
    return connection


def accept(uow: UnitOfWork, *, actor: Actor, user_id: int, connection_id: int, now: datetime) -> Connection:
    _acting(actor, user_id)
    with uow:
        connection = _incoming(uow, user_id, connection_id)
        uow.network.set_connection_state(connection.id, ConnectionState.ACCEPTED, at=now)
        uow.commit()
    return _accepted(connection, now)


def decline(uow: UnitOfWork, *, actor: Actor, user_id: int, connection_id: int) -> None:
    _acting(actor, user_id)
    with uow:
        connection = _incoming(uow, user_id, connection_id)
        uow.network.remove_connection(connection.id)
        uow.commit()


def remove(uow: UnitOfWork, *, actor: Actor, user_id: int, other_id: int) -> None:
    """End a connection, or withdraw a request not answered yet."""
    _acting(actor, user_id)
    with uow:
        connection = uow.network.connection_between(user_id, other_id)
        if connection is None:
            raise NotFound(f"no connection with user {other_id}")
        uow.network.remove_connection(connection.id)
        uow.commit()


def block(uow: UnitOfWork, *, actor: Actor, user_id: int, other_id: int, now: datetime) -> None:
    _acting(actor, user_id)
    if other_id == user_id:
        raise InvalidInput("user: a person cannot block themselves", field="user")
    with uow:
        _require_user(uow, user_id)
        if uow.accounts.get_user(other_id) is None:
            raise NotFound(f"no user {other_id}")
        connection = uow.network.connection_between(user_id, other_id)
        if connection is not None:
            uow.network.remove_connection(connection.id)
        uow.network.block(user_id, other_id, at=now)
        uow.commit()


def unblock(uow: UnitOfWork, *, actor: Actor, user_id: int, other_id: int) -> None:
    _acting(actor, user_id)
    with uow:
        if not uow.network.unblock(user_id, other_id):
            raise NotFound(f"user {other_id} is not blocked")
        uow.commit()


def standing(uow: UnitOfWork, *, actor: Actor, user_id: int, other_id: int) -> Standing | None:
    """How ``user_id`` stands with ``other_id``: connected (with how they know each other), asked
    (either way) or neither. None when there is nothing to offer: the same person, no such person, or a
    block either way (so a block does not show)."""
    _acting(actor, user_id)
    if other_id == user_id:
        return None
    with uow:
        if uow.accounts.get_user(other_id) is None or uow.network.blocks_between(user_id, other_id):
            return None
        connection = uow.network.connection_between(user_id, other_id)
        if connection is None:
            return Standing(other_id, None, incoming=False, connection_id=None, how=())
        ties = ties_by_person(uow, user_id).get(other_id, [])
        how = tuple(how_known(ties, connection.message, connection.requester_id == user_id))
    incoming = connection.state is ConnectionState.PENDING and connection.addressee_id == user_id
    return Standing(other_id, connection.state, incoming=incoming, connection_id=connection.id, how=how)


def blocked(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[tuple[int, str]]:
    _acting(actor, user_id)
    with uow:
        return [(other, _name(uow, other)) for other in uow.network.blocked_by(user_id)]


def _readable(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    """``CONNECTIONS_READ`` as the owner's setting says; 404 to whoever may not (blocked people too)."""
    _require_user(uow, user_id)
    setting = uow.network.connections_visibility(user_id) or DEFAULT_VISIBILITY
    readers: frozenset[int] = frozenset()
    if setting is ConnectionsVisibility.CONNECTIONS:
        readers = frozenset(uow.network.connected_ids([user_id])[user_id])
    resource = Resource(
        owner_user_id=user_id, readers=readers, open_to_signed_in=setting is ConnectionsVisibility.SIGNED_IN
    )
    viewer = actor.user_id
    shut_out = viewer is not None and viewer != user_id and uow.network.blocks_between(viewer, user_id)
    if shut_out or not is_allowed(actor, Action.CONNECTIONS_READ, resource):
        if not actor.is_authenticated:
            authorize(actor, Action.CONNECTIONS_READ, resource)  # 401: sign in first
        raise NotFound(f"no connections of user {user_id} to show")


def connections(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[ConnectionView]:
    """The person's connections with how they know each one; the person (and platform admins) also see
    pending requests, both ways. Others see accepted connections, as the person's setting allows."""
    with uow:
        _readable(uow, actor, user_id)
        own = is_allowed(actor, Action.NETWORK_MANAGE, Resource(owner_user_id=user_id))
        states = [ConnectionState.ACCEPTED, ConnectionState.PENDING] if own else [ConnectionState.ACCEPTED]
        found = uow.network.connections_of(user_id, states=states)
        hidden = uow.network.blocked_either_way(actor.user_id) if actor.user_id is not None else set()
        ties = ties_by_person(uow, user_id) if found else {}
        views = [
            ConnectionView(
                id=c.id,
                other_id=c.other(user_id),
                other_name=_name(uow, c.other(user_id)),
                state=c.state,
                incoming=c.state is ConnectionState.PENDING and c.addressee_id == user_id,
                how=tuple(how_known(ties.get(c.other(user_id), []), c.message, c.requester_id == user_id)),
                since=c.responded_at or c.created_at,
            )
            for c in found
            if c.other(user_id) not in hidden or c.other(user_id) == actor.user_id
        ]
    return sorted(views, key=lambda v: (v.state is ConnectionState.ACCEPTED, v.other_name.casefold()))


def proposals(uow: UnitOfWork, *, actor: Actor, user_id: int, limit: int = PROPOSALS_MAX) -> list[Proposal]:
    """People the person worked with (same contract, organisation, internal gig, mentorship, idea), not yet
    connected or asked, nobody blocked either way; closest first."""
    _acting(actor, user_id)
    with uow:
        _require_user(uow, user_id)
        ties = ties_by_person(uow, user_id)
        known = {c.other(user_id) for c in uow.network.connections_of(user_id, states=list(ConnectionState))}
        shut = uow.network.blocked_either_way(user_id)
        found = [
            Proposal(other, _name(uow, other), tuple(t.words for t in person_ties), closeness(person_ties))
            for other, person_ties in ties.items()
            if other not in known and other not in shut
        ]
    found.sort(key=lambda p: (-p.closeness, p.name.casefold(), p.user_id))
    return found[: max(0, min(limit, PROPOSALS_MAX))]
