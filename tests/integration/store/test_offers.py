"""Service offers on each database: a professional sells a package and is paid through the ledger
(order → escrow → delivery → a revision → acceptance → release less the fee, the ledger balanced), and
who may do what as a matrix: owner, another professional, a client and the anonymous, each action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractState, MilestoneState
from microcareer.domain.marketplace.money import Money
from microcareer.domain.marketplace.offers import Offer, OfferState, Package
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import Conflict, InvalidInput, MicrocareerError
from microcareer.services import contracts, offers
from tests.integration.taxonomy_helpers import HASKELL, PYTHON

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
FEE_BP = 1000
SYSTEM = Actor.system()


@dataclass(frozen=True)
class Shop:
    seller: Actor
    other_pro: Actor
    client: Actor


def make_shop(platform: Platform) -> Shop:
    with platform.uow() as uow:

        def person(name: str, roles: list[Role]) -> Actor:
            user = uow.accounts.add_user(
                email=f"{name.lower()}@x.test",
                display_name=name,
                password_hash="x",
                roles=roles,
                created_at=NOW,
            )
            uow.profiles.save(user.id, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
            return Actor(user_id=user.id, roles=frozenset(roles))

        shop = Shop(
            seller=person("Sela", [Role.PROFESSIONAL]),
            other_pro=person("Otto", [Role.PROFESSIONAL]),
            client=person("Clara", [Role.CLIENT]),
        )
        uow.commit()
    return shop


def an_offer(**changes: object) -> Offer:
    fields: dict[str, object] = {
        "title": "A Python script that tidies your CSV files",
        "description": "I write a tested Python script that cleans and merges your CSV exports.",
        "skills": (PYTHON,),
        "packages": (
            Package("Basic", Money(5_000, "EUR"), delivery_days=3, revisions=1),
            Package("Standard", Money(12_000, "EUR"), delivery_days=5, revisions=2),
        ),
        "gallery": ("https://example.org/before-after.png",),
    }
    fields.update(changes)
    return Offer(**fields)  # type: ignore[arg-type]


@pytest.fixture
def shop(taxonomy_platform: Platform) -> Shop:
    return make_shop(taxonomy_platform)


def test_a_professional_sells_a_package_and_is_paid_through_the_ledger(
    taxonomy_platform: Platform, shop: Shop
) -> None:
    uow = taxonomy_platform.uow
    offer = offers.publish(uow(), actor=shop.seller, offer=an_offer(), now=NOW)
    assert offer.on_sale
    assert offer.handle == f"sela-{shop.seller.user_id}"
    assert [o.id for o in offers.browse(uow(), actor=Actor.anonymous(), text="csv python")] == [offer.id]
    assert offers.browse(uow(), actor=shop.client, skill=HASKELL) == []
    front = offers.storefront(uow(), actor=Actor.anonymous(), handle=offer.handle)
    assert [o.id for o in front.offers] == [offer.id]

    order = offers.place_order(
        uow(),
        actor=shop.client,
        offer_id=offer.id,
        package=1,
        requirements="Merge the three monthly exports into one file.",
        fee_bp=FEE_BP,
        now=NOW,
    )
    assert order.milestone.state is MilestoneState.FUNDED
    assert order.escrow == Money(12_000, "EUR")
    assert order.milestone.milestone.due.isoformat() == "2026-11-25"
    # the seller edits the offer later: the order keeps the package as bought
    cheaper = an_offer(packages=(Package("Standard", Money(9_000, "EUR"), delivery_days=5, revisions=0),))
    offers.update(uow(), actor=shop.seller, offer_id=offer.id, offer=cheaper, now=NOW)

    offers.deliver(uow(), actor=shop.seller, order_id=order.order.id, note="Here it is.", now=NOW)
    for _ in range(2):  # the package's two revisions
        back = offers.request_revision(
            uow(), actor=shop.client, order_id=order.order.id, note="Keep the header row.", now=NOW
        )
        assert back.milestone.state is MilestoneState.CHANGES_REQUESTED
        offers.deliver(uow(), actor=shop.seller, order_id=order.order.id, note="Fixed.", now=NOW)
    with pytest.raises(Conflict, match="includes 2, all used"):
        offers.request_revision(uow(), actor=shop.client, order_id=order.order.id, note="Again.", now=NOW)
    # the same limit through the contract's own door
    with pytest.raises(Conflict, match="all used"):
        contracts.request_changes(
            uow(),
            actor=shop.client,
            contract_id=order.contract.id,
            milestone_id=order.milestone.id,
            note="Again.",
            now=NOW,
        )

    done = offers.accept_delivery(uow(), actor=shop.client, order_id=order.order.id, now=NOW)
    assert done.milestone.state is MilestoneState.APPROVED
    assert done.contract.state is ContractState.COMPLETED
    assert done.escrow == Money.zero("EUR")
    statement = contracts.ledger_statement(uow(), actor=shop.seller, contract_id=order.contract.id)
    assert statement.released == Money(10_800, "EUR")
    assert statement.fees == Money(1_200, "EUR")
    paid = contracts.account_balances(uow(), actor=shop.seller, user_id=shop.seller.user_id or 0)
    assert paid.earned == (Money(10_800, "EUR"),)
    assert contracts.ledger_check(uow(), actor=SYSTEM).ok
    seen_by_client = offers.my_orders(uow(), actor=shop.client)
    assert [o.order.id for o in seen_by_client] == [order.order.id]
    assert seen_by_client[0].order.package.price == Money(12_000, "EUR")
    assert seen_by_client[0].order.revisions_used == 2


def test_paused_offers_and_hidden_profiles_are_off_sale(taxonomy_platform: Platform, shop: Shop) -> None:
    uow = taxonomy_platform.uow
    offer = offers.publish(uow(), actor=shop.seller, offer=an_offer(), now=NOW)
    offers.set_paused(uow(), actor=shop.seller, offer_id=offer.id, paused=True, now=NOW)
    assert offers.browse(uow(), actor=shop.client) == []
    with pytest.raises(MicrocareerError) as gone:
        offers.get_offer(uow(), actor=shop.client, offer_id=offer.id)
    assert gone.value.status == 404
    mine = offers.get_offer(uow(), actor=shop.seller, offer_id=offer.id)
    assert mine.stored.state is OfferState.PAUSED
    assert not mine.on_sale
    offers.set_paused(uow(), actor=shop.seller, offer_id=offer.id, paused=False, now=NOW)
    with uow() as work:
        work.profiles.save(
            shop.seller.user_id or 0, Profile(visibility=Visibility.PRIVATE), resume_extras={}, at=NOW
        )
        work.commit()
    assert offers.browse(uow(), actor=shop.client) == []
    with pytest.raises(MicrocareerError) as hidden:
        offers.storefront(uow(), actor=Actor.anonymous(), handle=offer.handle)
    assert hidden.value.status == 404
    with pytest.raises(InvalidInput) as bad:
        offers.publish(uow(), actor=shop.seller, offer=an_offer(gallery=("javascript:alert(1)",)), now=NOW)
    assert bad.value.extra["field"] == "gallery[0]"


Step = Callable[[Actor], object]


def test_who_may_do_what(taxonomy_platform: Platform, shop: Shop) -> None:
    """Each actor x action: allowed, or the status it is refused with."""
    uow = taxonomy_platform.uow
    offer = offers.publish(uow(), actor=shop.seller, offer=an_offer(), now=NOW)
    order = offers.place_order(
        uow(),
        actor=shop.client,
        offer_id=offer.id,
        package=0,
        requirements="One file, please, by Friday.",
        fee_bp=FEE_BP,
        now=NOW,
    )
    oid = order.order.id

    def order_it(actor: Actor) -> object:
        return offers.place_order(
            uow(),
            actor=actor,
            offer_id=offer.id,
            package=0,
            requirements="A small job for me.",
            fee_bp=0,
            now=NOW,
        )

    actions: dict[str, Step] = {
        "read": lambda a: offers.get_offer(uow(), actor=a, offer_id=offer.id),
        "create": lambda a: offers.publish(uow(), actor=a, offer=an_offer(), now=NOW),
        "edit": lambda a: offers.update(uow(), actor=a, offer_id=offer.id, offer=an_offer(), now=NOW),
        "pause": lambda a: offers.set_paused(uow(), actor=a, offer_id=offer.id, paused=False, now=NOW),
        "order": order_it,
        "see order": lambda a: offers.get_order(uow(), actor=a, order_id=oid),
        "deliver": lambda a: offers.deliver(uow(), actor=a, order_id=oid, note="", now=NOW),
        "accept": lambda a: offers.accept_delivery(uow(), actor=a, order_id=oid, now=NOW),
    }
    # deliver is allowed for the seller, so it runs before "accept" (which needs a delivery)
    expected: dict[str, dict[str, int]] = {
        "owner": {"order": 403, "accept": 403},
        "other professional": {"edit": 403, "pause": 403, "see order": 404, "deliver": 404, "accept": 404},
        "client": {"create": 403, "edit": 403, "pause": 403, "deliver": 403},
        "anonymous": {a: 401 for a in actions if a != "read"},
    }
    actors = {
        "owner": shop.seller,
        "other professional": shop.other_pro,
        "client": shop.client,
        "anonymous": Actor.anonymous(),
    }
    got: dict[str, dict[str, int]] = {}
    for name in ("anonymous", "other professional", "owner", "client"):
        got[name] = {}
        for action, run in actions.items():
            try:
                run(actors[name])
            except MicrocareerError as error:
                got[name][action] = error.status
    assert got == expected
