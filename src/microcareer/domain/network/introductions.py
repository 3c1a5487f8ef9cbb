"""Who can introduce me: people in my network with a skill, up to two hops, ranked and explained.

A person one hop away (a connection) scores their confidence in the skill x how close we are (the
closest tie between us: a contract 1.0, a mentorship 0.9, an internal gig 0.8, an organisation 0.6, a
plain connection 0.5). Two hops away (a connection's connection, or someone a connection worked with),
the score is confidence x my closeness to the go-between x their closeness to the person x
``SECOND_HOP`` (0.5): an introduction costs a favour. The best path to each person is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SECOND_HOP = 0.5


@dataclass(frozen=True, slots=True)
class Link:
    """One edge of my network: how close, and in words how the two know each other."""

    closeness: float
    how: str


@dataclass(frozen=True, slots=True)
class Holder:
    """Someone who has the skill: their confidence in it today and the line that explains it."""

    confidence: float
    explanation: str


@dataclass(frozen=True, slots=True)
class Introduction:
    person_id: int
    via_id: int | None
    """The connection who can introduce me; None when the person is a connection already."""
    hops: int
    score: float
    confidence: float
    explanation: str
    my_link: Link
    their_link: Link | None


def rank(
    first: Mapping[int, Link],
    second: Mapping[int, Mapping[int, Link]],
    holders: Mapping[int, Holder],
    *,
    limit: int,
) -> list[Introduction]:
    """The best path to each holder, best score first (ties: fewer hops, then person id)."""
    best: dict[int, Introduction] = {}
    for person, link in first.items():
        holder = holders.get(person)
        if holder is not None and holder.confidence > 0:
            best[person] = Introduction(
                person,
                None,
                1,
                holder.confidence * link.closeness,
                holder.confidence,
                holder.explanation,
                link,
                None,
            )
    for via, reached in second.items():
        my_link = first.get(via)
        if my_link is None:
            continue
        for person, their_link in reached.items():
            holder = holders.get(person)
            if holder is None or holder.confidence <= 0 or person in first:
                continue
            score = holder.confidence * my_link.closeness * their_link.closeness * SECOND_HOP
            known = best.get(person)
            if known is None or score > known.score or (score == known.score and via < (known.via_id or 0)):
                best[person] = Introduction(
                    person, via, 2, score, holder.confidence, holder.explanation, my_link, their_link
                )
    ranked = sorted(best.values(), key=lambda i: (-i.score, i.hops, i.person_id))
    return ranked[: max(0, limit)]
