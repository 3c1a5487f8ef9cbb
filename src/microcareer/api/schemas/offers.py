"""Service offers and their orders as the API shows and takes them (money in minor units, as in every
marketplace endpoint; skills as a URI, key or name)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from microcareer.api.schemas.marketplace import MoneyIn, MoneyPublic
from microcareer.api.schemas.network import SkillText
from microcareer.domain.marketplace.offers import (
    DELIVERY_DAYS_MAX,
    GALLERY_MAX,
    PACKAGES_MAX,
    REQUIREMENTS_MAX,
    REVISIONS_MAX,
    SKILLS_MAX,
    Package,
)
from microcareer.services.offers import OfferView, OrderView, Storefront


class PackageBody(BaseModel):
    name: str = Field(min_length=1, max_length=40, description="Basic, Standard, Premium, ...")
    price: MoneyIn
    delivery_days: int = Field(ge=1, le=DELIVERY_DAYS_MAX, description="Days from the order to delivery.")
    revisions: int = Field(ge=0, le=REVISIONS_MAX, description="Rounds of changes the client may ask for.")
    description: str = Field("", max_length=500, description="What this package includes.")

    def package(self) -> Package:
        return Package(self.name, self.price.to_money(), self.delivery_days, self.revisions, self.description)


class OfferBody(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=5_000)
    skills: list[SkillText] = Field(min_length=1, max_length=SKILLS_MAX)
    packages: list[PackageBody] = Field(min_length=1, max_length=PACKAGES_MAX)
    gallery: list[str] = Field(
        default_factory=list,
        max_length=GALLERY_MAX,
        description="http(s) addresses of pictures or samples; linked, never fetched by the server.",
    )


class PackagePublic(BaseModel):
    index: int = Field(description="What to order it by.")
    name: str
    price: MoneyPublic
    delivery_days: int
    revisions: int
    description: str

    @classmethod
    def of(cls, index: int, package: Package) -> PackagePublic:
        return cls(
            index=index,
            name=package.name,
            price=MoneyPublic.of(package.price),
            delivery_days=package.delivery_days,
            revisions=package.revisions,
            description=package.description,
        )


class SkillRef(BaseModel):
    uri: str
    label: str


class OfferPublic(BaseModel):
    id: int
    seller_user_id: int
    seller_name: str
    store: str = Field(description="The storefront's handle: /store/{handle}.")
    title: str
    description: str
    skills: list[SkillRef]
    packages: list[PackagePublic]
    gallery: list[str]
    state: str = Field(description="active or paused.")
    on_sale: bool = Field(description="Active and the seller's profile shown: others may order it.")
    updated_at: datetime

    @classmethod
    def of(cls, view: OfferView) -> OfferPublic:
        offer = view.stored.offer
        return cls(
            id=view.id,
            seller_user_id=view.stored.seller_user_id,
            seller_name=view.seller_name,
            store=view.handle,
            title=offer.title,
            description=offer.description,
            skills=[SkillRef(uri=u, label=label) for u, label in view.skills],
            packages=[PackagePublic.of(i, p) for i, p in enumerate(offer.packages)],
            gallery=list(offer.gallery),
            state=view.stored.state.value,
            on_sale=view.on_sale,
            updated_at=view.stored.updated_at,
        )


class StorefrontPublic(BaseModel):
    handle: str
    seller_user_id: int
    seller_name: str
    headline: str
    offers: list[OfferPublic]

    @classmethod
    def of(cls, front: Storefront) -> StorefrontPublic:
        return cls(
            handle=front.handle,
            seller_user_id=front.seller_user_id,
            seller_name=front.seller_name,
            headline=front.headline,
            offers=[OfferPublic.of(o) for o in front.offers],
        )


class OrderBody(BaseModel):
    package: int = Field(ge=0, le=PACKAGES_MAX - 1, description="The package's index in the offer.")
    requirements: str = Field(min_length=1, max_length=REQUIREMENTS_MAX, description="What you need.")


class NoteBody(BaseModel):
    note: str = Field("", max_length=500, description="A message with the delivery or the revision.")


class OrderPublic(BaseModel):
    id: int
    offer_id: int
    offer_title: str
    package: PackagePublic
    client_user_id: int
    client_name: str
    seller_user_id: int
    seller_name: str
    requirements: str
    contract_id: int = Field(description="The contract: /api/v1/contracts/{id} (its ledger too).")
    contract_state: str
    milestone_id: int
    state: str = Field(description="The milestone: funded, submitted, changes_requested, approved, refunded.")
    due: date
    note: str
    revisions_used: int
    revisions_left: int
    escrow: MoneyPublic
    paid: MoneyPublic = Field(description="Released to the seller through the ledger, the fee taken off.")
    fee: MoneyPublic
    created_at: datetime

    @classmethod
    def of(cls, view: OrderView) -> OrderPublic:
        order = view.order
        return cls(
            id=order.id,
            offer_id=order.offer_id,
            offer_title=view.offer_title,
            package=PackagePublic.of(order.package_index, order.package),
            client_user_id=order.client_user_id,
            client_name=view.client_name,
            seller_user_id=order.seller_user_id,
            seller_name=view.seller_name,
            requirements=order.requirements,
            contract_id=view.contract.id,
            contract_state=view.contract.state.value,
            milestone_id=view.milestone.id,
            state=view.milestone.state.value,
            due=view.milestone.milestone.due,
            note=view.milestone.note,
            revisions_used=order.revisions_used,
            revisions_left=view.revisions_left,
            escrow=MoneyPublic.of(view.escrow),
            paid=MoneyPublic.of(view.paid),
            fee=MoneyPublic.of(view.fee),
            created_at=order.created_at,
        )
