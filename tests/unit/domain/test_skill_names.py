"""One resolver for a skill's name: on the bundled ESCO and tool names, it names what extraction finds."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from microcareer.adapters.esco_csv import bundled_taxonomy
from microcareer.adapters.tool_names import BundledToolNames
from microcareer.domain.extraction.extractor import SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.skill_names import NameMatch, resolve_name
from microcareer.domain.taxonomy.search import LabelIndex
from microcareer.services.ports import NoProgress

ESCO = "http://data.europa.eu/esco/skill/"


@dataclass(frozen=True)
class Bundle:
    labels: LabelIndex
    lexicon: Lexicon
    extractor: SkillExtractor
    preferred: dict[str, str]


@pytest.fixture(scope="module")
def esco() -> Bundle:
    """The full bundled ESCO (13,896 skills) and the bundled O*NET tool names, as the platform uses them."""
    taxonomy = bundled_taxonomy().read(NoProgress())
    rows: list[LabelRow] = []
    for skill in taxonomy.skills:
        rows.append((skill.uri, skill.preferred_label, "preferred", None))
        rows.extend((skill.uri, label, "alt", None) for label in skill.alt_labels)
        rows.extend((skill.uri, label, "hidden", None) for label in skill.hidden_labels)
    lexicon = Lexicon([*rows, *BundledToolNames().label_rows()])
    preferred = {skill.uri: skill.preferred_label for skill in taxonomy.skills}
    return Bundle(LabelIndex(rows), lexicon, SkillExtractor(lexicon), preferred)


@pytest.mark.parametrize("name", ["Docker", "Django", "Kubernetes", "Microsoft Excel", "Python", "SQL"])
def test_a_name_resolves_to_the_skill_extraction_finds_for_it(esco: Bundle, name: str) -> None:
    extracted = {mention.uri for mention in esco.extractor.extract(name).mentions}
    resolution = resolve_name(name, labels=esco.labels, lexicon=esco.lexicon)
    assert resolution.chosen is not None, resolution.candidates[:3]
    assert {resolution.chosen.uri} == extracted


def test_docker_is_a_tool_name_ranked_above_labels_that_only_look_like_it(esco: Bundle) -> None:
    resolution = resolve_name("docker", labels=esco.labels, lexicon=esco.lexicon)
    first, *others = resolution.candidates
    assert esco.preferred[first.uri] == "manage ICT virtualisation environments"
    assert first.why == "tool name: Docker"
    assert resolution.chosen == first
    assert others
    assert all(not c.match.names_the_skill for c in others)


def test_python_in_lower_case_is_still_the_programming_language_first(esco: Bundle) -> None:
    resolution = resolve_name("python", labels=esco.labels, lexicon=esco.lexicon)
    assert esco.preferred[resolution.candidates[0].uri] == "Python (computer programming)"
    assert resolution.candidates[0].why == "alternative label: Python"
    assert resolution.chosen == resolution.candidates[0]


def test_a_preferred_label_beats_the_same_words_as_another_skills_alternative(esco: Bundle) -> None:
    resolution = resolve_name("SQL", labels=esco.labels, lexicon=esco.lexicon)
    assert resolution.chosen is not None
    assert (esco.preferred[resolution.chosen.uri], resolution.chosen.match) == ("SQL", NameMatch.PREFERRED)
    assert NameMatch.ALTERNATIVE in {c.match for c in resolution.candidates}  # also offered, below


def test_a_plural_and_a_label_without_its_verb_name_their_skill(esco: Bundle) -> None:
    resolution = resolve_name("code reviews", labels=esco.labels, lexicon=esco.lexicon)
    assert resolution.chosen is not None
    assert esco.preferred[resolution.chosen.uri] == "conduct ICT code review"
    assert resolution.chosen.why == "label without its verb: code review"


def test_a_misspelt_name_names_nothing_but_suggests(esco: Bundle) -> None:
    resolution = resolve_name("pythn programming", labels=esco.labels, lexicon=esco.lexicon)
    assert resolution.chosen is None
    assert resolution.candidates
    assert resolution.candidates[0].match is NameMatch.NEAR_SPELLING


def test_an_unknown_word_has_no_candidates(esco: Bundle) -> None:
    resolution = resolve_name("zzqx", labels=esco.labels, lexicon=esco.lexicon)
    assert (resolution.chosen, resolution.candidates) == (None, ())


def test_two_skills_with_the_same_label_are_ambiguous() -> None:
    rows: list[LabelRow] = [
        (ESCO + "a", "budgeting", "alt", None),
        (ESCO + "b", "budgeting", "alt", None),
        (ESCO + "a", "manage budgets", "preferred", None),
        (ESCO + "b", "plan budgets", "preferred", None),
    ]
    resolution = resolve_name("Budgeting", labels=LabelIndex(rows), lexicon=Lexicon(rows))
    assert resolution.chosen is None
    assert {c.uri for c in resolution.ambiguous} == {ESCO + "a", ESCO + "b"}


def test_an_organisations_own_skill_is_named_only_for_its_members() -> None:
    rows: list[LabelRow] = [(ESCO + "x", "ledger closing", "preferred", 7)]
    tools: list[LabelRow] = [(ESCO + "x", "Closr", "tool", 7)]
    labels, lexicon = LabelIndex(rows), Lexicon([*rows, *tools])
    assert resolve_name("Closr", labels=labels, lexicon=lexicon, visible_orgs=frozenset()).candidates == ()
    member = resolve_name("Closr", labels=labels, lexicon=lexicon, visible_orgs=frozenset({7}))
    assert member.chosen is not None
    assert member.chosen.match is NameMatch.TOOL
