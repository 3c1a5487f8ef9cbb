"""Portfolio images on both stores: only the item's owner uploads, replaces or removes one (not another
person, not a stranger, not a platform admin); whoever may read the page reads its images, and to
anyone else an image is the same 404 as a missing one; a removed item takes its image along."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings
from microcareer.domain.network.portfolio_images import ImageInfo
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.errors import MicrocareerError
from microcareer.services import portfolio, portfolio_images

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def png(size: tuple[int, int] = (640, 320), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _people(platform: Platform) -> dict[str, Actor]:
    people: dict[str, Actor] = {"anonymous": Actor.anonymous()}
    with platform.uow() as uow:
        for name, roles in (
            ("owner", [Role.PROFESSIONAL]),
            ("other", [Role.PROFESSIONAL]),
            ("admin", [Role.PLATFORM_ADMIN]),
        ):
            user = uow.accounts.add_user(
                email=f"{name}@example.org", display_name=name, password_hash="x", roles=roles, created_at=NOW
            )
            people[name] = Actor(user_id=user.id, roles=frozenset(roles))
        uow.commit()
    return people


def _outcome(call: object) -> str:
    try:
        call()  # type: ignore[operator]
    except MicrocareerError as error:
        return str(error.status)
    return "ok"


@pytest.mark.parametrize("published", [True, False], ids=["published", "unpublished"])
def test_who_may_upload_replace_remove_and_read_an_image(platform: Platform, published: bool) -> None:
    people = _people(platform)
    owner = people["owner"]
    assert owner.user_id is not None
    me = owner.user_id
    with platform.uow() as uow:
        uow.profiles.save(me, Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()
    portfolio.save_settings(
        platform.uow(),
        actor=owner,
        user_id=me,
        settings=PortfolioSettings("owner-page", published=published),
        now=NOW,
    )
    item = portfolio.add_item(platform.uow(), actor=owner, user_id=me, item=PortfolioItem("Mural"), now=NOW)

    def upload(actor: Actor, size: tuple[int, int] = (640, 320)) -> object:
        return portfolio_images.upload_image(
            platform.uow(), actor=actor, user_id=me, item_id=item.id, data=png(size), alt="", now=NOW
        )

    def read(actor: Actor) -> object:
        return portfolio_images.read_image(platform.uow(), actor=actor, item_id=item.id)

    def remove(actor: Actor) -> object:
        portfolio_images.remove_image(platform.uow(), actor=actor, user_id=me, item_id=item.id)
        return None

    def with_image(present: bool) -> None:
        """The state an action starts from: no image for an upload, the owner's for the rest."""
        with platform.uow() as uow:
            uow.portfolio.remove_image(item.id)
            uow.commit()
        if present:
            upload(owner)

    actions = {
        "upload": (False, upload),
        "replace": (True, lambda a: upload(a, (100, 900))),
        "remove": (True, remove),
        "read": (True, read),
    }
    seen: dict[str, tuple[str, ...]] = {}
    for name, actor in people.items():
        outcomes = []
        for present, action in actions.values():
            with_image(present)
            outcomes.append(_outcome(lambda a=actor, act=action: act(a)))
        seen[name] = tuple(outcomes)
    stranger = "ok" if published else "404"  # an unpublished page's image is the page's 404
    assert seen == {  # upload, replace, remove, read
        "owner": ("ok", "ok", "ok", "ok"),
        "anonymous": ("401", "401", "401", stranger),
        "other": ("403", "403", "403", stranger),
        "admin": ("403", "403", "403", "ok"),  # an admin sees an unpublished page's preview, changes nothing
    }

    with_image(False)
    first = upload(owner)
    assert isinstance(first, ImageInfo)
    assert (first.width, first.height, first.alt) == (640, 320, "Mural")  # the title when no words given
    again = portfolio_images.upload_image(
        platform.uow(),
        actor=owner,
        user_id=me,
        item_id=item.id,
        data=png((100, 900), "navy"),
        alt="A mural",
        now=NOW,
    )
    assert again.version != first.version  # a replaced image: a new URL
    assert (again.width, again.height, again.alt) == (100, 900, "A mural")
    shown = portfolio.page(platform.uow(), actor=owner, handle="owner-page", today=NOW.date()).items[0]
    assert shown.image == again
    served = portfolio_images.read_image(platform.uow(), actor=owner, item_id=item.id, thumbnail=True)
    assert served.public is published
    assert Image.open(io.BytesIO(served.file.data)).size == (53, 480)
    assert _outcome(lambda: remove(owner)) == "ok"
    assert _outcome(lambda: read(owner)) == _outcome(lambda: remove(owner)) == "404"


def test_a_hidden_profile_hides_its_images_and_a_removed_item_takes_its_image(platform: Platform) -> None:
    people = _people(platform)
    owner, other = people["owner"], people["other"]
    assert owner.user_id is not None
    me = owner.user_id
    portfolio.save_settings(
        platform.uow(),
        actor=owner,
        user_id=me,
        settings=PortfolioSettings("owner-page", published=True),
        now=NOW,
    )
    item = portfolio.add_item(platform.uow(), actor=owner, user_id=me, item=PortfolioItem("Mural"), now=NOW)
    portfolio_images.upload_image(
        platform.uow(), actor=owner, user_id=me, item_id=item.id, data=png(), alt="", now=NOW
    )
    # no profile saved: private; a published page of a private profile is hidden, its image too
    assert (
        _outcome(lambda: portfolio_images.read_image(platform.uow(), actor=other, item_id=item.id)) == "404"
    )
    # another person's item id in one's own path is a 404, before anything is decoded
    assert other.user_id is not None
    assert (
        _outcome(
            lambda: portfolio_images.upload_image(
                platform.uow(),
                actor=other,
                user_id=other.user_id,
                item_id=item.id,
                data=b"junk",
                alt="",
                now=NOW,
            )
        )
        == "404"
    )
    portfolio.remove_item(platform.uow(), actor=owner, user_id=me, item_id=item.id)
    with platform.uow() as uow:
        assert uow.portfolio.get_image(item.id, thumbnail=False) is None
        assert uow.portfolio.image_infos(me) == {}
