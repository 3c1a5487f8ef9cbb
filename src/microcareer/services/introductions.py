"""Who can introduce me (issue 21): who in my network has a skill, or has worked with someone who does,
up to two hops, ranked by evidence and closeness (``domain/network/introductions.py``), each explained.

Only people whose profile the asker may read, who show in searches (``available``), and nobody blocked
either way (by the asker, or between the go-between and the person) are named. The work is bounded:
at most ``FIRST_MAX`` connections are followed, and the ties of at most ``TIES_MAX`` of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microcareer.domain.accounts import Actor
from microcareer.domain.network.connections import TIE_WEIGHT, Tie
from microcareer.domain.network.introductions import Holder, Introduction, Link, rank
from microcareer.domain.profiles.evidence import EvidencePolicy, assess
from microcareer.services.access import Action, Resource, authorize
from microcareer.services.connections import closeness, ties_by_person
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import may_read

FIRST_MAX = 500
TIES_MAX = 50
RESULTS_MAX = 50
PLAIN = 0.5
"""The closeness of a connection with no shared work behind it."""


@dataclass(frozen=True, slots=True)
class Path:
    introduction: Introduction
    person_name: str
    via_name: str | None

    @property
    def why(self) -> str:
        i = self.introduction
        has = f"{self.person_name} has it ({i.explanation})"
        if i.via_id is None:
            return f"{has}; you know them: {i.my_link.how}"
        their = i.their_link.how if i.their_link is not None else ""
        return (
            f"{has}; {self.via_name} can introduce you ({their}); you know {self.via_name}: {i.my_link.how}"
        )


def _name(uow: UnitOfWork, user_id: int) -> str:
    user = uow.accounts.get_user(user_id)
    return user.display_name if user is not None else f"user {user_id}"


def _link(ties: list[Tie], fallback: str) -> Link:
    if not ties:
        return Link(PLAIN, fallback)
    top = max(ties, key=lambda t: TIE_WEIGHT[t.kind])
    return Link(closeness(ties), top.words)


def who_can_introduce(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    skill: str,
    today: date,
    policy: EvidencePolicy | None = None,
    limit: int = RESULTS_MAX,
) -> list[Path]:
    authorize(actor, Action.NETWORK_MANAGE, Resource(owner_user_id=user_id))
    with uow:
        shut = uow.network.blocked_either_way(user_id)
        mine = sorted(uow.network.connected_ids([user_id])[user_id] - shut)[:FIRST_MAX]
        my_ties = ties_by_person(uow, user_id)
        first = {c: _link(my_ties.get(c, []), "connected") for c in mine}
        onward = uow.network.connected_ids(mine)
        second: dict[int, dict[int, Link]] = {}
        for index, via in enumerate(mine):
            reached: dict[int, Link] = {p: Link(PLAIN, "connected") for p in onward.get(via, set())}
            if index < TIES_MAX:
                for person, ties in ties_by_person(uow, via).items():
                    reached[person] = _link(ties, "connected")
            cut = uow.network.blocked_either_way(via) | shut | {user_id}
            second[via] = {p: link for p, link in reached.items() if p not in cut}
        reachable = set(first) | {p for reached in second.values() for p in reached}
        holders: dict[int, Holder] = {}
        for person, visibility in uow.profiles.available_holders([skill]):
            if person not in reachable:
                continue
            if not may_read(actor, person, visibility, uow.accounts.memberships_of(person)):
                continue
            held = [s for s in uow.profiles.skills(person) if s.uri == skill]
            if held:
                confidence = assess(held[0].evidence, today, policy)
                holders[person] = Holder(confidence.value, confidence.explanation)
        ranked = rank(first, second, holders, limit=min(limit, RESULTS_MAX))
        return [
            Path(i, _name(uow, i.person_id), _name(uow, i.via_id) if i.via_id is not None else None)
            for i in ranked
        ]
