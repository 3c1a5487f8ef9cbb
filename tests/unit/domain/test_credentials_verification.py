"""The credential verifier: each check passes on a good credential and fails on its own flaw."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcareer.adapters.json_schemas import pinned_schemas
from microcareer.adapters.jsonld_contexts import pinned_contexts
from microcareer.domain.credentials.rdfc import CanonicalizationBudget
from microcareer.domain.credentials.verification import MAX_DEPTH, MAX_INPUT_BYTES, verify_credential
from microcareer.domain.credentials.verification_model import ResolvedKey
from tests.unit.domain.verification_helpers import (
    LIST_URL,
    NOW,
    V1,
    Keys,
    Lists,
    Signer,
    credential,
    entry,
    outcome,
    status_list,
    verify,
)

SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
DI_V2 = "https://w3id.org/security/data-integrity/v2"


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="module")
def signed(signer: Signer) -> dict[str, Any]:
    return signer.sign(credential(signer.did))


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_good_credential_passes_every_check(signer: Signer, suite: str) -> None:
    report = verify(signer.sign(credential(signer.did), suite=suite))
    assert report.valid, report.checks
    assert [c.name for c in report.checks] == [
        "format", "data model", "contexts", "terms", "key", "proof", "dates", "status", "schema",
    ]  # fmt: skip
    assert {c.outcome for c in report.checks} <= {"pass", "skip"}
    assert report.issuer == signer.did
    assert report.format == "json"
    assert outcome(report, "proof") == ("pass", f"the DataIntegrityProof ({suite}) signature verifies")


def test_the_report_as_json_carries_every_check(signed: dict[str, Any]) -> None:
    data = verify(json.dumps(signed).encode()).as_json()
    assert data["valid"] is True
    assert data["credential"] == signed
    assert {"name": "proof", "outcome": "pass"}.items() <= data["checks"][5].items()


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_tampered_credential_fails_the_proof(signer: Signer, suite: str) -> None:
    tampered = signer.sign(credential(signer.did), suite=suite)
    tampered["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    report = verify(tampered)
    assert not report.valid
    assert outcome(report, "proof")[0] == "fail"
    assert "signature does not verify" in outcome(report, "proof")[1]


def test_expired_fails_with_the_date(signed: dict[str, Any]) -> None:
    report = verify(signed, now=NOW.replace(year=2027))
    assert outcome(report, "dates") == ("fail", "expired on 2027-01-01T00:00:00Z (validUntil)")
    assert not report.valid


def test_not_yet_valid_fails_with_the_date(signed: dict[str, Any]) -> None:
    report = verify(signed, now=NOW.replace(year=2025))
    assert outcome(report, "dates") == ("fail", "not valid yet: valid from 2026-01-01T00:00:00Z (validFrom)")


def test_a_small_clock_skew_is_allowed(signed: dict[str, Any]) -> None:
    just_after = NOW.replace(year=2027, month=1, day=1, hour=0, minute=0) + timedelta(minutes=2)
    assert outcome(verify(signed, now=just_after), "dates")[0] == "pass"
    assert outcome(verify(signed, now=just_after + timedelta(minutes=10)), "dates")[0] == "fail"


def test_vc_1_1_dates_are_issuance_and_expiration(signer: Signer) -> None:
    document = {
        "@context": [V1, DI_V2],
        "type": ["VerifiableCredential"],
        "issuer": signer.did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "expirationDate": "2026-03-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    report = verify(signer.sign(document))
    assert outcome(report, "data model")[1].startswith("a VC 1.1 credential")
    assert outcome(report, "dates") == ("fail", "expired on 2026-03-01T00:00:00Z (expirationDate)")


@pytest.mark.parametrize(
    ("purpose", "found"),
    [("revocation", "revoked"), ("suspension", "suspended")],
)
def test_a_set_status_bit_fails_naming_the_purpose(signer: Signer, purpose: str, found: str) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=entry(purpose, 42)))
    lists = Lists({LIST_URL: status_list(signer, purpose, set_bits=(42,))})
    report = verify(document, status=lists)
    assert outcome(report, "status") == ("fail", f"{found}: {purpose} bit 42 of {LIST_URL} is set")
    assert lists.asked == [LIST_URL]


def test_a_clear_status_bit_passes(signer: Signer) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=[entry("revocation", 42)]))
    report = verify(document, status=Lists({LIST_URL: status_list(signer, "revocation", set_bits=(41, 43))}))
    assert outcome(report, "status") == ("pass", f"not revoked (revocation bit 42 of {LIST_URL} is clear)")
    assert report.valid


def test_an_unreachable_status_list_is_status_unknown_never_valid(signer: Signer) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 1)))
    report = verify(document, status=Lists())
    result, reason = outcome(report, "status")
    assert result == "unknown"
    assert reason.startswith("status unknown: ")
    assert "connection refused" in reason
    assert outcome(report, "proof")[0] == "pass"
    assert report.verdict == "status_unknown"
    assert report.verdict_label == "SIGNATURE VALID, STATUS UNKNOWN"
    assert not report.valid
    assert report.as_json()["verdict"] == "status_unknown"
    assert report.as_json()["valid"] is False
    offline = verify(document, status=None)
    assert outcome(offline, "status")[0] == "unknown"
    assert "not fetched (offline" in outcome(offline, "status")[1]
    assert offline.verdict == "status_unknown"


def test_a_status_unknown_with_a_failure_elsewhere_is_invalid(signer: Signer) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 1)))
    document["name"] = "Tampered"
    assert verify(document, status=None).verdict == "invalid"


def test_an_unknown_status_is_a_warning_only_when_the_verifier_opts_out(signer: Signer) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 1)))
    relaxed = verify(document, status=Lists(), accept_unknown_status=True)
    assert outcome(relaxed, "status")[0] == "warn"
    assert "revocation not checked" in outcome(relaxed, "status")[1]
    assert relaxed.valid
    assert relaxed.verdict == "valid"
    strict = verify(document, status=Lists(), require_status=True)
    assert outcome(strict, "status")[0] == "fail"
    assert strict.verdict == "invalid"


def test_an_unsupported_status_entry_type_is_status_unknown(signer: Signer) -> None:
    odd = {"id": f"{LIST_URL}#1", "type": "1EdTechRevocationList", "statusListCredential": LIST_URL}
    report = verify(signer.sign(credential(signer.did, credentialStatus=odd)))
    assert outcome(report, "status")[0] == "unknown"
    assert "'1EdTechRevocationList' is not supported" in outcome(report, "status")[1]
    assert report.verdict == "status_unknown"


def test_a_message_status_does_not_bear_on_validity(signer: Signer) -> None:
    message = {**entry("revocation", 1), "statusPurpose": "message"}
    report = verify(signer.sign(credential(signer.did, credentialStatus=message)))
    assert outcome(report, "status")[0] == "skip"
    assert report.valid


def test_a_checked_status_list_on_plain_http_is_a_warning_where_http_was_allowed(signer: Signer) -> None:
    url = "http://issuer.example/status/1"
    listing = status_list(signer, "revocation")
    listing["id"] = url
    listing = signer.sign({key: value for key, value in listing.items() if key != "proof"})
    document = signer.sign(
        credential(signer.did, credentialStatus={**entry("revocation", 3), "statusListCredential": url})
    )
    assert outcome(verify(document, status=Lists({url: listing})), "status")[0] == "pass"  # not fetched
    report = verify(document, status=Lists({url: listing}), http_allowed=True)
    result, reason = outcome(report, "status")
    assert result == "warn"
    assert "not revoked" in reason
    assert "plain http://" in reason
    assert report.valid


def test_no_status_fails_only_when_status_is_required(signed: dict[str, Any]) -> None:
    assert outcome(verify(signed), "status")[0] == "skip"
    assert outcome(verify(signed, require_status=True), "status")[0] == "fail"


def test_a_status_list_from_another_issuer_fails(signer: Signer) -> None:
    other = Signer()
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 1)))
    report = verify(document, status=Lists({LIST_URL: status_list(other, "revocation")}))
    assert outcome(report, "status")[0] == "fail"
    assert (
        f"issued by {other.did}, not by the credential's issuer {signer.did}" in outcome(report, "status")[1]
    )


def test_a_tampered_status_list_fails(signer: Signer) -> None:
    listing = status_list(signer, "revocation", set_bits=(5,))
    listing["credentialSubject"]["encodedList"] = status_list(signer, "revocation")["credentialSubject"][
        "encodedList"
    ]
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 5)))
    report = verify(document, status=Lists({LIST_URL: listing}))
    assert outcome(report, "status")[0] == "fail"
    assert "signature does not verify" in outcome(report, "status")[1]


def test_a_status_list_for_another_purpose_fails(signer: Signer) -> None:
    document = signer.sign(credential(signer.did, credentialStatus=entry("revocation", 5)))
    report = verify(document, status=Lists({LIST_URL: status_list(signer, "suspension")}))
    assert outcome(report, "status") == (
        "fail",
        f"status list {LIST_URL} is for 'suspension', not 'revocation'",
    )


def test_a_wrong_key_fails_the_proof(signer: Signer) -> None:
    forger = Signer()
    document = forger.sign(credential(signer.did), method=signer.method)
    report = verify(document)
    assert outcome(report, "key")[0] == "pass"
    assert outcome(report, "proof")[0] == "fail"


def test_a_key_of_someone_else_fails_the_key_check(signer: Signer) -> None:
    other = Signer()
    report = verify(other.sign(credential(signer.did)))
    assert outcome(report, "key") == (
        "fail",
        f"{other.method} is controlled by {other.did}, not by the issuer {signer.did}",
    )
    assert not report.valid


def test_a_key_that_is_not_an_assertion_method_fails(signer: Signer) -> None:
    method = "https://issuer.example/issuers/1#key-2"
    document = signer.sign(credential("https://issuer.example/issuers/1"), method=method)
    keys = Keys({method: ResolvedKey(signer.public, "https://issuer.example/issuers/1", False, "did:web")})
    report = verify(document, keys=keys)
    assert outcome(report, "key") == (
        "fail",
        f"{method} is not an assertionMethod of https://issuer.example/issuers/1",
    )
    assert outcome(report, "proof")[0] == "pass"
    assert not report.valid


def test_a_proof_purpose_other_than_assertion_fails(signer: Signer) -> None:
    report = verify(signer.sign(credential(signer.did), purpose="authentication"))
    assert outcome(report, "key") == ("fail", "proofPurpose is 'authentication', not 'assertionMethod'")


def test_an_unresolvable_key_fails_and_skips_the_proof(signer: Signer) -> None:
    method = "https://issuer.example/issuers/1#key-1"
    report = verify(signer.sign(credential("https://issuer.example/issuers/1"), method=method))
    assert outcome(report, "key") == ("fail", f"{method}: unknown key")
    assert outcome(report, "proof")[0] == "skip"


def test_an_unknown_context_fails_and_is_not_fetched(signer: Signer) -> None:
    document = credential(signer.did)
    document["@context"] = [*document["@context"], "https://evil.example/context.jsonld"]
    report = verify(signer.sign(document, suite="eddsa-jcs-2022"))
    assert outcome(report, "contexts")[0] == "fail"
    assert "https://evil.example/context.jsonld" in outcome(report, "contexts")[1]
    assert outcome(report, "terms")[0] == "skip"


def test_an_undefined_term_under_v1_is_dropped_and_fails(signer: Signer) -> None:
    document = {
        "@context": [V1, DI_V2],
        "type": ["VerifiableCredential"],
        "issuer": signer.did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "foo": 1},
    }
    signed = signer.sign(document)
    report = verify(signed)
    assert outcome(report, "terms")[0] == "fail"
    assert "credentialSubject.foo" in outcome(report, "terms")[1]
    # The RDF signature does not cover a dropped term: changing it leaves the proof valid.
    signed["credentialSubject"]["foo"] = 2
    assert outcome(verify(signed), "proof")[0] == "pass"


def test_an_undefined_term_under_v2_is_kept_by_vocab_and_warned(signer: Signer) -> None:
    report = verify(signer.sign(credential(signer.did, foo=1)))
    assert outcome(report, "terms") == (
        "warn",
        "terms no context defines, kept only under the VC 2.0 issuer-dependent vocabulary: foo",
    )
    assert report.valid


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"@foo": 1}, "keys JSON-LD ignores: @foo"),
        ({"id": "not-absolute"}, "id = 'not-absolute'"),
    ],
)
def test_other_dropped_data_fails(signer: Signer, change: dict[str, Any], reason: str) -> None:
    report = verify(signer.sign(credential(signer.did, **change), suite="eddsa-jcs-2022"))
    assert outcome(report, "terms")[0] == "fail"
    assert reason in outcome(report, "terms")[1]


def test_the_open_badges_schema_is_checked(signer: Signer) -> None:
    good = credential(signer.did, credentialSchema=[{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}])
    signed = signer.sign(good)
    signed["proof"] = [signed["proof"]]  # the Open Badges 3.0 schema wants proof as an array
    assert outcome(verify(signed), "schema") == ("pass", f"valid against {SCHEMA}")
    bad = copy.deepcopy(good)
    del bad["credentialSubject"]["achievement"]["criteria"]
    bad_signed = signer.sign(bad)
    bad_signed["proof"] = [bad_signed["proof"]]
    result, reason = outcome(verify(bad_signed), "schema")
    assert result == "fail"
    assert "credentialSubject.achievement: 'criteria' is a required property" in reason


def test_an_unpinned_schema_is_a_warning(signer: Signer) -> None:
    other = "https://schemas.example/badge.json"
    report = verify(signer.sign(credential(signer.did, credentialSchema={"id": other, "type": "JsonSchema"})))
    assert outcome(report, "schema") == ("warn", f"{other}: not a pinned schema, not checked")
    assert report.valid


def test_an_unknown_proof_type_fails_naming_it(signed: dict[str, Any]) -> None:
    document = copy.deepcopy(signed)
    document["proof"]["type"] = "BbsBlsSignature2020"
    result, reason = outcome(verify(document), "proof")
    assert result == "fail"
    assert "unknown proof type 'BbsBlsSignature2020'" in reason


def test_no_proof_fails(signer: Signer) -> None:
    assert outcome(verify(credential(signer.did)), "proof") == (
        "fail",
        "no proof: the document is not signed",
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"@context": ["https://www.w3.org/ns/credentials/examples/v2"]},
            "@context: the first context must be",
        ),
        ({"type": ["OpenBadgeCredential"]}, "type: must include 'VerifiableCredential'"),
        ({"issuer": {"name": "nobody"}}, "issuer: missing"),
        ({"credentialSubject": "someone"}, "credentialSubject: missing, or not an object"),
    ],
)
def test_the_data_model_is_checked(signer: Signer, change: dict[str, Any], reason: str) -> None:
    report = verify(signer.sign(credential(signer.did, **change), suite="eddsa-jcs-2022"))
    result, why = outcome(report, "data model")
    assert result == "fail"
    assert why.startswith(reason)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "not a JSON credential, a VC-JWT, a PNG or an SVG"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "the JSON is not an object"),
        (b'{"a": 1, "a": 2}', "the key 'a' appears twice"),
        (b'{"a": NaN}', "NaN is not a JSON number"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 10_000 + b"]" * 10_000, f"nested deeper than {MAX_DEPTH}"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, f"nested deeper than {MAX_DEPTH}"),
        (b"{" + b" " * MAX_INPUT_BYTES + b"}", "more than the"),
    ],
)
def test_unreadable_input_fails_the_format_check_only(raw: bytes, reason: str) -> None:
    report = verify(raw)
    assert len(report.checks) == 1
    assert report.checks[0].name == "format"
    assert report.checks[0].outcome == "fail"
    assert reason in report.checks[0].reason
    assert not report.valid


def test_the_canonicalisation_budget_is_passed_through(signed: dict[str, Any]) -> None:
    report = verify_credential(
        signed,
        keys=Keys(),
        status=None,
        contexts=pinned_contexts(),
        schemas=pinned_schemas(),
        now=NOW,
        budget=CanonicalizationBudget(max_quads=3),
    )
    result, reason = outcome(report, "proof")
    assert result == "fail"
    assert "exceed the limit of 3" in reason


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
_FIELDS = [
    "@context",
    "type",
    "issuer",
    "validFrom",
    "validUntil",
    "credentialSubject",
    "proof",
    "credentialStatus",
    "credentialSchema",
    "id",
]


@settings(max_examples=40, deadline=None)
@given(field=st.sampled_from(_FIELDS), value=_JSON)
def test_any_field_value_gives_a_report_not_an_exception(
    signed: dict[str, Any], field: str, value: Any
) -> None:
    document = copy.deepcopy(signed)
    document[field] = value
    report = verify(document, status=Lists())
    assert report.checks[0].name == "format"
    assert all(check.reason for check in report.checks)


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_a_report_not_an_exception(raw: bytes) -> None:
    report = verify(raw)
    assert report.checks


# -- Open Badges types ----------------------------------------------------------------------------


@pytest.mark.parametrize("types", [["VerifiableCredential"], ["VerifiableCredential", "ExampleCredential"]])
def test_an_open_badges_context_without_an_open_badges_type_is_invalid(
    signer: Signer, types: list[str]
) -> None:
    report = verify(signer.sign(credential(signer.did, type=types)))
    result, reason = outcome(report, "data model")
    assert result == "fail"
    assert "Open Badges 3.0" in reason
    assert "OpenBadgeCredential, AchievementCredential, EndorsementCredential or ClrCredential" in reason
    assert str(types) in reason
    assert outcome(report, "proof")[0] == "pass"  # the signature is fine: the type is what is wrong
    assert report.verdict == "invalid"


@pytest.mark.parametrize("kind", ["OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"])
def test_each_open_badges_credential_type_is_accepted(signer: Signer, kind: str) -> None:
    report = verify(signer.sign(credential(signer.did, type=["VerifiableCredential", kind])))
    assert outcome(report, "data model")[0] == "pass"


def test_a_plain_vc_still_verifies_as_a_vc(signer: Signer) -> None:
    plain = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:4d1d5c1a-3c0b-4f4f-9d49-7b6f3f0f0a01",
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": signer.did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "degree": {"name": "Bachelor of Science"}},
    }
    report = verify(signer.sign(plain))
    assert report.valid, report.checks
    assert outcome(report, "data model")[0] == "pass"


# -- the key-only issuer policy -------------------------------------------------------------------

URN_ISSUER = "urn:uuid:6a1b4f6e-2f0d-4d2c-8f51-0d7f5c1f9e01"


@pytest.mark.parametrize("issuer", [URN_ISSUER, "https://issuer.example/issuers/1"])
def test_an_issuer_signed_by_an_unrelated_did_key_is_refused_by_default(signer: Signer, issuer: str) -> None:
    report = verify(signer.sign(credential(issuer)))
    result, reason = outcome(report, "key")
    assert result == "fail"
    assert f"controlled by {signer.did}, not by the issuer {issuer}" in reason
    assert "key-only issuer policy" in reason  # the way out is named, not taken
    assert report.verdict == "invalid"


@pytest.mark.parametrize("issuer", [URN_ISSUER, "https://issuer.example/issuers/1"])
def test_the_key_only_policy_accepts_it_with_a_warning_on_the_key(signer: Signer, issuer: str) -> None:
    report = verify(signer.sign(credential(issuer)), accept_key_only_issuer=True)
    result, reason = outcome(report, "key")
    assert result == "warn"
    assert "accepted by the key-only issuer policy" in reason
    assert outcome(report, "proof")[0] == "pass"
    assert report.valid


def test_the_key_only_policy_never_overrides_a_did_issuer(signer: Signer) -> None:
    other = Signer()
    report = verify(other.sign(credential(signer.did)), accept_key_only_issuer=True)
    assert outcome(report, "key")[0] == "fail"
    assert "key-only" not in outcome(report, "key")[1]


def test_the_key_only_policy_does_not_excuse_a_bad_signature(signer: Signer) -> None:
    document = signer.sign(credential(URN_ISSUER))
    document["name"] = "Brain surgery"
    report = verify(document, accept_key_only_issuer=True)
    assert outcome(report, "proof")[0] == "fail"
    assert report.verdict == "invalid"


def test_under_the_key_only_policy_the_status_list_must_be_signed_by_the_same_key(signer: Signer) -> None:
    document = signer.sign(credential(URN_ISSUER, credentialStatus=entry("revocation", 7)))
    own = status_list(signer, "revocation", set_bits=(7,), issuer=URN_ISSUER)
    revoked = verify(document, status=Lists({LIST_URL: own}), accept_key_only_issuer=True)
    assert outcome(revoked, "status")[0] == "fail"
    assert "revoked" in outcome(revoked, "status")[1]
    forged = status_list(Signer(), "revocation", issuer=URN_ISSUER)  # clear bits, signed by someone else
    report = verify(document, status=Lists({LIST_URL: forged}), accept_key_only_issuer=True)
    assert outcome(report, "status")[0] == "fail"
    assert "not by the issuer" in outcome(report, "status")[1]
