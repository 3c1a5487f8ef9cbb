"""/api/v1/issuers: credential issuers, their keys, achievements and what they issued.

Issuers and achievements are public (they appear in every credential); creating an issuer needs the
issuer role (or an organisation's admin, for it); keys, achievements, the issued list and proving a
domain are for the issuer's managers: its owner and its organisation's admins. Approving an issuer
is for platform admins (docs/trust.md).
"""

from __future__ import annotations

from fastapi import status

from microcareer.api.deps import ActorDep, PageDep, PlatformDep
from microcareer.api.one_hop import OneHopRoute
from microcareer.api.prefix_router import PrefixRouter
from microcareer.api.schemas.accounts import RowId
from microcareer.api.schemas.credentials import (
    AchievementCreate,
    AchievementPublic,
    AchievementsPublic,
    CredentialsPublic,
    CredentialSummary,
    DomainChallengePublic,
    DomainProofStart,
    IssuerCreate,
    IssuerDetail,
    IssuerKeyPublic,
    IssuerPublic,
    IssuersPublic,
    KeyRotation,
)
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.errors import InvalidInput, NotFound
from microcareer.services import (
    achievements,
    credential_issuers,
    credential_issuing,
    issuer_standing,
    organisations,
    skill_names,
)

router = PrefixRouter(prefix="/issuers", tags=["credentials"], route_class=OneHopRoute)


def _detail(platform: Platform, slug: str) -> IssuerDetail:
    issuer = credential_issuers.find_issuer(platform.uow(), slug)
    return IssuerDetail.with_keys(issuer, credential_issuers.issuer_keys(platform.uow(), slug))


@router.post("", response_model=IssuerDetail, status_code=status.HTTP_201_CREATED, summary="Create an issuer")
def create_issuer(body: IssuerCreate, platform: PlatformDep, actor: ActorDep) -> IssuerDetail:
    """The issuer gets its first Ed25519 key, and a did:web DID when the server's address is https.
    You own it; with ``organisation``, that organisation's admins manage it too."""
    organisation_id = None
    if body.organisation is not None:
        organisation = organisations.get_organisation(platform.uow(), actor=actor, slug=body.organisation)
        organisation_id = organisation.id
    issuer = credential_issuers.create_issuer(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        name=body.name,
        url=body.url,
        email=body.email,
        description=body.description,
        organisation_id=organisation_id,
        public_url=platform.settings.public_url,
        now=platform.clock(),
    )
    return _detail(platform, issuer.slug)


@router.get("", response_model=IssuersPublic, summary="List issuers")
def list_issuers(platform: PlatformDep, page: PageDep) -> IssuersPublic:
    found = credential_issuers.list_issuers(platform.uow())
    items = [IssuerPublic.of(i) for i in found[page.offset : page.offset + page.limit]]
    return IssuersPublic(items=items, total=len(found), limit=page.limit, offset=page.offset)


@router.get("/{slug}", response_model=IssuerDetail, summary="One issuer with its public keys")
def get_issuer(slug: str, platform: PlatformDep) -> IssuerDetail:
    return _detail(platform, slug)


@router.post(
    "/{slug}/keys/rotate",
    response_model=IssuerKeyPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Make a new signing key",
)
def rotate_key(
    slug: str, platform: PlatformDep, actor: ActorDep, body: KeyRotation | None = None
) -> IssuerKeyPublic:
    """The new key signs from now on; the old one retires but still verifies what it signed (and
    signs its own status lists), unless ``withdraw_previous`` takes it out of the DID document."""
    key = credential_issuers.rotate_key(
        platform.uow(),
        platform.key_vault,
        actor=actor,
        slug=slug,
        withdraw_previous=(body or KeyRotation()).withdraw_previous,
        now=platform.clock(),
    )
    return IssuerKeyPublic.of(key)


@router.post(
    "/{slug}/keys/{key_id}/withdraw", response_model=IssuerKeyPublic, summary="Withdraw a compromised key"
)
def withdraw_key(slug: str, key_id: RowId, platform: PlatformDep, actor: ActorDep) -> IssuerKeyPublic:
    """The key leaves the DID document, so what it signed no longer verifies; rotate first if it is
    the active key (409 otherwise)."""
    credential_issuers.withdraw_key(
        platform.uow(), actor=actor, slug=slug, key_id=key_id, now=platform.clock()
    )
    key = next((k for k in credential_issuers.issuer_keys(platform.uow(), slug) if k.id == key_id), None)
    if key is None:  # pragma: no cover - withdraw_key found it a moment ago
        raise NotFound(f"issuer {slug!r} has no key {key_id}")
    return IssuerKeyPublic.of(key)


@router.post(
    "/{slug}/achievements",
    response_model=AchievementPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Define an achievement",
)
def define_achievement(
    slug: str, body: AchievementCreate, platform: PlatformDep, actor: ActorDep
) -> AchievementPublic:
    """A microcredential definition aligned to skills of the taxonomy (by URI, key or name; labels
    filled in)."""
    definition = _with_skill_uris(platform, actor, body).to_definition()
    achievement = achievements.define_achievement(
        platform.uow(), actor=actor, issuer_slug=slug, definition=definition, now=platform.clock()
    )
    return AchievementPublic.of(achievement, platform.publication)


def _with_skill_uris(platform: Platform, actor: Actor, body: AchievementCreate) -> AchievementCreate:
    """The body with each alignment's key or name resolved to its skill's URI."""
    alignments = []
    for index, alignment in enumerate(body.alignments):
        if "://" not in alignment.uri:
            try:
                uri = skill_names.resolve_skill(
                    platform.uow(), platform.caches, platform.lexicons, actor=actor, text=alignment.uri
                ).skill.uri
            except NotFound as exc:
                where = f"alignments[{index}].uri"
                raise InvalidInput(f"{where}: {exc}", field=where, **exc.extra) from None
            alignment = alignment.model_copy(update={"uri": uri})
        alignments.append(alignment)
    return body.model_copy(update={"alignments": alignments})


@router.get("/{slug}/achievements", response_model=AchievementsPublic, summary="An issuer's achievements")
def list_achievements(slug: str, platform: PlatformDep, page: PageDep) -> AchievementsPublic:
    found = achievements.list_achievements(platform.uow(), slug)
    publication = platform.publication
    items = [AchievementPublic.of(a, publication) for a in found[page.offset : page.offset + page.limit]]
    return AchievementsPublic(items=items, total=len(found), limit=page.limit, offset=page.offset)


@router.get(
    "/{slug}/credentials",
    response_model=CredentialsPublic,
    summary="What an issuer issued, newest first (its managers)",
)
def issued_credentials(slug: str, platform: PlatformDep, actor: ActorDep, page: PageDep) -> CredentialsPublic:
    found, total = credential_issuing.issued_by(
        platform.uow(), actor=actor, issuer_slug=slug, limit=page.limit, offset=page.offset
    )
    publication = platform.publication
    return CredentialsPublic(
        items=[CredentialSummary.of(r, publication) for r in found],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/{slug}/approval", response_model=IssuerPublic, summary="Approve an issuer (platform admins)")
def approve_issuer(slug: str, platform: PlatformDep, actor: ActorDep) -> IssuerPublic:
    """Its credentials then reach wallets (pending until the holder accepts) and count fully as
    evidence; the evidence they gave already is reweighed. 409 when it is approved already."""
    return IssuerPublic.of(
        issuer_standing.approve_issuer(platform.uow(), actor=actor, slug=slug, now=platform.clock())
    )


@router.delete("/{slug}/approval", response_model=IssuerPublic, summary="Withdraw an issuer's approval")
def withdraw_approval(slug: str, platform: PlatformDep, actor: ActorDep) -> IssuerPublic:
    """It falls back to domain_verified (when it proved a domain) or unverified; evidence is reweighed."""
    return IssuerPublic.of(
        issuer_standing.withdraw_approval(platform.uow(), actor=actor, slug=slug, now=platform.clock())
    )


@router.post(
    "/{slug}/domain",
    response_model=DomainChallengePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Start proving control of a domain",
)
def start_domain_proof(
    slug: str, body: DomainProofStart, platform: PlatformDep, actor: ActorDep
) -> DomainChallengePublic:
    """A new token: serve the returned ``document`` at ``url``, then `POST .../domain/verify`."""
    return DomainChallengePublic.of(
        issuer_standing.start_domain_proof(platform.uow(), actor=actor, slug=slug, domain=body.domain)
    )


@router.get("/{slug}/domain", response_model=DomainChallengePublic, summary="The domain proof in progress")
def get_domain_proof(slug: str, platform: PlatformDep, actor: ActorDep) -> DomainChallengePublic:
    challenge = issuer_standing.domain_challenge(platform.uow(), actor=actor, slug=slug)
    if challenge is None:
        raise NotFound(f"issuer {slug!r} is not proving a domain")
    return DomainChallengePublic.of(challenge)


@router.post("/{slug}/domain/verify", response_model=IssuerPublic, summary="Check the domain proof")
def verify_domain(slug: str, platform: PlatformDep, actor: ActorDep) -> IssuerPublic:
    """The server fetches ``https://DOMAIN/.well-known/microcareer-issuer.json`` (public addresses
    only); when it holds this issuer's DID and token, the issuer becomes domain_verified. 422 otherwise."""
    return IssuerPublic.of(
        issuer_standing.verify_domain(
            platform.uow(), platform.domain_proof_fetcher, actor=actor, slug=slug, now=platform.clock()
        )
    )
