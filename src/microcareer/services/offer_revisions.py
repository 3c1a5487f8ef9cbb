"""Revisions of an offer's order, counted where changes are requested (``contracts.request_changes``),
so the package's limit holds whichever door the client uses."""

from __future__ import annotations

from microcareer.domain.marketplace.offers import check_revision_left
from microcareer.services.ports import UnitOfWork


def count_offer_revision(uow: UnitOfWork, contract_id: int) -> None:
    """Inside the caller's unit of work: ``Conflict`` when the package's revisions are used up."""
    order = uow.offers.order_for_contract(contract_id)
    if order is None:
        return  # a micro-job's contract: no limit
    check_revision_left(order)
    uow.offers.count_revision(order.id)
