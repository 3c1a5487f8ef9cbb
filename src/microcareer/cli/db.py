"""``init``, ``serve`` and ``db upgrade``: make the database, fill it, and run the server."""

from __future__ import annotations

import json
import os
from importlib.resources import files

import typer

from microcareer.cli.context import open_platform
from microcareer.cli.output import console, err_console, fail, handle_errors, progress_bars
from microcareer.config import Settings
from microcareer.domain.accounts import Actor
from microcareer.store import migrate

db_app = typer.Typer(help="The database: schema migrations.", no_args_is_help=True)


@db_app.command("upgrade")
@handle_errors
def upgrade() -> None:
    """Bring the database schema to this version (Alembic migrations)."""
    with open_platform(require_ready=False) as platform:
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        console.print(f"schema at revision {migrate.current_revision(platform.engine)}")


DEMO_POSTINGS = 1_200  # two years of the demo corpus: enough for its trends to test, a few seconds


@handle_errors
def init(
    demo: bool = typer.Option(False, "--demo", help="Also add demo users, an organisation and its skills."),
    reload_taxonomy: bool = typer.Option(
        False, "--reload-taxonomy", help="Load the bundled ESCO taxonomy even if one is there already."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
    ranking: bool = typer.Option(
        False,
        "--ranking",
        help="Also build the skill ranker's index now (the model embeds every skill's labels and "
        "description once: minutes), so the first ranked `extract` starts at once.",
    ),
) -> None:
    """Create or upgrade the database and load the bundled ESCO taxonomy (once)."""
    from microcareer.adapters.esco_csv import bundled_taxonomy
    from microcareer.services import demo as demo_service
    from microcareer.services.taxonomy_import import import_taxonomy, taxonomy_info

    with open_platform(require_ready=False) as platform:
        if demo and platform.settings.environment == "production":
            raise typer.BadParameter("--demo is refused in production: demo accounts share a known password")
        assert platform.engine is not None
        migrate.upgrade(platform.engine)
        actor = Actor.system()
        info = taxonomy_info(platform.uow(), actor=actor)
        if reload_taxonomy or info.counts.skills == 0:
            with progress_bars(quiet=quiet) as progress:
                import_taxonomy(platform.uow(), actor=actor, source=bundled_taxonomy(), progress=progress)
            info = taxonomy_info(platform.uow(), actor=actor)
        counts = info.counts
        console.print(
            f"taxonomy: ESCO {info.version} ({info.language}): {counts.skills:,} skills, "
            f"{counts.occupations:,} occupations, {counts.occupation_skills:,} occupation-skill relations",
            soft_wrap=True,
        )
        with err_console.status("building the skills lexicon for extraction", spinner="dots"):
            from microcareer.services.extraction import extractor_cache

            extractor = extractor_cache(platform.caches).get(platform.uow(), platform.lexicons)
        ready = getattr(extractor.ranker, "ready", None)
        if ranking and callable(ready):
            with progress_bars(quiet=quiet) as progress:  # embedding the taxonomy once: minutes
                ready(progress)
        if demo:
            raw = json.loads(files("microcareer.data").joinpath("demo.json").read_text(encoding="utf-8"))
            seeded = demo_service.seed_demo(
                platform.uow(),
                actor=actor,
                data=demo_service.parse_demo_data(raw, source="demo.json"),
                passwords=platform.passwords,
                clock=platform.clock,
            )
            console.print(seeded.summary(), soft_wrap=True, highlight=False)
            from microcareer.services.demo_credentials import seed_credentials

            credentials_raw = json.loads(
                files("microcareer.data").joinpath("demo_credentials.json").read_text(encoding="utf-8")
            )
            with err_console.status("signing the demo credentials", spinner="dots"):
                issued = seed_credentials(
                    platform.uow,
                    platform.key_vault,
                    raw=credentials_raw,
                    publication=platform.publication,
                    clock=platform.clock,
                )
            console.print(issued.summary(), soft_wrap=True, highlight=False)
            from microcareer.services.demo_marketplace import seed_marketplace

            market_raw = json.loads(
                files("microcareer.data").joinpath("demo_marketplace.json").read_text(encoding="utf-8")
            )
            with err_console.status("playing the demo micro-jobs", spinner="dots"):
                market = seed_marketplace(
                    platform.uow,
                    raw=market_raw,
                    clock=platform.clock,
                    fee_bp=platform.settings.marketplace_fee_basis_points,
                )
            console.print(market.summary(), soft_wrap=True, highlight=False)
            from microcareer.services.pathway_catalogue import import_catalogue

            catalogue = import_catalogue(
                platform.uow(),
                platform.caches,
                platform.lexicons,
                actor=actor,
                text=files("microcareer.data")
                .joinpath("pathway_catalogue_demo.csv")
                .read_text(encoding="utf-8"),
                source="pathway_catalogue_demo.csv",
                now=platform.clock(),
            )
            console.print(
                f"pathway catalogue: {catalogue.added + catalogue.replaced} outside steps", highlight=False
            )
            from microcareer.domain.market.demo_corpus import generate
            from microcareer.domain.market.postings import ColumnMapping
            from microcareer.services import market_ingest

            extractor, matcher = market_ingest.prepare(platform.uow(), platform.caches, platform.lexicons)
            with err_console.status("ingesting the demo job postings", spinner="dots"):
                postings = market_ingest.ingest(
                    platform.uow(),
                    actor=actor,
                    records=enumerate(generate(DEMO_POSTINGS, end=platform.clock().date()), start=1),
                    mapping=ColumnMapping(),
                    default_source="demo",
                    extractor=extractor,
                    occupations=matcher,
                )
            console.print(f"job postings: {postings.summary()}", soft_wrap=True, highlight=False)
        url = platform.engine.url.render_as_string(hide_password=True)
        console.print(f"database ready: {url}", soft_wrap=True)


@handle_errors
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default: settings, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port to listen on (default: settings, 8000)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Server processes (one per core suits a busy server; SQLite and PostgreSQL both take several). "
        "Each remembers API tokens for MICROCAREER_TOKEN_CACHE_SECONDS.",
    ),
) -> None:
    """Serve the API and the web pages."""
    import uvicorn

    if reload and workers > 1:
        raise fail("--reload runs one process: leave out --workers", 2)

    read = Settings()
    # without MICROCAREER_PUBLIC_URL, the public URL is the address given here
    settings = Settings(host=read.host if host is None else host, port=read.port if port is None else port)
    with open_platform(require_ready=True):
        pass  # refuse to start on a database that `init` has not made
    # The app uvicorn makes (here, or in its reloader's child) reads its settings from the environment:
    # it gets the same address, so what it publishes reaches this server.
    os.environ["MICROCAREER_HOST"] = settings.host
    os.environ["MICROCAREER_PORT"] = str(settings.port)
    address_host, address_port = settings.host, settings.port
    console.print(
        f"microcareer is serving on [bold]http://{address_host}:{address_port}/[/] "
        f"(API: http://{address_host}:{address_port}/api/v1/docs) - Ctrl+C stops it\n"
        f"credentials, status lists and verify links are published under [bold]{settings.public_url}[/]"
    )
    uvicorn.run(
        "microcareer.asgi:create_app",
        factory=True,
        host=address_host,
        port=address_port,
        reload=reload,
        workers=workers,
        log_level="info",
        # The app reads the client's address itself (api/client_address.py): X-Forwarded-For only from
        # MICROCAREER_TRUSTED_PROXIES. uvicorn's own default would believe it from 127.0.0.1.
        proxy_headers=False,
        timeout_keep_alive=read.keep_alive_seconds,  # longer than clients': no close racing a request
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
