"""Port of service offers (issue 22): ``ports.UnitOfWork.offers``."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from microcareer.domain.marketplace.offers import Offer, OfferState, Package, StoredOffer, StoredOrder


class OfferRepository(Protocol):
    """Offers with their packages and gallery; orders, each bound to its contract."""

    def add(self, seller_user_id: int, offer: Offer, *, at: datetime) -> StoredOffer: ...

    def get(self, offer_id: int) -> StoredOffer | None: ...

    def update(self, offer_id: int, offer: Offer, *, at: datetime) -> None: ...

    def set_state(self, offer_id: int, state: OfferState, *, at: datetime) -> None: ...

    def of_seller(self, seller_user_id: int) -> list[StoredOffer]: ...

    def active(self, limit: int) -> list[StoredOffer]:
        """Active offers, newest first (the service filters by the sellers' profiles)."""
        ...

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
    ) -> StoredOrder: ...

    def get_order(self, order_id: int) -> StoredOrder | None: ...

    def order_for_contract(self, contract_id: int) -> StoredOrder | None: ...

    def count_revision(self, order_id: int) -> None: ...

    def orders_of(self, user_id: int) -> list[StoredOrder]:
        """Orders the person made or sold, newest first."""
        ...
