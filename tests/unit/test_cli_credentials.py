"""``microcareer credentials verify``: exit 0 valid, 1 invalid, 2 usage error; no database needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcareer.cli.main import app
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.verification import MAX_INPUT_BYTES
from tests.unit.domain.verification_helpers import LIST_URL, Signer, credential, entry, status_list

EXAMPLE = Path(__file__).parents[1] / "data" / "ob-v3p0"
runner = CliRunner()


@pytest.fixture
def signer() -> Signer:
    return Signer()


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return _write(tmp_path / "keys.json", {})


def _valid_credential(signer: Signer) -> dict[str, Any]:
    # Valid today, whenever the test runs.
    return signer.sign(credential(signer.did, validFrom="2020-01-01T00:00:00Z", validUntil=None))


def test_a_valid_credential_exits_0(
    tmp_path: Path, keys: Path, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No database is opened: one that cannot be reached changes nothing.
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(
        app, ["credentials", "verify", str(path), "--trusted-keys", str(keys), "--offline"]
    )
    assert result.exit_code == 0, result.output
    assert "✓ proof: the DataIntegrityProof (eddsa-rdfc-2022) signature verifies" in result.output
    assert "- status: no credentialStatus" in result.output
    assert result.output.strip().endswith("VALID")


def test_a_production_environment_without_a_secret_key_still_verifies(
    tmp_path: Path, keys: Path, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The verifier signs and stores nothing: the production check of the secret key is not its concern.
    monkeypatch.setenv("MICROCAREER_ENVIRONMENT", "production")
    monkeypatch.delenv("MICROCAREER_SECRET_KEY", raising=False)
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(app, ["credentials", "verify", str(path), "--trusted-keys", str(keys)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("VALID")


def test_json_output_is_the_report(tmp_path: Path, keys: Path, signer: Signer) -> None:
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(
        app, ["credentials", "verify", str(path), "--trusted-keys", str(keys), "--json", "--offline"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["valid"] is True
    assert report["format"] == "json"
    assert report["issuer"] == signer.did
    assert [check["name"] for check in report["checks"]][:2] == ["format", "data model"]


def test_standard_input_is_read_for_dash(keys: Path, signer: Signer) -> None:
    document = json.dumps(_valid_credential(signer))
    result = runner.invoke(app, ["credentials", "verify", "-", "--trusted-keys", str(keys)], input=document)
    assert result.exit_code == 0, result.output


def test_a_tampered_credential_exits_1(tmp_path: Path, keys: Path, signer: Signer) -> None:
    document = _valid_credential(signer)
    document["name"] = "Something else"
    path = _write(tmp_path / "badge.json", document)
    result = runner.invoke(app, ["credentials", "verify", str(path), "--trusted-keys", str(keys)])
    assert result.exit_code == 1
    assert "✗ proof:" in result.output
    assert result.output.strip().endswith("INVALID")
    json_result = runner.invoke(
        app, ["credentials", "verify", str(path), "--trusted-keys", str(keys), "--json"]
    )
    assert json_result.exit_code == 1
    assert json.loads(json_result.output)["valid"] is False


def test_a_revoked_credential_in_a_status_list_file_exits_1(
    tmp_path: Path, keys: Path, signer: Signer
) -> None:
    document = signer.sign(
        credential(
            signer.did,
            validFrom="2020-01-01T00:00:00Z",
            validUntil=None,
            credentialStatus=entry("revocation", 9),
        )
    )
    path = _write(tmp_path / "badge.json", document)
    listing = _write(tmp_path / "list.json", status_list(signer, "revocation", set_bits=(9,)))
    args = ["credentials", "verify", str(path), "--trusted-keys", str(keys), "--offline"]
    result = runner.invoke(app, [*args, "--status-list", str(listing)])
    assert result.exit_code == 1
    assert f"✗ status: revoked: revocation bit 9 of {LIST_URL} is set" in result.output
    unchecked = runner.invoke(app, args)
    assert unchecked.exit_code == 0
    assert "! status:" in unchecked.output
    assert runner.invoke(app, [*args, "--require-status"]).exit_code == 1


def test_trusted_keys_verify_the_published_example(tmp_path: Path) -> None:
    pair = json.loads((EXAMPLE / "key-pair.json").read_text(encoding="utf-8"))
    example = EXAMPLE / "ob-signed-credential.json"
    method = json.loads(example.read_text(encoding="utf-8"))["proof"]["verificationMethod"]
    keys = _write(tmp_path / "keys.json", {method: pair["publicKeyMultibase"]})
    result = runner.invoke(
        app, ["credentials", "verify", str(example), "--trusted-keys", str(keys), "--offline"]
    )
    assert result.exit_code == 0, result.output
    assert "(trusted) is an assertionMethod of the issuer" in result.output
    empty = _write(tmp_path / "empty.json", {})
    assert (
        runner.invoke(app, ["credentials", "verify", str(example), "--trusted-keys", str(empty)]).exit_code
        == 1
    )


@pytest.mark.parametrize(
    ("keys_text", "message"),
    [
        ('{\n  "https://a.example/k#1": "zNope"\n}', "line 2, column 'https://a.example/k#1'"),
        ("not json", "line 1: not valid JSON"),
    ],
)
def test_a_bad_keys_file_exits_2_naming_the_line(
    tmp_path: Path, signer: Signer, keys_text: str, message: str
) -> None:
    keys = tmp_path / "keys.json"
    keys.write_text(keys_text, encoding="utf-8")
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(app, ["credentials", "verify", str(path), "--trusted-keys", str(keys)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_files_exit_2(tmp_path: Path, keys: Path) -> None:
    missing = runner.invoke(
        app, ["credentials", "verify", str(tmp_path / "nope.json"), "--trusted-keys", str(keys)]
    )
    assert missing.exit_code == 2
    assert "cannot read" in missing.output
    no_keys = runner.invoke(
        app, ["credentials", "verify", str(keys), "--trusted-keys", str(tmp_path / "k.json")]
    )
    assert no_keys.exit_code == 2
    without_option = runner.invoke(app, ["credentials", "verify", str(keys)])
    assert without_option.exit_code == 2
    bad_list = runner.invoke(
        app,
        [
            "credentials",
            "verify",
            str(keys),
            "--trusted-keys",
            str(keys),
            "--status-list",
            str(tmp_path / "l.json"),
        ],
    )
    assert bad_list.exit_code == 2


def test_an_oversized_file_is_refused_not_read_whole(tmp_path: Path, keys: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * (MAX_INPUT_BYTES + 10) + b"}")
    result = runner.invoke(app, ["credentials", "verify", str(path), "--trusted-keys", str(keys)])
    assert result.exit_code == 1
    assert "more than the" in result.output


def test_offline_does_not_resolve_did_web(tmp_path: Path, keys: Path, signer: Signer) -> None:
    did = "did:web:issuer.example"
    document = signer.sign(
        credential(did, validFrom="2020-01-01T00:00:00Z", validUntil=None), method=f"{did}#key-1"
    )
    path = _write(tmp_path / "badge.json", document)
    result = runner.invoke(
        app, ["credentials", "verify", str(path), "--trusted-keys", str(keys), "--offline"]
    )
    assert result.exit_code == 1
    assert "did:web is not resolved offline" in result.output
    trusted = _write(tmp_path / "trusted.json", {f"{did}#key-1": multikey.encode_public_key(signer.public)})
    ok = runner.invoke(app, ["credentials", "verify", str(path), "--trusted-keys", str(trusted), "--offline"])
    assert ok.exit_code == 0, ok.output
