"""/offers (browse and search, publish, an offer with its packages and Order buttons, edit, pause),
/offers/orders (placed and sold; deliver, ask for a revision, accept) and /store/{handle} (a seller's
storefront). Every form goes through ``network_pages.act``: signed in, CSRF checked, the service's
refusal shown as a page naming what was wrong."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from microcareer.api.deps import PlatformDep
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.money import Money, currency_code
from microcareer.domain.marketplace.offers import PACKAGES_MAX, Offer, Package
from microcareer.errors import InvalidInput, MicrocareerError
from microcareer.services import offers
from microcareer.web.auth import WebActorDep, current_identity, page_context
from microcareer.web.network_pages import act, refusal, skill_texts
from microcareer.web.profile_forms import field_of
from microcareer.web.routes.profiles import to_login
from microcareer.web.templating import templates

router = PrefixRouter(include_in_schema=False)


def _page(request: Request, template: str, **values: object) -> HTMLResponse:
    return templates.TemplateResponse(request, template, page_context(request, **values))


def _shown(request: Request, read: Callable[[], object], template: str, name: str) -> Response:
    """A page of one thing the reader may see, or the refusal as a page (404 when hidden)."""
    try:
        found = read()
    except MicrocareerError as exc:
        return refusal(request, str(exc), "/offers", exc.status)
    return _page(request, template, **{name: found})


def _whole(text: str, field: str) -> int:
    value = text.strip()
    if not (value.isdigit() and len(value) < 6):
        raise InvalidInput(f"{field}: a whole number, not {value[:20]!r}", field=field)
    return int(value)


def _packages(data: FormData) -> tuple[Package, ...]:
    currency = currency_code(field_of(data, "currency") or "EUR")
    found: list[Package] = []
    for i in range(PACKAGES_MAX):
        name = field_of(data, f"package_name_{i}").strip()
        if not name:
            continue
        where = f"packages[{i}]"
        found.append(
            Package(
                name=name,
                price=Money.parse(field_of(data, f"package_price_{i}") or "0", currency),
                delivery_days=_whole(field_of(data, f"package_days_{i}"), f"{where}.delivery_days"),
                revisions=_whole(field_of(data, f"package_revisions_{i}") or "0", f"{where}.revisions"),
                description=field_of(data, f"package_description_{i}"),
            )
        )
    return tuple(found)


def _offer(platform: Platform, actor: Actor, data: FormData) -> Offer:
    return Offer(
        title=field_of(data, "title"),
        description=field_of(data, "description"),
        skills=offers.resolve_skills(
            platform.uow(),
            platform.caches,
            platform.lexicons,
            actor=actor,
            texts=skill_texts(field_of(data, "skills")),
        ),
        packages=_packages(data),
        gallery=tuple(line.strip() for line in field_of(data, "gallery").splitlines() if line.strip()),
    )


@router.get("/offers", response_class=HTMLResponse)
def browse(
    request: Request, platform: PlatformDep, actor: WebActorDep, q: str = "", skill: str = ""
) -> Response:
    try:
        uris = offers.resolve_skills(
            platform.uow(),
            platform.caches,
            platform.lexicons,
            actor=actor,
            texts=[skill[:500]] if skill else [],
            field="skill",
        )
        found = offers.browse(platform.uow(), actor=actor, text=q[:200], skill=uris[0] if uris else None)
    except MicrocareerError as exc:
        return refusal(request, str(exc), "/offers", exc.status)
    return _page(request, "offers/index.html", offers=found, q=q, skill=skill, seller=offers.is_seller(actor))


@router.get("/offers/new", response_class=HTMLResponse)
def new_offer(request: Request, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/offers/new")
    return _page(request, "offers/edit.html", view=None)


@router.post("/offers", response_class=HTMLResponse)
async def publish(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        made = offers.publish(
            platform.uow(), actor=actor, offer=_offer(platform, actor, data), now=platform.clock()
        )
        return f"/offers/{made.id}"

    return await act(request, "/offers/new", run)


@router.get("/offers/orders", response_class=HTMLResponse)
def my_orders(request: Request, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login("/offers/orders")
    mine = offers.my_offers(platform.uow(), actor=actor)
    return _page(
        request, "offers/orders.html", orders=offers.my_orders(platform.uow(), actor=actor), mine=mine
    )


@router.get("/offers/orders/{order_id}", response_class=HTMLResponse)
def order_page(request: Request, order_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/offers/orders/{order_id}")
    return _shown(
        request,
        lambda: offers.get_order(platform.uow(), actor=actor, order_id=order_id),
        "offers/order.html",
        "view",
    )


Step = Callable[[Platform, Actor, int, str], object]
"""A posted action on an offer or an order: (platform, actor, its id, the form's note)."""


def _step(path: str, step: Step) -> None:
    """POST ``path`` (its id as ``{item_id}``) runs ``step``, then back to the offer's or order's page."""
    back = path.rsplit("/", 1)[0]

    @router.post(path, response_class=HTMLResponse, name=path)
    async def post(request: Request, item_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
        def run(data: FormData, me: int) -> None:
            step(platform, actor, item_id, field_of(data, "note"))

        return await act(request, back.format(item_id=item_id), run)


_step(
    "/offers/orders/{item_id}/deliver",
    lambda p, a, i, n: offers.deliver(p.uow(), actor=a, order_id=i, note=n, now=p.clock()),
)
_step(
    "/offers/orders/{item_id}/revision",
    lambda p, a, i, n: offers.request_revision(p.uow(), actor=a, order_id=i, note=n, now=p.clock()),
)
_step(
    "/offers/orders/{item_id}/accept",
    lambda p, a, i, n: offers.accept_delivery(p.uow(), actor=a, order_id=i, now=p.clock()),
)
_step(
    "/offers/{item_id}/pause",
    lambda p, a, i, n: offers.set_paused(p.uow(), actor=a, offer_id=i, paused=True, now=p.clock()),
)
_step(
    "/offers/{item_id}/resume",
    lambda p, a, i, n: offers.set_paused(p.uow(), actor=a, offer_id=i, paused=False, now=p.clock()),
)


@router.get("/offers/{offer_id}", response_class=HTMLResponse)
def offer_page(request: Request, offer_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _shown(
        request,
        lambda: offers.get_offer(platform.uow(), actor=actor, offer_id=offer_id),
        "offers/offer.html",
        "view",
    )


@router.get("/offers/{offer_id}/edit", response_class=HTMLResponse)
def edit_offer(request: Request, offer_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    if current_identity(request) is None:
        return to_login(f"/offers/{offer_id}/edit")
    return _shown(
        request,
        lambda: offers.get_offer(platform.uow(), actor=actor, offer_id=offer_id),
        "offers/edit.html",
        "view",
    )


@router.post("/offers/{offer_id}/edit", response_class=HTMLResponse)
async def save_offer(
    request: Request, offer_id: RowId, platform: PlatformDep, actor: WebActorDep
) -> Response:
    def run(data: FormData, me: int) -> str:
        offer = _offer(platform, actor, data)
        offers.update(platform.uow(), actor=actor, offer_id=offer_id, offer=offer, now=platform.clock())
        return f"/offers/{offer_id}"

    return await act(request, f"/offers/{offer_id}/edit", run)


@router.post("/offers/{offer_id}/order", response_class=HTMLResponse)
async def order(request: Request, offer_id: RowId, platform: PlatformDep, actor: WebActorDep) -> Response:
    def run(data: FormData, me: int) -> str:
        placed = offers.place_order(
            platform.uow(),
            actor=actor,
            offer_id=offer_id,
            package=_whole(field_of(data, "package"), "package"),
            requirements=field_of(data, "requirements"),
            fee_bp=platform.settings.marketplace_fee_basis_points,
            now=platform.clock(),
        )
        return f"/offers/orders/{placed.order.id}"

    return await act(request, f"/offers/{offer_id}", run)


@router.get("/store/{handle}", response_class=HTMLResponse)
def storefront(request: Request, handle: str, platform: PlatformDep, actor: WebActorDep) -> Response:
    return _shown(
        request,
        lambda: offers.storefront(platform.uow(), actor=actor, handle=handle[:60]),
        "offers/store.html",
        "store",
    )
