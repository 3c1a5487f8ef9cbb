"""Where the verifier finds a credential's key: trusted keys first, then did:key, then did:web.

Trusted keys come from a JSON file mapping a ``verificationMethod`` URL to its Ed25519
``publicKeyMultibase``; the operator vouches for them, so each counts as an ``assertionMethod`` of
the URL without its fragment (``https://example.com/issuer#key-1`` → ``https://example.com/issuer``).
A did:key is its own key, read offline. A did:web is fetched, unless the source is offline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from microcareer.adapters.did_web import DidWebResolver
from microcareer.domain.credentials.multikey import DID_KEY_PREFIX, decode_public_key, public_key_of_did_key
from microcareer.domain.credentials.verification_model import KeyNotResolved, ResolvedKey
from microcareer.errors import DataFileError, MicrocareerError


def _line_of(text: str, key: str) -> int | None:
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def load_trusted_keys(text: str, *, source: str) -> dict[str, bytes]:
    """Parse a trusted-keys file; raises ``DataFileError`` naming the line and key that is wrong."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(source, error.lineno, None, f"not valid JSON ({error.msg})") from None
    if not isinstance(document, dict):
        raise DataFileError(
            source, None, None, "must be a JSON object mapping verificationMethod URL → publicKeyMultibase"
        )
    keys: dict[str, bytes] = {}
    for method, multibase in document.items():
        where = _line_of(text, method)
        if not isinstance(multibase, str):
            raise DataFileError(
                source, where, method, "the value must be a publicKeyMultibase string (z6Mk...)"
            )
        try:
            keys[method] = decode_public_key(multibase)
        except MicrocareerError as error:
            raise DataFileError(source, where, method, str(error)) from None
    return keys


class CredentialKeys:
    """A ``KeySource``: trusted keys, then did:key, then did:web (None: offline)."""

    def __init__(self, trusted: Mapping[str, bytes], *, did_web: DidWebResolver | None = None) -> None:
        self._trusted = dict(trusted)
        self._did_web = did_web

    def resolve(self, verification_method: str) -> ResolvedKey:
        key = self._trusted.get(verification_method)
        if key is not None:
            controller = verification_method.partition("#")[0]
            return ResolvedKey(key, controller, is_assertion_method=True, source="trusted")
        if verification_method.startswith(DID_KEY_PREFIX):
            try:
                key = public_key_of_did_key(verification_method)
            except MicrocareerError as error:
                raise KeyNotResolved(str(error)) from None
            return ResolvedKey(
                key, verification_method.partition("#")[0], is_assertion_method=True, source="did:key"
            )
        if verification_method.startswith("did:web:"):
            if self._did_web is None:
                raise KeyNotResolved("did:web is not resolved offline; add the key to the trusted keys")
            return self._did_web.resolve(verification_method)
        raise KeyNotResolved("not a trusted key, a did:key or a did:web")
