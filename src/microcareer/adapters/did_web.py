"""did:web: a DID document fetched over HTTPS, and the keys it lists (W3C did:web method).

``did:web:example.com`` is at ``https://example.com/.well-known/did.json``;
``did:web:example.com:users:alice`` at ``https://example.com/users/alice/did.json`` (a port is
written ``%3A``). A key is found by its ``verificationMethod`` id (absolute, or ``#fragment``
relative to the DID), as a ``Multikey`` or ``Ed25519VerificationKey2020`` with ``publicKeyMultibase``;
it may assert credentials only when the document lists it under ``assertionMethod``.
Fetching goes through the SSRF-safe ``Outbound`` gate; every failure reads the same. A resolver
made with ``allow_http`` (the command line's ``--allow-http``, for local development) tries the
same address over plain ``http://`` when HTTPS fails; a key found that way has the source
``did:web over http``, which the key check reports as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from microcareer.adapters.https_json import FetchFailed, JsonFetcher
from microcareer.domain.credentials.multikey import decode_public_key
from microcareer.domain.credentials.verification_model import KeyNotResolved, ResolvedKey
from microcareer.errors import MicrocareerError

PREFIX = "did:web:"
KEY_TYPES = ("Multikey", "Ed25519VerificationKey2020")
DOCUMENT_NOT_FETCHED = "could not fetch the issuer's DID document"
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%-]+$")


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web DID's document; raises ``KeyNotResolved`` for a malformed DID."""
    if not did.startswith(PREFIX):
        raise KeyNotResolved(f"{did!r} is not a did:web DID")
    parts = did[len(PREFIX) :].split(":")
    host = unquote(parts[0])
    if not _HOST.match(host) or not all(_SEGMENT.match(part) for part in parts[1:]):
        raise KeyNotResolved(f"{did!r} is not a well-formed did:web DID")
    path = "/".join(unquote(part) for part in parts[1:])
    if ".." in path.split("/"):
        raise KeyNotResolved(f"{did!r} is not a well-formed did:web DID")
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _matches(reference: Any, method_id: str, did: str) -> bool:
    if isinstance(reference, Mapping):
        reference = reference.get("id")
    if not isinstance(reference, str):
        return False
    return reference == method_id or (reference.startswith("#") and did + reference == method_id)


class DidWebResolver:
    """Resolves did:web verification methods; DID documents are cached by the fetcher."""

    def __init__(self, fetcher: JsonFetcher | None = None, *, allow_http: bool = False) -> None:
        self._fetcher = fetcher or JsonFetcher()
        self._allow_http = allow_http

    def document(self, did: str) -> Mapping[str, Any]:
        return self._document(did)[0]

    def _document(self, did: str) -> tuple[Mapping[str, Any], bool]:
        """The DID document, and whether it came over plain http://."""
        url = did_web_url(did)
        plain = False
        try:
            document = self._fetcher.get(url)
        except FetchFailed:  # one neutral reason, whatever happened on the network (no SSRF oracle)
            if not self._allow_http:
                raise KeyNotResolved(DOCUMENT_NOT_FETCHED) from None
            url, plain = "http://" + url.removeprefix("https://"), True
            try:
                document = self._fetcher.get(url)
            except FetchFailed:
                raise KeyNotResolved(DOCUMENT_NOT_FETCHED + " (over https:// nor http://)") from None
        if not isinstance(document, Mapping) or document.get("id") != did:
            raise KeyNotResolved(f"the DID document {url} is not the document of {did}")
        return document, plain

    def resolve(self, verification_method: str) -> ResolvedKey:
        did = verification_method.partition("#")[0]
        document, plain = self._document(did)
        methods = document.get("verificationMethod")
        found = [
            method
            for method in (methods if isinstance(methods, list) else [])
            if isinstance(method, Mapping) and _matches(method, verification_method, did)
        ]
        assertion = document.get("assertionMethod")
        references = assertion if isinstance(assertion, list) else []
        found += [
            ref for ref in references if isinstance(ref, Mapping) and _matches(ref, verification_method, did)
        ]
        if not found:
            raise KeyNotResolved(
                f"the DID document of {did} lists no verification method {verification_method}"
            )
        method = found[0]
        if method.get("type") not in KEY_TYPES or not isinstance(method.get("publicKeyMultibase"), str):
            raise KeyNotResolved(
                f"{verification_method} is not a {' or '.join(KEY_TYPES)} key with publicKeyMultibase"
            )
        try:
            key = decode_public_key(method["publicKeyMultibase"])
        except MicrocareerError as error:
            raise KeyNotResolved(f"{verification_method}: {error}") from None
        controller = method.get("controller")
        return ResolvedKey(
            public_key=key,
            controller=controller if isinstance(controller, str) else did,
            is_assertion_method=any(_matches(ref, verification_method, did) for ref in references),
            source="did:web over http" if plain else "did:web",
        )
