"""/api/v1/skills: search ESCO and organisation skills, look one up, add an organisation's own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status
from starlette.concurrency import run_in_threadpool

from microcareer.api.deps import ActorDep, PageDep, PageParams, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.common import Page
from microcareer.api.schemas.skills import (
    OrgSkillCreate,
    SkillDetailPublic,
    SkillHitPublic,
    SkillNamePublic,
    SkillPublic,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.concepts import OrgLinkRelation
from microcareer.services import skill_names, taxonomy

router = PrefixRouter(prefix="/skills", tags=["skills"], route_class=OneHopRoute)

QueryParam = Annotated[
    str, Query(min_length=1, max_length=200, description="Words of a skill's label; typos are tolerated.")
]


@router.get("", response_model=Page[SkillHitPublic], summary="Search skills by label")
async def search_skills(
    q: QueryParam, page: PageDep, platform: PlatformDep, actor: ActorDep
) -> Page[SkillHitPublic] | Response:
    """Exact label matches first, then labels that start with the query, then word prefixes, then typos."""
    recent = platform.recent_reads
    if not recent.enabled:
        return await run_in_threadpool(_search_skills, platform, actor, q, page)
    # The answer as sent, remembered for the words, the page and the organisations whose own skills
    # the caller sees (RecentReads' rules: it lapses at any commit through this process and after its
    # seconds), is given back on the event loop; the store is read in the thread pool only when it is
    # not. The key is made after the caller is authorised and the query checked, as before.
    key = (
        "api skills",
        taxonomy.skill_search_key(actor=actor, query=q, limit=page.limit, offset=page.offset),
    )

    async def read() -> str:
        answer = await run_in_threadpool(_search_skills, platform, actor, q, page)
        return answer.model_dump_json(by_alias=True)

    return Response(content=await recent.read_async(key, read), media_type="application/json")


def _search_skills(platform: Platform, actor: Actor, q: str, page: PageParams) -> Page[SkillHitPublic]:
    found = taxonomy.search_skills(
        platform.uow(),
        taxonomy.label_index_cache(platform.caches),
        actor=actor,
        query=q,
        limit=page.limit,
        offset=page.offset,
    )
    items = [SkillHitPublic.of(hit) for hit in found.hits]
    return Page(items=items, total=found.total, limit=found.limit, offset=found.offset)


@router.get("/resolve", response_model=SkillNamePublic, summary="What a skill's name stands for")
def resolve_name(
    name: Annotated[str, Query(min_length=1, max_length=200, description="Docker, python, SQL, ...")],
    platform: PlatformDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SkillNamePublic:
    """The skills a name may stand for, best first, each with why it matched (a preferred, alternative
    or hidden label, the same words, a tool name, a label without its verb, then near matches), and
    the one it names when there is one: how the profile, jobs and achievements read a typed skill."""
    found = skill_names.suggest_skills(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, name=name, limit=limit
    )
    return SkillNamePublic.of(found)


@router.get("/by-uri", response_model=SkillDetailPublic, summary="Look a skill up by its URI")
def skill_by_uri(
    uri: Annotated[str, Query(min_length=1, max_length=255)], platform: PlatformDep, actor: ActorDep
) -> SkillDetailPublic:
    return SkillDetailPublic.of(taxonomy.get_skill(platform.uow(), actor=actor, uri_or_key=uri))


@router.get("/{key}", response_model=SkillDetailPublic, summary="Look a skill up by its key")
def skill_by_key(key: str, platform: PlatformDep, actor: ActorDep) -> SkillDetailPublic:
    """The key is the last segment of the skill's URI (for ESCO, its UUID)."""
    return SkillDetailPublic.of(taxonomy.get_skill(platform.uow(), actor=actor, uri_or_key=key))


@router.post(
    "",
    response_model=SkillPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add an organisation's own skill",
)
def add_org_skill(body: OrgSkillCreate, platform: PlatformDep, actor: ActorDep) -> SkillPublic:
    """Linked to existing skills as narrower or related; seen only by the organisation's members."""
    skill = taxonomy.add_org_skill(
        platform.uow(),
        actor=actor,
        clock=platform.clock,
        organisation_id=body.organisation_id,
        label=body.label,
        alt_labels=body.alt_labels,
        description=body.description,
        links=[(link.uri, OrgLinkRelation(link.relation)) for link in body.links],
    )
    return SkillPublic.of_skill(skill)
