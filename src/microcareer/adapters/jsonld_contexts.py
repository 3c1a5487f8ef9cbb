"""The approved JSON-LD contexts, pinned as files in ``microcareer/data/jsonld/`` (see its README).

Verification resolves contexts only from this set; a context not listed here is refused, never
fetched.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from microcareer.errors import DataFileError

PINNED_CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-context-2.0.1.jsonld",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context-3.0.0.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
}


@cache
def pinned_contexts() -> MappingProxyType[str, dict[str, Any]]:
    """Context URL → parsed context document, for every pinned context."""
    folder = files("microcareer.data").joinpath("jsonld")
    contexts: dict[str, dict[str, Any]] = {}
    for url, name in PINNED_CONTEXT_FILES.items():
        try:
            document = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise DataFileError(f"data/jsonld/{name}", error.lineno, None, error.msg) from None
        if not isinstance(document, dict) or "@context" not in document:
            raise DataFileError(f"data/jsonld/{name}", None, None, "not a JSON-LD context document")
        contexts[url] = document
    return MappingProxyType(contexts)
