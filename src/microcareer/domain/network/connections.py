"""Connections: made by request and acceptance, proposed from real collaboration, each with how the two
people know each other; blocks; who may see a person's connections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from microcareer.errors import InvalidInput

MESSAGE_MAX = 500
HOW_KNOWN_MAX = 300


class ConnectionState(StrEnum):
    PENDING = "pending"  # requested, waiting for the other person
    ACCEPTED = "accepted"


class ConnectionsVisibility(StrEnum):
    """Who sees a person's list of connections (the person and platform admins always do)."""

    ONLY_ME = "only_me"
    CONNECTIONS = "connections"
    SIGNED_IN = "signed_in"


class TieKind(StrEnum):
    """Where two people met on the platform: the reasons a connection is proposed."""

    CONTRACT = "contract"  # client and professional of one contract
    ORGANISATION = "organisation"  # members of one organisation
    INTERNAL_GIG = "internal_gig"  # applied to, or posted, one internal gig
    MENTORSHIP = "mentorship"  # mentor and mentee
    IDEA = "idea"  # author, sponsor or asked to join one idea of an organisation (issue 22)


_TIE_WORDS = {
    TieKind.CONTRACT: "worked together on the contract",
    TieKind.ORGANISATION: "both members of",
    TieKind.INTERNAL_GIG: "both on the internal gig",
    TieKind.MENTORSHIP: "mentorship:",
    TieKind.IDEA: "both on an idea",
}

TIE_WEIGHT = {
    TieKind.CONTRACT: 1.0,
    TieKind.MENTORSHIP: 0.9,
    TieKind.INTERNAL_GIG: 0.8,
    TieKind.IDEA: 0.7,
    TieKind.ORGANISATION: 0.6,
}
"""How close a tie makes two people (a contract done together, closest), for introductions."""


@dataclass(frozen=True, slots=True)
class Tie:
    """One reason two people know each other: its kind and what it was ("Booking API", "Northwind")."""

    other_user_id: int
    kind: TieKind
    what: str

    @property
    def words(self) -> str:
        return f"{_TIE_WORDS[self.kind]} {self.what}".strip()


@dataclass(frozen=True, slots=True)
class Connection:
    id: int
    requester_id: int
    addressee_id: int
    state: ConnectionState
    message: str
    created_at: datetime
    responded_at: datetime | None

    def other(self, user_id: int) -> int:
        return self.addressee_id if user_id == self.requester_id else self.requester_id

    def involves(self, user_id: int) -> bool:
        return user_id in (self.requester_id, self.addressee_id)


def check_message(text: str) -> str:
    message = text.strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(f"message: at most {MESSAGE_MAX} characters, not {len(message)}", field="message")
    return message


def visibility_of(text: str) -> ConnectionsVisibility:
    try:
        return ConnectionsVisibility(text.strip())
    except ValueError:
        choices = ", ".join(v.value for v in ConnectionsVisibility)
        raise InvalidInput(
            f"connections_visibility: one of {choices}, not {text!r}", field="connections_visibility"
        ) from None


def how_known(ties: list[Tie], message: str, requested_by_me: bool) -> list[str]:
    """The lines a connection shows: each real tie first, then the request's own words."""
    lines = [tie.words for tie in ties]
    if not lines:
        lines.append("connected by request (no shared work on the platform yet)")
    if message:
        who = "you wrote" if requested_by_me else "they wrote"
        lines.append(f"{who}: “{message}”")
    return lines
