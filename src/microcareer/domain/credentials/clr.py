"""A Comprehensive Learner Record 2.0 (1EdTech CLR) export: one ``ClrCredential`` around many.

The CLR embeds every credential it is given unchanged, each with its own proof, under
``credentialSubject.verifiableCredential``, lists each one's achievement under
``credentialSubject.achievement`` and may relate achievements with ``association``. The result is
unsigned: the caller signs it (``data_integrity.create_proof``), so the record has a proof of its own
on top of the embedded ones.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from microcareer.errors import InvalidInput

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXTS = (VC_V2_CONTEXT, CLR_CONTEXT, OB3_CONTEXT)
"""The order CLR 2.0 requires: VC 2.0, then CLR 2.0, then Open Badges 3.0."""
ASSOCIATION_TYPES = frozenset(
    {
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    }
)


def _fail(path: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{path}: {problem}", field=path)


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def format_datetime(moment: datetime, *, what: str) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` of an aware datetime; a naive one is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _fail(what, "the date and time has no time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _achievement_of(credential: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping):
        raise _fail(f"{path}.credentialSubject", "expected one object (an Open Badges AchievementSubject)")
    achievement = subject.get("achievement")
    if not isinstance(achievement, Mapping):
        raise _fail(f"{path}.credentialSubject.achievement", "missing or not an object")
    if not isinstance(achievement.get("id"), str):
        raise _fail(f"{path}.credentialSubject.achievement.id", "missing or not a string")
    return achievement


def _check_credential(credential: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(credential, Mapping):
        raise _fail(path, "expected a credential object")
    if "VerifiableCredential" not in _types(credential.get("type")):
        raise _fail(f"{path}.type", "does not include 'VerifiableCredential'")
    if not isinstance(credential.get("proof"), Mapping | list):
        raise _fail(f"{path}.proof", "missing: a CLR carries signed credentials, each with its own proof")
    return credential


def _association(value: Any, path: str, achievement_ids: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, "expected an Association object")
    kind = value.get("associationType")
    if kind not in ASSOCIATION_TYPES:
        raise _fail(
            f"{path}.associationType", f"{kind!r} is not one of {', '.join(sorted(ASSOCIATION_TYPES))}"
        )
    for end in ("sourceId", "targetId"):
        if value.get(end) not in achievement_ids:
            raise _fail(f"{path}.{end}", f"{value.get(end)!r} is not the id of an achievement in this CLR")
    return {"type": "Association", **copy.deepcopy(dict(value))}


def build_clr(
    credentials: Sequence[Mapping[str, Any]],
    *,
    issuer: Mapping[str, Any],
    subject_id: str | None,
    name: str,
    clr_id: str,
    valid_from: datetime,
    associations: Sequence[Mapping[str, Any]] = (),
    description: str | None = None,
) -> dict[str, Any]:
    """The unsigned ``ClrCredential`` holding ``credentials`` (signed Open Badges 3.0 credentials).

    Each credential is embedded as given (a deep copy, so later changes to either side do not leak);
    ``achievement`` lists their achievements once per achievement id, in the order first met.
    ``associations`` (``associationType``, ``sourceId``, ``targetId``) relate those achievements.
    ``issuer`` is the Profile of whoever signs the record; ``subject_id`` the learner's id, if any.
    """
    if not credentials:
        raise _fail("credentials", "a CLR holds at least one credential")
    if not isinstance(issuer, Mapping) or not isinstance(issuer.get("id"), str):
        raise _fail("issuer.id", "missing or not a string")
    for field, value in (("name", name), ("id", clr_id)):
        if not isinstance(value, str) or not value.strip():
            raise _fail(field, "missing or empty")
    embedded: list[dict[str, Any]] = []
    achievements: dict[str, dict[str, Any]] = {}
    for index, credential in enumerate(credentials):
        path = f"credentials[{index}]"
        checked = _check_credential(credential, path)
        achievement = _achievement_of(checked, path)
        achievements.setdefault(achievement["id"], copy.deepcopy(dict(achievement)))
        embedded.append(copy.deepcopy(dict(checked)))
    subject: dict[str, Any] = {"type": ["ClrSubject"]}
    if subject_id is not None:
        subject["id"] = subject_id
    subject["verifiableCredential"] = embedded
    subject["achievement"] = list(achievements.values())
    if associations:
        subject["association"] = [
            _association(value, f"associations[{index}]", set(achievements))
            for index, value in enumerate(associations)
        ]
    profile = copy.deepcopy(dict(issuer))
    profile.setdefault("type", ["Profile"])
    clr: dict[str, Any] = {
        "@context": list(CLR_CONTEXTS),
        "id": clr_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": profile,
        "name": name,
    }
    if description is not None:
        clr["description"] = description
    clr["validFrom"] = format_datetime(valid_from, what="validFrom")
    clr["credentialSubject"] = subject
    return clr
