"""``microcareer issuers``: credential issuers, their signing keys and their did:web DID documents.

``--user EMAIL`` (or ``MICROCAREER_USER``) names the acting user, whose roles and organisations are
checked; commands that change an issuer act as the local operator when it is not given. ``create``
always needs it: an issuer belongs to a person.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.output import console, handle_errors, print_json
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.records import Issuer, IssuerKey
from microcareer.services import credential_issuers, issuer_standing, organisations, users
from microcareer.services.identity import identity_of

issuers_app = typer.Typer(
    help="Credential issuers and their signing keys (Open Badges 3.0).", no_args_is_help=True
)

ACTING_HELP = (
    "Act as this user (email): their roles and organisations are checked. Without it, as the local operator."
)


def acting_user_option() -> str | None:
    """``--user EMAIL``, read from ``MICROCAREER_USER``; None acts as the local operator."""
    email: str | None = typer.Option(None, "--user", "-u", envvar="MICROCAREER_USER", help=ACTING_HELP)
    return email


def acting_actor(platform: Platform, email: str | None) -> Actor:
    """The actor of a command: the named user (roles and memberships), else the local operator."""
    if email is None:
        return Actor.system()
    user = users.find_user_by_email(platform.uow(), actor=Actor.system(), email=email)
    with platform.uow() as uow:
        return identity_of(uow.accounts, user).actor


def _owner_email(platform: Platform, user_id: int) -> str:
    return users.get_user(platform.uow(), actor=Actor.system(), user_id=user_id).email


def issuer_row(issuer: Issuer, owner: str) -> dict[str, Any]:
    return {
        "slug": issuer.slug,
        "name": issuer.name,
        "did": issuer.did,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "owner": owner,
        "organisation_id": issuer.organisation_id,
        "created_at": issuer.created_at.isoformat(),
        "standing": issuer.standing.value,
        "verified_domain": issuer.verified_domain,
        "shown_name": issuer.shown_name,
    }


def key_row(key: IssuerKey) -> dict[str, Any]:
    """A key's public parts and state (the sealed secret never leaves the store)."""
    return {
        "id": key.id,
        "state": key.state,
        "public_key_multibase": key.public_multikey,
        "verification_method": key.verification_method,
        "created_at": key.created_at.isoformat(),
        "retired_at": None if key.retired_at is None else key.retired_at.isoformat(),
        "withdrawn_at": None if key.withdrawn_at is None else key.withdrawn_at.isoformat(),
    }


_STATE_STYLE = {"active": "green", "retired": "yellow", "withdrawn": "red"}


@issuers_app.command("create")
@handle_errors
def create(
    name: str = typer.Argument(..., help="The issuer's name, as credentials show it."),
    url: str | None = typer.Option(None, "--url", help="The issuer's web site (http or https)."),
    email: str | None = typer.Option(None, "--email", help="A contact address shown in credentials."),
    description: str = typer.Option("", "--description", help="A sentence about the issuer."),
    org: str | None = typer.Option(
        None, "--org", help="Slug of the organisation it issues for (its admins manage it too)."
    ),
    user: str = typer.Option(
        ...,
        "--user",
        "-u",
        envvar="MICROCAREER_USER",
        help="Email of the user who owns the issuer (needs the issuer role, or to be an admin of --org).",
    ),
) -> None:
    """Create an issuer with its first Ed25519 signing key."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        organisation_id = None
        if org is not None:
            organisation_id = organisations.get_organisation(platform.uow(), actor=actor, slug=org).id
        issuer = credential_issuers.create_issuer(
            platform.uow(),
            platform.key_vault,
            actor=actor,
            name=name,
            url=url,
            email=email,
            description=description,
            organisation_id=organisation_id,
            public_url=platform.settings.public_url,
            now=platform.clock(),
        )
    console.print(
        f"created issuer {issuer.slug} ({escape(issuer.shown_name)}): {issuer.did}; nothing it issues "
        "reaches a wallet until it proves its domain (`issuers verify-domain`) or is approved",
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )


@issuers_app.command("list")
@handle_errors
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List the issuers."""
    with open_platform() as platform:
        found = credential_issuers.list_issuers(platform.uow())
        rows = [issuer_row(i, _owner_email(platform, i.owner_user_id)) for i in found]
    if as_json:
        print_json({"items": rows})
        return
    table = Table(title=f"{len(rows)} issuers", title_justify="left")
    for column in ("slug", "name", "owner", "DID"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(row[c]) for c in ("slug", "shown_name", "owner", "did")))
    console.print(table)


@issuers_app.command("show")
@handle_errors
def show(
    slug: str = typer.Argument(..., help="The issuer's slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show an issuer and its keys: public parts and state (active, retired, withdrawn)."""
    with open_platform() as platform:
        issuer = credential_issuers.find_issuer(platform.uow(), slug)
        keys = credential_issuers.issuer_keys(platform.uow(), slug)
        row = issuer_row(issuer, _owner_email(platform, issuer.owner_user_id))
    if as_json:
        print_json({**row, "keys": [key_row(k) for k in keys]})
        return
    console.print(f"[bold]{escape(issuer.shown_name)}[/] ({issuer.slug})", highlight=False, emoji=False)
    for label in ("standing", "verified_domain", "did", "url", "email", "description", "owner"):
        if row[label] not in (None, ""):
            console.print(
                f"{label}: {row[label]}", markup=False, highlight=False, emoji=False, soft_wrap=True
            )
    table = Table(title=f"{len(keys)} keys", title_justify="left")
    for column in ("id", "state", "publicKeyMultibase", "verificationMethod", "created"):
        table.add_column(column, overflow="fold")
    for key in keys:
        style = _STATE_STYLE.get(key.state, "")
        table.add_row(
            str(key.id),
            f"[{style}]{key.state}[/]",
            Text(key.public_multikey),
            Text(key.verification_method),
            key.created_at.isoformat(timespec="seconds"),
        )
    console.print(table)


@issuers_app.command("rotate-key")
@handle_errors
def rotate_key(
    slug: str = typer.Argument(..., help="The issuer's slug."),
    withdraw_previous: bool = typer.Option(
        False,
        "--withdraw-previous",
        help="The previous key was compromised: take it out of the DID document too.",
    ),
    user: str | None = acting_user_option(),
) -> None:
    """Make a new signing key; the active one retires (what it signed still verifies)."""
    with open_platform() as platform:
        key = credential_issuers.rotate_key(
            platform.uow(),
            platform.key_vault,
            actor=acting_actor(platform, user),
            slug=slug,
            withdraw_previous=withdraw_previous,
            now=platform.clock(),
        )
    previous = "withdrawn" if withdraw_previous else "retired"
    console.print(
        f"{slug}: new active key {key.id} ({key.verification_method}); the previous key is {previous}",
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )


@issuers_app.command("withdraw-key")
@handle_errors
def withdraw_key(
    slug: str = typer.Argument(..., help="The issuer's slug."),
    key_id: int = typer.Argument(..., help="The key's id (see `issuers show`)."),
    user: str | None = acting_user_option(),
) -> None:
    """Withdraw a compromised retired key: it leaves the DID document."""
    with open_platform() as platform:
        credential_issuers.withdraw_key(
            platform.uow(), actor=acting_actor(platform, user), slug=slug, key_id=key_id, now=platform.clock()
        )
    console.print(f"{slug}: key {key_id} withdrawn", highlight=False, emoji=False)


@issuers_app.command("did-document")
@handle_errors
def did_document(slug: str = typer.Argument(..., help="The issuer's slug.")) -> None:
    """Print the issuer's did:web DID document (JSON), as served at /issuers/SLUG/did.json."""
    with open_platform() as platform:
        document = credential_issuers.did_document(platform.uow(), slug)
    print_json(document)


def _standing_line(issuer: Issuer) -> None:
    console.print(
        f"{issuer.slug}: {issuer.shown_name}", markup=False, highlight=False, emoji=False, soft_wrap=True
    )


@issuers_app.command("approve")
@handle_errors
def approve(
    slug: str = typer.Argument(..., help="The issuer's slug."),
    withdraw: bool = typer.Option(False, "--withdraw", help="Take the approval back instead."),
    user: str | None = acting_user_option(),
) -> None:
    """Approve an issuer (platform admins): its credentials reach wallets, pending until their holders
    accept, and count fully as evidence. ``--withdraw`` takes that back (docs/trust.md)."""
    with open_platform() as platform:
        change = issuer_standing.withdraw_approval if withdraw else issuer_standing.approve_issuer
        issuer = change(platform.uow(), actor=acting_actor(platform, user), slug=slug, now=platform.clock())
    _standing_line(issuer)


@issuers_app.command("verify-domain")
@handle_errors
def verify_domain(
    slug: str = typer.Argument(..., help="The issuer's slug."),
    domain: str | None = typer.Option(
        None, "--domain", help="Start proving this domain: prints the file to serve there."
    ),
    user: str | None = acting_user_option(),
) -> None:
    """Prove the issuer controls a domain: first ``--domain school.example`` prints a JSON document to
    serve at https://school.example/.well-known/microcareer-issuer.json; then, run without
    ``--domain``, the server fetches it (public addresses only) and marks the domain verified."""
    with open_platform() as platform:
        actor = acting_actor(platform, user)
        if domain is not None:
            challenge = issuer_standing.start_domain_proof(
                platform.uow(), actor=actor, slug=slug, domain=domain
            )
            console.print(
                f"serve this at {challenge.url}, then run `microcareer issuers verify-domain {slug}`:",
                markup=False,
                highlight=False,
                emoji=False,
                soft_wrap=True,
            )
            print_json(challenge.document)
            return
        issuer = issuer_standing.verify_domain(
            platform.uow(), platform.domain_proof_fetcher, actor=actor, slug=slug, now=platform.clock()
        )
    _standing_line(issuer)
