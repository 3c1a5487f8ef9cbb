"""The public portfolio (issue 21): its owner edits the page and its items; anyone the owner's profile
visibility lets in reads it at ``/p/<handle>``, signed-out strangers too when the profile is public.

A page nobody may read is a 404, the same as a handle that does not exist: an unpublished page (its
owner and platform admins see a preview), a private profile, an organisation-only profile to anyone
outside the organisation. Items name the work behind them: a contract the owner was party to (shown
with its job and state) or an accepted credential of their wallet (shown with its issuer's standing);
the platform checks both, so a stranger can trust them. The page exports as JSON Resume (what it shows,
never the e-mail) and carries schema.org ``Person`` markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from microcareer.domain.accounts import Actor, Role
from microcareer.domain.marketplace.contracts import ContractState
from microcareer.domain.marketplace.reputation import Reputation, reputation
from microcareer.domain.network.portfolio import (
    ITEMS_MAX,
    PersonFacts,
    PortfolioItem,
    PortfolioSettings,
    StoredItem,
    check_handle,
    check_item,
    check_settings,
    person_json_ld,
)
from microcareer.domain.network.portfolio_images import ImageInfo
from microcareer.domain.profiles.evidence import EvidencePolicy
from microcareer.domain.profiles.json_resume import Resume, ResumeSkill, to_json_resume
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import Conflict, InvalidInput, NotFound
from microcareer.services.access import Action, Resource, authorize, is_allowed
from microcareer.services.ports import UnitOfWork
from microcareer.services.profiles import HeldSkill, held_skills, may_read, visible_skill_labels
from microcareer.services.reviews import contract_outcomes
from microcareer.services.wallet import WalletItem, public_wallet

ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    item: PortfolioItem
    skills: tuple[tuple[str, str], ...]  # (uri, label)
    behind: str
    """The contract or credential behind it, in words ("" when none)."""
    image: ImageInfo | None = None
    """Its uploaded image, served by this site (``image_url`` stays an outside link)."""


@dataclass(frozen=True, slots=True)
class Portfolio:
    user_id: int
    name: str
    settings: PortfolioSettings
    items: tuple[ItemView, ...]
    credentials: tuple[WalletItem, ...]
    reputation: Reputation | None
    skills: tuple[HeldSkill, ...]
    editable: bool

    def json_ld(self, page_url: str) -> dict[str, Any]:
        return person_json_ld(
            PersonFacts(
                name=self.name,
                url=page_url,
                headline=self.settings.headline,
                narrative=self.settings.narrative,
                skills=[(s.label, s.uri) for s in self.skills],
                credentials=[c.entry.title for c in self.credentials],
                works=[(i.item.title, i.item.link) for i in self.items],
            )
        )


def _edit(actor: Actor, user_id: int) -> None:
    authorize(actor, Action.PORTFOLIO_EDIT, Resource(owner_user_id=user_id))


def default_handle(name: str, user_id: int) -> str:
    """A handle to start from: the name's letters and digits, then the user id (always unique)."""
    base = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.casefold()).strip("-")
    base = "-".join(part for part in base.split("-") if part)[:30] or "person"
    return check_handle(f"{base}-{user_id}")


def settings_of(uow: UnitOfWork, *, actor: Actor, user_id: int) -> PortfolioSettings:
    """The owner's settings; a page never saved starts unpublished with a handle from the name."""
    _edit(actor, user_id)
    with uow:
        user = uow.accounts.get_user(user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        found = uow.portfolio.get(user_id)
        if found is not None:
            return found
        stored = uow.profiles.get(user_id)
    headline = stored.profile.headline if stored is not None else ""
    return PortfolioSettings(handle=default_handle(user.display_name, user_id), headline=headline)


def save_settings(
    uow: UnitOfWork, *, actor: Actor, user_id: int, settings: PortfolioSettings, now: datetime
) -> PortfolioSettings:
    _edit(actor, user_id)
    checked = check_settings(settings)
    with uow:
        if uow.accounts.get_user(user_id) is None:
            raise NotFound(f"no user {user_id}")
        owner = uow.portfolio.owner_of(checked.handle)
        if owner is not None and owner != user_id:
            raise Conflict(f"handle: {checked.handle!r} is taken, choose another")
        uow.portfolio.save(user_id, checked, at=now)
        uow.commit()
    return checked


def _check_behind(uow: UnitOfWork, user_id: int, item: PortfolioItem) -> None:
    if item.contract_id is not None:
        contract = uow.marketplace.get_contract(item.contract_id)
        if contract is None or contract.party(user_id) is None:
            raise InvalidInput(
                f"contract: {item.contract_id} is not a contract of yours", field="contract_id"
            )
    if item.wallet_entry_id is not None:
        entry = uow.credentials.get_wallet_entry(item.wallet_entry_id)
        if entry is None or entry.user_id != user_id or entry.state != ACCEPTED:
            raise InvalidInput(
                f"credential: {item.wallet_entry_id} is not an accepted credential of your wallet",
                field="wallet_entry_id",
            )


def _check_skills(uow: UnitOfWork, actor: Actor, uris: tuple[str, ...]) -> None:
    known = visible_skill_labels(uow, actor, list(uris))
    for uri in uris:
        if uri not in known:
            raise InvalidInput(f"skills: {uri} is not a skill of the taxonomy", field="skills")


def add_item(
    uow: UnitOfWork, *, actor: Actor, user_id: int, item: PortfolioItem, now: datetime
) -> StoredItem:
    _edit(actor, user_id)
    checked = check_item(item)
    with uow:
        if uow.portfolio.get(user_id) is None:
            user = uow.accounts.get_user(user_id)
            if user is None:
                raise NotFound(f"no user {user_id}")
            handle = default_handle(user.display_name, user_id)
            uow.portfolio.save(user_id, PortfolioSettings(handle=handle), at=now)
        if len(uow.portfolio.items(user_id)) >= ITEMS_MAX:
            raise InvalidInput(f"items: at most {ITEMS_MAX} on a portfolio", field="items")
        _check_skills(uow, actor, checked.skills)
        _check_behind(uow, user_id, checked)
        made = uow.portfolio.add_item(user_id, checked)
        uow.commit()
    return made


def own_item(uow: UnitOfWork, user_id: int, item_id: int) -> StoredItem:
    found = uow.portfolio.get_item(item_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"no portfolio item {item_id}")
    return found


def update_item(uow: UnitOfWork, *, actor: Actor, user_id: int, item_id: int, item: PortfolioItem) -> None:
    _edit(actor, user_id)
    checked = check_item(item)
    with uow:
        own_item(uow, user_id, item_id)
        _check_skills(uow, actor, checked.skills)
        _check_behind(uow, user_id, checked)
        uow.portfolio.update_item(item_id, checked)
        uow.commit()


def remove_item(uow: UnitOfWork, *, actor: Actor, user_id: int, item_id: int) -> None:
    _edit(actor, user_id)
    with uow:
        own_item(uow, user_id, item_id)
        uow.portfolio.remove_item(item_id)
        uow.commit()


def may_see_page(uow: UnitOfWork, actor: Actor, user_id: int, settings: PortfolioSettings) -> bool:
    if is_allowed(actor, Action.PORTFOLIO_EDIT, Resource(owner_user_id=user_id)):
        return True  # the owner's preview
    if not settings.published:
        return False
    stored = uow.profiles.get(user_id)
    visibility = stored.profile.visibility if stored is not None else Visibility.PRIVATE
    if visibility is Visibility.PUBLIC:
        return True  # a stranger, signed in or not
    return may_read(actor, user_id, visibility, uow.accounts.memberships_of(user_id))


def _behind(uow: UnitOfWork, item: PortfolioItem, wallet: dict[int, WalletItem]) -> str:
    parts: list[str] = []
    if item.contract_id is not None:
        contract = uow.marketplace.get_contract(item.contract_id)
        job = uow.marketplace.get_job(contract.job_id) if contract is not None else None
        if contract is not None and job is not None:
            state = "completed" if contract.state is ContractState.COMPLETED else contract.state.value
            parts.append(f"contract “{job.job.title}” on microcareer, {state}")
    if item.wallet_entry_id is not None and item.wallet_entry_id in wallet:
        credential = wallet[item.wallet_entry_id]
        parts.append(f"credential “{credential.entry.title}” from {credential.shown_issuer}")
    return "; ".join(parts)


def page(
    uow: UnitOfWork, *, actor: Actor, handle: str, today: date, policy: EvidencePolicy | None = None
) -> Portfolio:
    """The page at ``/p/<handle>`` as ``actor`` may see it, or 404."""
    missing = NotFound(f"no portfolio {handle!r}")
    try:
        key = check_handle(handle)
    except InvalidInput:
        raise missing from None
    with uow:
        user_id = uow.portfolio.owner_of(key)
        settings = uow.portfolio.get(user_id) if user_id is not None else None
        if user_id is None or settings is None or not may_see_page(uow, actor, user_id, settings):
            raise missing
        user = uow.accounts.get_user(user_id)
        if user is None:
            raise missing
        stored_items = uow.portfolio.items(user_id)
        skills = held_skills(uow, user_id, today=today, policy=policy) if settings.show_skills else ()
        outcomes = contract_outcomes(uow, user_id) if settings.show_reputation else []
        labels = uow.taxonomy.skill_refs(sorted({u for i in stored_items for u in i.item.skills}))
        images = uow.portfolio.image_infos(user_id)
    credentials = public_wallet(uow, user_id=user_id)
    by_entry = {c.entry.id: c for c in credentials}
    with uow:
        items = tuple(
            ItemView(
                id=i.id,
                item=i.item,
                skills=tuple(
                    (uri, labels[uri].preferred_label if uri in labels else uri) for uri in i.item.skills
                ),
                behind=_behind(uow, i.item, by_entry),
                image=images.get(i.id),
            )
            for i in stored_items
        )
    return Portfolio(
        user_id=user_id,
        name=user.display_name,
        settings=settings,
        items=items,
        credentials=tuple(credentials) if settings.show_credentials else (),
        reputation=reputation(outcomes, today) if settings.show_reputation else None,
        skills=tuple(s for s in skills if s.known and s.confidence.value > 0),
        editable=actor.user_id == user_id or actor.has_role(Role.PLATFORM_ADMIN),
    )


def json_resume(portfolio: Portfolio, page_url: str) -> dict[str, Any]:
    """What the page shows, as a JSON Resume document (no e-mail: the page never shows it)."""
    resume = Resume(
        profile=Profile(headline=portfolio.settings.headline, summary=portfolio.settings.narrative),
        name=portfolio.name,
    )
    document = to_json_resume(resume, [ResumeSkill(s.label, s.proficiency) for s in portfolio.skills])
    document["basics"]["url"] = page_url
    projects = [
        {
            k: v
            for k, v in (
                ("name", i.item.title),
                ("description", i.item.description),
                ("url", i.item.link),
                ("keywords", [label for _, label in i.skills]),
                ("type", "portfolio"),
                ("roles", [i.behind] if i.behind else []),
            )
            if v
        }
        for i in portfolio.items
    ]
    if projects:
        document["projects"] = projects
    if portfolio.credentials:
        document["certificates"] = [
            {"name": c.entry.title, "issuer": c.shown_issuer, "date": c.entry.added_at.date().isoformat()}
            for c in portfolio.credentials
        ]
    return document


@dataclass(frozen=True, slots=True)
class Sources:
    """What the owner may put behind an item: their contracts and accepted credentials."""

    contracts: tuple[tuple[int, str], ...]  # (id, "job title (state)")
    credentials: tuple[tuple[int, str], ...]  # (wallet entry id, title)


def sources(uow: UnitOfWork, *, actor: Actor, user_id: int) -> Sources:
    _edit(actor, user_id)
    with uow:
        contracts: list[tuple[int, str]] = []
        for contract in uow.marketplace.contracts_of(user_id):
            job = uow.marketplace.get_job(contract.job_id)
            title = job.job.title if job is not None else f"job {contract.job_id}"
            contracts.append((contract.id, f"{title} ({contract.state.value})"))
        credentials = [(e.id, e.title) for e in uow.credentials.wallet(user_id) if e.state == ACCEPTED]
    return Sources(tuple(contracts), tuple(credentials))
