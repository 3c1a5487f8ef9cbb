"""The labelled development set: both files say the same, are what the source gives, and use real skills."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scripts.build_extraction_dev_set import FOLDER, build, statistics
from scripts.extraction_dev_source import parse_source

from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.adapters.evaluation import load_dataset
from microcareer.domain.evaluation.datasets import LabelledDataset
from microcareer.domain.progress import NoProgress
from microcareer.domain.taxonomy.concepts import ConceptType, Skill

SOURCE = (FOLDER / "source.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def esco_skills() -> dict[str, Skill]:
    """Every skill of the bundled taxonomy by URI (reading them takes a second or two)."""
    return {skill.uri: skill for skill in bundled_taxonomy().read(NoProgress()).skills}


@pytest.fixture(scope="module")
def conll() -> LabelledDataset:
    return load_dataset(FOLDER / "dev.conll")


@pytest.fixture(scope="module")
def jsonl() -> LabelledDataset:
    return load_dataset(FOLDER / "dev.jsonl")


def _without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_files_are_what_the_source_gives() -> None:
    for name, text in build(SOURCE).items():
        assert (FOLDER / name).read_text(encoding="utf-8") == text, (
            f"rebuild {name}: scripts/build_extraction_dev_set.py"
        )


def test_both_files_hold_the_same_sentences_and_uris(conll: LabelledDataset, jsonl: LabelledDataset) -> None:
    assert [s.sentence_id for s in conll.sentences] == [s.sentence_id for s in jsonl.sentences]
    for tokenised, written in zip(conll.sentences, jsonl.sentences, strict=True):
        assert _without_spaces(tokenised.text) == _without_spaces(written.text), written.sentence_id
        assert tokenised.uris == written.uris, written.sentence_id
        assert {span.uri for span in tokenised.spans} == set(written.uris), written.sentence_id


def test_every_span_covers_the_words_marked_in_the_source(conll: LabelledDataset) -> None:
    _, sentences = parse_source(SOURCE)
    for source, tokenised in zip(sentences, conll.sentences, strict=True):
        marked = [_without_spaces(source.text[s.start : s.end]) for s in source.spans]
        read = [_without_spaces(tokenised.text[s.start : s.end]) for s in tokenised.spans]
        assert marked == read, source.sentence_id


def test_every_uri_is_an_esco_skill_with_the_label_the_source_gives(esco_skills: dict[str, Skill]) -> None:
    aliases, _ = parse_source(SOURCE)
    for alias, (uri, label) in aliases.items():
        assert uri in esco_skills, f"@{alias}: {uri} is not in the bundled taxonomy"
        skill = esco_skills[uri]
        assert skill.concept_type is ConceptType.SKILL, f"@{alias} is a skill group"
        assert skill.preferred_label == label, f"@{alias}: the taxonomy calls {uri} {skill.preferred_label!r}"


def test_the_set_is_big_and_varied_enough(jsonl: LabelledDataset) -> None:
    figures = statistics(SOURCE)
    assert figures["sentences"] == len(jsonl.sentences) >= 160
    assert 0.05 <= figures["share_without_skill"] <= 0.15
    kinds = {s.sentence_id.rsplit("-", 1)[0] for s in jsonl.sentences}
    assert {"job-sw", "job-health", "job-logi", "job-hosp", "job-trade", "cv", "gig"} <= kinds


def test_the_readme_states_the_current_figures() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    figures = statistics(SOURCE)
    for name in ("sentences", "spans", "distinct_uris", "sentences_without_skill"):
        assert f"| {name} | {figures[name]} |" in readme, f"README.md: update the {name} figure"


def test_paths_point_inside_the_repository() -> None:
    assert Path(__file__).resolve().parents[2] / "data" / "extraction_dev" == FOLDER
