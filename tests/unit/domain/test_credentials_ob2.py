"""Open Badges 2.0 assertions read for display, from the specification's own examples."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcareer.domain.credentials.open_badges_v2 import (
    HOSTED_REASON,
    SIGNED_REASON,
    Ob2Alignment,
    Ob2Evidence,
    Ob2Recipient,
    read_ob2_assertion,
    read_ob2_jws,
)
from microcareer.errors import InvalidInput

EXAMPLES = Path(__file__).parents[2] / "data" / "ob-v2p0"
ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


def _load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _embedded_with_badge_class() -> dict[str, Any]:
    """The hosted assertion with the specification's BadgeClass and Profile examples embedded."""
    assertion: dict[str, Any] = _load("assertion-hosted.json")
    badge = _load("badgeclass.json")
    badge["issuer"] = _load("issuer.json")
    assertion["badge"] = badge
    return assertion


def test_a_hosted_assertion_naming_its_badge_by_url_says_the_name_is_unknown() -> None:
    badge = read_ob2_assertion(_load("assertion-hosted.json"), source="assertion-hosted.json")
    assert badge.source == "assertion-hosted.json"
    assert badge.assertion_id == "https://example.org/beths-robotics-badge.json"
    assert badge.badge_id == "https://example.org/robotics-badge.json"
    assert badge.name is None
    assert badge.display_name.startswith("Unknown badge")
    assert any("badge name unknown" in note and badge.badge_id in note for note in badge.notes)
    assert badge.issuer_name is None
    assert badge.image == "https://example.org/beths-robot-badge.png"  # the assertion's own image
    assert badge.issued_on == datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert badge.expires == datetime(2017, 6, 30, 23, 59, 59, tzinfo=UTC)
    assert badge.recipient == Ob2Recipient(
        type="email",
        identity="sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
        hashed=True,
        salt="deadsea",
    )
    assert badge.evidence == (Ob2Evidence(id="https://example.org/beths-robot-work.html"),)
    assert badge.verification == "hosted"
    assert badge.verifiable is False
    assert badge.reason == HOSTED_REASON
    assert badge.jws_algorithm is None


def test_an_assertion_with_embedded_badge_class_and_issuer_shows_them() -> None:
    badge = read_ob2_assertion(_load("assertion-embedded.json"), source="assertion-embedded.json")
    assert badge.name == "Awesome Robotics Badge"
    assert badge.display_name == "Awesome Robotics Badge"
    assert badge.description == "For doing awesome things with robots that people think is pretty great."
    assert badge.image == "https://example.org/robotics-badge.png"
    assert badge.criteria_url == "https://example.org/robotics-badge.html"
    assert badge.issuer_id == "https://example.org/organization.json"
    assert badge.issuer_name == "An Example Badge Issuer"
    assert badge.issuer_url == "https://example.org"
    assert badge.notes == ()
    assert badge.expires is None
    assert badge.evidence == ()
    assert badge.verifiable is False


def test_the_alignment_list_is_kept_and_esco_uris_are_picked_out() -> None:
    assertion = _embedded_with_badge_class()
    assertion["badge"]["alignment"].append(
        {"targetName": "use SQL", "targetUrl": ESCO_SQL, "targetFramework": "ESCO"}
    )
    badge = read_ob2_assertion(assertion, source="combined")
    assert [a.target_name for a in badge.alignment] == [
        "CCSS.ELA-Literacy.RST.11-12.3",
        "Problem-Solving",
        "use SQL",
    ]
    assert badge.alignment[0] == Ob2Alignment(
        target_name="CCSS.ELA-Literacy.RST.11-12.3",
        target_url="http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
        target_description=badge.alignment[0].target_description,
        target_code="CCSS.ELA-Literacy.RST.11-12.3",
    )
    assert badge.alignment[1].target_framework == "Mozilla 21st Century Skills"
    assert badge.alignment[2].esco_uri == ESCO_SQL
    assert badge.esco_uris == (ESCO_SQL,)
    assert badge.tags == ("robots", "awesome")
    assert badge.issuer_name == "An Example Badge Issuer"


def test_a_badge_class_whose_issuer_is_a_url_says_the_issuer_name_is_unknown() -> None:
    assertion = _load("assertion-hosted.json")
    assertion["badge"] = _load("badgeclass.json")
    badge = read_ob2_assertion(assertion, source="s")
    assert badge.name == "Awesome Robotics Badge"
    assert badge.issuer_id == "https://example.org/organization.json"
    assert badge.issuer_name is None
    assert any("issuer name unknown" in note for note in badge.notes)


def test_criteria_and_evidence_objects_and_a_single_alignment_object_are_read() -> None:
    assertion = _embedded_with_badge_class()
    assertion["badge"]["criteria"] = {
        "id": "https://example.org/robotics-badge.html",
        "narrative": "Construct a basic robot.",
    }
    assertion["badge"]["alignment"] = {"targetName": "use SQL", "targetUrl": ESCO_SQL}
    assertion["badge"]["image"] = {"id": "https://example.org/robotics-badge.png", "caption": "A badge"}
    assertion["narrative"] = "This student invented her own type of robot."
    assertion["evidence"] = [
        {
            "id": "https://example.org/beths-robot-photos.html",
            "name": "Robot Photoshoot",
            "description": "A gallery of photos of the student's robot",
            "genre": "Photography",
        },
        "https://example.org/beths-robot-work.html",
    ]
    badge = read_ob2_assertion(assertion, source="s")
    assert badge.criteria_url == "https://example.org/robotics-badge.html"
    assert badge.criteria_narrative == "Construct a basic robot."
    assert badge.image == "https://example.org/robotics-badge.png"
    assert badge.esco_uris == (ESCO_SQL,)
    assert badge.narrative == "This student invented her own type of robot."
    assert badge.evidence == (
        Ob2Evidence(
            id="https://example.org/beths-robot-photos.html",
            name="Robot Photoshoot",
            description="A gallery of photos of the student's robot",
            genre="Photography",
        ),
        Ob2Evidence(id="https://example.org/beths-robot-work.html"),
    )


def test_a_signed_jws_assertion_is_decoded_but_not_verified() -> None:
    token = (EXAMPLES / "assertion-signed.jws").read_text(encoding="utf-8")
    badge = read_ob2_jws(token, source="assertion-signed.jws")
    assert badge.jws_algorithm == "RS256"
    assert badge.verification == "signed"  # from its legacy "verify" property
    assert badge.verifiable is False
    assert badge.reason == SIGNED_REASON
    assert badge.assertion_id == "https://example.org/beths-robotics-badge.json"
    assert badge.badge_id == "https://example.org/robotics-badge.json"
    assert badge.name is None
    assert badge.recipient.salt == "deadsea"
    assert badge.issued_on == datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_a_jws_payload_without_verification_is_taken_as_signed() -> None:
    assertion = _load("assertion-embedded.json")
    del assertion["verification"]
    token = ".".join([_b64(b'{"alg":"RS256"}'), _b64(json.dumps(assertion).encode()), _b64(b"not checked")])
    badge = read_ob2_jws(token, source="badge.jws")
    assert badge.verification == "signed"
    assert badge.name == "Awesome Robotics Badge"


@pytest.mark.parametrize(
    ("token", "path"),
    [
        ("abc.def", "jws"),
        ("!!!." + _b64(b"{}") + ".sig", "jws.header"),
        (_b64(b"[1]") + "." + _b64(b"{}") + ".sig", "jws.header"),
        (_b64(b"{}") + "." + _b64(b"{}") + ".sig", "jws.header.alg"),
        (_b64(b'{"alg":"RS256"}') + "." + _b64(b"not json") + ".sig", "jws.payload"),
        (_b64(b'{"alg":"RS256"}') + "." + _b64(b'{"type":"Assertion"}') + ".sig", "jws.payload.@context"),
        (_b64(b'{"alg":"RS256"}') + "." + _b64(b"{}") + ".s=g", "jws.signature"),
    ],
)
def test_a_malformed_jws_is_refused_naming_the_part(token: str, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_ob2_jws(token, source="badge.jws")
    assert caught.value.extra["field"] == path
    assert str(caught.value).startswith(f"badge.jws: {path}: ")


def _set(document: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        document = document[key]
    if value is _DELETE:
        del document[last]
    else:
        document[last] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("where", "value", "path", "problem"),
    [
        ("@context", "https://w3id.org/openbadges/v1", "@context", "not an Open Badges 2.0 document"),
        ("type", "BadgeClass", "type", "expected 'Assertion'"),
        ("recipient", "beth@example.org", "recipient", "expected an object, got a string"),
        ("recipient.hashed", "yes", "recipient.hashed", "expected true or false, got a string"),
        ("recipient.identity", _DELETE, "recipient.identity", "missing"),
        ("issuedOn", 1483228799, "issuedOn", "expected a string, got a number"),
        ("issuedOn", "31/12/2016", "issuedOn", "not an ISO 8601 date and time"),
        ("expires", "soon", "expires", "not an ISO 8601 date and time"),
        ("verification", _DELETE, "verification", "missing"),
        ("verification.type", "emailed", "verification.type", "expected one of"),
        ("badge", 42, "badge", "expected a URL or an object, got a number"),
        ("badge.name", ["Robots"], "badge.name", "expected a string, got a list"),
        ("badge.type", "Assertion", "badge.type", "expected 'BadgeClass'"),
        ("badge.tags", ["robots", 3], "badge.tags[1]", "expected a string, got a number"),
        ("badge.issuer.name", {"en": "Issuer"}, "badge.issuer.name", "expected a string, got an object"),
        ("badge.issuer", True, "badge.issuer", "expected a URL or an object, got a boolean"),
        ("badge.alignment", [{"targetName": "x"}], "badge.alignment[0].targetUrl", "missing"),
        ("badge.alignment", {"targetUrl": ESCO_SQL}, "badge.alignment.targetName", "missing"),
        ("badge.criteria", {"narrative": 5}, "badge.criteria.narrative", "expected a string, got a number"),
        ("evidence", [{"narrative": 1}], "evidence[0].narrative", "expected a string, got a number"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_its_json_path(
    where: str, value: Any, path: str, problem: str
) -> None:
    assertion = copy.deepcopy(_embedded_with_badge_class())
    _set(assertion, where, value)
    with pytest.raises(InvalidInput) as caught:
        read_ob2_assertion(assertion, source="upload.json")
    assert caught.value.extra["field"] == path
    assert str(caught.value).startswith(f"upload.json: {path}: ")
    assert problem in str(caught.value)


def test_not_an_object_at_all_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"upload.json: \(the document\): expected an object"):
        read_ob2_assertion([], source="upload.json")  # type: ignore[arg-type]


def test_a_date_without_a_zone_is_taken_as_utc() -> None:
    assertion = _load("assertion-embedded.json")
    assertion["issuedOn"] = "2016-12-31"
    assert read_ob2_assertion(assertion, source="s").issued_on == datetime(2016, 12, 31, tzinfo=UTC)
