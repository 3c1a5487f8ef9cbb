"""Trust that cannot be self-issued (issue 15, point 2): issuer standing, unique names, pending wallet
entries, evidence weighted by standing. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.issuer_standing import Standing
from microcareer.domain.credentials.open_badges import Recipient
from microcareer.errors import (
    Conflict,
    InvalidInput,
    MicrocareerError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from microcareer.services import credential_issuers, credential_issuing, issuer_standing, wallet
from tests.integration.store.test_credential_services import ADMIN, LEA, World, _issue, _world
from tests.integration.taxonomy_helpers import PYTHON, make_organisation


def _actors(world: World) -> dict[str, Actor]:
    """The matrix's rows: anonymous, the holder (the learner), another user, the issuer's manager,
    a platform admin."""
    return {
        "anonymous": Actor.anonymous(),
        "holder": world.learner,
        "other_user": world.stranger,
        "issuer_manager": world.issuer_actor,
        "platform_admin": ADMIN,
    }


def _refusal(actor_name: str) -> type[MicrocareerError]:
    return NotAuthenticated if actor_name == "anonymous" else PermissionDenied


def _evidence(world: World) -> list[tuple[str, float, str]]:
    assert world.learner.user_id is not None
    with world.platform.uow() as uow:
        skills = {s.uri: s for s in uow.profiles.skills(world.learner.user_id)}
    held = skills.get(PYTHON)
    return [] if held is None else [(e.kind.value, e.weight, e.note) for e in held.evidence]


def _entries(world: World) -> list[wallet.WalletItem]:
    assert world.learner.user_id is not None
    return wallet.wallet(world.platform.uow(), actor=world.learner, user_id=world.learner.user_id)


def test_the_self_issuing_attack_is_refused(taxonomy_platform: Platform) -> None:
    """An organisation admin cannot take an academy's name, and an unverified issuer reaches no wallet."""
    world = _world(taxonomy_platform)
    setup = make_organisation(taxonomy_platform, "mallory")
    mallory = setup.admin
    now = taxonomy_platform.clock()
    for lookalike in ("Code School", "code  school", "CODE-SCHOOL", "Çode Schööl", "Ｃｏｄｅ Ｓｃｈｏｏｌ"):
        with pytest.raises(Conflict, match="exists already"):
            credential_issuers.create_issuer(
                taxonomy_platform.uow(),
                taxonomy_platform.key_vault,
                actor=mallory,
                name=lookalike,
                organisation_id=setup.organisation_id,
                public_url="http://127.0.0.1:8000",
                now=now,
            )
    fake = credential_issuers.create_issuer(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=mallory,
        name="Totally Real Academy",
        organisation_id=setup.organisation_id,
        public_url="http://127.0.0.1:8000",
        now=now,
    )
    assert fake.standing is Standing.UNVERIFIED
    assert fake.shown_name == "Totally Real Academy (unverified)"
    from microcareer.domain.credentials.open_badges import AchievementDefinition, SkillAlignment
    from microcareer.services import achievements

    badge = achievements.define_achievement(
        taxonomy_platform.uow(),
        actor=mallory,
        issuer_slug=fake.slug,
        definition=AchievementDefinition(
            name="Python", description="d", criteria="c", alignments=(SkillAlignment(PYTHON, ""),)
        ),
        now=now,
    )
    (record,) = credential_issuing.issue_credentials(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=mallory,
        achievement_id=badge.id,
        requests=[IssueRequest(Recipient(email="lea@x.test"))],
        publication=taxonomy_platform.publication,
        now=now,
    )
    assert record.recipient_user_id == world.learner.user_id  # signed, and the issuer knows to whom ...
    assert _entries(world) == []  # ... but nothing reached the learner's wallet
    assert _evidence(world) == []


def test_issued_credentials_arrive_pending_and_count_only_once_accepted(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (record,) = _issue(world, LEA)
    (item,) = _entries(world)
    assert item.pending
    assert item.standing is Standing.APPROVED
    assert _evidence(world) == []
    assert wallet.public_wallet(taxonomy_platform.uow(), user_id=world.learner.user_id or 0) == []
    with pytest.raises(NotFound):  # not even by its id
        wallet.wallet_entry(taxonomy_platform.uow(), actor=Actor.anonymous(), entry_id=item.entry.id)
    accepted = wallet.accept_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    assert not accepted.pending
    assert _evidence(world) == [("credential", 1.0, "issuer approved by the platform")]
    with pytest.raises(Conflict, match="not pending"):
        wallet.accept_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    with pytest.raises(Conflict, match="not pending"):
        wallet.decline_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    assert record.id == item.entry.issued_id


def test_declining_removes_a_pending_credential_without_evidence(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    _issue(world, LEA)
    (item,) = _entries(world)
    wallet.decline_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    assert _entries(world) == []
    assert _evidence(world) == []


def test_reinstating_gives_evidence_back_only_to_an_accepted_credential(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    platform = taxonomy_platform
    from microcareer.domain.credentials.open_badges import AchievementDefinition, SkillAlignment
    from microcareer.services import achievements

    licence = achievements.define_achievement(
        platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        definition=AchievementDefinition(
            name="Licence",
            description="d",
            criteria="c",
            alignments=(SkillAlignment(PYTHON, ""),),
            suspendable=True,
        ),
        now=platform.clock(),
    )
    (record,) = credential_issuing.issue_credentials(
        platform.uow(),
        platform.key_vault,
        actor=world.issuer_actor,
        achievement_id=licence.id,
        requests=[IssueRequest(Recipient(email="lea@x.test"))],
        publication=platform.publication,
        now=platform.clock(),
    )

    def change(action: credential_issuing.StatusAction) -> None:
        credential_issuing.change_status(
            platform.uow(),
            actor=world.issuer_actor,
            credential_id=record.id,
            action=action,
            now=platform.clock(),
        )

    change("suspend")
    change("reinstate")
    assert _evidence(world) == []  # still pending: reinstating gives nothing
    (item,) = _entries(world)
    change("suspend")
    wallet.accept_entry(platform.uow(), actor=world.learner, entry_id=item.entry.id)
    assert _evidence(world) == []  # accepted while suspended: nothing yet
    change("reinstate")
    assert [kind for kind, _, _ in _evidence(world)] == ["credential"]


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [
        ("anonymous", False),
        ("holder", True),
        ("other_user", False),
        ("issuer_manager", False),
        ("platform_admin", True),
    ],
)
@pytest.mark.parametrize("action", ["accept", "decline", "remove"])
def test_wallet_actions_matrix(
    taxonomy_platform: Platform, action: str, actor_name: str, allowed: bool
) -> None:
    world = _world(taxonomy_platform)
    _issue(world, LEA)
    (item,) = _entries(world)
    actor = _actors(world)[actor_name]
    run: dict[str, Callable[[], object]] = {
        "accept": lambda: wallet.accept_entry(taxonomy_platform.uow(), actor=actor, entry_id=item.entry.id),
        "decline": lambda: wallet.decline_entry(taxonomy_platform.uow(), actor=actor, entry_id=item.entry.id),
        "remove": lambda: wallet.remove_entry(taxonomy_platform.uow(), actor=actor, entry_id=item.entry.id),
    }
    if allowed:
        run[action]()
        after = _entries(world)
        assert (after[0].pending is False) if action == "accept" else after == []
    else:
        with pytest.raises(_refusal(actor_name)):
            run[action]()
        assert [i.entry.id for i in _entries(world)] == [item.entry.id]


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [
        ("anonymous", False),
        ("holder", False),
        ("other_user", False),
        ("issuer_manager", False),
        ("platform_admin", True),
    ],
)
def test_approving_matrix(taxonomy_platform: Platform, actor_name: str, allowed: bool) -> None:
    world = _world(taxonomy_platform, approved=False)
    actor = _actors(world)[actor_name]
    now = taxonomy_platform.clock()
    if not allowed:
        with pytest.raises(_refusal(actor_name)):
            issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=actor, slug=world.slug, now=now)
        assert (
            credential_issuers.find_issuer(taxonomy_platform.uow(), world.slug).standing
            is Standing.UNVERIFIED
        )
        issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=ADMIN, slug=world.slug, now=now)
        with pytest.raises(_refusal(actor_name)):
            issuer_standing.withdraw_approval(taxonomy_platform.uow(), actor=actor, slug=world.slug, now=now)
        assert (
            credential_issuers.find_issuer(taxonomy_platform.uow(), world.slug).standing is Standing.APPROVED
        )
        return
    approved = issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=actor, slug=world.slug, now=now)
    assert approved.standing is Standing.APPROVED
    with pytest.raises(Conflict, match="already approved"):
        issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=actor, slug=world.slug, now=now)
    withdrawn = issuer_standing.withdraw_approval(
        taxonomy_platform.uow(), actor=actor, slug=world.slug, now=now
    )
    assert withdrawn.standing is Standing.UNVERIFIED
    with pytest.raises(NotFound):
        issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=actor, slug="nobody", now=now)


def test_a_change_of_standing_reweighs_the_evidence_already_given(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    _issue(world, LEA)
    (item,) = _entries(world)
    wallet.accept_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    now = taxonomy_platform.clock()
    issuer_standing.withdraw_approval(taxonomy_platform.uow(), actor=ADMIN, slug=world.slug, now=now)
    assert _evidence(world) == [("credential", 0.0, "unverified issuer: not counted")]
    assert world.learner.user_id is not None
    with taxonomy_platform.uow() as uow:
        (python,) = [s for s in uow.profiles.skills(world.learner.user_id) if s.uri == PYTHON]
    from microcareer.domain.profiles.evidence import assess

    confidence = assess(python.evidence, now.date())
    assert confidence.value == 0.0
    assert "unverified issuer: not counted" in confidence.explanation
    issuer_standing.approve_issuer(taxonomy_platform.uow(), actor=ADMIN, slug=world.slug, now=now)
    assert _evidence(world) == [("credential", 1.0, "issuer approved by the platform")]
    # a withdrawn approval also stops new credentials reaching wallets
    issuer_standing.withdraw_approval(taxonomy_platform.uow(), actor=ADMIN, slug=world.slug, now=now)
    _issue(world, LEA)
    assert len(_entries(world)) == 1


class FakeFetcher:
    """Stands in for the outbound gate: the documents each URL serves; None: could not be fetched."""

    def __init__(self, served: dict[str, object]) -> None:
        self.served = served
        self.asked: list[str] = []

    def __call__(self, url: str) -> object | None:
        self.asked.append(url)
        return self.served.get(url)


def test_an_issuer_proves_its_domain_with_a_well_known_file(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform, approved=False)
    platform = taxonomy_platform
    now = platform.clock()
    with pytest.raises(Conflict, match="no domain to prove"):
        issuer_standing.verify_domain(
            platform.uow(), FakeFetcher({}), actor=world.issuer_actor, slug=world.slug, now=now
        )
    for bad in ("127.0.0.1", "[::1]", "school.example:8443", "https://school.example", "localhost", "a..b"):
        with pytest.raises(InvalidInput, match="domain"):
            issuer_standing.start_domain_proof(
                platform.uow(), actor=world.issuer_actor, slug=world.slug, domain=bad
            )
    challenge = issuer_standing.start_domain_proof(
        platform.uow(), actor=world.issuer_actor, slug=world.slug, domain="School.Example"
    )
    assert challenge.url == "https://school.example/.well-known/microcareer-issuer.json"
    assert (
        issuer_standing.domain_challenge(platform.uow(), actor=world.issuer_actor, slug=world.slug)
        == challenge
    )
    issuer = credential_issuers.find_issuer(platform.uow(), world.slug)
    unreachable = FakeFetcher({})
    with pytest.raises(InvalidInput, match="could not be fetched"):
        issuer_standing.verify_domain(
            platform.uow(), unreachable, actor=world.issuer_actor, slug=world.slug, now=now
        )
    assert unreachable.asked == [challenge.url]
    wrong = FakeFetcher({challenge.url: {"issuer": issuer.did, "token": "guessed"}})
    with pytest.raises(InvalidInput, match="does not hold"):
        issuer_standing.verify_domain(
            platform.uow(), wrong, actor=world.issuer_actor, slug=world.slug, now=now
        )
    other_issuer = FakeFetcher({challenge.url: {"issuer": "did:key:z6Mkother", "token": challenge.token}})
    with pytest.raises(InvalidInput, match="does not hold"):
        issuer_standing.verify_domain(
            platform.uow(), other_issuer, actor=world.issuer_actor, slug=world.slug, now=now
        )
    assert credential_issuers.find_issuer(platform.uow(), world.slug).standing is Standing.UNVERIFIED
    served = FakeFetcher({challenge.url: challenge.document})
    verified = issuer_standing.verify_domain(
        platform.uow(), served, actor=world.issuer_actor, slug=world.slug, now=now
    )
    assert (verified.standing, verified.verified_domain) == (Standing.DOMAIN_VERIFIED, "school.example")
    assert verified.shown_name == "Code School (domain verified, school.example)"
    assert issuer_standing.domain_challenge(platform.uow(), actor=world.issuer_actor, slug=world.slug) is None
    # its credentials now reach wallets and count part of a credential
    _issue(world, LEA)
    (item,) = _entries(world)
    assert item.shown_issuer == "Code School (domain verified, school.example)"
    wallet.accept_entry(platform.uow(), actor=world.learner, entry_id=item.entry.id)
    assert _evidence(world) == [("credential", 0.6, "issuer's domain verified, not approved: counts 60%")]
    # approval keeps the domain; withdrawing it falls back to domain verified
    issuer_standing.approve_issuer(platform.uow(), actor=ADMIN, slug=world.slug, now=now)
    assert credential_issuers.find_issuer(platform.uow(), world.slug).shown_name == (
        "Code School (approved, school.example)"
    )
    back = issuer_standing.withdraw_approval(platform.uow(), actor=ADMIN, slug=world.slug, now=now)
    assert (back.standing, back.verified_domain) == (Standing.DOMAIN_VERIFIED, "school.example")


@pytest.mark.parametrize(
    ("actor_name", "allowed"),
    [
        ("anonymous", False),
        ("holder", False),
        ("other_user", False),
        ("issuer_manager", True),
        ("platform_admin", True),
    ],
)
def test_domain_proof_matrix(taxonomy_platform: Platform, actor_name: str, allowed: bool) -> None:
    world = _world(taxonomy_platform, approved=False)
    actor = _actors(world)[actor_name]
    platform = taxonomy_platform
    now = platform.clock()
    if not allowed:
        with pytest.raises(_refusal(actor_name)):
            issuer_standing.start_domain_proof(
                platform.uow(), actor=actor, slug=world.slug, domain="school.example"
            )
        challenge = issuer_standing.start_domain_proof(
            platform.uow(), actor=world.issuer_actor, slug=world.slug, domain="school.example"
        )
        with pytest.raises(_refusal(actor_name)):
            issuer_standing.domain_challenge(platform.uow(), actor=actor, slug=world.slug)
        fetcher = FakeFetcher({challenge.url: challenge.document})
        with pytest.raises(_refusal(actor_name)):
            issuer_standing.verify_domain(platform.uow(), fetcher, actor=actor, slug=world.slug, now=now)
        assert fetcher.asked == []  # refused before anything was fetched
        return
    challenge = issuer_standing.start_domain_proof(
        platform.uow(), actor=actor, slug=world.slug, domain="school.example"
    )
    fetcher = FakeFetcher({challenge.url: challenge.document})
    verified = issuer_standing.verify_domain(platform.uow(), fetcher, actor=actor, slug=world.slug, now=now)
    assert verified.standing is Standing.DOMAIN_VERIFIED


def test_importing_a_bare_did_key_credential_counts_nothing(taxonomy_platform: Platform) -> None:
    """A credential anyone could sign (a did:key issuer unknown here) is kept but weighs nothing."""
    import json

    from microcareer.adapters.credential_keys import CredentialKeys
    from microcareer.adapters.json_schemas import pinned_schemas
    from microcareer.adapters.status_lists_http import StatusLists
    from microcareer.domain.credentials import data_integrity
    from microcareer.domain.credentials.multikey import did_key, did_key_verification_method, generate_key
    from microcareer.domain.credentials.open_badges import xsd_datetime
    from microcareer.services.credential_verification import VerifierSources

    world = _world(taxonomy_platform)
    (issued,) = _issue(world, IssueRequest(Recipient(email="lea@x.test")))
    (item,) = _entries(world)
    wallet.decline_entry(taxonomy_platform.uow(), actor=world.learner, entry_id=item.entry.id)
    document = json.loads(issued.document)
    seed, multikey = generate_key()
    now = taxonomy_platform.clock()
    forged = {k: v for k, v in document.items() if k not in ("proof", "credentialStatus")}
    forged["issuer"] = {**document["issuer"], "id": did_key(multikey)}
    forged["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    signed = data_integrity.create_proof(
        forged,
        {
            "type": data_integrity.PROOF_TYPE,
            "cryptosuite": "eddsa-rdfc-2022",
            "created": xsd_datetime(now),
            "verificationMethod": did_key_verification_method(multikey),
            "proofPurpose": "assertionMethod",
        },
        seed,
        taxonomy_platform.publication.contexts,
    )
    signed["proof"] = [signed["proof"]]
    assert world.learner.user_id is not None
    entry, report = wallet.import_credential(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=world.learner,
        user_id=world.learner.user_id,
        data=json.dumps(signed).encode(),
        source="forged.json",
        publication=taxonomy_platform.publication,
        sources=VerifierSources(keys=CredentialKeys({}), status=StatusLists({}), schemas=pinned_schemas()),
        now=now,
    )
    assert report is not None
    assert report.valid, report.as_json()
    assert entry.state == "accepted"  # the holder brought it in: no need to accept
    assert entry.details["issuer_standing"] == "unverified"
    assert _evidence(world) == [("credential", 0.0, "unverified issuer: not counted")]


def test_the_platform_fetches_domain_proofs_only_from_public_addresses(platform: Platform) -> None:
    """The real fetcher goes through the outbound gate: loopback and private hosts are refused before
    any connection, with the one neutral outcome (None), never an error that tells them apart."""
    assert not platform.settings.outbound_allow_private_addresses
    fetch = platform.domain_proof_fetcher
    for url in (
        "https://127.0.0.1/.well-known/microcareer-issuer.json",
        "https://localhost/.well-known/microcareer-issuer.json",
        "https://10.0.0.7/.well-known/microcareer-issuer.json",
        "https://[::1]/.well-known/microcareer-issuer.json",
        "http://school.example/.well-known/microcareer-issuer.json",
    ):
        assert fetch(url) is None, url
    assert platform.domain_proof_fetcher is fetch  # one gate per platform, closed with it
