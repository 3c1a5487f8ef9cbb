"""/api/v1/offers (service offers: browse and search, publish, edit, pause, resume, order a package),
/api/v1/offers/orders (deliver, ask for a revision, accept) and /api/v1/stores/{handle} (a seller's
storefront). Reads are open to the signed-out where the seller's profile is public; an order's money
moves through its contract (/api/v1/contracts/{id}/ledger)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, status

from microcareer.api.deps import ActorDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.offers import (
    NoteBody,
    OfferBody,
    OfferPublic,
    OrderBody,
    OrderPublic,
    StorefrontPublic,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.offers import Offer
from microcareer.services import offers

router = PrefixRouter(tags=["offers"], route_class=OneHopRoute)

Handle = Annotated[str, Path(min_length=1, max_length=40, description="The storefront's handle.")]


def _offer(platform: Platform, actor: Actor, body: OfferBody) -> Offer:
    skills = offers.resolve_skills(
        platform.uow(), platform.caches, platform.lexicons, actor=actor, texts=body.skills
    )
    return Offer(
        title=body.title,
        description=body.description,
        skills=skills,
        packages=tuple(p.package() for p in body.packages),
        gallery=tuple(body.gallery),
    )


@router.get("/offers", response_model=list[OfferPublic], summary="Browse and search offers")
def browse(
    platform: PlatformDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=200, description="Words in the title or description.")] = "",
    skill: Annotated[
        str | None, Query(min_length=1, max_length=500, description="A skill's URI, key or name.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=offers.BROWSE_LIMIT_MAX)] = 50,
) -> list[OfferPublic]:
    uri = None
    if skill is not None:
        uri = offers.resolve_skills(
            platform.uow(), platform.caches, platform.lexicons, actor=actor, texts=[skill], field="skill"
        )[0]
    found = offers.browse(platform.uow(), actor=actor, text=q, skill=uri, limit=limit)
    return [OfferPublic.of(v) for v in found]


@router.post(
    "/offers", response_model=OfferPublic, status_code=status.HTTP_201_CREATED, summary="Publish an offer"
)
def publish(body: OfferBody, platform: PlatformDep, actor: ActorDep) -> OfferPublic:
    made = offers.publish(
        platform.uow(), actor=actor, offer=_offer(platform, actor, body), now=platform.clock()
    )
    return OfferPublic.of(made)


@router.get("/offers/mine", response_model=list[OfferPublic], summary="Your offers, paused ones too")
def mine(platform: PlatformDep, actor: ActorDep) -> list[OfferPublic]:
    return [OfferPublic.of(v) for v in offers.my_offers(platform.uow(), actor=actor)]


@router.get("/offers/orders", response_model=list[OrderPublic], summary="Orders you placed or sold")
def my_orders(platform: PlatformDep, actor: ActorDep) -> list[OrderPublic]:
    return [OrderPublic.of(v) for v in offers.my_orders(platform.uow(), actor=actor)]


@router.get("/offers/orders/{order_id}", response_model=OrderPublic, summary="An order")
def get_order(order_id: RowId, platform: PlatformDep, actor: ActorDep) -> OrderPublic:
    return OrderPublic.of(offers.get_order(platform.uow(), actor=actor, order_id=order_id))


@router.post("/offers/orders/{order_id}/deliver", response_model=OrderPublic, summary="Deliver (the seller)")
def deliver(order_id: RowId, body: NoteBody, platform: PlatformDep, actor: ActorDep) -> OrderPublic:
    done = offers.deliver(
        platform.uow(), actor=actor, order_id=order_id, note=body.note, now=platform.clock()
    )
    return OrderPublic.of(done)


@router.post(
    "/offers/orders/{order_id}/revision",
    response_model=OrderPublic,
    summary="Ask for a revision (the client; within the package's revisions)",
)
def revision(order_id: RowId, body: NoteBody, platform: PlatformDep, actor: ActorDep) -> OrderPublic:
    done = offers.request_revision(
        platform.uow(), actor=actor, order_id=order_id, note=body.note, now=platform.clock()
    )
    return OrderPublic.of(done)


@router.post(
    "/offers/orders/{order_id}/accept",
    response_model=OrderPublic,
    summary="Accept the delivery (the client): escrow released to the seller",
)
def accept(order_id: RowId, platform: PlatformDep, actor: ActorDep) -> OrderPublic:
    done = offers.accept_delivery(platform.uow(), actor=actor, order_id=order_id, now=platform.clock())
    return OrderPublic.of(done)


@router.get("/offers/{offer_id}", response_model=OfferPublic, summary="An offer")
def get_offer(offer_id: RowId, platform: PlatformDep, actor: ActorDep) -> OfferPublic:
    return OfferPublic.of(offers.get_offer(platform.uow(), actor=actor, offer_id=offer_id))


@router.put("/offers/{offer_id}", response_model=OfferPublic, summary="Change your offer")
def put_offer(offer_id: RowId, body: OfferBody, platform: PlatformDep, actor: ActorDep) -> OfferPublic:
    changed = offers.update(
        platform.uow(),
        actor=actor,
        offer_id=offer_id,
        offer=_offer(platform, actor, body),
        now=platform.clock(),
    )
    return OfferPublic.of(changed)


@router.post("/offers/{offer_id}/pause", response_model=OfferPublic, summary="Take your offer off sale")
def pause(offer_id: RowId, platform: PlatformDep, actor: ActorDep) -> OfferPublic:
    done = offers.set_paused(
        platform.uow(), actor=actor, offer_id=offer_id, paused=True, now=platform.clock()
    )
    return OfferPublic.of(done)


@router.post("/offers/{offer_id}/resume", response_model=OfferPublic, summary="Put your offer back on sale")
def resume(offer_id: RowId, platform: PlatformDep, actor: ActorDep) -> OfferPublic:
    done = offers.set_paused(
        platform.uow(), actor=actor, offer_id=offer_id, paused=False, now=platform.clock()
    )
    return OfferPublic.of(done)


@router.post(
    "/offers/{offer_id}/orders",
    response_model=OrderPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Order a package: a contract with one milestone, paid into escrow",
)
def order(offer_id: RowId, body: OrderBody, platform: PlatformDep, actor: ActorDep) -> OrderPublic:
    placed = offers.place_order(
        platform.uow(),
        actor=actor,
        offer_id=offer_id,
        package=body.package,
        requirements=body.requirements,
        fee_bp=platform.settings.marketplace_fee_basis_points,
        now=platform.clock(),
    )
    return OrderPublic.of(placed)


@router.get("/stores/{handle}", response_model=StorefrontPublic, summary="A seller's storefront")
def store(handle: Handle, platform: PlatformDep, actor: ActorDep) -> StorefrontPublic:
    return StorefrontPublic.of(offers.storefront(platform.uow(), actor=actor, handle=handle))
