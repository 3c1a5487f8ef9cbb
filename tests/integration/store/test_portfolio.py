"""The public portfolio on both stores: its owner edits it, it shows as the profile's visibility allows
(a hidden page is the same 404 as no page), items name the contract behind them, and the page's
JSON Resume and schema.org markup say only what the page shows."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings, json_ld_script
from microcareer.domain.profiles.evidence import Evidence, EvidenceKind
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from microcareer.services import portfolio, profiles
from tests.integration.store.marketplace_helpers import NOW, Market, make_market
from tests.integration.taxonomy_helpers import PYTHON

TODAY = NOW.date()


def uid(actor: Actor) -> int:
    assert actor.user_id is not None
    return actor.user_id


@pytest.fixture
def market(taxonomy_platform: Platform) -> Market:
    return make_market(taxonomy_platform)


def _visibility(platform: Platform, user_id: int, visibility: Visibility) -> None:
    with platform.uow() as uow:
        uow.profiles.save(
            user_id, Profile(headline="Backend", visibility=visibility), resume_extras={}, at=NOW
        )
        uow.commit()


def _publish(platform: Platform, pro: Actor, **changes: Any) -> PortfolioSettings:
    base = PortfolioSettings(
        handle="pete-dev", headline="Backend developer", narrative="Gigs <b>tied</b>", published=True
    )
    return portfolio.save_settings(
        platform.uow(), actor=pro, user_id=uid(pro), settings=replace(base, **changes), now=NOW
    )


def _page(platform: Platform, actor: Actor, handle: str = "pete-dev") -> portfolio.Portfolio:
    return portfolio.page(platform.uow(), actor=actor, handle=handle, today=TODAY)


def test_an_item_names_the_contract_behind_it_and_a_stranger_reads_it(
    taxonomy_platform: Platform, market: Market
) -> None:
    platform, pro = taxonomy_platform, market.professional
    _visibility(platform, uid(pro), Visibility.PUBLIC)
    profiles.set_skill(
        platform.uow(),
        actor=pro,
        user_id=uid(pro),
        uri=PYTHON,
        proficiency=4,
        evidence=[Evidence(EvidenceKind.SELF_CLAIM, TODAY)],
        now=NOW,
    )
    _publish(platform, pro)
    item = PortfolioItem(
        title="Booking API",
        description="Built it",
        link="https://example.org/booking",
        skills=(PYTHON,),
        contract_id=market.fixed_id,
    )
    portfolio.add_item(platform.uow(), actor=pro, user_id=uid(pro), item=item, now=NOW)
    seen = _page(platform, Actor.anonymous())
    assert seen.name == "pete"
    assert [i.item.title for i in seen.items] == ["Booking API"]
    assert seen.items[0].skills == ((PYTHON, "Python (computer programming)"),)
    assert "contract “" in seen.items[0].behind
    assert "on microcareer, active" in seen.items[0].behind
    assert [s.uri for s in seen.skills] == [PYTHON]
    assert not seen.editable
    ld = seen.json_ld("https://mc.test/p/pete-dev")
    assert ld["@type"] == "Person"
    assert ld["knowsAbout"][0]["termCode"] == PYTHON
    script = json_ld_script(ld)
    assert "<" not in script
    assert json.loads(script)["description"] == "Gigs <b>tied</b>"
    resume = portfolio.json_resume(seen, "https://mc.test/p/pete-dev")
    assert resume["basics"] == {
        "name": "pete",
        "label": "Backend developer",
        "summary": "Gigs <b>tied</b>",
        "url": "https://mc.test/p/pete-dev",
    }
    assert resume["projects"][0]["url"] == "https://example.org/booking"
    assert "email" not in json.dumps(resume)


def test_what_the_owner_hides_does_not_show(taxonomy_platform: Platform, market: Market) -> None:
    platform, pro = taxonomy_platform, market.professional
    _visibility(platform, uid(pro), Visibility.PUBLIC)
    _publish(platform, pro, show_skills=False, show_reputation=False, show_credentials=False)
    profiles.set_skill(platform.uow(), actor=pro, user_id=uid(pro), uri=PYTHON, proficiency=3, now=NOW)
    seen = _page(platform, market.stranger)
    assert seen.skills == ()
    assert seen.reputation is None
    assert seen.credentials == ()
    assert "knowsAbout" not in seen.json_ld("https://mc.test/p/pete-dev")


@pytest.mark.parametrize(
    ("visibility", "published", "anonymous", "stranger", "colleague"),
    [
        (Visibility.PUBLIC, True, True, True, True),
        (Visibility.ORGANISATION, True, False, False, True),
        (Visibility.PRIVATE, True, False, False, False),
        (Visibility.PUBLIC, False, False, False, False),
    ],
)
def test_the_page_follows_profile_visibility(
    taxonomy_platform: Platform,
    market: Market,
    visibility: Visibility,
    published: bool,
    anonymous: bool,
    stranger: bool,
    colleague: bool,
) -> None:
    platform, pro = taxonomy_platform, market.professional
    with platform.uow() as uow:
        org = uow.accounts.add_organisation(slug="acme", name="Acme", created_at=NOW).id
        uow.accounts.set_membership(org, uid(pro), OrgRole.MEMBER, created_at=NOW)
        uow.accounts.set_membership(org, uid(market.client), OrgRole.MEMBER, created_at=NOW)
        uow.commit()
    member = Actor(user_id=uid(market.client), roles=market.client.roles, memberships={org: OrgRole.MEMBER})
    _visibility(platform, uid(pro), visibility)
    _publish(platform, pro, published=published)

    def sees(actor: Actor) -> bool:
        try:
            _page(platform, actor)
        except NotFound as exc:
            details.append(str(exc.detail))
            return False
        return True

    details: list[str] = []

    assert sees(Actor.anonymous()) is anonymous
    assert sees(market.stranger) is stranger
    assert sees(member) is colleague
    assert sees(pro)
    assert sees(market.admin)
    assert set(details) <= {"no portfolio 'pete-dev'"}  # hidden reads as missing


def test_handles_links_and_items_are_checked(taxonomy_platform: Platform, market: Market) -> None:
    platform, pro = taxonomy_platform, market.professional
    _publish(platform, pro)
    with pytest.raises(Conflict, match="taken"):
        _publish(platform, market.stranger)
    for handle in ("ab", "Bad_Handle", "-x-", "new", "a--b"):
        with pytest.raises(InvalidInput, match="handle"):
            _publish(platform, market.stranger, handle=handle)
    with pytest.raises(NotFound):
        _page(platform, Actor.anonymous(), handle="../etc")
    for link in ("javascript:alert(1)", "data:text/html,x", "/relative", "ftp://x.test/f", "https://"):
        with pytest.raises(InvalidInput, match="link"):
            portfolio.add_item(
                platform.uow(), actor=pro, user_id=uid(pro), item=PortfolioItem("X", link=link), now=NOW
            )
    with pytest.raises(InvalidInput, match="image_url"):
        portfolio.add_item(
            platform.uow(),
            actor=pro,
            user_id=uid(pro),
            item=PortfolioItem("X", image_url="javascript:x"),
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="contract"):  # the stranger was party to no contract
        portfolio.add_item(
            platform.uow(),
            actor=market.stranger,
            user_id=uid(market.stranger),
            item=PortfolioItem("Not mine", contract_id=market.fixed_id),
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="skills"):
        portfolio.add_item(
            platform.uow(),
            actor=pro,
            user_id=uid(pro),
            item=PortfolioItem("X", skills=("https://nope.test/skill",)),
            now=NOW,
        )
    with pytest.raises(InvalidInput, match="title"):
        portfolio.add_item(platform.uow(), actor=pro, user_id=uid(pro), item=PortfolioItem("  "), now=NOW)


def test_only_the_owner_edits(taxonomy_platform: Platform, market: Market) -> None:
    platform, pro = taxonomy_platform, market.professional
    made = portfolio.add_item(
        platform.uow(), actor=pro, user_id=uid(pro), item=PortfolioItem("Mine"), now=NOW
    )
    with pytest.raises(PermissionDenied):
        portfolio.add_item(
            platform.uow(), actor=market.stranger, user_id=uid(pro), item=PortfolioItem("Theirs"), now=NOW
        )
    with pytest.raises(NotFound):  # an item of someone else is no item of mine
        portfolio.remove_item(
            platform.uow(), actor=market.stranger, user_id=uid(market.stranger), item_id=made.id
        )
    portfolio.update_item(
        platform.uow(), actor=pro, user_id=uid(pro), item_id=made.id, item=PortfolioItem("Mine, renamed")
    )
    settings = portfolio.settings_of(platform.uow(), actor=pro, user_id=uid(pro))
    assert settings.handle == f"pete-{uid(pro)}"
    assert not settings.published
    seen = _page(platform, pro, handle=settings.handle)
    assert [i.item.title for i in seen.items] == ["Mine, renamed"]
    assert seen.editable
    portfolio.remove_item(platform.uow(), actor=pro, user_id=uid(pro), item_id=made.id)
    assert _page(platform, pro, handle=settings.handle).items == ()
