"""The pinned JSON Schemas are the published documents their README names, byte for byte."""

from __future__ import annotations

import hashlib
import re
from importlib.resources import files

from microcareer.adapters.json_schemas import OB3_ACHIEVEMENT_CREDENTIAL, PINNED_SCHEMA_FILES, pinned_schemas

FOLDER = files("microcareer.data").joinpath("jsonschema")


def test_the_open_badges_schema_is_the_published_file() -> None:
    readme = FOLDER.joinpath("README.md").read_text(encoding="utf-8")
    documented = re.search(r"sha256 `([0-9a-f]{64})`", readme)
    assert documented is not None, "the README gives the sha256 of the pinned file"
    data = FOLDER.joinpath(OB3_ACHIEVEMENT_CREDENTIAL).read_bytes()
    assert hashlib.sha256(data).hexdigest() == documented.group(1)


def test_both_published_addresses_name_the_same_schema() -> None:
    schemas = pinned_schemas()
    assert set(schemas) == set(PINNED_SCHEMA_FILES)
    documents = {id(document) for document in schemas.values()}
    assert len(documents) == 1
    (document,) = {id(d): d for d in schemas.values()}.values()
    assert document["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    assert "AchievementCredential" in str(document["properties"]["type"])
