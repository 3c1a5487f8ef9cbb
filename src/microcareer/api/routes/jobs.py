"""/api/v1/jobs, /applications, /talent, /people: micro-jobs, applying to them, and finding people.

A job the caller may not see (another organisation's internal job, someone else's draft) is 404, never
403, so its existence does not leak; one the caller sees but may not manage is 403. Skills go in as
URIs or keys. Accepting an application makes the contract with the platform fee of
``MICROCAREER_MARKETPLACE_FEE_BASIS_POINTS`` (internal jobs pay none). Every refusal is a problem
document: 409 for a step the job or application is not in a state for, 422 for bad input.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Query, Response, status
from starlette.concurrency import run_in_threadpool

from microcareer.api.deps import ActorDep, PageDep, PageParams, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.contracts import ContractPublic
from microcareer.api.schemas.jobs import (
    AcceptBody,
    ApplicationPublic,
    ApplicationsPublic,
    CandidatePublic,
    JobBody,
    JobPublic,
    ProposalBody,
    ProposedSkillPublic,
    SkillProposalRequest,
    SkillProposalsPublic,
    TalentPublic,
)
from microcareer.api.schemas.search import (
    JobSearchPublic,
    PeopleSearchPublic,
    job_results,
    people_results,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.jobs import SKILLS_MAX, Audience, BudgetKind, JobState, MicroJob
from microcareer.domain.search import LIMIT_MAX, QUERY_MAX, JobFilters, PeopleFilters
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services import job_applications, micro_jobs, search, skill_names, talent_search
from microcareer.services.recent_reads import RecentReads

router = PrefixRouter(tags=["marketplace"], route_class=OneHopRoute)

SkillQuery = Annotated[
    list[str],
    Query(
        max_length=SKILLS_MAX,
        description="Skill URIs, keys or names (a label, a tool name such as Docker); repeat for more.",
    ),
]


def skill_uris(platform: Platform, actor: Actor, given: list[str], field: str) -> list[str]:
    """URIs as given; keys and names resolved as everywhere (an unknown one is a 422 naming its place)."""
    uris: list[str] = []
    for index, item in enumerate(given):
        text = item.strip()
        if ":" in text:
            uris.append(text)
            continue
        try:
            found = skill_names.resolve_skill(
                platform.uow(), platform.caches, platform.lexicons, actor=actor, text=text
            )
        except NotFound as exc:
            raise InvalidInput(f"{field}[{index}]: {exc}", field=field, **exc.extra) from None
        uris.append(found.skill.uri)
    return uris


def _job(platform: Platform, actor: Actor, body: JobBody) -> MicroJob:
    required = skill_uris(platform, actor, body.required_skills, "required_skills")
    nice = skill_uris(platform, actor, body.nice_skills, "nice_skills")
    return body.to_job(required, nice)


@router.post(
    "/jobs", response_model=JobPublic, status_code=status.HTTP_201_CREATED, summary="Post a job draft"
)
def post_job(body: JobBody, platform: PlatformDep, actor: ActorDep) -> JobPublic:
    """Clients post on the open market; an organisation's admins post internal jobs for it. The job
    starts as a draft only its poster (and the organisation's admins) see; publish it to open it."""
    job = _job(platform, actor, body)
    return JobPublic.of(micro_jobs.post_job(platform.uow(), actor=actor, job=job, now=platform.clock()))


@router.post(
    "/jobs/skill-proposals",
    response_model=SkillProposalsPublic,
    summary="Propose a job's skills from its brief",
)
def propose_skills(
    body: SkillProposalRequest, platform: PlatformDep, actor: ActorDep
) -> SkillProposalsPublic:
    """Required: skills the brief names word for word (or the single best match); nice-to-have: the
    rest. The poster confirms or edits them when posting."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to have skills proposed")
    required, nice = micro_jobs.propose_skills(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, brief=body.brief
    )
    return SkillProposalsPublic(
        required=[ProposedSkillPublic.of(s) for s in required],
        nice=[ProposedSkillPublic.of(s) for s in nice],
    )


@router.get("/jobs", response_model=JobSearchPublic, summary="Search the jobs you may see")
async def list_jobs(
    platform: PlatformDep,
    actor: ActorDep,
    page: PageDep,
    q: Annotated[
        str,
        Query(
            max_length=QUERY_MAX,
            description="Words of the title, brief, skills or place; misspellings are read as the "
            "nearest indexed words, the last word also as a prefix.",
        ),
    ] = "",
    skill: SkillQuery = [],  # noqa: B006 - FastAPI copies query defaults
    organisation: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Only this organisation's jobs (its id).")
    ] = None,
    audience: Annotated[Audience | None, Query(description="Only open-market or internal jobs.")] = None,
    remote: Annotated[bool | None, Query(description="Only remote (true) or on-site (false) jobs.")] = None,
    place: Annotated[str, Query(max_length=200, description="Jobs whose place contains this.")] = "",
    budget_kind: Annotated[BudgetKind | None, Query(description="Only fixed-price or hourly jobs.")] = None,
    budget_min: Annotated[
        int | None, Query(ge=0, le=10**12, description="Budget at least this (minor units).")
    ] = None,
    budget_max: Annotated[
        int | None, Query(ge=0, le=10**12, description="Budget at most this (minor units).")
    ] = None,
    mine: Annotated[bool, Query(description="Only the jobs you posted.")] = False,
    state: Annotated[
        list[JobState], Query(description="States to list (repeatable); open when left out.")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
) -> JobSearchPublic | Response:
    """Open-market jobs, your organisations' internal jobs, your own drafts (with ``mine`` and
    ``state=draft``): best match first with ``q``, else newest change first; ``facets`` counts all
    the results by each filter's values."""
    filters = JobFilters(
        skills=(),
        organisation_id=organisation,
        audience=audience,
        remote=remote,
        place=place,
        budget_kind=budget_kind,
        budget_min=budget_min,
        budget_max=budget_max,
    )
    recent = platform.recent_reads
    if not recent.enabled or not all(":" in given for given in skill):
        # a skill given by key or name is looked up in the store first: the page is read in the pool
        return await run_in_threadpool(
            _list_jobs, platform, actor, page, q, skill, filters, mine, state, recent
        )
    # The page's answer as sent, remembered for this viewer's visibility (RecentReads' rules: it
    # lapses at any commit through this process and after its seconds), is given back on the event
    # loop without a hop to the thread pool; the store is read in the pool only when it is not.
    query = _job_query(actor, page, q, replace(filters, skills=tuple(s.strip() for s in skill)), mine, state)
    key = ("api jobs", query.key, page.limit, page.offset)

    async def read() -> str:
        loaded = await run_in_threadpool(search.load_jobs, platform.uow(), query)
        return job_results(loaded, limit=page.limit, offset=page.offset).model_dump_json(by_alias=True)

    return Response(content=await recent.read_async(key, read), media_type="application/json")


def _job_query(
    actor: Actor, page: PageParams, q: str, filters: JobFilters, mine: bool, state: list[JobState]
) -> search.JobQuery:
    return search.job_query(
        actor=actor,
        q=q,
        filters=filters,
        mine=mine,
        states=state or [JobState.OPEN],
        limit=min(page.limit, micro_jobs.LIST_LIMIT_MAX),
        offset=page.offset,
    )


def _list_jobs(
    platform: Platform,
    actor: Actor,
    page: PageParams,
    q: str,
    skill: list[str],
    filters: JobFilters,
    mine: bool,
    state: list[JobState],
    recent: RecentReads,
) -> JobSearchPublic:
    """The job board read in a worker thread: skills resolved, then the page (remembered pages too)."""
    filters = replace(filters, skills=tuple(skill_uris(platform, actor, skill, "skill")))
    query = _job_query(actor, page, q, filters, mine, state)
    found = recent.read(query.key, lambda: search.load_jobs(platform.uow(), query))
    return job_results(found, limit=page.limit, offset=page.offset)


@router.get("/jobs/{job_id}", response_model=JobPublic, summary="One job")
def get_job(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> JobPublic:
    return JobPublic.of(micro_jobs.get_job(platform.uow(), actor=actor, job_id=job_id))


@router.put("/jobs/{job_id}", response_model=JobPublic, summary="Replace a draft or open job")
def put_job(job_id: RowId, body: JobBody, platform: PlatformDep, actor: ActorDep) -> JobPublic:
    """Its poster or the organisation's admins, until an application is accepted; a published job
    keeps its audience and organisation, and its currency once applications came in."""
    job = _job(platform, actor, body)
    updated = micro_jobs.update_job(platform.uow(), actor=actor, job_id=job_id, job=job, now=platform.clock())
    return JobPublic.of(updated)


@router.post("/jobs/{job_id}/publish", response_model=JobPublic, summary="Open a draft for applications")
def publish_job(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> JobPublic:
    return JobPublic.of(
        micro_jobs.publish_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    )


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic, summary="Cancel a draft or open job")
def cancel_job(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> JobPublic:
    """Pending applications are declined; a job in progress ends with its contract instead (409)."""
    return JobPublic.of(
        micro_jobs.cancel_job(platform.uow(), actor=actor, job_id=job_id, now=platform.clock())
    )


@router.post(
    "/jobs/{job_id}/applications",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Apply to a job",
)
def apply(job_id: RowId, body: ProposalBody, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    """A proposal in the budget's currency: the rate (per hour, or the total for a fixed job), hours,
    hours a week and a message. Internal jobs wait for the applicant's manager to approve."""
    applied = job_applications.apply(
        platform.uow(), actor=actor, job_id=job_id, proposal=body.to_proposal(), now=platform.clock()
    )
    return ApplicationPublic.of(applied)


@router.get("/jobs/{job_id}/applications", response_model=ApplicationsPublic, summary="A job's applications")
def job_applications_list(job_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationsPublic:
    """For the poster and the organisation's admins, oldest first."""
    found = job_applications.list_for_job(platform.uow(), actor=actor, job_id=job_id)
    return ApplicationsPublic(items=[ApplicationPublic.of(a) for a in found])


@router.get(
    "/users/{user_id}/applications", response_model=ApplicationsPublic, summary="Your own applications"
)
def my_applications(user_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationsPublic:
    """Newest first; only the person sees them (anyone else signed in gets 404)."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see your applications")
    if actor.user_id != user_id:
        raise NotFound(f"no applications of user {user_id} for you: only the person sees them")
    found = job_applications.my_applications(platform.uow(), actor=actor)
    return ApplicationsPublic(items=[ApplicationPublic.of(a) for a in found])


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=ApplicationPublic,
    summary="Withdraw your application",
)
def withdraw(application_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    done = job_applications.withdraw(
        platform.uow(), actor=actor, application_id=application_id, now=platform.clock()
    )
    return ApplicationPublic.of(done)


@router.post(
    "/applications/{application_id}/shortlist",
    response_model=ApplicationPublic,
    summary="Shortlist an application",
)
def shortlist(application_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    done = job_applications.shortlist(
        platform.uow(), actor=actor, application_id=application_id, now=platform.clock()
    )
    return ApplicationPublic.of(done)


@router.post(
    "/applications/{application_id}/decline",
    response_model=ApplicationPublic,
    summary="Decline an application",
)
def decline(application_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    done = job_applications.decline(
        platform.uow(), actor=actor, application_id=application_id, now=platform.clock()
    )
    return ApplicationPublic.of(done)


@router.post(
    "/applications/{application_id}/approve",
    response_model=ApplicationPublic,
    summary="Approve an employee's internal gig (their manager)",
)
def approve(application_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    """The applicant's designated manager or an admin of the job's organisation; never the applicant."""
    done = job_applications.decide_approval(
        platform.uow(), actor=actor, application_id=application_id, approve=True, now=platform.clock()
    )
    return ApplicationPublic.of(done)


@router.post(
    "/applications/{application_id}/refuse",
    response_model=ApplicationPublic,
    summary="Refuse an employee's internal gig (their manager)",
)
def refuse(application_id: RowId, platform: PlatformDep, actor: ActorDep) -> ApplicationPublic:
    done = job_applications.decide_approval(
        platform.uow(), actor=actor, application_id=application_id, approve=False, now=platform.clock()
    )
    return ApplicationPublic.of(done)


@router.post(
    "/applications/{application_id}/accept",
    response_model=ContractPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Accept an application: make the contract",
)
def accept(
    application_id: RowId, platform: PlatformDep, actor: ActorDep, body: AcceptBody | None = None
) -> ContractPublic:
    """Fixed jobs get ``milestones`` (title, amount, due) adding up to the proposal's price; hourly
    jobs a ``weekly_limit_hours``. The job goes in progress and the other applications are declined."""
    contract = job_applications.accept(
        platform.uow(),
        actor=actor,
        application_id=application_id,
        terms=(body or AcceptBody()).to_terms(),
        fee_bp=platform.settings.marketplace_fee_basis_points,
        now=platform.clock(),
    )
    return ContractPublic.of(contract)


@router.get("/talent", response_model=TalentPublic, summary="Find available people by skills")
def find_talent(
    platform: PlatformDep,
    actor: ActorDep,
    skill: SkillQuery = [],  # noqa: B006 - FastAPI copies query defaults
    limit: Annotated[int, Query(ge=1, le=talent_search.LIMIT_MAX, description="How many people.")] = 20,
) -> TalentPublic:
    """People whose profile you may read and who are available, ranked by how well their evidence
    covers the skills (a verified credential above a self-claim), each skill explained."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to search for people")
    uris = skill_uris(platform, actor, skill, "skill")
    found = talent_search.find_people(
        platform.uow(),
        actor=actor,
        skills=uris,
        limit=limit,
        today=platform.clock().date(),
        policy=platform.evidence_policy,
    )
    return TalentPublic(skills=uris, items=[CandidatePublic.of(c) for c in found])


@router.get("/people", response_model=PeopleSearchPublic, summary="Search people by words and facets")
def search_people(
    platform: PlatformDep,
    actor: ActorDep,
    page: PageDep,
    q: Annotated[
        str,
        Query(max_length=QUERY_MAX, description="Words of the name, headline, skills, place or experience."),
    ] = "",
    skill: SkillQuery = [],  # noqa: B006 - FastAPI copies query defaults
    organisation: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Members of this organisation of yours (its id).")
    ] = None,
    place: Annotated[str, Query(max_length=200, description="City, region or country containing this.")] = "",
    rate_max: Annotated[
        float | None, Query(ge=0, le=10**7, description="An hourly rate at most this (or none said).")
    ] = None,
    hours_min: Annotated[
        int | None, Query(ge=0, le=168, description="Available at least this many hours a week.")
    ] = None,
) -> PeopleSearchPublic:
    """Signed-in only: available people whose profile you may read (public ones; organisation ones
    inside your organisations), yourself left out; ``facets`` counts all the results."""
    filters = PeopleFilters(
        skills=tuple(skill_uris(platform, actor, skill, "skill")),
        organisation_id=organisation,
        place=place,
        rate_max=rate_max,
        hours_min=hours_min,
    )
    limit = min(page.limit, LIMIT_MAX)
    found = search.search_people(
        platform.uow(), actor=actor, q=q, filters=filters, limit=limit, offset=page.offset
    )
    return people_results(found, limit=limit, offset=page.offset)
