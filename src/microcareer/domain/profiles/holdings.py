"""How well a person holds each skill: proficiency (1-5) and the confidence its evidence earns."""

from __future__ import annotations

from dataclasses import dataclass

from microcareer.domain.profiles.evidence import SkillConfidence

MIN_PROFICIENCY = 1
MAX_PROFICIENCY = 5
DEFAULT_REQUIRED_LEVEL = 3
"""The proficiency a target asks for when it says nothing else ("competent" on a 1-5 scale)."""


@dataclass(frozen=True, slots=True)
class Holding:
    """One skill on a profile, as gap analysis sees it."""

    uri: str
    label: str
    proficiency: int
    confidence: SkillConfidence

    def __post_init__(self) -> None:
        if not MIN_PROFICIENCY <= self.proficiency <= MAX_PROFICIENCY:
            raise ValueError(f"proficiency: {self.label} is {self.proficiency}, not 1 to 5")

    def strength(self, required_level: int = DEFAULT_REQUIRED_LEVEL) -> float:
        """Level met (capped at 1) x belief; a skill with no evidence at all counts half."""
        return strength_of(self.proficiency, self.confidence.value, required_level)


def strength_of(proficiency: int, belief: float, required_level: int = DEFAULT_REQUIRED_LEVEL) -> float:
    """``Holding.strength`` of a skill held at ``proficiency`` with its evidence's ``belief``
    (``evidence.belief``, the confidence's value), without making the holding."""
    level = min(1.0, proficiency / required_level)
    return level * (0.5 + 0.5 * belief)
