"""``microcareer credentials verify``: exit 0 valid, 1 invalid, 2 usage error, 3 signature valid but
status unknown; no database needed."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcareer.cli.main import app
from microcareer.domain.credentials import multikey
from microcareer.domain.credentials.baking import bake_svg
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
    assert unchecked.exit_code == 3, unchecked.output
    assert "? status: status unknown:" in unchecked.output
    assert unchecked.output.strip().endswith("SIGNATURE VALID, STATUS UNKNOWN")
    assert runner.invoke(app, [*args, "--require-status"]).exit_code == 1
    opted_out = runner.invoke(app, [*args, "--accept-unknown-status"])
    assert opted_out.exit_code == 0, opted_out.output
    assert "! status:" in opted_out.output
    assert opted_out.output.strip().endswith("VALID")
    both = runner.invoke(app, [*args, "--require-status", "--accept-unknown-status"])
    assert both.exit_code == 2
    assert "contradict" in both.output


HTTP_LIST = "http://localhost:8000/status/1"


def _revoked_on_http(signer: Signer) -> dict[str, Any]:
    """Revoked in its issuer's list, which is on plain http:// (a development server)."""
    status = {**entry("revocation", 9), "id": f"{HTTP_LIST}#9", "statusListCredential": HTTP_LIST}
    return signer.sign(
        credential(signer.did, validFrom="2020-01-01T00:00:00Z", validUntil=None, credentialStatus=status)
    )


@pytest.mark.parametrize("extra", [[], ["--offline"]])
def test_a_credential_whose_http_status_list_is_not_fetched_never_reads_valid(
    tmp_path: Path, signer: Signer, extra: list[str]
) -> None:
    path = _write(tmp_path / "badge.json", _revoked_on_http(signer))
    result = runner.invoke(app, ["credentials", "verify", str(path), *extra])
    assert result.exit_code == 3, result.output
    assert "✓ proof:" in result.output
    assert "? status: status unknown:" in result.output
    if not extra:  # not fetched, and the reason says how to allow it
        assert "--allow-http" in result.output
    assert "SIGNATURE VALID, STATUS UNKNOWN" in result.output
    as_json = runner.invoke(app, ["credentials", "verify", str(path), "--json", *extra])
    assert as_json.exit_code == 3
    report = json.loads(as_json.output)
    assert (report["valid"], report["verdict"]) == (False, "status_unknown")


def test_the_http_status_list_given_as_a_file_shows_the_revocation(tmp_path: Path, signer: Signer) -> None:
    path = _write(tmp_path / "badge.json", _revoked_on_http(signer))
    unsigned = status_list(signer, "revocation", set_bits=(9,))
    unsigned.pop("proof")
    listing = _write(tmp_path / "list.json", signer.sign({**unsigned, "id": HTTP_LIST}))
    result = runner.invoke(app, ["credentials", "verify", str(path), "--status-list", str(listing)])
    assert result.exit_code == 1, result.output
    assert "✗ status: revoked" in result.output


def test_allow_http_with_offline_is_a_usage_error(tmp_path: Path, signer: Signer) -> None:
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(app, ["credentials", "verify", str(path), "--offline", "--allow-http"])
    assert result.exit_code == 2


def test_the_key_only_issuer_policy_is_explicit(tmp_path: Path, signer: Signer) -> None:
    issuer = "urn:uuid:6a1b4f6e-2f0d-4d2c-8f51-0d7f5c1f9e01"
    document = signer.sign(credential(issuer, validFrom="2020-01-01T00:00:00Z", validUntil=None))
    path = _write(tmp_path / "badge.json", document)
    refused = runner.invoke(app, ["credentials", "verify", str(path), "--offline"])
    assert refused.exit_code == 1
    assert "✗ key:" in refused.output
    assert "key-only issuer policy" in refused.output
    accepted = runner.invoke(
        app, ["credentials", "verify", str(path), "--offline", "--accept-key-only-issuer"]
    )
    assert accepted.exit_code == 0, accepted.output
    assert "! key:" in accepted.output
    assert "accepted by the key-only issuer policy" in accepted.output


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


def test_did_key_verifies_without_a_trusted_keys_file(tmp_path: Path, signer: Signer) -> None:
    path = _write(tmp_path / "badge.json", _valid_credential(signer))
    result = runner.invoke(app, ["credentials", "verify", str(path), "--offline"])
    assert result.exit_code == 0, result.output
    assert "(did:key) is an assertionMethod of the issuer" in result.output


def test_an_https_key_needs_the_trusted_keys_file(tmp_path: Path) -> None:
    example = EXAMPLE / "ob-signed-credential.json"
    result = runner.invoke(app, ["credentials", "verify", str(example), "--offline"])
    assert result.exit_code == 1
    assert "✗ key:" in result.output
    assert "not a trusted key" in result.output


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


class _DevServer:
    """A plain-http development server on 127.0.0.1 serving one JSON document at /status/1."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {}
        self.hits: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.hits.append(self.path)
                body = json.dumps(owner.document).encode("utf-8")
                self.send_response(200 if self.path == "/status/1" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _DevServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_allow_http_fetches_a_local_status_list_and_warns(
    tmp_path: Path, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _DevServer() as server:
        url = f"http://127.0.0.1:{server.port}/status/1"
        unsigned = status_list(signer, "revocation", set_bits=(9,))
        unsigned.pop("proof")
        server.document = signer.sign({**unsigned, "id": url})
        status = {**entry("revocation", 9), "id": f"{url}#9", "statusListCredential": url}
        revoked = signer.sign(
            credential(signer.did, validFrom="2020-01-01T00:00:00Z", validUntil=None, credentialStatus=status)
        )
        path = _write(tmp_path / "badge.json", revoked)
        # without --allow-http: not fetched, status unknown
        unknown = runner.invoke(app, ["credentials", "verify", str(path)])
        assert unknown.exit_code == 3, unknown.output
        # with it, loopback is still refused until the private-address setting allows it
        refused = runner.invoke(app, ["credentials", "verify", str(path), "--allow-http"])
        assert refused.exit_code == 3, refused.output
        assert server.hits == []
        monkeypatch.setenv("MICROCAREER_OUTBOUND_ALLOW_PRIVATE_ADDRESSES", "true")
        monkeypatch.setenv("MICROCAREER_OUTBOUND_PORTS", f"[443, {server.port}]")
        fetched = runner.invoke(app, ["credentials", "verify", str(path), "--allow-http"])
        assert fetched.exit_code == 1, fetched.output
        assert f"✗ status: revoked: revocation bit 9 of {url} is set" in fetched.output
        assert server.hits == ["/status/1"]
        clear = status_list(signer, "revocation")
        clear.pop("proof")
        server.document = signer.sign({**clear, "id": url})
        warned = runner.invoke(app, ["credentials", "verify", str(path), "--allow-http"])
        assert warned.exit_code == 0, warned.output
        assert "! status: not revoked" in warned.output
        assert "plain http://, not authenticated" in warned.output


def test_a_badge_svg_as_editors_write_it_verifies(tmp_path: Path, signer: Signer) -> None:
    svg = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="64"><circle r="30"/></svg>\n'
    )
    path = tmp_path / "badge.svg"
    path.write_text(bake_svg(svg, json.dumps(_valid_credential(signer))), encoding="utf-8")
    result = runner.invoke(app, ["credentials", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "✓ format: a JSON credential, baked into a SVG" in result.output


def test_several_files_print_each_report_and_exit_with_the_worst(tmp_path: Path, signer: Signer) -> None:
    valid = _write(tmp_path / "valid.json", _valid_credential(signer))
    revoked = _write(tmp_path / "revoked.json", _revoked_on_http(signer))  # status unknown offline
    tampered = _write(tmp_path / "tampered.json", {**_valid_credential(signer), "name": "Changed"})
    base = ["credentials", "verify", "--offline"]
    both = runner.invoke(app, [*base, str(valid), str(revoked)])
    assert both.exit_code == 3, both.output
    assert f"{valid}:" in both.output
    assert f"{revoked}:" in both.output
    assert both.output.index(f"{valid}:") < both.output.index(f"{revoked}:")
    all_three = runner.invoke(app, [*base, str(revoked), str(tampered), str(valid), "--json"])
    assert all_three.exit_code == 1, all_three.output
    reports = json.loads(all_three.output)
    assert [(r["file"], r["verdict"]) for r in reports] == [
        (str(revoked), "status_unknown"),
        (str(tampered), "invalid"),
        (str(valid), "valid"),
    ]
    assert runner.invoke(app, [*base, str(valid), str(valid)]).exit_code == 0
    assert runner.invoke(app, [*base, "-", "-"], input="{}").exit_code == 2
