"""Pathways (issue 20): plans that turn a gap into steps, saved, and re-planned as evidence arrives.

Only the person (and platform admins) may make, read, re-plan or delete their plans; someone else asking
for a plan by id is told it does not exist. A plan is made from the gap (``gap_analysis``) to an
occupation, a micro-job or a list of skills: its missing and partly covered skills are the needs, the
catalogue (``pathway_catalogue``) the steps, market demand the open micro-jobs' share per skill
(through the marketplace repository), and the person's skills the prerequisites already met.

``record_progress`` marks steps done (those the person names, platform microcredentials the person
now holds a credential of, micro-jobs whose contract the person completed), then re-plans the rest
from the gap as it is now, counting what the done steps taught.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.contracts import ContractState
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.pathways.plan import Method, make_plan
from microcareer.domain.pathways.plan_json import plan_json
from microcareer.domain.pathways.problem import Need, PlanMode, PlanRequest, ShapeChoice
from microcareer.domain.pathways.records import StoredPlan
from microcareer.domain.pathways.steps import Step
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.domain.profiles.gap import GapStatus
from microcareer.domain.profiles.holdings import DEFAULT_REQUIRED_LEVEL
from microcareer.domain.profiles.shape import PlannedSkill, areas_of
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import gap_analysis
from microcareer.services.access import Action, Resource, authorize, authorize_or_hide, is_allowed
from microcareer.services.gap_analysis import GapReport, GraphCache, ShapeReport
from microcareer.services.pathway_catalogue import catalogue_steps
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import held_skills

TARGET_KINDS = ("occupation", "job", "skills")
MAX_PLANS_PER_PERSON = 50
EXACT_TIME_LIMIT = 10.0


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How the person wants to get there; amounts as decimal text in ``currency``."""

    hours_per_week: float = 8.0
    mode: PlanMode = PlanMode.BALANCED
    budget: str | None = None
    income_floor: str | None = None
    base_income: str | None = None
    max_weeks: float | None = None
    shape: ShapeChoice = ShapeChoice.ANY
    method: Method = Method.AUTO
    currency: str = "EUR"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["mode"], data["shape"], data["method"] = self.mode.value, self.shape.value, self.method.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanOptions:
        return cls(
            hours_per_week=float(data["hours_per_week"]),
            mode=PlanMode(data["mode"]),
            budget=data.get("budget"),
            income_floor=data.get("income_floor"),
            base_income=data.get("base_income"),
            max_weeks=data.get("max_weeks"),
            shape=ShapeChoice(data.get("shape", "any")),
            method=Method(data.get("method", "auto")),
            currency=str(data.get("currency", "EUR")),
        )

    def money(self, name: str) -> Money | None:
        text = getattr(self, name)
        if text is None or not str(text).strip():
            return None
        try:
            return Money.parse(str(text), currency_code(self.currency))
        except InvalidInput as exc:
            raise InvalidInput(f"{name}: {str(exc).removeprefix('amount: ')}", field=name) from exc


def authorize_owner(actor: Actor, user_id: int) -> None:
    """Only the person and platform admins make and list a person's plans."""
    authorize(actor, Action.PLAN_MANAGE, Resource(owner_user_id=user_id))


def _gap(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    kind: str,
    ref: str,
    today: date,
    policy: EvidencePolicy | None,
) -> GapReport:
    # the gap is read as the system: the plan's owner (or an admin) was authorised already
    system = Actor.system() if actor.user_id == user_id or actor.is_system else actor
    if kind == "occupation":
        return gap_analysis.gap_to_occupation(
            uow, cache, actor=system, user_id=user_id, occupation=ref, today=today, policy=policy
        )
    if kind == "job":
        try:
            job_id = int(ref)
        except ValueError as exc:
            raise InvalidInput(f"target: a job's id is a number, not {ref!r}", field="target") from exc
        return gap_analysis.gap_to_job(
            uow, cache, actor=actor, user_id=user_id, job_id=job_id, today=today, policy=policy
        )
    if kind == "skills":
        uris = [u for u in ref.split(",") if u.strip()]
        return gap_analysis.gap_to_skills(
            uow, cache, actor=system, user_id=user_id, skills=uris, today=today, policy=policy
        )
    raise InvalidInput(f"target_kind: one of {', '.join(TARGET_KINDS)}, not {kind!r}", field="target_kind")


DEMAND_WINDOW_DAYS = 180


def _plan(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    report: GapReport,
    options: PlanOptions,
    done: Sequence[str],
    today: date,
    policy: EvidencePolicy | None,
) -> dict[str, Any]:
    """Plan from the gap as it is now; steps in ``done`` are left out and what they taught counts."""
    graph = cache.get(uow)
    with uow:
        catalogue = catalogue_steps(uow, actor=actor)
        held = {
            h.uri: h.proficiency for h in held_skills(uow, user_id, today=today, policy=policy) if h.known
        }
        taught = sorted({uri for s in catalogue for uri in s.teaches})
        since = datetime.combine(today - timedelta(days=DEMAND_WINDOW_DAYS), datetime.min.time()).astimezone()
        total, counts = uow.marketplace.skill_demand(taught, since=since)
    by_id = {s.id: s for s in catalogue}
    done_set = set(done)
    for sid in done:
        step = by_id.get(sid)
        if step is not None:
            for uri, level in step.teaches.items():
                held[uri] = max(held.get(uri, 0), level)
    top = max(counts.values(), default=0)
    demand = {uri: counts.get(uri, 0) / top for uri in taught} if total and top else {}
    areas = {uri: tuple(sorted(areas_of(uri, graph.parents))) for uri in {*taught, *held}}
    needs = tuple(
        Need(
            item.skill.uri,
            item.skill.label,
            item.skill.importance,
            item.coverage,
            DEFAULT_REQUIRED_LEVEL,
        )
        for item in report.gap.items
        if item.status is not GapStatus.COVERED and held.get(item.skill.uri, 0) < DEFAULT_REQUIRED_LEVEL
    )
    currency = currency_code(options.currency)
    request = PlanRequest(
        needs=needs,
        held=MappingProxyType(held),
        hours_per_week=options.hours_per_week,
        budget=options.money("budget"),
        mode=options.mode,
        income_floor=options.money("income_floor"),
        base_income=options.money("base_income"),
        max_weeks=options.max_weeks,
        shape=options.shape,
        demand=MappingProxyType(demand),
        areas=MappingProxyType(areas),
        currency=currency,
    )
    total_weight = report.gap.breakdown.total_weight or 1.0
    fit_now = (
        report.gap.fit
        + sum(n.importance * (1 - n.coverage) for n in needs if n.uri in held and held[n.uri] >= n.level)
        / total_weight
    )

    def fit_of(reached: Mapping[str, int]) -> float:
        gained = sum(n.importance * (1 - n.coverage) for n in needs if reached.get(n.uri, 0) >= n.level)
        return round(min(1.0, report.gap.fit + gained / total_weight), 4)

    steps: list[Step] = [s for s in catalogue if s.id not in done_set]
    plan = make_plan(request, steps, method=options.method, fit_of=fit_of, time_limit=EXACT_TIME_LIMIT)
    shown = {*plan.areas_deepened, *plan.areas_opened}
    with uow:
        area_labels = {
            uri: ref.preferred_label for uri, ref in uow.taxonomy.skill_refs(sorted(shown)).items()
        }
    data = plan_json(plan, area_labels)
    data["fit_before"] = round(min(1.0, fit_now), 4) if done else data["fit_before"]
    data["target"] = report.target_label
    data["done_steps"] = [
        {
            "id": sid,
            "title": by_id[sid].title if sid in by_id else sid,
            "kind": by_id[sid].kind.value if sid in by_id else "",
        }
        for sid in done
    ]
    if report.note:
        data["notes"].append(report.note)
    if not math.isfinite(data["objective"]):
        data["objective"] = None
    return data


def create_plan(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    target_kind: str,
    target: str,
    options: PlanOptions,
    now: datetime,
    policy: EvidencePolicy | None = None,
) -> StoredPlan:
    """Make and save a plan for ``user_id`` towards an occupation (URI or key), a job (id) or skills
    (URIs, comma-separated)."""
    authorize_owner(actor, user_id)
    today = now.date()
    report = _gap(
        uow, cache, actor=actor, user_id=user_id, kind=target_kind, ref=target, today=today, policy=policy
    )
    data = _plan(
        uow,
        cache,
        actor=actor,
        user_id=user_id,
        report=report,
        options=options,
        done=(),
        today=today,
        policy=policy,
    )
    ref = report.target_uri if target_kind == "occupation" and report.target_uri else target
    with uow:
        if len(uow.pathways.plans_of(user_id)) >= MAX_PLANS_PER_PERSON:
            raise InvalidInput(
                f"plans: at most {MAX_PLANS_PER_PERSON} a person; delete one first", field="plans"
            )
        stored = uow.pathways.add_plan(
            user_id=user_id,
            target_kind=target_kind,
            target_ref=ref,
            target_label=report.target_label,
            options=options.as_json(),
            plan=data,
            at=now,
        )
        uow.commit()
    return stored


def _readable(uow: UnitOfWork, actor: Actor, plan_id: int) -> StoredPlan:
    stored = uow.pathways.get_plan(plan_id)
    if stored is None:
        raise NotFound(f"no plan {plan_id}", plan=plan_id)
    authorize_or_hide(actor, Action.PLAN_MANAGE, Resource(owner_user_id=stored.user_id), f"plan {plan_id}")
    return stored


def get_plan(uow: UnitOfWork, *, actor: Actor, plan_id: int) -> StoredPlan:
    with uow:
        return _readable(uow, actor, plan_id)


def list_plans(uow: UnitOfWork, *, actor: Actor, user_id: int) -> list[StoredPlan]:
    authorize_owner(actor, user_id)
    with uow:
        return uow.pathways.plans_of(user_id)


def delete_plan(uow: UnitOfWork, *, actor: Actor, plan_id: int) -> None:
    with uow:
        _readable(uow, actor, plan_id)
        uow.pathways.delete_plan(plan_id)
        uow.commit()


def evidence_done(uow: UnitOfWork, *, user_id: int, planned: Sequence[str]) -> list[str]:
    """Planned steps the store shows done: a credential of the achievement held, the job's contract
    completed by the person (inside an open unit of work)."""
    earned = {
        f"achievement:{c.achievement_id}"
        for c in uow.credentials.credentials_of_recipient(user_id)
        if c.revoked_at is None
    }
    completed = {
        f"job:{c.job_id}"
        for c in uow.marketplace.contracts_of(user_id, states=[ContractState.COMPLETED])
        if c.professional_user_id == user_id
    }
    return [sid for sid in planned if sid in earned | completed]


def record_progress(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    plan_id: int,
    done: Sequence[str] = (),
    now: datetime,
    policy: EvidencePolicy | None = None,
) -> StoredPlan:
    """Mark steps done (named ones, and those the person's credentials and completed contracts show),
    then re-plan the rest from the gap as it is now."""
    with uow:
        stored = _readable(uow, actor, plan_id)
        planned = [s["id"] for s in stored.plan.get("steps", [])]
        found = evidence_done(uow, user_id=stored.user_id, planned=planned)
    unknown = [sid for sid in done if sid not in planned and sid not in stored.done]
    if unknown:
        raise InvalidInput(f"done: {unknown[0]!r} is not a step of plan {plan_id}", field="done")
    all_done = list(dict.fromkeys([*stored.done, *done, *found]))
    options = PlanOptions.from_json(stored.options)
    today = now.date()
    report = _gap(
        uow,
        cache,
        actor=actor,
        user_id=stored.user_id,
        kind=stored.target_kind,
        ref=stored.target_ref,
        today=today,
        policy=policy,
    )
    data = _plan(
        uow,
        cache,
        actor=actor,
        user_id=stored.user_id,
        report=report,
        options=options,
        done=all_done,
        today=today,
        policy=policy,
    )
    with uow:
        updated = uow.pathways.update_plan(plan_id, plan=data, done=all_done, at=now)
        uow.commit()
    return updated


def planned_skills(stored: StoredPlan) -> list[PlannedSkill]:
    """The skills the plan's steps still to do teach, each at the highest level a step reaches."""
    best: dict[str, PlannedSkill] = {}
    for step in stored.plan.get("steps", []):
        if step.get("done"):
            continue
        for taught in step.get("teaches", []):
            uri, level = str(taught["uri"]), int(taught["level"])
            if uri not in best or level > best[uri].level:
                best[uri] = PlannedSkill(uri, str(taught.get("label", uri)), level)
    return list(best.values())


@dataclass(frozen=True, slots=True)
class ShapeWithPlan:
    report: ShapeReport
    """The shape now and, with a plan, after it (``report.after``, ``report.changes``)."""
    plan: StoredPlan | None


def shape_with_plan(
    uow: UnitOfWork,
    cache: GraphCache,
    *,
    actor: Actor,
    user_id: int,
    today: date,
    plan_id: int | None = None,
    policy: EvidencePolicy | None = None,
) -> ShapeWithPlan:
    """The career shape of ``user_id`` and the effect of a plan on it: plan ``plan_id`` (hidden unless
    the actor may manage it and it is that person's), or else the person's most recently updated plan
    where the actor may see the person's plans (none otherwise)."""
    plan: StoredPlan | None = None
    if plan_id is not None:
        with uow:
            plan = _readable(uow, actor, plan_id)
        if plan.user_id != user_id:
            raise NotFound(f"no plan {plan_id}", plan=plan_id)
    elif is_allowed(actor, Action.PLAN_MANAGE, Resource(owner_user_id=user_id)):
        with uow:
            plans = uow.pathways.plans_of(user_id)
        plan = max(plans, key=lambda p: (p.updated_at, p.id)) if plans else None
    report = gap_analysis.shape_of_career(
        uow,
        cache,
        actor=actor,
        user_id=user_id,
        today=today,
        policy=policy,
        planned=planned_skills(plan) if plan is not None else (),
    )
    return ShapeWithPlan(report, plan)
