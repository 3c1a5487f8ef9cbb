"""Bulk revocation from a CSV (services/credential_revocation) on SQLite and PostgreSQL: all or nothing,
every bad row reported, only the issuer's managers."""

from __future__ import annotations

import json

import pytest

from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, OrgRole, Role
from microcareer.domain.credentials.issue_rows import BatchRejected, IssueRequest, parse_issue_csv
from microcareer.domain.credentials.open_badges import Recipient
from microcareer.domain.credentials.revoke_rows import parse_revoke_csv
from microcareer.domain.credentials.status_list import decode_status_list
from microcareer.errors import NotAuthenticated, PermissionDenied
from microcareer.services import credential_issuers, credential_issuing, credential_revocation
from tests.integration.store.test_credential_services import LEA, World, _issue, _world, accept_issued
from tests.integration.taxonomy_helpers import PYTHON


def _revoke(world: World, text: str, actor: Actor | None = None) -> list[str]:
    revoked = credential_revocation.revoke_csv(
        world.platform.uow(),
        actor=actor or world.issuer_actor,
        issuer_slug=world.slug,
        text=text,
        now=world.platform.clock(),
        source="list.csv",
    )
    return sorted(record.id for record in revoked)


def _status(world: World, credential_id: str) -> tuple[str, bool]:
    record = credential_issuing.credential_record(world.platform.uow(), credential_id)
    text = credential_issuing.status_list_document(
        world.platform.uow(),
        world.platform.key_vault,
        list_id=record.status_list_id,
        publication=world.platform.publication,
    )
    bits = decode_status_list(json.loads(text)["credentialSubject"]["encodedList"])
    return record.status, bits.get(record.status_index)


def test_rows_by_id_email_and_did_revoke_everything_they_name(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    lea_first, bob, cy = _issue(
        world, LEA, IssueRequest(Recipient(did="did:example:bob")), IssueRequest(Recipient(email="cy@x.test"))
    )
    (lea_second,) = _issue(world, LEA)
    accept_issued(world, lea_first)  # evidence only once the holder accepts (issue 15)
    accept_issued(world, lea_second)
    with taxonomy_platform.uow() as uow:
        assert world.learner.user_id is not None
        assert {s.uri for s in uow.profiles.skills(world.learner.user_id) if s.evidence} >= {PYTHON}
    text = "email,did,reason\nLEA@x.test,,left the course\n,did:example:bob,\n"
    assert _revoke(world, text) == sorted([lea_first.id, lea_second.id, bob.id])
    for record in (lea_first, lea_second, bob):
        assert _status(world, record.id) == ("revoked", True)
    assert _status(world, cy.id) == ("active", False)
    shown = credential_issuing.credential_record(taxonomy_platform.uow(), lea_first.id)
    assert shown.status_reason == "left the course"
    with taxonomy_platform.uow() as uow:
        assert all(not s.evidence for s in uow.profiles.skills(world.learner.user_id))
    assert _revoke(world, f"credential_id\nurn:uuid:{cy.id}\n") == [cy.id]
    assert _status(world, cy.id) == ("revoked", True)


def test_one_bad_row_revokes_nothing_and_every_bad_row_is_reported(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    good, done, bob = _issue(
        world, LEA, IssueRequest(Recipient(email="cy@x.test")), IssueRequest(Recipient(did="did:example:bob"))
    )
    _revoke(world, f"credential_id\n{done.id}\n")
    text = (
        "credential_id,email,did\n"
        f"{good.id},,\n"  # line 2: fine
        f"{done.id},,\n"  # line 3: already revoked
        ",nobody@x.test,\n"  # line 4: nothing issued to them
        "00000000-0000-4000-8000-000000000000,,\n"  # line 5: no such credential
        f"urn:uuid:{good.id},,\n"  # line 6: the same credential as line 2
        ",,did:example:bob\n"  # line 7: fine
    )
    with pytest.raises(BatchRejected) as rejected:
        _revoke(world, text)
    rows = rejected.value.extra["rows"]
    assert [(row["line"], row["column"]) for row in rows] == [
        (3, "credential_id"),
        (4, "email"),
        (5, "credential_id"),
        (6, "credential_id"),
    ]
    assert "already revoked" in rows[0]["message"]
    assert "issued no credential to nobody@x.test" in rows[1]["message"]
    assert "line 2" in rows[3]["message"]
    assert "nothing was revoked" in str(rejected.value)
    assert _status(world, good.id) == ("active", False)
    assert _status(world, bob.id) == ("active", False)


def test_another_issuers_credential_is_not_found_through_this_one(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (mine,) = _issue(world, LEA)
    now = taxonomy_platform.clock()
    with taxonomy_platform.uow() as uow:
        other = uow.accounts.add_user(
            email="other@x.test", display_name="O", password_hash="x", roles=[Role.ISSUER], created_at=now
        )
        uow.commit()
    other_actor = Actor(user_id=other.id, roles=frozenset({Role.ISSUER}))
    other_issuer = credential_issuers.create_issuer(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=other_actor,
        name="Other School",
        public_url="http://127.0.0.1:8000",
        now=now,
    )
    rows = parse_revoke_csv(f"credential_id\n{mine.id}\n", source="x.csv")
    with pytest.raises(BatchRejected, match="no credential"):
        credential_revocation.revoke_batch(
            taxonomy_platform.uow(), actor=other_actor, issuer_slug=other_issuer.slug, rows=rows, now=now
        )
    assert _status(world, mine.id) == ("active", False)


def test_plan_revocation_names_the_credentials_and_changes_nothing(taxonomy_platform: Platform) -> None:
    world = _world(taxonomy_platform)
    (lea,) = _issue(world, LEA)
    planned = credential_revocation.plan_revocation(
        taxonomy_platform.uow(),
        actor=world.issuer_actor,
        issuer_slug=world.slug,
        rows=parse_revoke_csv("email\nlea@x.test\n", source="x.csv"),
    )
    assert [record.id for record in planned] == [lea.id]
    assert _status(world, lea.id) == ("active", False)


# who may revoke in bulk: (actor, allowed), for an issuer owned by a user and one of an organisation
MATRIX = [
    ("anonymous", False),
    ("owner", True),
    ("recipient", False),
    ("other_issuer", False),
    ("platform_admin", True),
    ("org_admin_elsewhere", False),
]


@pytest.mark.parametrize(("who", "allowed"), MATRIX, ids=[who for who, _ in MATRIX])
def test_who_may_revoke_in_bulk(taxonomy_platform: Platform, who: str, allowed: bool) -> None:
    world = _world(taxonomy_platform)
    (lea,) = _issue(world, LEA)
    actors = {
        "anonymous": Actor.anonymous(),
        "owner": world.issuer_actor,
        "recipient": world.learner,
        "other_issuer": world.stranger,
        "platform_admin": Actor(user_id=world.stranger.user_id, roles=frozenset({Role.PLATFORM_ADMIN})),
        "org_admin_elsewhere": Actor(user_id=world.learner.user_id, memberships={77: OrgRole.ADMIN}),
    }
    text = f"credential_id\n{lea.id}\n"
    if allowed:
        assert _revoke(world, text, actors[who]) == [lea.id]
        assert _status(world, lea.id) == ("revoked", True)
    else:
        expected = NotAuthenticated if who == "anonymous" else PermissionDenied
        with pytest.raises(expected):
            _revoke(world, text, actors[who])
        assert _status(world, lea.id) == ("active", False)


def test_an_organisations_admins_revoke_its_issuers_credentials(taxonomy_platform: Platform) -> None:
    from tests.integration.taxonomy_helpers import make_organisation

    org = make_organisation(taxonomy_platform)
    now = taxonomy_platform.clock()
    issuer = credential_issuers.create_issuer(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=org.admin,
        name="Acme Academy",
        organisation_id=org.organisation_id,
        public_url="http://127.0.0.1:8000",
        now=now,
    )
    world = _world(taxonomy_platform)
    from microcareer.domain.credentials.open_badges import AchievementDefinition
    from microcareer.services import achievements

    achievement = achievements.define_achievement(
        taxonomy_platform.uow(),
        actor=org.admin,
        issuer_slug=issuer.slug,
        definition=AchievementDefinition(name="Safety", description="Knows it.", criteria="A test."),
        now=now,
    )
    (record,) = credential_issuing.issue_credentials(
        taxonomy_platform.uow(),
        taxonomy_platform.key_vault,
        actor=org.admin,
        achievement_id=achievement.id,
        requests=parse_issue_csv("did\ndid:example:zed\n", source="x", result_names=[]),
        publication=taxonomy_platform.publication,
        now=now,
    )
    rows = parse_revoke_csv("did\ndid:example:zed\n", source="x.csv")
    for outsider in (org.outsider, world.issuer_actor):
        with pytest.raises(PermissionDenied):
            credential_revocation.revoke_batch(
                taxonomy_platform.uow(), actor=outsider, issuer_slug=issuer.slug, rows=rows, now=now
            )
    revoked = credential_revocation.revoke_batch(
        taxonomy_platform.uow(), actor=org.admin, issuer_slug=issuer.slug, rows=rows, now=now
    )
    assert [r.id for r in revoked] == [record.id]
