"""Service offers and their orders in the store (packages and gallery as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.offers import Offer, OfferState, Package, StoredOffer, StoredOrder
from microcareer.store.tables.offers import OfferOrderRow, OfferRow


def _package_json(package: Package) -> dict[str, Any]:
    return {
        "name": package.name,
        "price": package.price.amount,
        "currency": package.price.currency,
        "delivery_days": package.delivery_days,
        "revisions": package.revisions,
        "description": package.description,
    }


def _package(data: dict[str, Any]) -> Package:
    return Package(
        name=str(data["name"]),
        price=Money(int(data["price"]), str(data["currency"])),
        delivery_days=int(data["delivery_days"]),
        revisions=int(data["revisions"]),
        description=str(data.get("description", "")),
    )


def _offer(row: OfferRow) -> StoredOffer:
    return StoredOffer(
        id=row.id,
        seller_user_id=row.seller_user_id,
        offer=Offer(
            title=row.title,
            description=row.description,
            skills=tuple(str(s) for s in row.skills),
            packages=tuple(_package(p) for p in row.packages),
            gallery=tuple(str(g) for g in row.gallery),
        ),
        state=OfferState(row.state),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _order(row: OfferOrderRow) -> StoredOrder:
    return StoredOrder(
        id=row.id,
        offer_id=row.offer_id,
        package_index=row.package_index,
        package=_package(row.package),
        client_user_id=row.client_user_id,
        seller_user_id=row.seller_user_id,
        contract_id=row.contract_id,
        requirements=row.requirements,
        revisions_used=row.revisions_used,
        created_at=row.created_at,
    )


def _fill(row: OfferRow, offer: Offer) -> None:
    row.title = offer.title
    row.description = offer.description
    row.skills = list(offer.skills)
    row.packages = [_package_json(p) for p in offer.packages]
    row.gallery = list(offer.gallery)


class SqlAlchemyOfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, seller_user_id: int, offer: Offer, *, at: datetime) -> StoredOffer:
        row = OfferRow(
            seller_user_id=seller_user_id, state=OfferState.ACTIVE.value, created_at=at, updated_at=at
        )
        _fill(row, offer)
        self.session.add(row)
        self.session.flush()
        return _offer(row)

    def get(self, offer_id: int) -> StoredOffer | None:
        row = self.session.get(OfferRow, offer_id)
        return _offer(row) if row is not None else None

    def update(self, offer_id: int, offer: Offer, *, at: datetime) -> None:
        row = self.session.get(OfferRow, offer_id)
        if row is not None:
            _fill(row, offer)
            row.updated_at = at
            self.session.flush()

    def set_state(self, offer_id: int, state: OfferState, *, at: datetime) -> None:
        self.session.execute(
            update(OfferRow).where(OfferRow.id == offer_id).values(state=state.value, updated_at=at)
        )

    def of_seller(self, seller_user_id: int) -> list[StoredOffer]:
        rows = self.session.scalars(
            select(OfferRow).where(OfferRow.seller_user_id == seller_user_id).order_by(OfferRow.id.desc())
        )
        return [_offer(r) for r in rows]

    def active(self, limit: int) -> list[StoredOffer]:
        rows = self.session.scalars(
            select(OfferRow)
            .where(OfferRow.state == OfferState.ACTIVE.value)
            .order_by(OfferRow.id.desc())
            .limit(limit)
        )
        return [_offer(r) for r in rows]

    def add_order(
        self,
        *,
        offer_id: int,
        package_index: int,
        package: Package,
        client_user_id: int,
        seller_user_id: int,
        contract_id: int,
        requirements: str,
        at: datetime,
    ) -> StoredOrder:
        row = OfferOrderRow(
            offer_id=offer_id,
            package_index=package_index,
            package=_package_json(package),
            client_user_id=client_user_id,
            seller_user_id=seller_user_id,
            contract_id=contract_id,
            requirements=requirements,
            revisions_used=0,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return _order(row)

    def get_order(self, order_id: int) -> StoredOrder | None:
        row = self.session.get(OfferOrderRow, order_id)
        return _order(row) if row is not None else None

    def order_for_contract(self, contract_id: int) -> StoredOrder | None:
        row = self.session.scalars(
            select(OfferOrderRow).where(OfferOrderRow.contract_id == contract_id)
        ).first()
        return _order(row) if row is not None else None

    def count_revision(self, order_id: int) -> None:
        self.session.execute(
            update(OfferOrderRow)
            .where(OfferOrderRow.id == order_id)
            .values(revisions_used=OfferOrderRow.revisions_used + 1)
        )

    def orders_of(self, user_id: int) -> list[StoredOrder]:
        rows = self.session.scalars(
            select(OfferOrderRow)
            .where(or_(OfferOrderRow.client_user_id == user_id, OfferOrderRow.seller_user_id == user_id))
            .order_by(OfferOrderRow.id.desc())
        )
        return [_order(r) for r in rows]
