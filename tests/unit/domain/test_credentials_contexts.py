"""The pinned JSON-LD contexts all load, and an Open Badges 3.0 credential needs nothing else."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

from microcareer.adapters.jsonld_contexts import PINNED_CONTEXT_FILES, pinned_contexts
from microcareer.domain.credentials.errors import UnapprovedContext
from microcareer.domain.credentials.rdfc import canonical_nquads

OB_EXAMPLE = Path(__file__).parents[2] / "data" / "ob-v3p0" / "ob-signed-credential.json"
FOLDER = files("microcareer.data").joinpath("jsonld")


@pytest.mark.parametrize(("url", "name"), sorted(PINNED_CONTEXT_FILES.items()))
def test_every_pinned_file_loads_as_a_context(url: str, name: str) -> None:
    document = json.loads(FOLDER.joinpath(name).read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict | list)
    assert pinned_contexts()[url] == document
    # each one processes on its own (all its own imports are pinned too)
    canonical_nquads({"@context": url, "@id": "urn:example:1"}, pinned_contexts())


def test_every_pinned_file_is_listed_in_the_readme() -> None:
    readme = FOLDER.joinpath("README.md").read_text(encoding="utf-8")
    for url, name in PINNED_CONTEXT_FILES.items():
        assert f"`{url}`" in readme
        assert f"`{name}`" in readme


def test_the_context_urls_asked_for_issue_5_are_pinned() -> None:
    wanted = {
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://w3id.org/security/data-integrity/v1",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/multikey/v1",
        "https://www.w3.org/ns/did/v1",
    }
    assert wanted <= set(pinned_contexts())


def test_an_ob3_credential_on_context_3_0_3_canonicalises_from_pinned_contexts_only() -> None:
    credential = json.loads(OB_EXAMPLE.read_text(encoding="utf-8"))
    credential.pop("proof")
    credential["@context"] = [
        *credential["@context"],
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    nquads = canonical_nquads(credential, pinned_contexts())
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement>" in nquads
    assert '<https://schema.org/name> "Teamwork Badge"' in nquads


def test_an_ob3_credential_without_its_context_pinned_is_refused() -> None:
    credential = json.loads(OB_EXAMPLE.read_text(encoding="utf-8"))
    only_vc = {url: doc for url, doc in pinned_contexts().items() if "imsglobal" not in url}
    with pytest.raises(UnapprovedContext, match=re.escape("context-3.0.3.json")):
        canonical_nquads(credential, only_vc)
