"""Skill and occupation search pages, and a page for each skill and occupation.

``/search`` is a plain GET form that works without JavaScript; with htmx, typing asks the same route
for the results fragment alone (``HX-Request`` header) and swaps it in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.taxonomy.keys import concept_key
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from microcareer.services import skill_names, taxonomy
from microcareer.services.skill_names import NamedSkill
from microcareer.web.auth import WebActorDep, page_context
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)

PAGE_SIZE = 25
templates.env.filters["concept_key"] = concept_key


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    platform: PlatformDep,
    actor: WebActorDep,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Literal["skills", "occupations"] = "skills",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    page: taxonomy.SearchPage[Any] | None = None
    named: tuple[NamedSkill, ...] = ()
    error = None
    if q.strip():
        cache = taxonomy.label_index_cache(platform.caches)
        search = taxonomy.search_skills if kind == "skills" else taxonomy.search_occupations
        try:
            page = search(platform.uow(), cache, actor=actor, query=q, limit=PAGE_SIZE, offset=offset)
            if kind == "skills" and offset == 0:
                named = _named_otherwise(platform, actor, q)
        except InvalidInput as exc:
            error = str(exc)
    context = page_context(request, q=q, kind=kind, page=page, named=named, error=error)
    fragment = request.headers.get("HX-Request") == "true"
    name = "taxonomy/_results.html" if fragment else "taxonomy/search.html"
    return templates.TemplateResponse(request, name, context)


def _named_otherwise(platform: Platform, actor: Actor, q: str) -> tuple[NamedSkill, ...]:
    """Skills the words name other than by a label (a tool name, a plural, a label without its verb):
    what extraction would find for them, shown above the label matches."""
    found = skill_names.suggest_skills(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, name=q
    )
    return skill_names.named_not_by_label(found)


def _not_found(request: Request, message: str) -> HTMLResponse:
    context = page_context(request, message=message)
    return templates.TemplateResponse(request, "taxonomy/not_found.html", context, status_code=404)


@router.get("/skills/{key}", response_class=HTMLResponse)
def skill_page(key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> HTMLResponse:
    try:
        detail = taxonomy.get_skill(platform.uow(), actor=actor, uri_or_key=key)
    except NotFound as exc:
        return _not_found(request, str(exc))
    except (NotAuthenticated, PermissionDenied):
        # An organisation's skill, to someone outside it: say no more than for an unknown key.
        return _not_found(request, f"no skill has the URI or key {key!r}")
    return templates.TemplateResponse(request, "taxonomy/skill.html", page_context(request, detail=detail))


@router.get("/occupations/{key}", response_class=HTMLResponse)
def occupation_page(key: str, request: Request, platform: PlatformDep, actor: WebActorDep) -> HTMLResponse:
    try:
        detail = taxonomy.get_occupation(platform.uow(), actor=actor, uri_or_key=key)
    except NotFound as exc:
        return _not_found(request, str(exc))
    return templates.TemplateResponse(
        request, "taxonomy/occupation.html", page_context(request, detail=detail)
    )
