"""Verifying several credentials at once, in Chromium: a visitor is sent to sign in first; signed in,
Bea uploads three files (a good credential, a tampered one, and a JSON file holding an array of two:
one good, one whose status list cannot be reached) and reads one verdict per credential, in order."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.journey import Journey
from tests.e2e.server import DEMO_PASSWORD
from tests.unit.domain.verification_helpers import Signer, credential, entry

BEA = "bea@demo.microcareer.dev"


def _files(tmp_path: Path) -> list[Path]:
    signer = Signer()
    good = signer.sign(credential(signer.did, validFrom="2020-01-01T00:00:00Z", validUntil=None))
    tampered = {**good, "name": "Data cleaning, with distinction"}
    unreachable = signer.sign(
        credential(
            signer.did,
            validFrom="2020-01-01T00:00:00Z",
            validUntil=None,
            credentialStatus=entry("revocation", 3),
        )
    )
    paths = [tmp_path / "good.json", tmp_path / "tampered.json", tmp_path / "two.json"]
    paths[0].write_text(json.dumps(good), encoding="utf-8")
    paths[1].write_text(json.dumps(tampered), encoding="utf-8")
    paths[2].write_text(json.dumps([good, unreachable]), encoding="utf-8")
    return paths


def test_several_credentials_are_verified_in_one_go(journey: Journey, tmp_path: Path) -> None:
    page = journey.page
    journey.goto("/", "home")
    journey.nav("Verify", "verify")
    page.get_by_role("link", name="Verify several credentials").click()
    page.wait_for_url("**/login?next=/verify/batch")
    journey.check("sign in first")
    page.get_by_label("Email").fill(BEA)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/verify/batch")  # back where she was going
    journey.check("batch form")

    page.get_by_label("Credential files").set_input_files(_files(tmp_path))
    page.get_by_role("button", name="Verify all").click()
    page.wait_for_load_state("load")
    journey.check("batch verified")
    expect(page.locator("#batch-counts")).to_contain_text(
        "4 checked: 2 valid, 1 signature valid but status unknown, 1 not valid"
    )
    rows = page.locator("#batch-verdicts tbody tr")
    expect(rows).to_have_count(4)
    expected = [
        ("good.json", "VALID"),
        ("tampered.json", "NOT VALID"),
        ("two.json[0]", "VALID"),
        ("two.json[1]", "SIGNATURE VALID, STATUS UNKNOWN"),
    ]
    for index, (name, verdict) in enumerate(expected):
        expect(rows.nth(index)).to_contain_text(name)
        expect(rows.nth(index).locator("td.verdict")).to_have_text(verdict)
    expect(rows.nth(1)).to_contain_text("proof")
    expect(rows.nth(3)).to_contain_text("status")
