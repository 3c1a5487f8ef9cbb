"""Verify a credential as a third party would: every check reported, nothing trusted unchecked.

Input is a JSON credential (with an embedded proof), a VC-JWT, or a PNG or SVG badge with either
baked in. The checks, in order: format, data model, contexts (pinned only, never fetched), terms
(nothing JSON-LD would drop), key (the issuer's, an assertionMethod), proof, dates, status, schema.
Whatever the input, the answer is a ``VerificationReport``: no exception escapes.

Two policies a verifier chooses explicitly (both off by default, the safe side):
``accept_unknown_status`` turns a status that cannot be checked from "status unknown" (a verdict of
its own, never valid) into a warning; ``accept_key_only_issuer`` accepts an ``urn:uuid`` or ``https``
issuer signed by a did:key it does not list, as a warning on the key check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcareer.domain.credentials import vc_jwt
from microcareer.domain.credentials.baking import unbake
from microcareer.domain.credentials.json_ld_safety import context_urls, find_undefined_terms, inline_contexts
from microcareer.domain.credentials.rdfc import CanonicalizationBudget
from microcareer.domain.credentials.verification_checks import (
    DataModel,
    check_data_model,
    check_dates,
    check_schemas,
    issuer_id,
)
from microcareer.domain.credentials.verification_model import (
    Check,
    InputFormat,
    KeyNotResolved,
    KeySource,
    ResolvedKey,
    StatusSource,
    StatusUnavailable,
    VerificationReport,
)
from microcareer.domain.credentials.verification_proofs import ProofChecks, check_embedded_proof, check_key
from microcareer.domain.credentials.verification_status import check_status
from microcareer.errors import MicrocareerError

__all__ = [
    "MAX_CREDENTIAL_BYTES",
    "MAX_DEPTH",
    "MAX_INPUT_BYTES",
    "Check",
    "KeyNotResolved",
    "KeySource",
    "ResolvedKey",
    "StatusSource",
    "StatusUnavailable",
    "VerificationReport",
    "verify_credential",
]

MAX_INPUT_BYTES = 8 * 1024 * 1024
"""The largest input read at all (a baked PNG is mostly image)."""
MAX_CREDENTIAL_BYTES = 1024 * 1024
"""The largest credential text (JSON or JWT) parsed."""
MAX_DEPTH = 64
"""The deepest nesting of JSON objects and arrays accepted."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Contexts = Mapping[str, Mapping[str, Any]]


class _Refused(Exception):
    """The input cannot be read as a credential; the message says why."""


@dataclass(slots=True)
class _Parsed:
    format: InputFormat
    credential: dict[str, Any]
    jwt: vc_jwt.JwtCredential | None = None
    """The decoded VC-JWT, when the input is one; ``token`` is its compact form."""
    token: str = ""
    notes: list[str] = field(default_factory=list)


def verify_credential(
    raw: bytes | str | Mapping[str, Any],
    *,
    keys: KeySource,
    status: StatusSource | None,
    contexts: Contexts,
    schemas: Mapping[str, Mapping[str, Any]],
    now: datetime,
    budget: CanonicalizationBudget | None = None,
    require_status: bool = False,
    accept_unknown_status: bool = False,
    accept_key_only_issuer: bool = False,
    http_allowed: bool = False,
) -> VerificationReport:
    """Run every check on ``raw`` and report each; ``report.verdict`` is valid, status_unknown or
    invalid (``require_status``: a status that cannot be checked fails; ``accept_unknown_status``:
    it is only a warning). ``http_allowed``: the sources may fetch over plain http:// (local
    development), so a status list at an http:// URL is a warning even when it checks out."""
    try:
        parsed = _parse(raw)
    except _Refused as reason:
        return VerificationReport((Check("format", "fail", str(reason)),), None, None, None)
    except Exception as error:  # hostile input must give a report, never an exception
        return VerificationReport((_crashed("format", error),), None, None, None)
    checks = [Check("format", "pass", _describe(parsed))]
    credential = parsed.credential
    version: DataModel | None = None
    try:
        model = check_data_model(credential)
        checks.append(model.check)
        version = model.version
    except Exception as error:  # hostile input must give a report, never an exception
        checks.append(_crashed("data model", error))
    issuer = issuer_id(credential)
    contexts_check = _guarded("contexts", lambda: [_check_contexts(credential, contexts)])
    checks += contexts_check
    if contexts_check[0].outcome == "pass":
        checks += _guarded("terms", lambda: [_check_terms(credential, contexts, version)])
    else:
        checks.append(Check("terms", "skip", "not checked: the contexts are not all pinned"))
    signed: list[ProofChecks] = []

    def proof_checks() -> list[Check]:
        result = _check_proof(parsed, issuer, keys, contexts, budget, accept_key_only_issuer)
        signed.append(result)
        return [result.key, result.proof]

    checks += _guarded("proof", proof_checks)
    # The issuer accepted as identified only by its did:key: its status list must be signed by that key.
    key_only = (
        signed[0].signer
        if signed and signed[0].key.outcome == "warn" and signed[0].signer not in (None, issuer)
        else None
    )
    claims = parsed.jwt.payload if parsed.jwt is not None else None
    checks += _guarded("dates", lambda: [check_dates(credential, version, now, jwt_claims=claims)])
    checks += _guarded(
        "status",
        lambda: check_status(
            credential,
            issuer,
            status=status,
            keys=keys,
            contexts=contexts,
            now=now,
            budget=budget,
            require_status=require_status,
            accept_unknown_status=accept_unknown_status,
            key_only=key_only,
            http_allowed=http_allowed,
        ),
    )
    checks += _guarded("schema", lambda: check_schemas(credential, schemas))
    return VerificationReport(tuple(checks), parsed.format, credential, issuer)


def _crashed(name: str, error: BaseException) -> Check:
    if isinstance(error, MicrocareerError):
        return Check(name, "fail", str(error))
    if isinstance(error, RecursionError):
        return Check(name, "fail", "could not be checked: the document is nested too deeply")
    return Check(name, "fail", f"could not be checked: {type(error).__name__} while reading the document")


def _guarded(name: str, run: Callable[[], list[Check]]) -> list[Check]:
    """Run one check; anything it raises becomes a failed check, never an escaping exception."""
    try:
        return run()
    except Exception as error:  # hostile input must give a report, never an exception
        return [_crashed(name, error)]


# -- reading the input ---------------------------------------------------------------------------------


def _parse(raw: bytes | str | Mapping[str, Any]) -> _Parsed:
    if isinstance(raw, Mapping):
        credential = dict(raw)
        _check_depth(credential)
        return _Parsed("json", credential)
    data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > MAX_INPUT_BYTES:
        raise _Refused(f"the input has {len(data)} bytes, more than the {MAX_INPUT_BYTES} accepted")
    if data.startswith(_PNG_SIGNATURE):
        return _unbaked(data, "png")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _unbaked(data, "svg")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Refused("not a JSON credential, a VC-JWT, a PNG or an SVG (not UTF-8 text)") from None
    return _parse_text(text.strip(), "json")


def _unbaked(data: bytes, kind: InputFormat) -> _Parsed:
    try:
        baked = unbake(data)
    except MicrocareerError as error:
        raise _Refused(f"a {kind.upper()} image without an Open Badges credential: {error}") from None
    if baked.version != "3.0":
        raise _Refused(
            f"a {kind.upper()} with an Open Badges {baked.version} assertion baked in; "
            "only Open Badges 3.0 credentials are verified"
        )
    parsed = _parse_text(baked.payload.strip(), kind)
    parsed.notes.append(f"baked into a {kind.upper()}")
    return parsed


def _parse_text(text: str, kind: InputFormat) -> _Parsed:
    if len(text.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        raise _Refused(f"the credential is larger than the {MAX_CREDENTIAL_BYTES} bytes accepted")
    if text.startswith(("{", "[")):
        credential = _load_json(text)
        _check_depth(credential)
        return _Parsed(kind, credential)
    if vc_jwt.looks_like_jwt(text):
        try:
            decoded = vc_jwt.decode_jwt_unverified(text)
        except MicrocareerError as error:
            raise _Refused(f"a JWT that is not a readable VC-JWT: {error}") from None
        credential = dict(decoded.credential)
        _check_depth(credential)
        return _Parsed("jwt" if kind == "json" else kind, credential, decoded, text)
    raise _Refused("not a JSON credential, a VC-JWT, a PNG or an SVG")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"JSON: the key {key!r} appears twice in one object (ambiguous, refused)")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Refused(f"JSON: {name} is not a JSON number")


def _load_json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise _Refused(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise _Refused(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not isinstance(value, dict):
        raise _Refused("the JSON is not an object")
    return value


def _check_depth(document: Any) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Refused(f"JSON nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, Mapping):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def _describe(parsed: _Parsed) -> str:
    what = "a VC-JWT" if parsed.jwt is not None else "a JSON credential"
    where = f", {parsed.notes[0]}" if parsed.notes else ""
    return f"{what}{where}"


# -- the checks ------------------------------------------------------------------------------------------


def _check_contexts(credential: Mapping[str, Any], contexts: Contexts) -> Check:
    urls = context_urls(credential)
    if not urls and "@context" not in credential:
        return Check("contexts", "fail", "no @context")
    unpinned = [url for url in urls if url not in contexts]
    if unpinned:
        return Check(
            "contexts",
            "fail",
            f"not approved (only locally pinned contexts are used, none fetched): {', '.join(unpinned)}",
        )
    inline = inline_contexts(credential)
    extra = f", and {inline} inline" if inline else ""
    return Check("contexts", "pass", f"{len(urls)} pinned context(s){extra}")


def _check_terms(credential: Mapping[str, Any], contexts: Contexts, version: DataModel | None) -> Check:
    found = find_undefined_terms(credential, contexts)
    problems: list[str] = []
    if found.ignored_keys:
        problems.append(f"keys JSON-LD ignores: {', '.join(found.ignored_keys)}")
    if found.relative_ids:
        problems.append(
            f"ids that are not absolute IRIs (their statements are dropped): {', '.join(found.relative_ids)}"
        )
    undefined = [*found.properties, *(f"type {name}" for name in found.types)]
    if undefined and version != "2.0":
        problems.append(
            f"terms no context defines, dropped by JSON-LD and not signed: {', '.join(undefined)}"
        )
    if problems:
        return Check("terms", "fail", "; ".join(problems))
    if undefined:
        return Check(
            "terms",
            "warn",
            "terms no context defines, kept only under the VC 2.0 issuer-dependent vocabulary: "
            + ", ".join(undefined),
        )
    return Check("terms", "pass", "every property and type is defined by the pinned contexts")


def _check_proof(
    parsed: _Parsed,
    issuer: str | None,
    keys: KeySource,
    contexts: Contexts,
    budget: CanonicalizationBudget | None,
    key_only: bool,
) -> ProofChecks:
    if parsed.jwt is None:
        return check_embedded_proof(
            parsed.credential, issuer, keys, contexts, budget=budget, key_only=key_only
        )
    return _check_jwt(parsed.jwt, parsed.token, issuer, keys, key_only)


def _check_jwt(
    decoded: vc_jwt.JwtCredential, token: str, issuer: str | None, keys: KeySource, key_only: bool
) -> ProofChecks:
    iss = decoded.payload.get("iss")
    if isinstance(iss, str) and issuer is not None and iss != issuer:
        return ProofChecks(
            Check("key", "skip", "not checked: the JWT issuer is not the credential's"),
            Check("proof", "fail", f"JWT iss {iss!r} is not the credential's issuer {issuer!r}"),
        )
    if decoded.alg not in vc_jwt.ALGORITHMS:
        return ProofChecks(
            Check("key", "skip", "not checked: unsupported algorithm"),
            Check("proof", "fail", f"JWT alg {decoded.alg!r} is not supported (EdDSA only)"),
        )
    kid = decoded.kid if isinstance(decoded.kid, str) else ""
    base = iss if isinstance(iss, str) else issuer or ""
    method = base + kid if kid.startswith("#") else kid or base
    if not method:
        return ProofChecks(
            Check("key", "fail", "the JWT names no key (no kid) and no issuer"),
            Check("proof", "skip", "not checked: no key"),
        )
    key_check, resolved = check_key(method, issuer, keys, purpose=None, key_only=key_only)
    if resolved is None:
        return ProofChecks(key_check, Check("proof", "skip", "not checked: the key was not resolved"))
    try:
        vc_jwt.verify_jwt_signature(token, resolved.public_key)
    except MicrocareerError as error:
        return ProofChecks(key_check, Check("proof", "fail", str(error)), resolved.controller)
    return ProofChecks(
        key_check, Check("proof", "pass", "the JWT EdDSA signature verifies"), resolved.controller
    )
