"""Pathways on a real store (SQLite and PostgreSQL): catalogue import, plans made, read only by their
owner and platform admins, and re-planned as steps are done."""

from __future__ import annotations

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials.issue_rows import BatchRejected
from microcareer.domain.marketplace.contracts import ContractState
from microcareer.domain.marketplace.jobs import JobState
from microcareer.domain.pathways.problem import PlanMode
from microcareer.domain.pathways.records import StoredPlan
from microcareer.domain.profiles.profile import Profile
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import gap_analysis, pathway_catalogue, pathways
from microcareer.services.pathways import PlanOptions, ShapeWithPlan
from tests.integration.job_market_helpers import NOW, a_job, make_people, uid
from tests.integration.store.marketplace_helpers import make_market
from tests.integration.store.test_credential_services import LEA, _issue, _world, accept
from tests.integration.taxonomy_helpers import HASKELL, PROGRAMMING, PYTHON, PYTHON_KEY

CATALOGUE = f"""id,kind,title,provider,url,skills,hours,cost,currency,prerequisites,quality
prog,course,Programming foundations,Open Uni,https://u.example/prog,{PROGRAMMING}=3,20,0,EUR,,0.9
py,course,Python in practice,Code School,https://c.example/py,{PYTHON_KEY}=4,30,120.00,EUR,{PROGRAMMING}=2,0.7
hs,microcredential,Haskell badge,FP Guild,,{HASKELL}=3,25,60.00,EUR,{PROGRAMMING}=2,0.5
py-cheap,course,Python crash course,Video Site,,{PYTHON}=3,50,10.00,EUR,,0.3
"""


def _import(platform: Platform, text: str = CATALOGUE, actor: Actor | None = None) -> None:
    pathway_catalogue.import_catalogue(
        platform.uow(),
        platform.caches,
        platform.lexicons,
        actor=actor or Actor.system(),
        text=text,
        source="catalogue.csv",
        now=NOW,
    )


def _make(platform: Platform, actor: Actor, user_id: int, **options: object) -> StoredPlan:
    return pathways.create_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        target_kind="skills",
        target=f"{PYTHON},{HASKELL}",
        options=PlanOptions(**options),  # type: ignore[arg-type]
        now=NOW,
    )


def test_a_plan_is_made_saved_and_replanned_as_steps_are_done(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    _import(platform)
    pro = uid(people.pro)
    stored = _make(platform, people.pro, pro, hours_per_week=10.0)
    plan = stored.plan
    ids = [s["id"] for s in plan["steps"]]
    # Programming first (both others need it), then Python and Haskell; the cheap slow Python course
    # loses to the in-practice one in the balanced mode
    assert ids[0] == "prog"
    assert set(ids) == {"prog", "py", "hs"}
    assert plan["method"] == "exact"
    assert plan["optimal"] is True
    assert plan["total_cost"]["amount_minor"] == 18_000
    assert plan["total_hours"] == 75
    assert plan["total_weeks"] == 8
    assert all(week["hours"] <= 10 for week in plan["weeks"])
    assert plan["fit_after"] == 1.0
    assert plan["fit_before"] < plan["steps"][-1]["fit_after"]
    assert "needs" in plan["steps"][1]["why"]
    shape = plan["career_shape"]
    assert shape["areas_now"] == 0  # nothing on the profile yet: everything the plan teaches opens an area
    assert shape["opened"]
    assert shape["areas_after"] == len(shape["opened"])
    assert all(not area["label"].startswith("http") for area in shape["opened"])
    assert {s["shape"] for s in plan["steps"]} == {"breadth"}

    assert [p.id for p in pathways.list_plans(platform.uow(), actor=people.pro, user_id=pro)] == [stored.id]
    again = pathways.get_plan(platform.uow(), actor=people.pro, plan_id=stored.id)
    assert again.plan == plan

    progressed = pathways.record_progress(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=people.pro,
        plan_id=stored.id,
        done=["prog"],
        now=NOW,
    )
    assert progressed.revision == 2
    assert progressed.done == ("prog",)
    left = [s["id"] for s in progressed.plan["steps"]]
    assert set(left) == {"py", "hs"}
    assert progressed.plan["done_steps"][0]["id"] == "prog"
    with pytest.raises(InvalidInput, match="not a step"):
        pathways.record_progress(
            platform.uow(),
            gap_analysis.graph_cache(platform.caches),
            actor=people.pro,
            plan_id=stored.id,
            done=["nope"],
            now=NOW,
        )


def test_budget_and_mode_change_the_plan(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    _import(platform)
    pro = uid(people.pro)
    cheapest = _make(platform, people.pro, pro, mode=PlanMode.CHEAPEST).plan
    assert "py-cheap" in [s["id"] for s in cheapest["steps"]]
    tight = _make(platform, people.pro, pro, budget="70.00").plan
    assert tight["total_cost"]["amount_minor"] <= 7_000
    assert tight["uncovered"] or tight["total_cost"]["amount_minor"] <= 7_000


def test_open_micro_jobs_become_paid_steps(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    with platform.uow() as uow:
        job = uow.marketplace.add_job(
            uid(people.client),
            a_job(state=JobState.OPEN, required_skills=(PROGRAMMING,), nice_skills=(HASKELL,)),
            at=NOW,
        )
        uow.commit()
    with platform.uow() as uow:
        steps = pathway_catalogue.catalogue_steps(uow, actor=people.pro)
    gig = next(s for s in steps if s.id == f"job:{job.id}")
    assert gig.income.amount == 50_000
    assert gig.teaches == {PROGRAMMING: 3, HASKELL: 3}
    assert [p.uri for p in gig.needs_skills] == [PROGRAMMING]


def test_only_the_owner_and_platform_admins_reach_a_plan(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    _import(platform)
    pro = uid(people.pro)
    stored = _make(platform, people.pro, pro)
    admin = Actor(user_id=uid(people.client), roles=frozenset({Role.PLATFORM_ADMIN}))
    assert pathways.get_plan(platform.uow(), actor=admin, plan_id=stored.id).id == stored.id
    assert pathways.get_plan(platform.uow(), actor=Actor.system(), plan_id=stored.id).id == stored.id
    for outsider in (people.client, people.admin, people.stranger):
        with pytest.raises(NotFound):
            pathways.get_plan(platform.uow(), actor=outsider, plan_id=stored.id)
        with pytest.raises(PermissionDenied):
            pathways.list_plans(platform.uow(), actor=outsider, user_id=pro)
        with pytest.raises(PermissionDenied):
            _make(platform, outsider, pro)
        with pytest.raises(NotFound):
            pathways.delete_plan(platform.uow(), actor=outsider, plan_id=stored.id)
    with pytest.raises(NotAuthenticated):
        pathways.list_plans(platform.uow(), actor=Actor(user_id=None), user_id=pro)
    with pytest.raises(PermissionDenied):
        _import(platform, actor=people.pro)
    pathways.delete_plan(platform.uow(), actor=people.pro, plan_id=stored.id)
    assert pathways.list_plans(platform.uow(), actor=people.pro, user_id=pro) == []


def test_a_bad_catalogue_keeps_nothing_and_names_each_row(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    bad = CATALOGUE + "x,course,Unknown,,,no such skill at all=3,5,0,EUR,,\ny,course,Y,,,Python,0,0,EUR,,\n"
    with pytest.raises(BatchRejected) as caught:
        _import(platform, bad)
    assert {(r["line"], r["column"]) for r in caught.value.extra["rows"]} == {(6, "skills"), (7, "hours")}
    with platform.uow() as uow:
        assert uow.pathways.catalogue() == []
    _import(platform)
    _import(platform)  # the same ids again replace, never duplicate
    with platform.uow() as uow:
        assert sorted(s.step.id for s in uow.pathways.catalogue()) == ["hs", "prog", "py", "py-cheap"]


def test_a_completed_contract_marks_its_micro_job_done(platform: Platform) -> None:
    market = make_market(platform)
    with platform.uow() as uow:
        contract = uow.marketplace.get_contract(market.fixed_id)
        assert contract is not None
        planned = [f"job:{contract.job_id}", "prog"]
        assert pathways.evidence_done(uow, user_id=uid(market.professional), planned=planned) == []
        uow.marketplace.set_contract_state(contract.id, ContractState.COMPLETED, at=NOW, ended=True)
        uow.commit()
    with platform.uow() as uow:
        done = pathways.evidence_done(uow, user_id=uid(market.professional), planned=planned)
        assert done == [f"job:{contract.job_id}"]
        assert pathways.evidence_done(uow, user_id=uid(market.client), planned=planned) == []


def _shape(platform: Platform, actor: Actor, user_id: int, plan_id: int | None = None) -> ShapeWithPlan:
    return pathways.shape_with_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=actor,
        user_id=user_id,
        today=NOW.date(),
        plan_id=plan_id,
    )


def test_the_career_shape_shows_what_the_plan_deepens_and_opens(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    people = make_people(platform)
    _import(platform)
    pro = uid(people.pro)
    # nothing on the profile and no plan: no effect to show
    bare = _shape(platform, people.pro, pro)
    assert bare.plan is None
    assert bare.report.after is None
    assert bare.report.changes == ()
    stored = _make(platform, people.pro, pro, hours_per_week=10.0)
    found = _shape(platform, people.pro, pro)
    assert found.plan is not None
    assert found.plan.id == stored.id  # the latest plan when none is named
    after = found.report.after
    assert after is not None
    assert found.report.shape.areas == ()  # nothing held now
    # the plan's areas (as the plan names them) are those the shape after it opens, by the same measure
    opened = {c.uri for c in found.report.changes if c.opened}
    assert opened == {a["uri"] for a in stored.plan["career_shape"]["opened"]}
    assert {a.uri for a in after.areas} == opened
    assert all(c.before == 0.0 < c.after for c in found.report.changes)
    assert after.explanation != found.report.shape.explanation

    # once a step is done and its skill is on the profile, what is left of the plan deepens that area
    with platform.uow() as uow:
        uow.profiles.save(pro, Profile(), resume_extras={}, at=NOW)
        uow.profiles.set_skill(pro, PROGRAMMING, 3, at=NOW)
        uow.commit()
    progressed = pathways.record_progress(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=people.pro,
        plan_id=stored.id,
        done=["prog"],
        now=NOW,
    )
    later = _shape(platform, people.pro, pro, progressed.id)
    now_areas = {a.uri for a in later.report.shape.areas}
    assert now_areas
    deepened = {c.uri for c in later.report.changes if not c.opened}
    assert deepened & now_areas
    assert all(c.after > c.before for c in later.report.changes)

    # a platform admin sees it; anyone else naming the plan is told it does not exist
    admin = Actor(user_id=uid(people.client), roles=frozenset({Role.PLATFORM_ADMIN}))
    assert _shape(platform, admin, pro, stored.id).report.after is not None
    for outsider in (people.client, people.admin, people.stranger):
        with pytest.raises(NotFound):
            _shape(platform, outsider, pro, stored.id)
    # a plan of someone else is not this person's plan
    other = _make(platform, people.stranger, uid(people.stranger))
    with pytest.raises(NotFound):
        _shape(platform, people.pro, pro, other.id)


def test_an_earned_credential_marks_its_step_done_and_replans_the_rest(taxonomy_platform: Platform) -> None:
    platform = taxonomy_platform
    world = _world(platform)  # an approved issuer's achievement aligned to Python and Haskell, level 4
    _import(platform)
    lea = world.learner
    assert lea.user_id is not None
    stored = pathways.create_plan(
        platform.uow(),
        gap_analysis.graph_cache(platform.caches),
        actor=lea,
        user_id=lea.user_id,
        target_kind="skills",
        target=f"{PYTHON},{HASKELL},{PROGRAMMING}",
        options=PlanOptions(hours_per_week=10.0),
        now=NOW,
    )
    step = f"achievement:{world.achievement_id}"
    ids = [s["id"] for s in stored.plan["steps"]]
    assert step in ids  # the free badge teaches both Python and Haskell
    badge = next(s for s in stored.plan["steps"] if s["id"] == step)
    assert badge["hours"] == pathway_catalogue.ACHIEVEMENT_HOURS
    assert badge["cost"]["amount_minor"] == 0
    assert badge["assumed"].startswith("hours and price not stated by the issuer")
    assert badge["criteria"] == "Passed a proctored 3-hour practical."
    prog = next(s for s in stored.plan["steps"] if s["id"] == "prog")
    assert prog["assumed"] == prog["criteria"] == ""  # an imported step states its hours and cost
    assert "prog" in ids  # programming is still needed

    def progress() -> StoredPlan:
        return pathways.record_progress(
            platform.uow(), gap_analysis.graph_cache(platform.caches), actor=lea, plan_id=stored.id, now=NOW
        )

    unchanged = progress()  # nothing earned yet: nothing is done
    assert unchanged.done == ()
    assert step in [s["id"] for s in unchanged.plan["steps"]]

    (record,) = _issue(world, LEA)
    with platform.uow() as uow:
        (entry,) = uow.credentials.wallet(lea.user_id)
    assert entry.issued_id == record.id
    accept(world, entry.id)
    replanned = progress()
    assert replanned.done == (step,)
    assert replanned.revision == 3
    left = [s["id"] for s in replanned.plan["steps"]]
    assert step not in left
    assert left == ["prog"]  # the rest re-planned: only programming is left to do
    assert replanned.plan["done_steps"][0]["id"] == step
    assert replanned.plan["fit_before"] > stored.plan["fit_before"]
