"""A person's three lists of micro-jobs: fit now, stretch, and internal gigs of their organisations.

- **fit now**: every required skill met (coverage at least ``MET_AT``);
- **stretch**: one or two required skills not met, each within reach (coverage at least ``CLOSE_AT``
  through a related skill the person has), so the job is a paid way to learn them; it lists the
  skills it would add;
- **internal**: jobs of the person's own organisations (internal audience) that fit now or stretch.

Jobs needing more than two skills the person lacks, or one not within reach, are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from microcareer.domain.matching.facts import JobFacts
from microcareer.domain.matching.scoring import CLOSE_AT, Match

STRETCH_MAX_MISSING = 2


class ListKind(StrEnum):
    FIT_NOW = "fit_now"
    STRETCH = "stretch"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class JobPick:
    job: JobFacts
    match: Match
    kind: ListKind
    would_add: tuple[str, ...]
    """Labels of the skills a stretch job would teach (required ones not met yet)."""


def classify(job: JobFacts, found: Match) -> JobPick | None:
    missing = found.missing_required
    if len(missing) > STRETCH_MAX_MISSING or any(s.coverage < CLOSE_AT for s in missing):
        return None
    if missing:
        kind = ListKind.STRETCH
    elif job.internal:
        kind = ListKind.INTERNAL
    else:
        kind = ListKind.FIT_NOW
    if job.internal and kind is ListKind.STRETCH:
        kind = ListKind.INTERNAL
    return JobPick(job, found, kind, tuple(s.label for s in missing))


def three_lists(picks: Iterable[JobPick], limit: int) -> dict[ListKind, list[JobPick]]:
    """Each list best first (score, then job id), at most ``limit`` each."""
    lists: dict[ListKind, list[JobPick]] = {kind: [] for kind in ListKind}
    for pick in sorted(picks, key=lambda p: (-p.match.score, p.job.job_id)):
        if len(lists[pick.kind]) < limit:
            lists[pick.kind].append(pick)
    return lists
