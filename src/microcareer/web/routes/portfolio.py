"""/portfolio: edit your public page and its items; /p/{handle}: the page as anyone it is shown to
reads it (signed-out strangers too when the profile is public), with schema.org Person markup, a print
stylesheet, and /p/{handle}/resume.json (JSON Resume)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings, json_ld_script
from microcareer.errors import MicrocareerError
from microcareer.services import offers, portfolio
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.marketplace_pages import resolve_skill
from microcareer.web.network_pages import act, number, refusal, skill_texts
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import to_login, today_of
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def page_url(platform: Platform, handle: str) -> str:
    return f"{platform.settings.public_url.rstrip('/')}/p/{handle}"


@router.get("/portfolio", response_class=HTMLResponse)
def edit_page(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    identity = current_identity(request)
    if identity is None:
        return to_login("/portfolio")
    me = identity.user.id
    settings = portfolio.settings_of(platform.uow(), actor=actor, user_id=me)
    try:
        page = portfolio.page(platform.uow(), actor=actor, handle=settings.handle, today=today_of(platform))
        items = page.items
    except MicrocareerError:  # never saved yet: no page, no items
        items = ()
    context = page_context(
        request,
        settings=settings,
        items=items,
        sources=portfolio.sources(platform.uow(), actor=actor, user_id=me),
        url=page_url(platform, settings.handle),
    )
    return templates.TemplateResponse(request, "portfolio/edit.html", context)


def _checked(data: FormData, name: str) -> bool:
    return field_of(data, name) == "on"


@router.post("/portfolio/settings", response_class=HTMLResponse)
async def save_settings(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        settings = PortfolioSettings(
            handle=field_of(data, "handle"),
            headline=field_of(data, "headline"),
            narrative=field_of(data, "narrative"),
            published=_checked(data, "published"),
            show_credentials=_checked(data, "show_credentials"),
            show_reputation=_checked(data, "show_reputation"),
            show_skills=_checked(data, "show_skills"),
        )
        portfolio.save_settings(
            platform.uow(), actor=actor, user_id=me, settings=settings, now=platform.clock()
        )

    return await act(request, "/portfolio", run)


def _item(platform: Platform, actor: Actor, data: FormData) -> PortfolioItem:
    skills = tuple(
        resolve_skill(platform, actor, text, f"skills[{i}]")
        for i, text in enumerate(skill_texts(field_of(data, "skills")))
    )
    return PortfolioItem(
        title=field_of(data, "title"),
        description=field_of(data, "description"),
        link=field_of(data, "link"),
        image_url=field_of(data, "image_url"),
        skills=skills,
        contract_id=number(field_of(data, "contract_id")),
        wallet_entry_id=number(field_of(data, "wallet_entry_id")),
    )


@router.post("/portfolio/items", response_class=HTMLResponse)
async def add_item(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> None:
        portfolio.add_item(
            platform.uow(), actor=actor, user_id=me, item=_item(platform, actor, data), now=platform.clock()
        )

    return await act(request, "/portfolio", run)


@router.post("/portfolio/items/{item_id}/edit", response_class=HTMLResponse)
async def edit_item(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    """The item changed in place (``PUT /api/v1/portfolio/items/{id}``): every field as the form sends it."""

    def run(data: FormData, me: int) -> str:
        portfolio.update_item(
            platform.uow(), actor=actor, user_id=me, item_id=item_id, item=_item(platform, actor, data)
        )
        return f"/portfolio#item-{item_id}"

    return await act(request, "/portfolio", run)


@router.post("/portfolio/items/{item_id}/remove", response_class=HTMLResponse)
async def remove_item(
    request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> None:
        portfolio.remove_item(platform.uow(), actor=actor, user_id=me, item_id=item_id)

    return await act(request, "/portfolio", run)


def _services_on_sale(platform: Platform, actor: Actor, handle: str) -> int:
    """How many of the person's service offers this reader may order (their storefront's, issue 22)."""
    try:
        store = offers.storefront(platform.uow(), actor=actor, handle=handle)
    except MicrocareerError:  # no storefront this reader may see
        return 0
    return sum(1 for offer in store.offers if offer.on_sale)


@router.get("/p/{handle}", response_class=HTMLResponse)
def public_page(request: Request, handle: str, platform: PlatformDep, actor: WebActorDep) -> Response:
    try:
        page = portfolio.page(
            platform.uow(),
            actor=actor,
            handle=handle[:60],
            today=today_of(platform),
            policy=platform.evidence_policy,
        )
    except MicrocareerError as exc:
        return refusal(request, str(exc), "/", exc.status)
    url = page_url(platform, page.settings.handle)
    context = page_context(
        request,
        page=page,
        url=url,
        services=_services_on_sale(platform, actor, page.settings.handle),
        json_ld=Markup(json_ld_script(page.json_ld(url))),  # noqa: S704 - escaped for a script element
    )
    return templates.TemplateResponse(request, "portfolio/page.html", context)


@router.get("/p/{handle}/resume.json")
def public_resume(handle: str, platform: PlatformDep, actor: WebActorDep) -> Response:
    try:
        page = portfolio.page(
            platform.uow(),
            actor=actor,
            handle=handle[:60],
            today=today_of(platform),
            policy=platform.evidence_policy,
        )
    except MicrocareerError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    document = portfolio.json_resume(page, page_url(platform, page.settings.handle))
    return JSONResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="{page.settings.handle}-resume.json"'},
    )
