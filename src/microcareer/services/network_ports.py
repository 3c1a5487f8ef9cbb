"""Ports of the network (issue 21): ``ports.UnitOfWork.network`` and ``.portfolio``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from microcareer.domain.network.connections import Connection, ConnectionState, ConnectionsVisibility, Tie
from microcareer.domain.network.mentorship import (
    MentoringSession,
    MentorOffer,
    Mentorship,
    MentorshipState,
)
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings, StoredItem
from microcareer.domain.network.referrals import Referral


class NetworkRepository(Protocol):
    """Connections, blocks, connection privacy, ties from shared work, referrals and mentoring."""

    def connection_between(self, a: int, b: int) -> Connection | None: ...

    def get_connection(self, connection_id: int) -> Connection | None: ...

    def add_connection(
        self, requester_id: int, addressee_id: int, *, state: ConnectionState, message: str, at: datetime
    ) -> Connection: ...

    def set_connection_state(self, connection_id: int, state: ConnectionState, *, at: datetime) -> None: ...

    def remove_connection(self, connection_id: int) -> None: ...

    def connections_of(self, user_id: int, *, states: Sequence[ConnectionState]) -> list[Connection]: ...

    def connected_ids(self, user_ids: Sequence[int]) -> dict[int, set[int]]:
        """Each person's accepted connections."""
        ...

    def block(self, blocker_id: int, blocked_id: int, *, at: datetime) -> None: ...

    def unblock(self, blocker_id: int, blocked_id: int) -> bool: ...

    def blocked_by(self, user_id: int) -> list[int]: ...

    def blocks_between(self, a: int, b: int) -> bool:
        """Either has blocked the other."""
        ...

    def blocked_either_way(self, user_id: int) -> set[int]: ...

    def connections_visibility(self, user_id: int) -> ConnectionsVisibility | None: ...

    def set_connections_visibility(self, user_id: int, visibility: ConnectionsVisibility) -> None: ...

    def ties_of(self, user_id: int, *, limit: int) -> list[Tie]:
        """Shared work: contracts' other party, co-members of organisations, the others on one's
        internal gigs (applicants and poster), mentorships; at most ``limit`` per kind."""
        ...

    def add_referral(
        self, job_id: int, referrer_id: int, candidate_id: int, note: str, *, at: datetime
    ) -> Referral: ...

    def referrals_for_job(self, job_id: int) -> list[Referral]: ...

    def referrals_by(self, referrer_id: int) -> list[Referral]: ...

    def get_offer(self, user_id: int) -> MentorOffer | None: ...

    def save_offer(self, offer: MentorOffer, *, at: datetime) -> None: ...

    def offers_for(self, skills: Sequence[str], *, limit: int) -> list[MentorOffer]:
        """Active offers that name any of ``skills``."""
        ...

    def add_mentorship(
        self, mentor_id: int, mentee_id: int, skills: Sequence[str], message: str, *, at: datetime
    ) -> Mentorship: ...

    def get_mentorship(self, mentorship_id: int) -> Mentorship | None: ...

    def update_mentorship(
        self,
        mentorship_id: int,
        *,
        state: MentorshipState,
        mentor_confirmed: bool,
        mentee_confirmed: bool,
        completed_at: datetime | None,
    ) -> None: ...

    def mentorships_of(self, user_id: int) -> list[Mentorship]: ...

    def add_session(
        self, mentorship_id: int, held_on: date, minutes: int, notes: str, recorded_by: int, *, at: datetime
    ) -> MentoringSession: ...

    def sessions(self, mentorship_id: int) -> list[MentoringSession]: ...


class PortfolioRepository(Protocol):
    def get(self, user_id: int) -> PortfolioSettings | None: ...

    def owner_of(self, handle: str) -> int | None: ...

    def save(self, user_id: int, settings: PortfolioSettings, *, at: datetime) -> None: ...

    def items(self, user_id: int) -> list[StoredItem]: ...

    def add_item(self, user_id: int, item: PortfolioItem) -> StoredItem: ...

    def update_item(self, item_id: int, item: PortfolioItem) -> None: ...

    def get_item(self, item_id: int) -> StoredItem | None: ...

    def remove_item(self, item_id: int) -> None: ...
