"""Open Badges 2.0 assertions read for display: never verified, and said so.

An Open Badges 2.0 assertion is checked either against the copy its issuer hosts (``hosted``) or
with a JWS signature whose key the issuer hosts (``signed``); both need the issuer's server, which
is not contacted here. So every badge read comes back ``verifiable=False`` with the reason.

The BadgeClass and issuer Profile may be embedded objects or URLs. A URL is not fetched: what it
would tell (the badge's name, the issuer's name) is then unknown, and ``notes`` say so. Alignment
targets are kept as given, so ESCO skill URIs can be matched later. A signed assertion arrives as a
compact JWS; its payload (the assertion) is decoded without checking the signature.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from microcareer.errors import InvalidInput

OB2_CONTEXTS = frozenset({"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"})
ESCO_PREFIX = "http://data.europa.eu/esco/"
HOSTED_REASON = "Open Badges 2.0 hosted verification needs the issuer's server; not checked"
SIGNED_REASON = (
    "Open Badges 2.0 signed verification needs the issuer's public key from its server; "
    "the JWS signature was not checked"
)
MAX_JWS_CHARS = 1_000_000
_VERIFICATION_TYPES: dict[str, Literal["hosted", "signed"]] = {
    "hosted": "hosted",
    "HostedBadge": "hosted",
    "signed": "signed",
    "SignedBadge": "signed",
}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")

Verification = Literal["hosted", "signed"]


@dataclass(frozen=True, slots=True)
class Ob2Recipient:
    """Who the badge was awarded to: an identity (an email, URL or phone), usually salted and hashed."""

    type: str
    identity: str
    hashed: bool
    salt: str | None = None


@dataclass(frozen=True, slots=True)
class Ob2Alignment:
    """A framework item the badge aligns to (an ESCO skill, a standard)."""

    target_name: str
    target_url: str
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None

    @property
    def esco_uri(self) -> str | None:
        """``target_url`` when it is an ESCO concept URI."""
        return self.target_url if self.target_url.startswith(ESCO_PREFIX) else None


@dataclass(frozen=True, slots=True)
class Ob2Evidence:
    """Evidence of the achievement: a URL, a narrative, or both with a name and description."""

    id: str | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None


@dataclass(frozen=True, slots=True)
class Ob2Badge:
    """One Open Badges 2.0 assertion, as far as it can be shown without asking anyone."""

    source: str
    assertion_id: str | None
    badge_id: str | None
    name: str | None
    """None when the assertion names its BadgeClass only by URL (see ``notes``)."""
    description: str | None
    image: str | None
    criteria_url: str | None
    criteria_narrative: str | None
    issuer_id: str | None
    issuer_name: str | None
    issuer_url: str | None
    issued_on: datetime
    expires: datetime | None
    recipient: Ob2Recipient
    evidence: tuple[Ob2Evidence, ...]
    narrative: str | None
    alignment: tuple[Ob2Alignment, ...]
    tags: tuple[str, ...]
    verification: Verification
    jws_algorithm: str | None = None
    notes: tuple[str, ...] = ()
    verifiable: bool = False
    reason: str = HOSTED_REASON

    @property
    def display_name(self) -> str:
        return self.name if self.name is not None else "Unknown badge (its BadgeClass was not fetched)"

    @property
    def esco_uris(self) -> tuple[str, ...]:
        """The ESCO concept URIs among the alignment targets, in order."""
        return tuple(a.esco_uri for a in self.alignment if a.esco_uri is not None)


class _Reader:
    """Typed access to JSON values; every error names the source and the JSON path."""

    def __init__(self, source: str, prefix: str = "") -> None:
        self.source = source
        self.prefix = prefix

    def fail(self, path: str, problem: str) -> InvalidInput:
        where = _join(self.prefix, path) or "(the document)"
        return InvalidInput(f"{self.source}: {where}: {problem}", field=where, source=self.source)

    def object(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {_kind(value)}")
        return value

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        """An optional string field: None when absent (or null)."""
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(_join(path, key), f"expected a string, got {_kind(value)}")
        return value

    def required(self, data: Mapping[str, Any], key: str, path: str) -> str:
        """A string field that must be there."""
        value = self.string(data, key, path)
        if value is None:
            raise self.fail(_join(path, key), "missing")
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            raise self.fail(_join(path, key), f"expected true or false, got {_kind(value)}")
        return value

    def moment(self, data: Mapping[str, Any], key: str, path: str) -> datetime | None:
        """An optional ISO 8601 date and time; one without a zone is taken as UTC."""
        text = self.string(data, key, path)
        return None if text is None else self._parse_moment(text, _join(path, key))

    def required_moment(self, data: Mapping[str, Any], key: str, path: str) -> datetime:
        return self._parse_moment(self.required(data, key, path), _join(path, key))

    def _parse_moment(self, text: str, where: str) -> datetime:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(where, f"{text[:40]!r} is not an ISO 8601 date and time") from None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

    def reference(self, value: Any, path: str) -> tuple[str | None, Mapping[str, Any] | None]:
        """An ``@id``-typed value: a URL string, or an object with an optional ``id``."""
        if isinstance(value, str):
            return value, None
        if isinstance(value, Mapping):
            return self.string(value, "id", path), value
        raise self.fail(path, f"expected a URL or an object, got {_kind(value)}")

    def many(self, value: Any) -> list[Any]:
        return value if isinstance(value, list) else [] if value is None else [value]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path and key else path or key


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _has(value: Any, wanted: frozenset[str] | set[str]) -> bool:
    return any(
        isinstance(item, str) and item in wanted for item in (value if isinstance(value, list) else [value])
    )


def _recipient(read: _Reader, value: Any) -> Ob2Recipient:
    data = read.object(value, "recipient")
    return Ob2Recipient(
        type=read.required(data, "type", "recipient"),
        identity=read.required(data, "identity", "recipient"),
        hashed=read.boolean(data, "hashed", "recipient"),
        salt=read.string(data, "salt", "recipient"),
    )


def _evidence(read: _Reader, value: Any) -> tuple[Ob2Evidence, ...]:
    items = read.many(value)
    out = []
    for index, item in enumerate(items):
        path = f"evidence[{index}]" if isinstance(value, list) else "evidence"
        if isinstance(item, str):
            out.append(Ob2Evidence(id=item))
            continue
        data = read.object(item, path)
        out.append(
            Ob2Evidence(
                id=read.string(data, "id", path),
                narrative=read.string(data, "narrative", path),
                name=read.string(data, "name", path),
                description=read.string(data, "description", path),
                genre=read.string(data, "genre", path),
            )
        )
    return tuple(out)


def _alignment(read: _Reader, value: Any, base: str) -> tuple[Ob2Alignment, ...]:
    out = []
    for index, item in enumerate(read.many(value)):
        path = f"{base}.alignment[{index}]" if isinstance(value, list) else f"{base}.alignment"
        data = read.object(item, path)
        out.append(
            Ob2Alignment(
                target_name=read.required(data, "targetName", path),
                target_url=read.required(data, "targetUrl", path),
                target_description=read.string(data, "targetDescription", path),
                target_framework=read.string(data, "targetFramework", path),
                target_code=read.string(data, "targetCode", path),
            )
        )
    return tuple(out)


def _tags(read: _Reader, value: Any, path: str) -> tuple[str, ...]:
    tags = read.many(value)
    for index, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise read.fail(f"{path}[{index}]", f"expected a string, got {_kind(tag)}")
    return tuple(tags)


def _verification(read: _Reader, assertion: Mapping[str, Any], *, signed: bool) -> Verification:
    key = "verification" if "verification" in assertion else "verify"
    if key not in assertion:
        if signed:
            return "signed"
        raise read.fail("verification", "missing")
    data = read.object(assertion.get(key), key)
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in _VERIFICATION_TYPES:
        raise read.fail(f"{key}.type", f"expected one of {', '.join(_VERIFICATION_TYPES)}, got {kind!r}")
    return _VERIFICATION_TYPES[kind]


@dataclass(slots=True)
class _BadgeClass:
    badge_id: str | None = None
    name: str | None = None
    description: str | None = None
    image: str | None = None
    criteria_url: str | None = None
    criteria_narrative: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    issuer_url: str | None = None
    alignment: tuple[Ob2Alignment, ...] = ()
    tags: tuple[str, ...] = ()


def _image(read: _Reader, data: Mapping[str, Any], path: str) -> str | None:
    if "image" not in data:
        return None
    image_id, _ = read.reference(data["image"], _join(path, "image"))
    return image_id


def _badge_class(read: _Reader, value: Any, notes: list[str]) -> _BadgeClass:
    badge_id, data = read.reference(value, "badge")
    if data is None:
        notes.append(
            f"badge name unknown: the assertion names its BadgeClass only by URL ({badge_id}), "
            "which is not fetched"
        )
        notes.append("issuer unknown: it is named in the BadgeClass, which is not fetched")
        return _BadgeClass(badge_id=badge_id)
    if "type" in data and not _has(data["type"], {"BadgeClass"}):
        raise read.fail("badge.type", f"expected 'BadgeClass', got {data['type']!r}")
    badge = _BadgeClass(
        badge_id=badge_id,
        name=read.required(data, "name", "badge"),
        description=read.string(data, "description", "badge"),
        image=_image(read, data, "badge"),
        alignment=_alignment(read, data.get("alignment"), "badge"),
        tags=_tags(read, data.get("tags"), "badge.tags"),
    )
    if "criteria" in data:
        badge.criteria_url, criteria = read.reference(data["criteria"], "badge.criteria")
        if criteria is not None:
            badge.criteria_narrative = read.string(criteria, "narrative", "badge.criteria")
    if "issuer" not in data:
        notes.append("issuer unknown: the BadgeClass names none")
        return badge
    badge.issuer_id, issuer = read.reference(data["issuer"], "badge.issuer")
    if issuer is None:
        notes.append(
            f"issuer name unknown: the BadgeClass names its issuer only by URL ({badge.issuer_id}), "
            "which is not fetched"
        )
    else:
        badge.issuer_name = read.string(issuer, "name", "badge.issuer")
        badge.issuer_url = read.string(issuer, "url", "badge.issuer")
    return badge


def _read(data: Mapping[str, Any], source: str, *, jws_algorithm: str | None = None) -> Ob2Badge:
    read = _Reader(source, "jws.payload" if jws_algorithm is not None else "")
    assertion = read.object(data, "")
    if not _has(assertion.get("@context"), OB2_CONTEXTS):
        raise read.fail(
            "@context",
            "not an Open Badges 2.0 document (expected the context https://w3id.org/openbadges/v2)",
        )
    if not _has(assertion.get("type"), {"Assertion"}):
        raise read.fail("type", f"expected 'Assertion', got {assertion.get('type')!r}")
    if "badge" not in assertion:
        raise read.fail("badge", "missing")
    recipient = _recipient(read, assertion.get("recipient"))
    issued_on = read.required_moment(assertion, "issuedOn", "")
    signed = jws_algorithm is not None
    verification = _verification(read, assertion, signed=signed)
    notes: list[str] = []
    if signed and verification != "signed":
        notes.append("the assertion came as a JWS but declares hosted verification")
    badge = _badge_class(read, assertion["badge"], notes)
    return Ob2Badge(
        source=source,
        assertion_id=read.string(assertion, "id", ""),
        badge_id=badge.badge_id,
        name=badge.name,
        description=badge.description,
        image=badge.image or _image(read, assertion, ""),
        criteria_url=badge.criteria_url,
        criteria_narrative=badge.criteria_narrative,
        issuer_id=badge.issuer_id,
        issuer_name=badge.issuer_name,
        issuer_url=badge.issuer_url,
        issued_on=issued_on,
        expires=read.moment(assertion, "expires", ""),
        recipient=recipient,
        evidence=_evidence(read, assertion.get("evidence")),
        narrative=read.string(assertion, "narrative", ""),
        alignment=badge.alignment,
        tags=badge.tags,
        verification=verification,
        jws_algorithm=jws_algorithm,
        notes=tuple(notes),
        verifiable=False,
        reason=SIGNED_REASON if signed or verification == "signed" else HOSTED_REASON,
    )


def read_ob2_assertion(data: Mapping[str, Any], *, source: str) -> Ob2Badge:
    """Read an Open Badges 2.0 assertion (parsed JSON); ``source`` names it in errors and the result.

    The BadgeClass and its issuer may be embedded or URLs (not fetched). Raises ``InvalidInput``
    naming the JSON path of the first field of the wrong type or missing.
    """
    return _read(data, source)


def _base64url(read: _Reader, part: str, path: str) -> bytes:
    if not _BASE64URL.fullmatch(part):
        raise read.fail(path, "not base64url")
    try:
        return base64.b64decode(part + "=" * (-len(part) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise read.fail(path, "not base64url") from None


def _json_object(read: _Reader, raw: bytes, path: str) -> Mapping[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise read.fail(path, "not JSON") from None
    return read.object(value, path)


def read_ob2_jws(token: str, *, source: str) -> Ob2Badge:
    """Read a signed Open Badges 2.0 assertion: a compact JWS whose payload is the assertion.

    The signature is not checked (the issuer's key is on its server), so the badge is unverifiable
    like any other read here; ``jws_algorithm`` keeps the header's ``alg``.
    """
    read = _Reader(source)
    text = token.strip()
    if len(text) > MAX_JWS_CHARS:
        raise read.fail("jws", f"longer than {MAX_JWS_CHARS} characters")
    parts = text.split(".")
    if len(parts) != 3:
        raise read.fail("jws", f"a compact JWS has 3 parts separated by '.', this has {len(parts)}")
    header = _json_object(read, _base64url(read, parts[0], "jws.header"), "jws.header")
    algorithm = read.required(header, "alg", "jws.header")
    payload = _json_object(read, _base64url(read, parts[1], "jws.payload"), "jws.payload")
    _base64url(read, parts[2], "jws.signature")
    return _read(payload, source, jws_algorithm=algorithm)
