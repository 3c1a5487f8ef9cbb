"""``microcareer offers``: a professional's service offers and the orders made of them: publish, edit,
pause and resume offers; browse, search and order a package; deliver, ask for a revision, accept.

Acts as ``--user EMAIL`` (or ``MICROCAREER_USER``); browsing without it reads as a signed-out stranger.
Money moves through the order's contract: ``microcareer contracts ledger ID`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import typer

from microcareer.api.schemas.offers import OfferPublic, OrderPublic, StorefrontPublic
from microcareer.bootstrap import Platform
from microcareer.cli.acting import acting_as, run_as
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.marketplace.money import currency_code
from microcareer.domain.marketplace.offers import Offer, package_from_text
from microcareer.services import offers
from microcareer.services.offers import OfferView, OrderView

offers_app = typer.Typer(
    help="Service offers: publish packages, browse, order, deliver, accept (as --user).", no_args_is_help=True
)

ID_MAX = 2**31 - 1
PACKAGE_HELP = "NAME:PRICE:DAYS:REVISIONS, e.g. Basic:50.00:3:1; one to three."


def _say(view: OfferView) -> None:
    state = "on sale" if view.on_sale else view.stored.state.value
    prices = ", ".join(f"{p.name} {p.price}" for p in view.stored.offer.packages)
    console.print(
        f"offer {view.id}: {view.stored.offer.title} ({state}) · {prices}", highlight=False, markup=False
    )


def _say_order(view: OrderView) -> None:
    console.print(
        f"order {view.order.id}: {view.offer_title} · {view.order.package.name} {view.order.package.price}"
        f" · {view.milestone.state.value} · contract {view.contract.id} ({view.contract.state.value})"
        f" · escrow {view.escrow} · revisions left {view.revisions_left}",
        highlight=False,
        markup=False,
    )


def _offer(
    platform: Platform,
    actor: Actor,
    title: str,
    description: str,
    skills: Sequence[str],
    packages: Sequence[str],
    gallery: Sequence[str],
    currency: str,
) -> Offer:
    code = currency_code(currency)
    return Offer(
        title=title,
        description=description,
        skills=offers.resolve_skills(
            platform.uow(), platform.caches, platform.lexicons, actor=actor, texts=list(skills)
        ),
        packages=tuple(package_from_text(p, code, i) for i, p in enumerate(packages)),
        gallery=tuple(gallery),
    )


TITLE = typer.Option(..., "--title")
DESCRIPTION = typer.Option(..., "--description")
SKILLS = typer.Option(..., "--skill", help="A skill (URI, key or name); repeat.")
PACKAGES = typer.Option(..., "--package", help=PACKAGE_HELP)
GALLERY = typer.Option([], "--gallery", help="An http(s) address of a picture or sample; repeat.")
CURRENCY = typer.Option("EUR", "--currency", help="ISO 4217 code of the prices.")


@offers_app.command("publish")
@handle_errors
def publish(
    title: str = TITLE,
    description: str = DESCRIPTION,
    skill: list[str] = SKILLS,
    package: list[str] = PACKAGES,
    gallery: list[str] = GALLERY,
    currency: str = CURRENCY,
    user: str = user_option(),
) -> None:
    """Publish a new offer on your storefront (professionals)."""
    with acting_as(user) as me:
        offer = _offer(me.platform, me.actor, title, description, skill, package, gallery, currency)
        made = offers.publish(me.uow(), actor=me.actor, offer=offer, now=me.now())
        url = f"{me.platform.settings.public_url.rstrip('/')}/store/{made.handle}"
    _say(made)
    console.print(f"storefront: {url}", highlight=False)


@offers_app.command("edit")
@handle_errors
def edit(
    offer_id: int = typer.Argument(..., min=1, max=ID_MAX),
    title: str | None = typer.Option(None, "--title"),
    description: str | None = typer.Option(None, "--description"),
    skill: list[str] | None = typer.Option(None, "--skill", help="Replaces the skills; repeat."),
    package: list[str] | None = typer.Option(
        None, "--package", help=f"Replaces the packages: {PACKAGE_HELP}"
    ),
    gallery: list[str] | None = typer.Option(None, "--gallery", help="Replaces the gallery; repeat."),
    currency: str = CURRENCY,
    user: str = user_option(),
) -> None:
    """Change what you name; the rest stays (orders made keep the package they bought)."""
    with acting_as(user) as me:
        now = offers.get_offer(me.uow(), actor=me.actor, offer_id=offer_id).stored.offer
        changed = _offer(
            me.platform,
            me.actor,
            title if title is not None else now.title,
            description if description is not None else now.description,
            skill or now.skills,
            package or [],
            gallery if gallery is not None else now.gallery,
            currency,
        )
        wanted = changed if package else replace(changed, packages=now.packages)
        _say(offers.update(me.uow(), actor=me.actor, offer_id=offer_id, offer=wanted, now=me.now()))


def _state_command(name: str, paused: bool, doc: str) -> None:
    @offers_app.command(name, help=doc)
    @handle_errors
    def command(offer_id: int = typer.Argument(..., min=1, max=ID_MAX), user: str = user_option()) -> None:
        _say(
            run_as(
                user,
                lambda p, a: offers.set_paused(
                    p.uow(), actor=a, offer_id=offer_id, paused=paused, now=p.clock()
                ),
            )
        )


_state_command("pause", True, "Take your offer off sale; orders already made go on.")
_state_command("resume", False, "Put your offer back on sale.")

READER = typer.Option(
    None, "--user", "-u", envvar="MICROCAREER_USER", help="Read as this person; left out: a stranger."
)
JSON = typer.Option(False, "--json", help="Print JSON instead of text.")


def _reader(platform: Platform, user: str | None) -> Actor:
    return acting_actor(platform, user) if user else Actor.anonymous()


@offers_app.command("list")
@handle_errors
def list_(
    query: str = typer.Option("", "--query", "-q", help="Words in the title or description."),
    skill: str | None = typer.Option(None, "--skill", help="Only offers with this skill (URI, key or name)."),
    mine: bool = typer.Option(False, "--mine", help="Your own offers, paused ones too (needs --user)."),
    as_json: bool = JSON,
    user: str | None = READER,
) -> None:
    """Offers on sale, newest first (or yours with --mine)."""
    with open_platform() as platform:
        actor = _reader(platform, user)
        if mine:
            found = offers.my_offers(platform.uow(), actor=actor)
        else:
            uris = offers.resolve_skills(
                platform.uow(),
                platform.caches,
                platform.lexicons,
                actor=actor,
                texts=[skill] if skill else [],
            )
            found = offers.browse(platform.uow(), actor=actor, text=query, skill=uris[0] if uris else None)
    if as_json:
        print_json([OfferPublic.of(v).model_dump(mode="json") for v in found])
        return
    for view in found:
        _say(view)


@offers_app.command("show")
@handle_errors
def show(offer_id: int = typer.Argument(..., min=1, max=ID_MAX), user: str | None = READER) -> None:
    """An offer with its packages, as JSON."""
    with open_platform() as platform:
        view = offers.get_offer(platform.uow(), actor=_reader(platform, user), offer_id=offer_id)
    print_json(OfferPublic.of(view).model_dump(mode="json"))


@offers_app.command("store")
@handle_errors
def store(
    handle: str = typer.Argument(..., help="The storefront's handle."), user: str | None = READER
) -> None:
    """A seller's storefront, as JSON."""
    with open_platform() as platform:
        front = offers.storefront(platform.uow(), actor=_reader(platform, user), handle=handle)
    print_json(StorefrontPublic.of(front).model_dump(mode="json"))


@offers_app.command("order")
@handle_errors
def order(
    offer_id: int = typer.Argument(..., min=1, max=ID_MAX),
    package: int = typer.Option(0, "--package", min=0, max=2, help="The package's number, 0 first."),
    requirements: str = typer.Option(..., "--requirements", help="What you need."),
    user: str = user_option(),
) -> None:
    """Order a package: a contract with one milestone, paid into escrow now."""
    placed = run_as(
        user,
        lambda p, a: offers.place_order(
            p.uow(),
            actor=a,
            offer_id=offer_id,
            package=package,
            requirements=requirements,
            fee_bp=p.settings.marketplace_fee_basis_points,
            now=p.clock(),
        ),
    )
    _say_order(placed)


@offers_app.command("orders")
@handle_errors
def orders(as_json: bool = JSON, user: str = user_option()) -> None:
    """Orders you placed or sold, newest first."""
    found = run_as(user, lambda p, a: offers.my_orders(p.uow(), actor=a))
    if as_json:
        print_json([OrderPublic.of(v).model_dump(mode="json") for v in found])
        return
    for view in found:
        _say_order(view)


OrderStep = Callable[[Platform, Actor, int, str], OrderView]


def _order_command(name: str, doc: str, step: OrderStep, *, with_note: bool) -> None:
    def run(order_id: int, note: str, user: str) -> None:
        _say_order(run_as(user, lambda p, a: step(p, a, order_id, note)))

    if with_note:

        @offers_app.command(name, help=doc)
        @handle_errors
        def noted(
            order_id: int = typer.Argument(..., min=1, max=ID_MAX),
            note: str = typer.Option("", "--note", help="A message with it."),
            user: str = user_option(),
        ) -> None:
            run(order_id, note, user)

    else:

        @offers_app.command(name, help=doc)
        @handle_errors
        def plain(order_id: int = typer.Argument(..., min=1, max=ID_MAX), user: str = user_option()) -> None:
            run(order_id, "", user)


_order_command(
    "deliver",
    "Deliver an order (the seller).",
    lambda p, a, i, n: offers.deliver(p.uow(), actor=a, order_id=i, note=n, now=p.clock()),
    with_note=True,
)
_order_command(
    "revision",
    "Ask for a revision of a delivery (the client; within the package's revisions).",
    lambda p, a, i, n: offers.request_revision(p.uow(), actor=a, order_id=i, note=n, now=p.clock()),
    with_note=True,
)
_order_command(
    "accept",
    "Accept a delivery (the client): escrow released to the seller, the contract completed.",
    lambda p, a, i, n: offers.accept_delivery(p.uow(), actor=a, order_id=i, now=p.clock()),
    with_note=False,
)
