"""Portfolio images through each door on each database: the API's multipart upload and removal, the
web form, the CLI; served under /media with nosniff, an ETag and cache headers, as the page's
visibility allows; every refusal a 4xx naming the field."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.cli.main import app as cli_app
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings
from microcareer.domain.profiles.profile import Profile, Visibility
from microcareer.services import portfolio
from microcareer.services.sessions import SESSION_COOKIE, start_session
from tests.integration.api.market_api import bearer
from tests.integration.store.test_portfolio_images import png

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    platform.clock = lambda: NOW
    with TestClient(create_app(platform), follow_redirects=False) as client:
        yield client


def _owner_with_item(platform: Platform, *, published: bool = True) -> tuple[int, int, int]:
    """(owner, another person, the owner's item) with a public profile and a page."""
    with platform.uow() as uow:
        ids = [
            uow.accounts.add_user(
                email=f"{name}@example.org",
                display_name=name.title(),
                password_hash="x",
                roles=[Role.PROFESSIONAL],
                created_at=NOW,
            ).id
            for name in ("ada", "sam")
        ]
        uow.profiles.save(ids[0], Profile(visibility=Visibility.PUBLIC), resume_extras={}, at=NOW)
        uow.commit()
    ada = Actor(user_id=ids[0], roles=frozenset({Role.PROFESSIONAL}))
    settings = PortfolioSettings("ada-makes", published=published)
    portfolio.save_settings(platform.uow(), actor=ada, user_id=ids[0], settings=settings, now=NOW)
    item = portfolio.add_item(platform.uow(), actor=ada, user_id=ids[0], item=PortfolioItem("Mural"), now=NOW)
    return ids[0], ids[1], item.id


def test_the_api_uploads_serves_and_removes_an_image(client: TestClient, platform: Platform) -> None:
    ada, sam, item = _owner_with_item(platform)
    as_ada, as_sam = bearer(platform, ada), bearer(platform, sam)
    url = f"/api/v1/users/{ada}/portfolio/items/{item}/image"
    upload = {"file": ("mural.png", png(), "image/png")}
    assert client.put(url, files=upload).status_code == 401
    assert client.put(url, files=upload, headers=as_sam).status_code == 403
    refused = client.put(url, files={"file": ("mural.png", SVG, "image/png")}, headers=as_ada)
    assert refused.status_code == 422
    assert refused.json()["field"] == "file"
    assert "SVG" in refused.json()["detail"]
    saved = client.put(url, files=upload, data={"alt": "A teal mural"}, headers=as_ada)
    assert saved.status_code == 200, saved.text
    image = saved.json()
    assert (image["width"], image["height"], image["alt"]) == (640, 320, "A teal mural")
    assert client.get("/api/v1/portfolios/ada-makes").json()["items"][0]["image"] == image

    served = client.get(image["url"])  # signed out: the page is public
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["cache-control"] == "public, max-age=300"
    assert Image.open(io.BytesIO(served.content)).size == (640, 320)
    again = client.get(image["url"], headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304
    assert not again.content
    assert client.get(image["thumbnail_url"]).status_code == 200

    assert client.delete(url, headers=as_sam).status_code == 403
    assert client.delete(url, headers=as_ada).status_code == 204
    assert client.delete(url, headers=as_ada).status_code == 404
    assert client.get(image["url"]).status_code == 404


def _sign_in(client: TestClient, platform: Platform, user_id: int) -> str:
    with platform.uow() as uow:
        user = uow.accounts.get_user(user_id)
    assert user is not None
    session = start_session(platform.uow(), user=user, clock=platform.clock, session_hours=1)
    client.cookies.set(SESSION_COOKIE, session.token)
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/portfolio").text)
    assert found is not None
    return found.group(1)


def test_the_web_form_uploads_and_the_page_shows_it_to_whom_the_page_is_shown(
    client: TestClient, platform: Platform
) -> None:
    ada, sam, item = _owner_with_item(platform, published=False)
    csrf = _sign_in(client, platform, ada)
    action = f"/portfolio/items/{item}/image"
    photo = {"file": ("photo.jpg", png(), "image/jpeg")}  # the name and type sent say nothing
    assert client.post(action, files=photo, data={"csrf_token": "wrong"}).status_code == 403
    bad = client.post(
        action, files={"file": ("x.png", b"GIF89a....", "image/png")}, data={"csrf_token": csrf}
    )
    assert bad.status_code == 422
    assert "file: GIF" in bad.text
    done = client.post(action, files=photo, data={"csrf_token": csrf, "alt": "Teal wall"})
    assert done.status_code == 303, done.text
    page = BeautifulSoup(client.get("/p/ada-makes").text, "html.parser")
    shown = page.select_one(f"#item-{item}-image")
    assert shown is not None
    assert shown["alt"] == "Teal wall"
    source = str(shown["src"])
    private = client.get(source)
    assert private.status_code == 200
    assert private.headers["cache-control"] == "private, no-cache"

    client.cookies.clear()  # unpublished: a stranger gets 404 for the page and its image alike
    assert client.get("/p/ada-makes").status_code == 404
    assert client.get(source).status_code == 404
    other_csrf = _sign_in(client, platform, sam)
    assert client.get(source).status_code == 404
    # the web acts as the signed-in person: someone else's item is not one of theirs
    assert client.post(action, files=photo, data={"csrf_token": other_csrf}).status_code == 404
    removal = client.post(f"{action}/remove", data={"csrf_token": other_csrf})
    assert removal.status_code == 404

    csrf = _sign_in(client, platform, ada)
    assert client.post(f"{action}/remove", data={"csrf_token": csrf}).status_code == 303
    assert BeautifulSoup(client.get("/p/ada-makes").text, "html.parser").select_one("img") is None


def test_the_cli_uploads_and_removes_an_image(
    platform: Platform, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada, _, item = _owner_with_item(platform)
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    picture = tmp_path / "mural.webp"
    Image.new("RGB", (90, 60), "red").save(picture, "WEBP")
    runner = CliRunner()
    args = ["portfolio", "image", str(item), str(picture), "--user", "ada@example.org", "--alt", "Red"]
    made = runner.invoke(cli_app, args)
    assert made.exit_code == 0, made.output
    assert f"item {item}: image 90 x 60 at " in made.output
    assert "/media/portfolio/" in made.output
    svg = tmp_path / "evil.png"
    svg.write_bytes(SVG)
    refused = runner.invoke(cli_app, ["portfolio", "image", str(item), str(svg), "--user", "sam@example.org"])
    assert refused.exit_code != 0
    assert "no portfolio item" in refused.output
    removed = runner.invoke(
        cli_app, ["portfolio", "image", str(item), "--remove", "--user", "ada@example.org"]
    )
    assert removed.exit_code == 0
    assert "image removed" in removed.output
    with platform.uow() as uow:
        assert uow.portfolio.image_infos(ada) == {}
