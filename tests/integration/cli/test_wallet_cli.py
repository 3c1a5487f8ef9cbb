"""``microcareer wallet`` as the operator runs it, on each database: import, list, show, export a CLR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Role
from microcareer.domain.credentials import data_integrity
from microcareer.domain.credentials.baking import bake_png
from microcareer.domain.credentials.issue_rows import IssueRequest
from microcareer.domain.credentials.multikey import public_key_of_did_key
from microcareer.domain.credentials.open_badges import Recipient
from microcareer.domain.credentials.records import IssuedCredential
from microcareer.services import credential_issuing
from tests.integration.store.test_credential_services import LEA, World, _issue, _world
from tests.integration.store.test_wallet_services import _png

KAI = "kai@x.test"


@pytest.fixture
def world(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    return _world(taxonomy_platform)


def _join(platform: Platform, email: str) -> None:
    with platform.uow() as uow:
        uow.accounts.add_user(
            email=email,
            display_name="Kai",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=platform.clock(),
        )
        uow.commit()


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _issued_before_joining(world: World) -> IssuedCredential:
    (credential,) = _issue(world, IssueRequest(Recipient(email=KAI)))
    _join(world.platform, KAI)
    return credential


def test_import_list_show_and_remove(world: World, tmp_path: Path) -> None:
    credential = _issued_before_joining(world)
    badge = tmp_path / "badge.png"
    badge.write_bytes(bake_png(_png(), credential.document))

    imported = run("wallet", "import", str(badge), "--user", KAI, "--offline")
    assert "✓ proof" in imported
    assert "from did:key:z6Mk" in imported  # printed as it is: no emoji code read from ":key:"
    assert "2 skills got evidence" in imported
    assert "added entry" in imported
    duplicate = run("wallet", "import", str(badge), "--user", KAI, "--offline", code=1)
    assert "already in the wallet" in duplicate

    [entry] = json.loads(run("wallet", "list", "--user", KAI, "--json"))
    assert entry["credential"]["id"] == f"urn:uuid:{credential.id}"
    assert (entry["format"], entry["public"]) == ("json", False)
    table = run("wallet", "list", "--user", KAI)
    assert "Python for data work" in table
    assert "verified" in table
    shown = json.loads(run("wallet", "show", str(entry["id"]), "--user", KAI, "--json"))
    assert shown == entry
    assert "recipient_matches: True" in run("wallet", "show", str(entry["id"]), "--user", KAI)

    assert "now public" in run("wallet", "public", str(entry["id"]), "--on", "--user", KAI)
    assert json.loads(run("wallet", "list", "--user", KAI, "--json"))[0]["public"] is True
    run("wallet", "public", str(entry["id"]), "--off", "--user", KAI)
    # someone else's entry is not found in this wallet
    assert "no wallet entry" in run("wallet", "show", str(entry["id"]), "--user", "lea@x.test", code=1)
    run("wallet", "remove", str(entry["id"]), "--user", KAI)
    assert json.loads(run("wallet", "list", "--user", KAI, "--json")) == []


def test_a_refused_import_exits_1(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credential = _issued_before_joining(world)
    monkeypatch.setenv("MICROCAREER_USER", KAI)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps({**json.loads(credential.document), "name": "Rocket science"}))
    assert "not imported" in run("wallet", "import", str(tampered), "--offline", code=1)
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello")
    assert "not imported" in run("wallet", "import", str(garbage), "--offline", code=1)
    assert "cannot read" in run("wallet", "import", str(tmp_path / "missing.json"), code=1)
    assert "no user" in run("wallet", "list", "--user", "nobody@x.test", code=1).lower()
    assert json.loads(run("wallet", "list", "--json")) == []


def test_export_clr_writes_a_signed_record(world: World, tmp_path: Path) -> None:
    first, second = _issue(world, LEA, IssueRequest(Recipient(email="lea@x.test"), results={"grade": "B"}))
    for pending in json.loads(run("wallet", "list", "--user", "lea@x.test", "--json")):
        assert pending["state"] == "pending"
        assert "accepted entry" in run("wallet", "accept", str(pending["id"]), "--user", "lea@x.test")
    out = tmp_path / "clr.json"
    written = run("wallet", "export-clr", "--user", "lea@x.test", "-o", str(out))
    assert "2 credentials" in written
    clr = json.loads(out.read_text(encoding="utf-8"))
    contexts = world.platform.publication.contexts
    data_integrity.verify_proof(clr, public_key_of_did_key, contexts)
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [c["id"] for c in embedded] == [f"urn:uuid:{first.id}", f"urn:uuid:{second.id}"]
    for credential in embedded:
        data_integrity.verify_proof(credential, public_key_of_did_key, contexts)

    entries = json.loads(run("wallet", "list", "--user", "lea@x.test", "--json"))
    only = json.loads(run("wallet", "export-clr", "--user", "lea@x.test", "--entry", str(entries[0]["id"])))
    assert [c["id"] for c in only["credentialSubject"]["verifiableCredential"]] == [f"urn:uuid:{first.id}"]
    assert "no wallet entry" in run("wallet", "export-clr", "--user", "lea@x.test", "--entry", "9999", code=1)
    _join(world.platform, KAI)
    assert "no credential to put in a CLR" in run("wallet", "export-clr", "--user", KAI, code=1)


def test_a_credential_issued_here_then_revoked_lists_as_revoked(world: World) -> None:
    (credential,) = _issue(world, LEA)
    listed = run("wallet", "list", "--user", "lea@x.test")
    assert "pending: accept or decline it" in listed
    assert "Code School (approved)" in listed
    [pending] = json.loads(run("wallet", "list", "--user", "lea@x.test", "--json"))
    run("wallet", "accept", str(pending["id"]), "--user", "lea@x.test")
    assert "issued here" in run("wallet", "list", "--user", "lea@x.test")
    credential_issuing.change_status(
        world.platform.uow(),
        actor=world.issuer_actor,
        credential_id=credential.id,
        action="revoke",
        now=world.platform.clock(),
    )
    assert "issued here, revoked" in run("wallet", "list", "--user", "lea@x.test")
    [entry] = json.loads(run("wallet", "list", "--user", "lea@x.test", "--json"))
    assert entry["issued_status"] == "revoked"


def test_pending_credentials_are_accepted_declined_or_removed(world: World) -> None:
    _issue(world, LEA)
    _issue(world, LEA)
    first, second = json.loads(run("wallet", "list", "--user", "lea@x.test", "--json"))
    # someone else's pending entry is not in their wallet
    assert "no wallet entry" in run("wallet", "accept", str(first["id"]), "--user", "sam@x.test", code=1)
    assert "declined entry" in run("wallet", "decline", str(second["id"]), "--user", "lea@x.test")
    run("wallet", "accept", str(first["id"]), "--user", "lea@x.test")
    assert "not pending" in run("wallet", "accept", str(first["id"]), "--user", "lea@x.test", code=1)
    assert "not pending" in run("wallet", "decline", str(first["id"]), "--user", "lea@x.test", code=1)
    [kept] = json.loads(run("wallet", "list", "--user", "lea@x.test", "--json"))
    assert (kept["id"], kept["state"]) == (first["id"], "accepted")
    run("wallet", "remove", str(first["id"]), "--user", "lea@x.test")  # even one issued here
    assert json.loads(run("wallet", "list", "--user", "lea@x.test", "--json")) == []
