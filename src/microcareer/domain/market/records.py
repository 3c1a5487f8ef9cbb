"""What the market store is asked and what it answers: the selection of postings, counts by skill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MarketFilter:
    """Which postings count: a date range (both ends included), a place, an occupation. Near-duplicate
    re-posts never count. ``skills`` narrows which skills are reported (an ESCO skill group's members),
    not which postings are counted."""

    start: date | None = None
    end: date | None = None
    place_key: str | None = None
    occupation_uri: str | None = None
    skills: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class NewPosting:
    """A cleaned posting ready to store, with its skills (URI, confidence) and how it was matched."""

    source: str
    external_id: str
    content_hash: str
    title: str
    text: str
    posted_on: date
    place: str
    place_key: str
    organisation: str
    pay: float | None
    occupation_uri: str | None
    signature: bytes
    duplicate_of: int | None
    skills: tuple[tuple[str, float], ...]

    @property
    def month(self) -> str:
        return self.posted_on.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class PlaceCount:
    place: str
    key: str
    postings: int


EXPORT_TABLES = ("postings", "posting_skills")
