"""``microcareer issuers``, ``achievements`` and ``credentials issue/revoke/...`` on the mini ESCO."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from microcareer.bootstrap import Platform
from microcareer.cli.context import open_platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Actor, Role
from microcareer.domain.credentials import baking, data_integrity
from microcareer.domain.credentials.multikey import public_key_of_did_key
from microcareer.domain.credentials.open_badges import identity_matches
from microcareer.domain.credentials.status_list import decode_status_list
from microcareer.services import credential_issuing
from tests.integration.taxonomy_helpers import HASKELL, PYTHON, PYTHON_KEY, make_organisation

SCHOOL = "school@x.test"
LEARNER = "lea@x.test"


@pytest.fixture
def runner(taxonomy_platform: Platform, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "test")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("MICROCAREER_USER", raising=False)
    monkeypatch.delenv("MICROCAREER_PUBLIC_URL", raising=False)
    now = taxonomy_platform.clock()
    with taxonomy_platform.uow() as uow:
        for email, name, role in ((SCHOOL, "School", Role.ISSUER), (LEARNER, "Lea", Role.PROFESSIONAL)):
            uow.accounts.add_user(
                email=email, display_name=name, password_hash="x", roles=[role], created_at=now
            )
        uow.accounts.add_user(
            email="pat@x.test",
            display_name="Pat",
            password_hash="x",
            roles=[Role.PROFESSIONAL],
            created_at=now,
        )
        uow.commit()
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(runner: CliRunner, *args: str) -> str:
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _issuer(runner: CliRunner) -> str:
    ok(runner, "issuers", "create", "Code School", "--url", "https://school.example", "--user", SCHOOL)
    (issuer,) = json.loads(ok(runner, "issuers", "list", "--json"))["items"]
    assert issuer["owner"] == SCHOOL
    slug: str = issuer["slug"]
    return slug


def _achievement(runner: CliRunner, slug: str, *extra: str) -> int:
    output = ok(
        runner,
        "achievements",
        "define",
        slug,
        "--name",
        "Python for data work",
        "--description",
        "Writes tested Python to clean data.",
        "--criteria",
        "Passed a practical.",
        "--skill",
        PYTHON_KEY,
        "--result",
        "grade:LetterGrade",
        "--expiry-days",
        "365",
        "--user",
        SCHOOL,
        *extra,
    )
    return int(output.split("defined achievement ", 1)[1].split(":", 1)[0])


def _verified(document: str, platform: Platform) -> dict[str, Any]:
    signed: dict[str, Any] = json.loads(document)
    data_integrity.verify_proof(signed, public_key_of_did_key, platform.publication.contexts)
    return signed


def _png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def test_issuers_create_show_rotate_and_refuse_users_without_the_role(runner: CliRunner) -> None:
    slug = _issuer(runner)
    denied = run(runner, "issuers", "create", "Pirate School", "--user", "pat@x.test")
    assert denied.exit_code == 1
    assert "Traceback" not in denied.output
    no_user = run(runner, "issuers", "create", "Nobody School")
    assert no_user.exit_code == 2  # --user is required: an issuer belongs to a person
    shown = json.loads(ok(runner, "issuers", "show", slug, "--json"))
    assert shown["did"].startswith("did:key:")  # no https public address: did:key
    assert [k["state"] for k in shown["keys"]] == ["active"]
    assert "sealed" not in json.dumps(shown)
    ok(runner, "issuers", "rotate-key", slug, "--user", SCHOOL)
    keys = json.loads(ok(runner, "issuers", "show", slug, "--json"))["keys"]
    assert [k["state"] for k in keys] == ["retired", "active"]
    active = run(runner, "issuers", "withdraw-key", slug, str(keys[1]["id"]))
    assert active.exit_code == 1
    assert "rotate first" in active.output
    ok(runner, "issuers", "withdraw-key", slug, str(keys[0]["id"]))
    text = ok(runner, "issuers", "show", slug)
    assert "withdrawn" in text
    assert "did:key:z6Mk" in text  # printed as text, not as Rich's :key: emoji
    missing = run(runner, "issuers", "did-document", slug)  # did:key issuers have no DID document
    assert missing.exit_code == 1
    assert "did:key" in missing.output


def test_did_document_of_a_did_web_issuer(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_PUBLIC_URL", "https://badges.example")
    slug = _issuer(runner)
    document = json.loads(ok(runner, "issuers", "did-document", slug))
    assert document["id"] == f"did:web:badges.example:issuers:{slug}"
    assert len(document["verificationMethod"]) == 1
    assert document["assertionMethod"] == [document["verificationMethod"][0]["id"]]


def test_define_an_achievement_from_options_and_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    slug = _issuer(runner)
    first = _achievement(runner, slug)
    shown = json.loads(ok(runner, "achievements", "show", str(first), "--json"))
    assert shown["type"] == ["Achievement"]
    assert shown["name"] == "Python for data work"
    assert [a["targetUrl"] for a in shown["alignment"]] == [PYTHON]  # found by its key
    definition = ["--name", "x", "--description", "y", "--criteria", "z"]
    twice = run(runner, "achievements", "define", slug, *definition, "--skill", PYTHON_KEY, "--skill", PYTHON)
    assert twice.exit_code == 1
    assert "listed twice" in twice.output
    toml = tmp_path / "stack.toml"
    toml.write_text(
        f'name = "Data engineer stack"\ndescription = "Both."\ncriteria = "Hold the parts."\n'
        f'type = "Certificate"\nskills = ["{HASKELL}"]\nresults = [{{name = "score", type = "Percent"}}]\n'
        f"parts = [{first}]\nproficiency = 5\n",
        encoding="utf-8",
    )
    output = ok(runner, "achievements", "define", slug, "--file", str(toml), "--user", SCHOOL)
    second = int(output.split("defined achievement ", 1)[1].split(":", 1)[0])
    rows = json.loads(ok(runner, "achievements", "list", "--issuer", slug, "--json"))["items"]
    assert [r["id"] for r in rows] == [first, second]
    assert rows[1]["type"] == "Certificate"
    assert rows[1]["parts"] == [first]
    assert rows[1]["results"] == [{"name": "score", "type": "Percent"}]
    assert rows[1]["skills"][0]["uri"] == HASKELL
    text = ok(runner, "achievements", "show", str(second))
    assert "Data engineer stack" in text
    assert "made of achievements" in text
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"name": "x", "description": "y", "criteria": "z", "colour": "red"}), encoding="utf-8"
    )
    refused = run(runner, "achievements", "define", slug, "--file", str(bad), "--user", SCHOOL)
    assert refused.exit_code == 1
    assert "bad.json: unknown field colour" in refused.output
    both = run(runner, "achievements", "define", slug, "--file", str(toml), "--name", "x")
    assert both.exit_code == 2


def test_issue_to_an_email_then_revoke_and_show(runner: CliRunner, taxonomy_platform: Platform) -> None:
    achievement = _achievement(runner, _issuer(runner))
    output = ok(runner, "credentials", "issue", str(achievement), "--email", LEARNER, "--evidence",
                "Cleaned the bike-share data", "--result", "grade=A", "--user", SCHOOL)  # fmt: skip
    credential = _verified(output, taxonomy_platform)
    assert identity_matches(credential, email=LEARNER, did=None)
    assert LEARNER not in output
    assert credential["credentialSubject"]["result"][0]["value"] == "A"
    credential_id = credential["id"]
    shown = json.loads(ok(runner, "credentials", "show", credential_id, "--json"))
    assert (shown["status"], shown["recipient_has_account"]) == ("active", True)
    assert shown["recipient_email"] == LEARNER  # as the issuer entered it; the credential holds a hash
    assert f"recipient: <{LEARNER}>" in ok(runner, "credentials", "show", credential_id)
    not_suspendable = run(runner, "credentials", "suspend", credential_id)
    assert not_suspendable.exit_code == 1
    assert "can only be revoked" in not_suspendable.output
    someone_else = run(runner, "credentials", "revoke", credential_id, "--user", "pat@x.test")
    assert someone_else.exit_code == 1
    ok(runner, "credentials", "revoke", credential_id, "--reason", "cheated", "--user", SCHOOL)
    shown = json.loads(ok(runner, "credentials", "show", credential_id, "--json"))
    assert (shown["status"], shown["status_reason"]) == ("revoked", "cheated")
    assert "revoked" in ok(runner, "credentials", "show", credential_id)
    status = _verified(
        ok(runner, "credentials", "status-list", str(shown["status_list"]["id"])), taxonomy_platform
    )
    bits = decode_status_list(status["credentialSubject"]["encodedList"])
    assert bits.get(shown["status_list"]["index"])
    again = run(runner, "credentials", "reinstate", credential_id)
    assert again.exit_code == 1
    assert "revocation is final" in again.output
    unknown_result = run(
        runner, "credentials", "issue", str(achievement), "--email", "x@y.test", "--result", "mark=1"
    )
    assert unknown_result.exit_code == 1
    assert "mark not defined" in unknown_result.output
    no_recipient = run(runner, "credentials", "issue", str(achievement))
    assert no_recipient.exit_code == 2


def test_suspend_and_reinstate_a_jwt_credential(runner: CliRunner, tmp_path: Path) -> None:
    achievement = _achievement(runner, _issuer(runner), "--suspendable")
    assert "can be suspended" in ok(runner, "achievements", "show", str(achievement))
    out = tmp_path / "cred.jwt"
    ok(
        runner,
        "credentials",
        "issue",
        str(achievement),
        "--did",
        "did:example:bob",
        "--format",
        "jwt",
        "-o",
        str(out),
    )
    token = out.read_text(encoding="utf-8")
    assert token.count(".") == 2
    shown = json.loads(ok(runner, "credentials", "show", _credential_ids(runner, achievement)[0], "--json"))
    assert (shown["proof_format"], shown["document"]) == ("jwt", token.strip())
    assert shown["status_list"]["purpose"] == "suspension"
    ok(runner, "credentials", "suspend", shown["id"], "--reason", "under review")
    assert json.loads(ok(runner, "credentials", "show", shown["id"], "--json"))["status"] == "suspended"
    ok(runner, "credentials", "reinstate", shown["id"])
    assert json.loads(ok(runner, "credentials", "show", shown["id"], "--json"))["status"] == "active"


def _slug(runner: CliRunner) -> str:
    slug: str = json.loads(ok(runner, "issuers", "list", "--json"))["items"][0]["slug"]
    return slug


def _credential_ids(runner: CliRunner, achievement: int) -> list[str]:
    """The ids of the credentials issued for an achievement, from the store."""
    with open_platform() as platform:
        found, _ = credential_issuing.issued_by(
            platform.uow(), actor=Actor.system(), issuer_slug=_slug(runner), limit=100, offset=0
        )
    return [f"urn:uuid:{r.id}" for r in found if r.achievement_id == achievement]


def test_issue_batch_all_or_nothing(runner: CliRunner, tmp_path: Path, taxonomy_platform: Platform) -> None:
    achievement = _achievement(runner, _issuer(runner))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,did,evidence_url,result:grade\n"
        "ann@x.test,,,A\n"
        "not-an-email,,,B\n"
        "ben@x.test,,ftp://nope,C\n"
        "ann@x.test,,,A\n",
        encoding="utf-8",
    )
    rejected = run(runner, "credentials", "issue-batch", str(achievement), str(bad), "--user", SCHOOL)
    assert rejected.exit_code == 1
    assert f"{bad}:3: email: not an e-mail address" in rejected.output
    assert f"{bad}:4: evidence_url: not an http(s) URL" in rejected.output
    assert f"{bad}:5: email: same recipient as line 2" in rejected.output
    assert "nothing was issued" in rejected.output
    assert _credential_ids(runner, achievement) == []
    good = tmp_path / "good.csv"
    good.write_text(
        "email,did,name,evidence_narrative,result:grade\n"
        f"{LEARNER},,Lea,Cleaned data,A\n"
        ",did:example:bob,Bob,,B\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "issued"
    output = ok(runner, "credentials", "issue-batch", str(achievement), str(good), "--out-dir", str(out_dir),
                "--format", "eddsa-jcs-2022", "--user", SCHOOL)  # fmt: skip
    assert "issued 2" in output
    assert "did:example:bob" in output
    ids = _credential_ids(runner, achievement)
    assert len(ids) == 2
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == sorted([*(i.removeprefix("urn:uuid:") + ".json" for i in ids), "index.csv"])
    index = (out_dir / "index.csv").read_text(encoding="utf-8").splitlines()
    assert index[0] == "email,did,name,credential_id,file"
    assert index[1].startswith(f"{LEARNER},,Lea,urn:uuid:")
    for credential_id in ids:
        path = out_dir / (credential_id.removeprefix("urn:uuid:") + ".json")
        signed = _verified(path.read_text(encoding="utf-8"), taxonomy_platform)
        proofs = signed["proof"] if isinstance(signed["proof"], list) else [signed["proof"]]
        assert [p["cryptosuite"] for p in proofs] == ["eddsa-jcs-2022"]


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_issue_baked_into_an_image(
    runner: CliRunner, tmp_path: Path, taxonomy_platform: Platform, kind: str
) -> None:
    achievement = _achievement(runner, _issuer(runner))
    image = tmp_path / f"badge.{kind}"
    if kind == "png":
        image.write_bytes(_png())
    else:
        image.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>', encoding="utf-8"
        )
    out = tmp_path / f"baked.{kind}"
    needs_out = run(
        runner, "credentials", "issue", str(achievement), "--email", LEARNER, "--bake", str(image)
    )
    assert needs_out.exit_code == 2
    assert _credential_ids(runner, achievement) == []  # refused before anything was issued
    ok(
        runner,
        "credentials",
        "issue",
        str(achievement),
        "--email",
        LEARNER,
        "--bake",
        str(image),
        "-o",
        str(out),
    )
    baked = baking.unbake(out.read_bytes())
    assert (baked.format, baked.version) == (kind, "3.0")
    credential = _verified(baked.payload, taxonomy_platform)
    assert [credential["id"]] == _credential_ids(runner, achievement)


def test_a_broken_image_is_refused_before_issuing(runner: CliRunner, tmp_path: Path) -> None:
    achievement = _achievement(runner, _issuer(runner))
    image = tmp_path / "broken.png"
    image.write_bytes(b"not a png")
    result = run(runner, "credentials", "issue", str(achievement), "--email", LEARNER, "--bake", str(image),
                 "-o", str(tmp_path / "out.png"))  # fmt: skip
    assert result.exit_code == 1
    assert "broken.png" in result.output
    assert "Traceback" not in result.output
    assert _credential_ids(runner, achievement) == []


def test_a_long_batch_shows_progress_and_lists_every_recipient(runner: CliRunner, tmp_path: Path) -> None:
    achievement = _achievement(runner, _issuer(runner))
    rows = "".join(f"person{n}@x.test,{'ABC'[n % 3]}\n" for n in range(30))
    batch = tmp_path / "cohort.csv"
    batch.write_text("email,result:grade\n" + rows, encoding="utf-8")
    output = ok(
        runner, "credentials", "issue-batch", str(achievement), str(batch), "--format", "eddsa-jcs-2022"
    )
    assert "signing 30 credentials" in output  # the progress bar (on stderr)
    assert "issued 30" in output
    assert "person29@x.test" in output
    assert len(_credential_ids(runner, achievement)) == 30


def test_an_organisation_admin_creates_an_issuer_for_it(
    runner: CliRunner, taxonomy_platform: Platform
) -> None:
    org = make_organisation(taxonomy_platform, "acme")
    ok(runner, "issuers", "create", "Acme Academy", "--org", "acme", "--user", "admin@acme.test")
    (issuer,) = json.loads(ok(runner, "issuers", "list", "--json"))["items"]
    assert (issuer["organisation_id"], issuer["owner"]) == (org.organisation_id, "admin@acme.test")
    outsider = run(runner, "issuers", "create", "Fake Acme", "--org", "acme", "--user", "out@acme.test")
    assert outsider.exit_code == 1
    assert "Traceback" not in outsider.output


def test_issuers_approve_and_verify_domain(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    slug = _issuer(runner)
    assert json.loads(ok(runner, "issuers", "show", slug, "--json"))["standing"] == "unverified"
    for someone in (SCHOOL, "pat@x.test"):  # only platform admins (or the local operator) approve
        refused = run(runner, "issuers", "approve", slug, "--user", someone)
        assert refused.exit_code == 1
        assert "issuer.approve" in refused.output
    assert "Code School (approved)" in ok(runner, "issuers", "approve", slug)
    assert "already approved" in run(runner, "issuers", "approve", slug).output
    assert "Code School (unverified)" in ok(runner, "issuers", "approve", slug, "--withdraw")

    started = ok(runner, "issuers", "verify-domain", slug, "--domain", "school.example", "--user", SCHOOL)
    assert "https://school.example/.well-known/microcareer-issuer.json" in started
    document = json.loads(started[started.index("{") :])
    refused = run(
        runner, "issuers", "verify-domain", slug, "--domain", "school.example", "--user", "pat@x.test"
    )
    assert refused.exit_code == 1
    served: dict[str, object] = {}
    monkeypatch.setattr(Platform, "domain_proof_fetcher", property(lambda self: served.get))
    missing = run(runner, "issuers", "verify-domain", slug, "--user", SCHOOL)
    assert missing.exit_code == 1
    assert "could not be fetched" in missing.output
    served["https://school.example/.well-known/microcareer-issuer.json"] = document
    verified = ok(runner, "issuers", "verify-domain", slug, "--user", SCHOOL)
    assert "Code School (domain verified, school.example)" in verified
    shown = json.loads(ok(runner, "issuers", "show", slug, "--json"))
    assert (shown["standing"], shown["verified_domain"]) == ("domain_verified", "school.example")
    bad = run(runner, "issuers", "verify-domain", slug, "--domain", "10.0.0.1", "--user", SCHOOL)
    assert bad.exit_code == 1
    assert "not an IP address" in bad.output


def test_revoke_batch_reports_every_bad_row_then_revokes_all_or_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    slug = _issuer(runner)
    achievement = _achievement(runner, slug)
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "email,did,narrative,result:grade\n"
        f"{LEARNER},,Built the data pipeline for the city's bike-share,A\n"
        ",did:example:bob,,B\n"
        "cy@x.test,,,C\n",
        encoding="utf-8",
    )
    ok(runner, "credentials", "issue-batch", str(achievement), str(cohort), "--user", SCHOOL)
    shown = json.loads(ok(runner, "credentials", "show", _credential_ids(runner, achievement)[0], "--json"))
    documents = [
        json.loads(ok(runner, "credentials", "show", i, "--json"))["document"]
        for i in _credential_ids(runner, achievement)
    ]
    narratives = {d["credentialSubject"].get("narrative") for d in documents}
    assert "Built the data pipeline for the city's bike-share" in narratives
    assert shown["status"] == "active"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"email,did,reason\n{LEARNER},,left\nnobody@x.test,,\n,key:z6Mk,\n,did:example:bob,\n",
        encoding="utf-8",
    )
    rejected = run(runner, "credentials", "revoke-batch", str(bad), "--issuer", slug, "--user", SCHOOL)
    assert rejected.exit_code == 1
    assert f"{bad}:3: email: Code School issued no credential to nobody@x.test" in rejected.output
    assert f"{bad}:4: did: 'key:z6Mk' is not a DID" in rejected.output
    assert "nothing was revoked" in rejected.output
    statuses = {
        json.loads(ok(runner, "credentials", "show", i, "--json"))["status"]
        for i in _credential_ids(runner, achievement)
    }
    assert statuses == {"active"}
    denied = run(runner, "credentials", "revoke-batch", str(cohort), "--issuer", slug, "--user", LEARNER)
    assert denied.exit_code != 0
    good = tmp_path / "good.csv"
    good.write_text(f"email,did,reason\n{LEARNER},,left\n,did:example:bob,\n", encoding="utf-8")
    output = ok(runner, "credentials", "revoke-batch", str(good), "--issuer", slug, "--user", SCHOOL)
    assert "2 credentials revoked" in output
    statuses_after = sorted(
        json.loads(ok(runner, "credentials", "show", i, "--json"))["status"]
        for i in _credential_ids(runner, achievement)
    )
    assert statuses_after == ["active", "revoked", "revoked"]
