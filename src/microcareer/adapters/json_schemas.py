"""The approved JSON Schemas for ``credentialSchema``, pinned in ``microcareer/data/jsonschema/``.

Verification validates only against this set (see its README); a schema not listed is never fetched.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from microcareer.errors import DataFileError

OB3_ACHIEVEMENT_CREDENTIAL = "ob_v3p0_achievementcredential_schema.json"
PINNED_SCHEMA_FILES = {
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json": (
        OB3_ACHIEVEMENT_CREDENTIAL
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json": (
        OB3_ACHIEVEMENT_CREDENTIAL
    ),
}


@cache
def pinned_schemas() -> MappingProxyType[str, dict[str, Any]]:
    """Schema id → parsed JSON Schema, for every pinned schema."""
    folder = files("microcareer.data").joinpath("jsonschema")
    loaded: dict[str, dict[str, Any]] = {}
    schemas: dict[str, dict[str, Any]] = {}
    for url, name in PINNED_SCHEMA_FILES.items():
        if name not in loaded:
            try:
                document = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                raise DataFileError(f"data/jsonschema/{name}", error.lineno, None, error.msg) from None
            if not isinstance(document, dict) or "$schema" not in document:
                raise DataFileError(f"data/jsonschema/{name}", None, None, "not a JSON Schema document")
            loaded[name] = document
        schemas[url] = loaded[name]
    return MappingProxyType(schemas)
