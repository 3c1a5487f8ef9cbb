"""The steps a plan can choose from: the imported outside catalogue, the platform's microcredentials
(achievements with aligned skills, from issuers whose credentials count) and the open micro-jobs the
person may see; and importing a catalogue (platform admins).

A platform achievement becomes a step teaching its aligned skills at its proficiency, free, of
``ACHIEVEMENT_HOURS`` (an achievement's definition states neither hours nor price: the step says so,
``ACHIEVEMENT_ASSUMED``, and shows the issuer's criteria), its quality the issuer standing's evidence
weight; an issuer that is unverified is left out (its credentials would not count). An open micro-job
becomes a stretch step: it needs its required skills at level 2, teaches them and its nice-to-have
skills at level 3, takes its expected hours and pays its budget (fixed, or rate x hours).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issuer_standing import STANDING_WEIGHTS, Standing
from microcareer.domain.marketplace.jobs import BudgetKind, JobState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.pathways.catalogue_rows import parse_catalogue
from microcareer.domain.pathways.steps import SkillPrerequisite, Step, StepFormat, StepKind
from microcareer.errors import InvalidInput, NotFound
from microcareer.services.access import Action, authorize, visible_organisations
from microcareer.services.ports import LexiconStore, UnitOfWork
from microcareer.services.skill_names import resolve_skill

ACHIEVEMENT_HOURS = 10.0
ACHIEVEMENT_ASSUMED = (
    f"hours and price not stated by the issuer: {ACHIEVEMENT_HOURS:g} hours and free assumed"
)
CRITERIA_SHOWN = 500
"""The most characters of an achievement's criteria a step carries."""
JOB_LIMIT = 500
PLATFORM_PREFIXES = ("achievement:", "job:")
MAX_CATALOGUE_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    replaced: int


def import_catalogue(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    text: str,
    source: str,
    now: datetime,
    currency: str = "EUR",
) -> ImportResult:
    """Check every row of a CSV/JSON catalogue (each bad one named by its line), then keep them all,
    replacing steps with the same ids; a file with any bad row keeps nothing."""
    authorize(actor, Action.CATALOGUE_IMPORT)
    if len(text.encode()) > MAX_CATALOGUE_BYTES:
        raise InvalidInput(f"{source}: at most {MAX_CATALOGUE_BYTES} bytes", field="file")
    known: dict[str, tuple[str, str] | None] = {}

    def resolve(ref: str) -> tuple[str, str] | None:
        if ref not in known:
            try:
                detail = resolve_skill(uow, caches, lexicons, actor=actor, text=ref)
                known[ref] = (detail.skill.uri, detail.skill.preferred_label)
            except NotFound:
                known[ref] = None
        return known[ref]

    rows = parse_catalogue(text, source=source, resolve=resolve, currency=currency)
    for row in rows:
        if row.step.id.startswith(PLATFORM_PREFIXES):
            raise InvalidInput(
                f"{source}: line {row.line}, id: {row.step.id!r} starts like the platform's own steps "
                f"({', '.join(PLATFORM_PREFIXES)})",
                field="id",
            )
    with uow:
        added, replaced = uow.pathways.save_steps([r.step for r in rows], imported_by=actor.user_id, at=now)
        uow.commit()
    return ImportResult(added, replaced)


def catalogue_steps(uow: UnitOfWork, *, actor: Actor) -> list[Step]:
    """Every step the actor may plan with (inside an open unit of work): imported, achievements, jobs."""
    steps = [stored.step for stored in uow.pathways.catalogue()]
    steps += achievement_steps(uow)
    steps += job_steps(uow, actor=actor)
    return steps


def achievement_steps(uow: UnitOfWork, currency: str = "EUR") -> list[Step]:
    issuers = {i.id: i for i in uow.credentials.issuers()}
    steps: list[Step] = []
    for achievement in uow.credentials.achievements():
        issuer = issuers.get(achievement.issuer_id)
        definition = achievement.definition
        if issuer is None or issuer.standing is Standing.UNVERIFIED or not definition.alignments:
            continue
        uris = [a.uri for a in definition.alignments]
        labels = {a.uri: a.label for a in definition.alignments}
        kind = (
            StepKind.ASSESSMENT if definition.achievement_type == "Assessment" else StepKind.MICROCREDENTIAL
        )
        steps.append(
            Step(
                id=f"achievement:{achievement.id}",
                kind=kind,
                title=definition.name,
                provider=issuer.name,
                teaches=MappingProxyType(dict.fromkeys(uris, definition.proficiency)),
                hours=ACHIEVEMENT_HOURS,
                cost=Money.zero(currency),
                income=Money.zero(currency),
                url=definition.criteria_url or "",
                quality=STANDING_WEIGHTS[issuer.standing],
                labels=MappingProxyType(labels),
                assumed=ACHIEVEMENT_ASSUMED,
                criteria=_shortened(definition.criteria),
            )
        )
    return steps


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CRITERIA_SHOWN else text[: CRITERIA_SHOWN - 1].rstrip() + "…"


def job_steps(uow: UnitOfWork, *, actor: Actor, currency: str = "EUR") -> list[Step]:
    jobs, _ = uow.marketplace.list_jobs(
        states=[JobState.OPEN],
        visible_orgs=visible_organisations(actor),
        viewer_id=actor.user_id,
        limit=JOB_LIMIT,
        offset=0,
    )
    steps: list[Step] = []
    for stored in jobs:
        job = stored.job
        if job.budget.amount.currency != currency or stored.poster_user_id == actor.user_id:
            continue
        hours = float(max(1, job.expected_hours))
        pay = job.budget.amount
        if job.budget.kind is BudgetKind.HOURLY:
            pay = Money(pay.amount * int(hours), pay.currency)
        teaches = dict.fromkeys((*job.required_skills, *job.nice_skills), 3)
        if not teaches:
            continue
        steps.append(
            Step(
                id=f"job:{stored.id}",
                kind=StepKind.MICRO_JOB,
                title=job.title,
                provider="micro-job on the platform",
                teaches=MappingProxyType(teaches),
                hours=hours,
                cost=Money.zero(currency),
                income=pay,
                format=StepFormat.ON_THE_JOB,
                needs_skills=tuple(SkillPrerequisite(uri, 2) for uri in job.required_skills),
            )
        )
    return steps
