"""The checks on a credential's own content: data model, validity dates, JSON Schema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from jsonschema import validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT201909

from microcareer.domain.credentials.verification_model import Check

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CLOCK_SKEW = timedelta(minutes=5)
"""How far a verifier's clock may be from the issuer's before dates count against a credential."""
SCHEMA_TYPES = ("1EdTechJsonSchemaValidator2019", "JsonSchema")
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
"""Every Open Badges 3.0 context (``context.json``, ``context-3.0.3.json``, ...), not its extensions."""
CLR_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"
OB_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")
CLR_CREDENTIAL_TYPE = "ClrCredential"
_MAX_SCHEMA_ERRORS = 3

DataModel = Literal["1.1", "2.0"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The issuer's id: the ``issuer`` string, or the ``id`` of the ``issuer`` object."""
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


@dataclass(frozen=True, slots=True)
class DataModelResult:
    check: Check
    version: DataModel | None
    issuer: str | None


def check_data_model(credential: Mapping[str, Any]) -> DataModelResult:
    """VC 1.1 or 2.0 by the first context; the fields every verifiable credential must have; and a
    credential in the Open Badges 3.0 or CLR 2.0 context must be one of their credential types."""
    contexts = as_list(credential.get("@context"))
    first = contexts[0] if contexts else None
    version: DataModel | None = None
    if first == VC_V2_CONTEXT:
        version = "2.0"
    elif first == VC_V1_CONTEXT:
        version = "1.1"
    issuer = issuer_id(credential)

    def fail(reason: str) -> DataModelResult:
        return DataModelResult(Check("data model", "fail", reason), version, issuer)

    if version is None:
        return fail(
            f"@context: the first context must be {VC_V2_CONTEXT} (VC 2.0) or {VC_V1_CONTEXT} (VC 1.1), "
            f"not {first!r}"
        )
    types = as_list(credential.get("type"))
    if not all(isinstance(kind, str) for kind in types) or "VerifiableCredential" not in types:
        return fail("type: must include 'VerifiableCredential'")
    if _uses_open_badges(contexts) and not any(
        kind in (*OB_CREDENTIAL_TYPES, CLR_CREDENTIAL_TYPE) for kind in types
    ):
        return fail(
            "type: a credential in the Open Badges 3.0 (or CLR 2.0) context must be typed "
            f"{', '.join(OB_CREDENTIAL_TYPES)} or {CLR_CREDENTIAL_TYPE}, not {types}: "
            "Open Badges 3.0 does not accept it as a badge"
        )
    if issuer is None:
        return fail("issuer: missing, or neither a URL nor an object with an 'id'")
    subjects = as_list(credential.get("credentialSubject"))
    if not subjects or not all(isinstance(subject, Mapping) for subject in subjects):
        return fail("credentialSubject: missing, or not an object")
    if version == "1.1" and not isinstance(credential.get("issuanceDate"), str):
        return fail("issuanceDate: a VC 1.1 credential must have one")
    names = ", ".join(kind for kind in types if kind != "VerifiableCredential") or "VerifiableCredential"
    return DataModelResult(
        Check("data model", "pass", f"a VC {version} credential ({names}) from {issuer}"), version, issuer
    )


def _uses_open_badges(contexts: list[Any]) -> bool:
    """Whether the ``@context`` names an Open Badges 3.0 or CLR 2.0 context (plain VCs do not)."""
    return any(
        isinstance(url, str) and url.startswith((OB_CONTEXT_PREFIX, CLR_CONTEXT_PREFIX)) for url in contexts
    )


def parse_datetime(text: Any, *, what: str) -> datetime:
    """An XML Schema dateTime (``2024-01-01T00:00:00Z``); without a time zone it is read as UTC."""
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError(f"{what}: not a date-time string")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not an ISO 8601 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _epoch(value: Any, *, what: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what}: not a number of seconds")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{what}: {value!r} is not a time") from None


def check_dates(
    credential: Mapping[str, Any],
    version: DataModel | None,
    now: datetime,
    *,
    jwt_claims: Mapping[str, Any] | None = None,
) -> Check:
    """Not before ``validFrom``/``issuanceDate`` (or JWT ``nbf``), not after ``validUntil``/
    ``expirationDate`` (or ``exp``), each with :data:`CLOCK_SKEW` allowed."""
    start_field, end_field = (
        ("issuanceDate", "expirationDate") if version == "1.1" else ("validFrom", "validUntil")
    )
    starts: list[tuple[str, datetime]] = []
    ends: list[tuple[str, datetime]] = []
    try:
        if start_field in credential:
            starts.append((start_field, parse_datetime(credential[start_field], what=start_field)))
        if end_field in credential:
            ends.append((end_field, parse_datetime(credential[end_field], what=end_field)))
        for claim, bucket in (("nbf", starts), ("exp", ends)):
            if jwt_claims is not None and claim in jwt_claims:
                bucket.append((f"JWT {claim}", _epoch(jwt_claims[claim], what=f"JWT {claim}")))
    except ValueError as error:
        return Check("dates", "fail", str(error))
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    for name, moment in starts:
        if moment > now + CLOCK_SKEW:
            return Check("dates", "fail", f"not valid yet: valid from {_show(moment)} ({name})")
    for name, moment in ends:
        if moment < now - CLOCK_SKEW:
            return Check("dates", "fail", f"expired on {_show(moment)} ({name})")
    if starts and ends and max(m for _, m in starts) > min(m for _, m in ends):
        return Check("dates", "fail", f"{end_field} is before {start_field}")
    if not starts and not ends:
        return Check("dates", "pass", "no validity period: valid at any time")
    since = f"valid from {_show(starts[0][1])}" if starts else "valid"
    until = f" until {_show(min(m for _, m in ends))}" if ends else ", no expiry"
    return Check("dates", "pass", since + until)


def _show(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _error_path(error: ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(the credential)"


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _problem(error: ValidationError) -> str:
    """What is wrong, without repeating the (possibly large) offending value."""
    rule, value = error.validator, error.validator_value
    phrases: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be of type {value}",
        "enum": lambda: f"must be one of {value}",
        "const": lambda: f"must be {value!r}",
        "contains": lambda: f"must contain {value.get('enum', value) if isinstance(value, dict) else value}",
        "pattern": lambda: f"does not match the pattern {value!r}",
        "format": lambda: f"is not a valid {value}",
        "minItems": lambda: f"needs at least {value} item(s)",
        "oneOf": lambda: "matches none (or more than one) of the allowed forms",
        "anyOf": lambda: "matches none of the allowed forms",
    }
    phrase = phrases.get(str(rule))
    return _short(phrase() if phrase is not None else error.message)


def check_schemas(credential: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]]) -> list[Check]:
    """Validate against each ``credentialSchema`` whose JSON Schema is pinned in ``schemas``."""
    entries = as_list(credential.get("credentialSchema")) if "credentialSchema" in credential else []
    if not entries:
        return [Check("schema", "skip", "no credentialSchema: nothing to validate against")]
    registry: Registry[Any] = Registry().with_resources(
        (url, Resource.from_contents(dict(schema), default_specification=DRAFT201909))
        for url, schema in schemas.items()
    )
    checks: list[Check] = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            checks.append(Check("schema", "fail", "credentialSchema: an entry without a string 'id'"))
            continue
        url, kind = entry["id"], entry.get("type")
        if kind not in SCHEMA_TYPES:
            checks.append(
                Check("schema", "warn", f"{url}: schema type {kind!r} is not supported, not checked")
            )
            continue
        schema = schemas.get(url)
        if schema is None:
            checks.append(Check("schema", "warn", f"{url}: not a pinned schema, not checked"))
            continue
        checks.append(_validate(credential, url, schema, registry))
    return checks


def _validate(
    credential: Mapping[str, Any], url: str, schema: Mapping[str, Any], registry: Registry[Any]
) -> Check:
    cls = validators.validator_for(schema, default=validators.Draft201909Validator)
    validator = cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
    try:
        errors = sorted(validator.iter_errors(credential), key=lambda e: [str(p) for p in e.absolute_path])
    except Unresolvable as error:
        return Check("schema", "fail", f"{url}: refers to {error.ref!r}, which is not pinned")
    if not errors:
        return Check("schema", "pass", f"valid against {url}")
    shown = "; ".join(f"{_error_path(e)}: {_problem(e)}" for e in errors[:_MAX_SCHEMA_ERRORS])
    more = f" (and {len(errors) - _MAX_SCHEMA_ERRORS} more)" if len(errors) > _MAX_SCHEMA_ERRORS else ""
    return Check("schema", "fail", f"not valid against {url}: {shown}{more}")
