"""Service offers (issue 22): a professional's fixed-scope offer with one to three packages, sold from
their storefront; an order of a package becomes a one-milestone contract (``services.offers``).

Gallery entries are http(s) addresses the page links to; the server never fetches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from microcareer.domain.marketplace.money import Money
from microcareer.domain.network.portfolio import web_url
from microcareer.errors import Conflict, InvalidInput

TITLE_MIN, TITLE_MAX = 5, 120
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5_000
SKILLS_MAX = 10
PACKAGES_MAX = 3
PACKAGE_NAME_MAX = 40
DELIVERY_DAYS_MAX = 90
REVISIONS_MAX = 10
GALLERY_MAX = 6
REQUIREMENTS_MIN, REQUIREMENTS_MAX = 10, 5_000
PRICE_MAX_MAJOR = 100_000


class OfferState(StrEnum):
    ACTIVE = "active"  # on sale (while the seller's profile is shown)
    PAUSED = "paused"  # the seller took it off sale; orders already made go on


@dataclass(frozen=True, slots=True)
class Package:
    """One fixed scope at one price: delivered within ``delivery_days``, with ``revisions`` rounds of
    changes the client may ask for."""

    name: str
    price: Money
    delivery_days: int
    revisions: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class Offer:
    title: str
    description: str
    skills: tuple[str, ...]
    packages: tuple[Package, ...]
    gallery: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredOffer:
    id: int
    seller_user_id: int
    offer: Offer
    state: OfferState
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredOrder:
    """An order of one package; ``package`` is a copy of it as bought (later edits do not change it)."""

    id: int
    offer_id: int
    package_index: int
    package: Package
    client_user_id: int
    seller_user_id: int
    contract_id: int
    requirements: str
    revisions_used: int
    created_at: datetime


def _text(value: str, field: str, low: int, high: int) -> str:
    value = value.strip()
    if len(value) < low:
        raise InvalidInput(f"{field}: at least {low} characters, not {len(value)}", field=field)
    if len(value) > high:
        raise InvalidInput(f"{field}: at most {high} characters, not {len(value)}", field=field)
    return value


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{field}: a whole number {low} to {high}, not {value!r}", field=field)
    return value


def check_package(package: Package, index: int) -> Package:
    where = f"packages[{index}]"
    name = _text(package.name, f"{where}.name", 1, PACKAGE_NAME_MAX)
    if not package.price.is_positive or package.price.amount > PRICE_MAX_MAJOR * 10**package.price.exponent:
        raise InvalidInput(
            f"{where}.price: above 0 and at most {PRICE_MAX_MAJOR:,}, not {package.price}",
            field=f"{where}.price",
        )
    _whole(package.delivery_days, f"{where}.delivery_days", 1, DELIVERY_DAYS_MAX)
    _whole(package.revisions, f"{where}.revisions", 0, REVISIONS_MAX)
    description = _text(package.description, f"{where}.description", 0, 500)
    return Package(name, package.price, package.delivery_days, package.revisions, description)


def check_offer(offer: Offer) -> Offer:
    """The offer as it is kept (texts trimmed), or ``InvalidInput`` naming the first bad field."""
    title = _text(offer.title, "title", TITLE_MIN, TITLE_MAX)
    description = _text(offer.description, "description", DESCRIPTION_MIN, DESCRIPTION_MAX)
    skills = tuple(dict.fromkeys(offer.skills))
    if not 1 <= len(skills) <= SKILLS_MAX:
        raise InvalidInput(f"skills: 1 to {SKILLS_MAX} skills, not {len(skills)}", field="skills")
    if not 1 <= len(offer.packages) <= PACKAGES_MAX:
        raise InvalidInput(
            f"packages: 1 to {PACKAGES_MAX} packages, not {len(offer.packages)}", field="packages"
        )
    packages = tuple(check_package(p, i) for i, p in enumerate(offer.packages))
    names = [p.name.casefold() for p in packages]
    if len(set(names)) != len(names):
        raise InvalidInput("packages: each package needs its own name", field="packages")
    if len({p.price.currency for p in packages}) != 1:
        raise InvalidInput("packages: all packages in one currency", field="packages")
    if len(offer.gallery) > GALLERY_MAX:
        raise InvalidInput(f"gallery: at most {GALLERY_MAX} addresses", field="gallery")
    gallery = tuple(u for i, g in enumerate(offer.gallery) if (u := web_url(g, f"gallery[{i}]")))
    return Offer(title, description, skills, packages, tuple(dict.fromkeys(gallery)))


def check_requirements(text: str) -> str:
    return _text(text, "requirements", REQUIREMENTS_MIN, REQUIREMENTS_MAX)


def package_of(offer: Offer, index: int) -> Package:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(offer.packages):
        raise InvalidInput(
            f"package: 0 to {len(offer.packages) - 1} (the offer has {len(offer.packages)}), not {index!r}",
            field="package",
        )
    return offer.packages[index]


def check_revision_left(order: StoredOrder) -> None:
    """``Conflict`` once the client used every revision the package includes."""
    if order.revisions_used >= order.package.revisions:
        raise Conflict(
            f"revisions: the {order.package.name!r} package includes {order.package.revisions}, all used;"
            " accept the delivery or open a dispute",
            order_id=order.id,
        )


def matches(offer: Offer, words: tuple[str, ...], skill: str | None) -> bool:
    """Every word in the title, description or package names; the skill among the offer's skills."""
    if skill is not None and skill not in offer.skills:
        return False
    haystack = " ".join([offer.title, offer.description, *(p.name for p in offer.packages)]).casefold()
    return all(word in haystack for word in words)


def search_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.casefold().split() if w)[:10]


def package_from_text(spec: str, currency: str, index: int) -> Package:
    """``"Basic:50.00:3:1"`` (name, price, delivery days, revisions) in ``currency``, as the CLI takes it."""
    parts = spec.rsplit(":", 3)
    where = f"packages[{index}]"
    if len(parts) != 4:
        raise InvalidInput(f"{where}: NAME:PRICE:DAYS:REVISIONS, not {spec[:80]!r}", field="packages")
    name, price, days, revisions = (p.strip() for p in parts)
    if not (days.isdigit() and revisions.isdigit() and len(days) < 4 and len(revisions) < 4):
        raise InvalidInput(
            f"{where}: days and revisions are whole numbers, not {spec[:80]!r}", field="packages"
        )
    try:
        amount = Money.parse(price, currency)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}.price: {exc}", field="packages") from None
    return Package(name, amount, int(days), int(revisions))
