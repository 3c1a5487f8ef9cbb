"""Service offers (issue 22): a professional publishes fixed-scope offers on their storefront
(``/store/<handle>``, the portfolio's handle); clients browse, search and order a package.

Who sees an offer: its seller and platform admins always; anyone else only while it is active and the
seller's profile is shown (available, and public, or organisation-only to members of the seller's
organisations). A paused offer, or one whose seller hid their profile, is a 404 like a missing one.

An order is a micro-job contract with one milestone, made in one transaction: a job posted by the
client (in progress at once), the seller's accepted application, the contract at the platform's fee,
its one milestone due after the package's delivery days, funded into escrow through the ledger. From
there the contract's own path applies (``services.contracts``): the seller submits (delivers), the
client requests changes (counted against the package's revisions) or approves, which releases escrow
to the seller less the fee; accepting here also completes the contract.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace import ledger
from microcareer.domain.marketplace.applications import ApplicationState, ApprovalState, Proposal
from microcareer.domain.marketplace.contracts import (
    ContractKind,
    ContractState,
    Milestone,
    MilestoneState,
    check_not_self,
)
from microcareer.domain.marketplace.jobs import Audience, Budget, BudgetKind, JobState, MicroJob
from microcareer.domain.marketplace.money import BASIS_POINTS, Money
from microcareer.domain.marketplace.offers import (
    Offer,
    OfferState,
    StoredOffer,
    StoredOrder,
    check_offer,
    check_requirements,
    matches,
    package_of,
    search_words,
)
from microcareer.domain.marketplace.records import StoredContract, StoredMilestone
from microcareer.domain.network.portfolio import PortfolioSettings, check_handle
from microcareer.domain.profiles.profile import Visibility
from microcareer.errors import InvalidInput, NotAuthenticated, NotFound
from microcareer.services import contracts, skill_names
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.portfolio import default_handle
from microcareer.services.ports import LexiconStore, UnitOfWork
from microcareer.services.profiles import may_read, visible_skill_labels

BROWSE_LIMIT_MAX = 100
SCAN_LIMIT = 2_000
"""Active offers read for one search; the search filters them in Python (offers are few per seller)."""
HOURS_PER_DAY = 2


@dataclass(frozen=True, slots=True)
class OfferView:
    stored: StoredOffer
    seller_name: str
    handle: str
    skills: tuple[tuple[str, str], ...]  # (uri, label)
    on_sale: bool
    """Active and the seller's profile shown: others may see and order it."""
    mine: bool

    @property
    def id(self) -> int:
        return self.stored.id


@dataclass(frozen=True, slots=True)
class Storefront:
    seller_user_id: int
    seller_name: str
    handle: str
    headline: str
    offers: tuple[OfferView, ...]
    mine: bool


@dataclass(frozen=True, slots=True)
class OrderView:
    order: StoredOrder
    offer_title: str
    contract: StoredContract
    milestone: StoredMilestone
    role: str
    """client or professional (the seller); "" for a platform admin looking on."""
    client_name: str
    seller_name: str
    escrow: Money
    paid: Money
    """Released to the seller, the fee taken off."""
    fee: Money

    @property
    def revisions_left(self) -> int:
        return max(0, self.order.package.revisions - self.order.revisions_used)


def _user(actor: Actor, what: str) -> int:
    if actor.user_id is None:
        if not actor.is_authenticated:
            raise NotAuthenticated(f"sign in to {what}")
        raise InvalidInput(f"{what}: needs a user, not the system actor", field="actor")
    return actor.user_id


def resolve_skills(
    uow: UnitOfWork,
    caches: MutableMapping[str, object],
    lexicons: LexiconStore | None,
    *,
    actor: Actor,
    texts: Sequence[str],
    field: str = "skills",
) -> tuple[str, ...]:
    """Skills as people type them (URI, key or name) to URIs; ``InvalidInput`` naming the field."""
    uris: list[str] = []
    for index, text in enumerate(texts):
        try:
            found = skill_names.resolve_skill(uow, caches, lexicons, actor=actor, text=text)
        except NotFound as exc:
            raise InvalidInput(f"{field}[{index}]: {exc}", field=field) from None
        uris.append(found.skill.uri)
    return tuple(uris)


def _shown(uow: UnitOfWork, actor: Actor, seller_id: int) -> bool:
    """Whether the seller's profile lets ``actor`` see their storefront (strangers: public ones)."""
    stored = uow.profiles.get(seller_id)
    if stored is None or not stored.profile.available:
        return False
    visibility = stored.profile.visibility
    if visibility is Visibility.PUBLIC:
        return True
    return may_read(actor, seller_id, visibility, uow.accounts.memberships_of(seller_id))


def _owns(actor: Actor, seller_id: int) -> bool:
    return is_allowed(actor, Action.OFFER_MANAGE, Resource(owner_user_id=seller_id))


def _handle(uow: UnitOfWork, seller_id: int, name: str) -> str:
    settings = uow.portfolio.get(seller_id)
    return settings.handle if settings is not None else default_handle(name, seller_id)


def _view(uow: UnitOfWork, actor: Actor, stored: StoredOffer, *, shown: bool | None = None) -> OfferView:
    seller = uow.accounts.get_user(stored.seller_user_id)
    name = seller.display_name if seller is not None else ""
    labels = uow.taxonomy.skill_refs(list(stored.offer.skills))
    if shown is None:
        shown = _shown(uow, actor, stored.seller_user_id)
    return OfferView(
        stored=stored,
        seller_name=name,
        handle=_handle(uow, stored.seller_user_id, name),
        skills=tuple(
            (uri, labels[uri].preferred_label if uri in labels else uri) for uri in stored.offer.skills
        ),
        on_sale=stored.state is OfferState.ACTIVE and shown,
        mine=actor.user_id == stored.seller_user_id,
    )


def _visible(uow: UnitOfWork, actor: Actor, offer_id: int) -> OfferView:
    stored = uow.offers.get(offer_id)
    if stored is None:
        raise NotFound(f"no offer {offer_id}", field="offer_id")
    view = _view(uow, actor, stored)
    if not view.on_sale and not _owns(actor, stored.seller_user_id):
        raise NotFound(f"no offer {offer_id}", field="offer_id")
    return view


def _managed(uow: UnitOfWork, actor: Actor, offer_id: int) -> StoredOffer:
    """The offer if the actor may change it; 401 signed out, 404 unseen, 403 seen but someone else's."""
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to change offers")
    view = _visible(uow, actor, offer_id)
    authorize(actor, Action.OFFER_MANAGE, Resource(owner_user_id=view.stored.seller_user_id))
    return view.stored


def _checked(uow: UnitOfWork, actor: Actor, offer: Offer) -> Offer:
    checked = check_offer(offer)
    known = visible_skill_labels(uow, actor, list(checked.skills))
    for index, uri in enumerate(checked.skills):
        if uri not in known:
            raise InvalidInput(f"skills[{index}]: {uri} is not a skill of the taxonomy", field="skills")
    return checked


def publish(uow: UnitOfWork, *, actor: Actor, offer: Offer, now: datetime) -> OfferView:
    """A new offer, on sale at once; the storefront's handle is the portfolio's (made when missing)."""
    authorize(actor, Action.OFFER_SELL)
    seller = _user(actor, "publish an offer")
    with uow:
        checked = _checked(uow, actor, offer)
        if uow.portfolio.get(seller) is None:
            user = uow.accounts.get_user(seller)
            if user is None:
                raise NotFound(f"no user {seller}")
            uow.portfolio.save(
                seller, PortfolioSettings(handle=default_handle(user.display_name, seller)), at=now
            )
        stored = uow.offers.add(seller, checked, at=now)
        view = _view(uow, actor, stored)
        uow.commit()
    return view


def update(uow: UnitOfWork, *, actor: Actor, offer_id: int, offer: Offer, now: datetime) -> OfferView:
    """Replace the offer's text, skills, packages and gallery; orders made keep the package they bought."""
    with uow:
        _managed(uow, actor, offer_id)
        checked = _checked(uow, actor, offer)
        uow.offers.update(offer_id, checked, at=now)
        view = _visible(uow, actor, offer_id)
        uow.commit()
    return view


def set_paused(uow: UnitOfWork, *, actor: Actor, offer_id: int, paused: bool, now: datetime) -> OfferView:
    """Take the offer off sale, or put it back; orders already made go on."""
    with uow:
        _managed(uow, actor, offer_id)
        uow.offers.set_state(offer_id, OfferState.PAUSED if paused else OfferState.ACTIVE, at=now)
        view = _visible(uow, actor, offer_id)
        uow.commit()
    return view


def get_offer(uow: UnitOfWork, *, actor: Actor, offer_id: int) -> OfferView:
    with uow:
        return _visible(uow, actor, offer_id)


def browse(
    uow: UnitOfWork, *, actor: Actor, text: str = "", skill: str | None = None, limit: int = 50
) -> list[OfferView]:
    """Offers on sale, newest first, whose text holds every word of ``text`` and that teach ``skill``."""
    if not 1 <= limit <= BROWSE_LIMIT_MAX:
        raise InvalidInput(f"limit: 1 to {BROWSE_LIMIT_MAX}, not {limit}", field="limit")
    if len(text) > 200:
        raise InvalidInput("q: at most 200 characters", field="q")
    words = search_words(text)
    found: list[OfferView] = []
    shown: dict[int, bool] = {}
    with uow:
        for stored in uow.offers.active(SCAN_LIMIT):
            if not matches(stored.offer, words, skill):
                continue
            seller = stored.seller_user_id
            if seller not in shown:
                shown[seller] = _shown(uow, actor, seller)
            if shown[seller]:
                found.append(_view(uow, actor, stored, shown=True))
            if len(found) >= limit:
                break
    return found


def my_offers(uow: UnitOfWork, *, actor: Actor) -> list[OfferView]:
    """The actor's own offers, paused ones too, newest first."""
    seller = _user(actor, "see your offers")
    with uow:
        return [_view(uow, actor, s) for s in uow.offers.of_seller(seller)]


def storefront(uow: UnitOfWork, *, actor: Actor, handle: str) -> Storefront:
    """A seller's storefront: their offers on sale (the seller sees paused ones too), or 404."""
    missing = NotFound(f"no storefront {handle!r}", field="handle")
    try:
        key = check_handle(handle)
    except InvalidInput:
        raise missing from None
    with uow:
        seller = uow.portfolio.owner_of(key)
        user = uow.accounts.get_user(seller) if seller is not None else None
        if seller is None or user is None:
            raise missing
        mine = _owns(actor, seller)
        shown = _shown(uow, actor, seller)
        if not shown and not mine:
            raise missing
        offers = [_view(uow, actor, s, shown=shown) for s in uow.offers.of_seller(seller)]
        settings = uow.portfolio.get(seller)
    return Storefront(
        seller_user_id=seller,
        seller_name=user.display_name,
        handle=key,
        headline=settings.headline if settings is not None else "",
        offers=tuple(o for o in offers if o.on_sale or mine),
        mine=mine,
    )


# orders


def _job_for(offer: StoredOffer, index: int, now: datetime) -> MicroJob:
    package = offer.offer.packages[index]
    today = now.date()
    return MicroJob(
        title=f"{offer.offer.title} ({package.name})"[:120],
        brief=f"Order of the {package.name!r} package of offer {offer.id}; requirements on the order.",
        required_skills=offer.offer.skills,
        nice_skills=(),
        budget=Budget(BudgetKind.FIXED, package.price),
        expected_hours=min(2000, package.delivery_days * HOURS_PER_DAY),
        start=today,
        end=today + timedelta(days=package.delivery_days),
        remote=True,
        place="",
        audience=Audience.OPEN,
        organisation_id=None,
        state=JobState.IN_PROGRESS,
    )


def place_order(
    uow: UnitOfWork,
    *,
    actor: Actor,
    offer_id: int,
    package: int,
    requirements: str,
    fee_bp: int,
    now: datetime,
) -> OrderView:
    """Order one package: the one-milestone contract, funded into escrow, in one transaction."""
    authorize(actor, Action.OFFER_ORDER)
    client = _user(actor, "order")
    if not 0 <= fee_bp <= BASIS_POINTS:
        raise InvalidInput(f"fee_bp: 0 to {BASIS_POINTS} basis points, not {fee_bp}", field="fee_bp")
    text = check_requirements(requirements)
    with uow:
        view = _visible(uow, actor, offer_id)
        offer = view.stored
        check_not_self(client, offer.seller_user_id, "order your own offer")
        if not view.on_sale:
            raise NotFound(f"no offer {offer_id}", field="offer_id")
        bought = package_of(offer.offer, package)
        job = _job_for(offer, package, now)
        stored_job = uow.marketplace.add_job(client, job, at=now)
        proposal = Proposal(
            rate=bought.price, hours=job.expected_hours, message=f"Ordered: {bought.name}", hours_per_week=1.0
        )
        application = uow.marketplace.add_application(
            stored_job.id, offer.seller_user_id, proposal, approval=ApprovalState.NOT_NEEDED, at=now
        )
        uow.marketplace.set_application_state(application.id, ApplicationState.ACCEPTED, at=now)
        contract = uow.marketplace.add_contract(
            StoredContract(
                id=0,
                job_id=stored_job.id,
                application_id=application.id,
                client_user_id=client,
                professional_user_id=offer.seller_user_id,
                organisation_id=None,
                internal=False,
                kind=ContractKind.FIXED,
                currency=bought.price.currency,
                hourly_rate=None,
                weekly_limit_hours=None,
                hours_per_week=1.0,
                fee_bp=fee_bp,
                state=ContractState.ACTIVE,
                created_at=now,
            )
        )
        due = now.date() + timedelta(days=bought.delivery_days)
        milestone_id = uow.marketplace.add_milestone(
            contract.id, 1, Milestone(f"{bought.name} delivery"[:120], bought.price, due), at=now
        )
        milestone = uow.marketplace.get_milestone(milestone_id)
        assert milestone is not None  # just written
        contracts.fund_into_escrow(uow, contract, milestone, by=client, now=now)
        order = uow.offers.add_order(
            offer_id=offer.id,
            package_index=package,
            package=bought,
            client_user_id=client,
            seller_user_id=offer.seller_user_id,
            contract_id=contract.id,
            requirements=text,
            at=now,
        )
        result = _order_view(uow, actor, order)
        uow.commit()
    return result


def _order_view(uow: UnitOfWork, actor: Actor, order: StoredOrder) -> OrderView:
    contract = uow.marketplace.get_contract(order.contract_id)
    offer = uow.offers.get(order.offer_id)
    assert contract is not None  # orders keep both (RESTRICT)
    assert offer is not None
    milestone = uow.marketplace.milestones(contract.id, contract.currency)[0]
    names = {
        uid: (u.display_name if (u := uow.accounts.get_user(uid)) is not None else "")
        for uid in (order.client_user_id, order.seller_user_id)
    }
    party = contract.party(actor.user_id)
    postings = [
        p for t in uow.marketplace.transactions(contract_id=contract.id) for p in t.transaction.postings
    ]
    seller_account = ledger.professional_account(contract.professional_user_id)
    return OrderView(
        order=order,
        offer_title=offer.offer.title,
        contract=contract,
        milestone=milestone,
        role=party or "",
        client_name=names[order.client_user_id],
        seller_name=names[order.seller_user_id],
        escrow=contracts.escrow_of(uow, contract),
        paid=ledger.account_balance(postings, seller_account, contract.currency),
        fee=ledger.account_balance(postings, ledger.FEES_ACCOUNT, contract.currency),
    )


def _seen_order(uow: UnitOfWork, actor: Actor, order_id: int) -> StoredOrder:
    if not actor.is_authenticated:
        raise NotAuthenticated("sign in to see orders")
    order = uow.offers.get_order(order_id)
    contract = uow.marketplace.get_contract(order.contract_id) if order is not None else None
    if order is None or contract is None or not contracts.may_see_contract(actor, contract):
        raise NotFound(f"no order {order_id}", field="order_id")
    return order


def get_order(uow: UnitOfWork, *, actor: Actor, order_id: int) -> OrderView:
    with uow:
        return _order_view(uow, actor, _seen_order(uow, actor, order_id))


def my_orders(uow: UnitOfWork, *, actor: Actor) -> list[OrderView]:
    """Orders the actor placed or sold, newest first."""
    user = _user(actor, "see your orders")
    with uow:
        return [_order_view(uow, actor, o) for o in uow.offers.orders_of(user)]


def _milestone_of(uow: UnitOfWork, actor: Actor, order_id: int) -> tuple[int, int]:
    with uow:
        order = _seen_order(uow, actor, order_id)
        contract = uow.marketplace.get_contract(order.contract_id)
        assert contract is not None
        milestone = uow.marketplace.milestones(contract.id, contract.currency)[0]
    return contract.id, milestone.id


def deliver(uow: UnitOfWork, *, actor: Actor, order_id: int, note: str, now: datetime) -> OrderView:
    """The seller delivers (the milestone submitted), after ordering or a revision request."""
    contract_id, milestone_id = _milestone_of(uow, actor, order_id)
    contracts.submit_milestone(
        uow, actor=actor, contract_id=contract_id, milestone_id=milestone_id, note=note, now=now
    )
    return get_order(uow, actor=actor, order_id=order_id)


def request_revision(uow: UnitOfWork, *, actor: Actor, order_id: int, note: str, now: datetime) -> OrderView:
    """The client asks for changes to a delivery: one of the package's revisions."""
    contract_id, milestone_id = _milestone_of(uow, actor, order_id)
    contracts.request_changes(
        uow, actor=actor, contract_id=contract_id, milestone_id=milestone_id, note=note, now=now
    )
    return get_order(uow, actor=actor, order_id=order_id)


def accept_delivery(uow: UnitOfWork, *, actor: Actor, order_id: int, now: datetime) -> OrderView:
    """The client accepts the delivery: escrow released to the seller (less the fee), contract completed."""
    contract_id, milestone_id = _milestone_of(uow, actor, order_id)
    contracts.approve_milestone(uow, actor=actor, contract_id=contract_id, milestone_id=milestone_id, now=now)
    contracts.complete_contract(uow, actor=actor, contract_id=contract_id, now=now)
    return get_order(uow, actor=actor, order_id=order_id)


def is_seller(actor: Actor) -> bool:
    return actor.has_role(Role.PROFESSIONAL) or actor.has_role(Role.PLATFORM_ADMIN)


DELIVERABLE = frozenset({MilestoneState.FUNDED, MilestoneState.CHANGES_REQUESTED})
