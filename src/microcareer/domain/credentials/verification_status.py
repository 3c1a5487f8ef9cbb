"""The status check: is the credential revoked or suspended in its issuer's status list?

Reads ``BitstringStatusListEntry`` (W3C Bitstring Status List) and the older ``StatusList2021Entry``.
The status list credential is fetched through a ``StatusSource`` and checked as strictly as the
credential: signed by a key of the same issuer, within its dates, for the entry's purpose.

Fail closed: a status that cannot be checked (no list given offline, a list that cannot be fetched
or is out of date, an entry type not supported) is ``unknown``, which makes the whole verdict
"status unknown", never valid. ``require_status`` makes it a failure instead; ``accept_unknown_status``
(an explicit opt-out) makes it a warning. Where the verifier allowed fetching over plain ``http://``
(``http_allowed``, local development), a status list at an ``http://`` URL that was checked is a
warning, not a pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcareer.domain.credentials.rdfc import CanonicalizationBudget
from microcareer.domain.credentials.status_list import (
    ENTRY_TYPE,
    LEGACY_ENTRY_TYPE,
    REVOCATION,
    SUSPENSION,
    decode_status_list,
)
from microcareer.domain.credentials.verification_checks import (
    as_list,
    check_data_model,
    check_dates,
)
from microcareer.domain.credentials.verification_model import Check, KeySource, Outcome, StatusSource
from microcareer.domain.credentials.verification_proofs import check_embedded_proof
from microcareer.errors import MicrocareerError

ENTRY_TYPES = (ENTRY_TYPE, LEGACY_ENTRY_TYPE)
LIST_TYPES = ("BitstringStatusList", "StatusList2021")
_MAX_INDEX_DIGITS = 12
_FOUND = {REVOCATION: "revoked", SUSPENSION: "suspended"}
_NOT_ABOUT_VALIDITY = ("refresh", "message")
"""Bitstring Status List purposes that say nothing about whether the credential holds."""

Contexts = Mapping[str, Mapping[str, Any]]


class _Unavailable(Exception):
    """The status list could not be had or trusted; reported as a warning unless status is required."""


def check_status(
    credential: Mapping[str, Any],
    issuer: str | None,
    *,
    status: StatusSource | None,
    keys: KeySource,
    contexts: Contexts,
    now: datetime,
    budget: CanonicalizationBudget | None = None,
    require_status: bool = False,
    accept_unknown_status: bool = False,
    key_only: str | None = None,
    http_allowed: bool = False,
) -> list[Check]:
    """One check per ``credentialStatus`` entry.

    ``key_only``: the did:key that signed the credential when its issuer was accepted as identified
    only by that key; the status list must then be signed by the same key."""
    entries = as_list(credential.get("credentialStatus")) if "credentialStatus" in credential else []
    if not entries:
        if require_status:
            return [Check("status", "fail", "no credentialStatus, and a status check is required")]
        return [Check("status", "skip", "no credentialStatus: the issuer gives no way to revoke it")]
    unsure: Outcome = "fail" if require_status else "warn" if accept_unknown_status else "unknown"
    checks: list[Check] = []
    for entry in entries:
        try:
            check = _check_entry(entry, issuer, status, keys, contexts, now, budget, key_only)
            checks.append(_plain_http_warning(check, entry) if http_allowed else check)
        except _Unavailable as reason:
            prefix = "status unknown: " if unsure == "unknown" else ""
            checks.append(Check("status", unsure, f"{prefix}{reason}; revocation not checked"))
    return checks


def _check_entry(
    entry: Any,
    issuer: str | None,
    status: StatusSource | None,
    keys: KeySource,
    contexts: Contexts,
    now: datetime,
    budget: CanonicalizationBudget | None,
    key_only: str | None,
) -> Check:
    if not isinstance(entry, Mapping):
        return Check("status", "fail", "credentialStatus: an entry is not an object")
    kind = entry.get("type")
    if kind not in ENTRY_TYPES:
        raise _Unavailable(f"credentialStatus type {kind!r} is not supported")
    purpose = entry.get("statusPurpose")
    if purpose in _NOT_ABOUT_VALIDITY:
        return Check("status", "skip", f"statusPurpose {purpose!r} does not bear on validity: not checked")
    if purpose not in _FOUND:
        raise _Unavailable(f"statusPurpose {purpose!r} is not checked")
    raw_index = entry.get("statusListIndex")
    text = str(raw_index) if isinstance(raw_index, int | str) and not isinstance(raw_index, bool) else ""
    if not text.isdigit() or len(text) > _MAX_INDEX_DIGITS:
        return Check("status", "fail", f"statusListIndex: {raw_index!r} is not a non-negative integer")
    index = int(text)
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        return Check("status", "fail", "statusListCredential: missing or not a string")
    if status is None:
        raise _Unavailable(f"status list {url} not fetched (offline, and no local copy given)")
    try:
        listing = status.fetch(url)
    except MicrocareerError as error:
        raise _Unavailable(f"status list {url} unavailable: {error}") from None
    problem = _list_problem(listing, url, issuer, keys, contexts, now, budget, key_only)
    if problem:
        return Check("status", "fail", f"status list {url}: {problem}")
    subject = listing["credentialSubject"]
    list_purposes = as_list(subject.get("statusPurpose"))
    if purpose not in list_purposes:
        return Check(
            "status", "fail", f"status list {url} is for {subject.get('statusPurpose')!r}, not {purpose!r}"
        )
    try:
        bits = decode_status_list(subject.get("encodedList"), what=f"status list {url}: encodedList")
        is_set = bits.get(index)
    except MicrocareerError as error:
        return Check("status", "fail", str(error))
    if is_set:
        return Check("status", "fail", f"{_FOUND[purpose]}: {purpose} bit {index} of {url} is set")
    return Check("status", "pass", f"not {_FOUND[purpose]} ({purpose} bit {index} of {url} is clear)")


def _plain_http_warning(check: Check, entry: Any) -> Check:
    url = entry.get("statusListCredential") if isinstance(entry, Mapping) else None
    if check.outcome != "pass" or not isinstance(url, str) or not url.startswith("http://"):
        return check
    return Check("status", "warn", f"{check.reason}; the status list is on plain http://, not authenticated")


def _list_problem(
    listing: Mapping[str, Any],
    url: str,
    issuer: str | None,
    keys: KeySource,
    contexts: Contexts,
    now: datetime,
    budget: CanonicalizationBudget | None,
    key_only: str | None,
) -> str:
    """Why the status list credential cannot be trusted, or "" when it can."""
    if not isinstance(listing, Mapping):
        return "not a JSON object"
    if "id" in listing and listing["id"] != url:
        return f"its id is {listing['id']!r}, not the URL it was fetched for"
    model = check_data_model(listing)
    if model.check.outcome != "pass":
        return model.check.reason
    if model.issuer != issuer:
        return f"issued by {model.issuer}, not by the credential's issuer {issuer}"
    subject = listing.get("credentialSubject")
    if not isinstance(subject, Mapping) or not any(
        kind in LIST_TYPES for kind in as_list(subject.get("type"))
    ):
        return f"credentialSubject is not a {' or '.join(LIST_TYPES)}"
    proof = check_embedded_proof(listing, issuer, keys, contexts, budget=budget, key_only=key_only or False)
    if not proof.passed:
        return proof.first_failure()
    dates = check_dates(listing, model.version, now)
    if dates.outcome == "fail":
        raise _Unavailable(f"status list {url} is out of date ({dates.reason})")
    return ""
