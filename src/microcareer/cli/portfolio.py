"""``microcareer portfolio``: your public page at ``/p/<handle>``: its settings, its items (with the
contract or credential behind each), and the page as others see it, as JSON or JSON Resume.

Acts as ``--user EMAIL`` (or ``MICROCAREER_USER``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from microcareer.api.schemas.network import PortfolioItemPublic, PortfolioSettingsBody
from microcareer.cli.context import open_platform
from microcareer.cli.issuers import acting_actor
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.cli.profiles import skill_uri, user_id_of, user_option
from microcareer.domain.accounts import Actor
from microcareer.domain.network.portfolio import PortfolioItem, PortfolioSettings
from microcareer.domain.network.portfolio_images import MAX_IMAGE_BYTES
from microcareer.services import portfolio, portfolio_images

portfolio_app = typer.Typer(
    help="Your public portfolio page: settings, items, export (as --user).", no_args_is_help=True
)


ID_MAX = 2**31 - 1


def _url(public_url: str, handle: str) -> str:
    return f"{public_url.rstrip('/')}/p/{handle}"


@portfolio_app.command("set")
@handle_errors
def set_(
    handle: str | None = typer.Option(None, "--handle", help="The page's address: /p/HANDLE."),
    headline: str | None = typer.Option(None, "--headline"),
    narrative: str | None = typer.Option(None, "--narrative", help="The story that ties your gigs together."),
    publish: bool | None = typer.Option(
        None, "--publish/--unpublish", help="Show the page to others, or not."
    ),
    credentials: bool | None = typer.Option(
        None, "--credentials/--no-credentials", help="Show public credentials."
    ),
    reputation: bool | None = typer.Option(
        None, "--reputation/--no-reputation", help="Show your reputation."
    ),
    skills: bool | None = typer.Option(None, "--skills/--no-skills", help="Show your skills with evidence."),
    user: str = user_option(),
) -> None:
    """Change what you name; the rest stays."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        user_id = user_id_of(platform, user)
        current = portfolio.settings_of(platform.uow(), actor=actor, user_id=user_id)
        wanted = PortfolioSettings(
            handle=handle if handle is not None else current.handle,
            headline=headline if headline is not None else current.headline,
            narrative=narrative if narrative is not None else current.narrative,
            published=publish if publish is not None else current.published,
            show_credentials=credentials if credentials is not None else current.show_credentials,
            show_reputation=reputation if reputation is not None else current.show_reputation,
            show_skills=skills if skills is not None else current.show_skills,
        )
        saved = portfolio.save_settings(
            platform.uow(), actor=actor, user_id=user_id, settings=wanted, now=platform.clock()
        )
        url = _url(platform.settings.public_url, saved.handle)
    state = "published" if saved.published else "not published"
    console.print(f"{url} ({state})", highlight=False)


@portfolio_app.command("add")
@handle_errors
def add(
    title: str = typer.Option(..., "--title"),
    description: str = typer.Option("", "--description"),
    link: str = typer.Option("", "--link", help="An http(s) address."),
    image: str = typer.Option("", "--image", help="An http(s) address of an image."),
    skill: list[str] = typer.Option([], "--skill", help="A skill it shows (URI, key or name); repeat."),
    contract: int | None = typer.Option(
        None, "--contract", min=1, max=ID_MAX, help="A contract of yours behind it."
    ),
    credential: int | None = typer.Option(
        None, "--credential", min=1, max=ID_MAX, help="A wallet entry of yours behind it."
    ),
    user: str = user_option(),
) -> None:
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        item = PortfolioItem(
            title=title,
            description=description,
            link=link,
            image_url=image,
            skills=tuple(skill_uri(platform, s) for s in skill),
            contract_id=contract,
            wallet_entry_id=credential,
        )
        made = portfolio.add_item(
            platform.uow(), actor=actor, user_id=user_id_of(platform, user), item=item, now=platform.clock()
        )
    console.print(f"item {made.id}: {made.item.title}", highlight=False, markup=False)


@portfolio_app.command("remove")
@handle_errors
def remove(item_id: int = typer.Argument(..., min=1, max=ID_MAX), user: str = user_option()) -> None:
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        portfolio.remove_item(
            platform.uow(), actor=actor, user_id=user_id_of(platform, user), item_id=item_id
        )
    console.print(f"item {item_id} removed", highlight=False)


@portfolio_app.command("image")
@handle_errors
def image(
    item_id: int = typer.Argument(..., min=1, max=ID_MAX, help="Your portfolio item."),
    file: Path | None = typer.Argument(
        None, exists=True, dir_okay=False, readable=True, help="A PNG, JPEG or WebP image, 5 MB at most."
    ),
    alt: str = typer.Option("", "--alt", help="Words for who cannot see it (default: the item's title)."),
    remove: bool = typer.Option(False, "--remove", help="Remove the item's image instead."),
    user: str = user_option(),
) -> None:
    """Upload (or replace) an item's image, served by this site on your page; or --remove it."""
    if (file is None) == (not remove):
        raise typer.BadParameter("give the image FILE, or --remove (not both)")
    data = b""
    if file is not None:
        with file.open("rb") as handle:  # one byte over the cap is enough to refuse it
            data = handle.read(MAX_IMAGE_BYTES + 1)
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        user_id = user_id_of(platform, user)
        if remove:
            portfolio_images.remove_image(platform.uow(), actor=actor, user_id=user_id, item_id=item_id)
            console.print(f"item {item_id}: image removed", highlight=False)
            return
        saved = portfolio_images.upload_image(
            platform.uow(),
            actor=actor,
            user_id=user_id,
            item_id=item_id,
            data=data,
            alt=alt,
            now=platform.clock(),
        )
        url = f"{platform.settings.public_url.rstrip('/')}{saved.path}"
    console.print(f"item {item_id}: image {saved.width} x {saved.height} at {url}", highlight=False)


@portfolio_app.command("show")
@handle_errors
def show(
    handle: str | None = typer.Argument(None, help="A page's handle; left out: yours."),
    resume: bool = typer.Option(False, "--json-resume", help="Print the page as JSON Resume."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    user: str | None = typer.Option(
        None, "--user", "-u", envvar="MICROCAREER_USER", help="Read as this person; left out: a stranger."
    ),
) -> None:
    """A page as its reader sees it (a stranger, signed out, unless --user)."""
    with open_platform() as platform:
        actor = acting_actor(platform, user) if user else Actor.anonymous()
        if handle is None:
            if user is None:
                raise typer.BadParameter("give a HANDLE, or --user to show your own page")
            handle = portfolio.settings_of(
                platform.uow(), actor=actor, user_id=user_id_of(platform, user)
            ).handle
        page = portfolio.page(
            platform.uow(),
            actor=actor,
            handle=handle,
            today=platform.clock().date(),
            policy=platform.evidence_policy,
        )
        url = _url(platform.settings.public_url, page.settings.handle)
    if resume:
        print_json(portfolio.json_resume(page, url))
        return
    if as_json:
        print_json(
            {
                "url": url,
                "name": page.name,
                "settings": PortfolioSettingsBody.of(page.settings).model_dump(mode="json"),
                "items": [PortfolioItemPublic.of(i).model_dump(mode="json") for i in page.items],
            }
        )
        return
    console.print(
        f"[bold]{escape(page.name)}[/] · {url}{'' if page.settings.published else ' (not published)'}",
        highlight=False,
    )
    if page.settings.headline:
        console.print(page.settings.headline, highlight=False, markup=False)
    if page.settings.narrative:
        console.print(page.settings.narrative, highlight=False, soft_wrap=True, markup=False)
    for view in page.items:
        behind = f" [{view.behind}]" if view.behind else ""
        console.print(f"- {view.item.title}{behind} {view.item.link}", highlight=False, markup=False)
