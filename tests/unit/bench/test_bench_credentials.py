"""The credentials benchmark: its credential is realistic and valid, and a tiny run writes its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import rfc8785
from bench.bench_credentials import OB3_CONTEXT, main, open_badge

from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials.rdfc import canonical_nquads

ISSUER = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"


def test_the_credential_is_about_three_kilobytes_and_canonicalises_from_pinned_contexts() -> None:
    credential = open_badge(ISSUER)
    assert 2_500 <= len(rfc8785.dumps(credential)) <= 4_000
    assert OB3_CONTEXT in credential["@context"] or OB3_CONTEXT not in pinned_contexts()
    nquads = canonical_nquads(credential, pinned_contexts())
    assert '"http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"' in nquads
    if OB3_CONTEXT in pinned_contexts():  # every term is defined: none falls to VC 2.0's @vocab
        assert "issuer-dependent#" not in nquads


def test_a_tiny_run_writes_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "credentials.json"
    main(
        [
            "--rounds",
            "1",
            "--scale",
            "0.01",
            "--no-pin",
            "--issue-rows",
            "3",
            "--verify-batch",
            "4",
            "--out",
            str(out),
        ]
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["benchmark"] == "credentials"
    assert report["machine"]["pinned_cpu"] is None
    assert set(report["rate_vs_raw_ed25519"]) == {
        "eddsa-jcs-2022 sign",
        "eddsa-jcs-2022 verify",
        "eddsa-rdfc-2022 sign",
        "eddsa-rdfc-2022 verify",
        "eddsa-rdfc-2022 verify, proof configuration not remembered",
        "eddsa-rdfc-2022 verify, no N-Quads template (as before)",
        "eddsa-rdfc-2022 verify, a different credential of the shape each time",
        "JWT sign",
        "JWT verify",
    }
    assert len(report["measures"]) == 20
    assert report["full_verify_cpu_speedup_vs_term_check_before"] > 0
    batch = report["verify_batch"]
    assert (batch["credentials"], batch["verdicts"]) == (4, ["status_unknown"])  # every check but status
    assert report["issue_csv_end_to_end"]["rows"] == 3
    assert report["issue_csv_end_to_end"]["credentials_per_s"] > 0
    assert all(m["rounds"] == 1 and m["ops_per_s"] > 0 for m in report["measures"].values())
