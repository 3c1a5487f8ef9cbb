"""Tool names (lexicon rows of kind ``tool``): matched as written, guarded, below ESCO's own labels."""

from __future__ import annotations

import pytest

from microcareer.domain.extraction.extractor import SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon

ESCO = "http://data.europa.eu/esco/skill/"
TAXONOMY: list[LabelRow] = [
    (ESCO + "virtualisation", "manage ICT virtualisation environments", "preferred", None),
    (ESCO + "ticketing", "use ICT ticketing system", "preferred", None),
    (ESCO + "spreadsheets", "use spreadsheets software", "preferred", None),
    (ESCO + "words", "use word processing software", "preferred", None),
    (ESCO + "mail", "use communication and collaboration software", "preferred", None),
    (ESCO + "access", "Microsoft Access", "preferred", None),
    (ESCO + "go", "Go", "preferred", None),
    *((ESCO + f"filler{i}", f"word and access of teams {i}", "preferred", None) for i in range(3)),
]
TOOLS: list[LabelRow] = [
    (ESCO + "virtualisation", "Docker", "tool", None),
    (ESCO + "virtualisation", "Kubernetes", "tool", None),
    (ESCO + "ticketing", "JIRA", "tool", None),
    (ESCO + "spreadsheets", "Excel", "tool", None),
    (ESCO + "words", "Word", "tool", None),
    (ESCO + "mail", "Outlook", "tool", None),
    (ESCO + "access", "Access", "tool", None),
    (ESCO + "somewhere-else", "Confluence", "tool", None),  # a skill this taxonomy lacks
]


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(Lexicon([*TAXONOMY, *TOOLS], revision="test"))


def found(extractor: SkillExtractor, text: str) -> list[tuple[str, str]]:
    return [(m.uri.removeprefix(ESCO), m.matched_text) for m in extractor.extract(text).mentions]


def test_tool_names_find_their_skills_with_spans_on_the_names(extractor: SkillExtractor) -> None:
    text = "We deploy with Docker and Kubernetes, track work in Jira"
    result = extractor.extract(text)
    assert [(m.uri.removeprefix(ESCO), text[m.start : m.end]) for m in result.mentions] == [
        ("virtualisation", "Docker"),
        ("virtualisation", "Kubernetes"),
        ("ticketing", "Jira"),
    ]
    assert {m.label for m in result.mentions} == {
        "manage ICT virtualisation environments",
        "use ICT ticketing system",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Go to the office",
        "Access to the building is by badge.",
        "Word of mouth brought us most clients.",
        "You will excel at keeping the outlook of the team positive.",
        "our docker and kubernetes setup",  # one-word tool names count only as written
    ],
)
def test_everyday_words_are_not_tools(extractor: SkillExtractor, text: str) -> None:
    assert found(extractor, text) == []


def test_tools_mid_sentence_count(extractor: SkillExtractor) -> None:
    assert found(extractor, "Experienced in Excel, Word and Outlook.") == [
        ("spreadsheets", "Excel"),
        ("words", "Word"),
        ("mail", "Outlook"),
    ]


def test_tool_names_rank_below_the_taxonomys_own_labels(extractor: SkillExtractor) -> None:
    by_tool = extractor.extract("Knows Docker well").mentions[0].confidence
    own = extractor.extract("Knows Microsoft Access well").mentions[0].confidence
    assert by_tool < own


def test_a_tool_for_a_skill_the_taxonomy_lacks_is_skipped() -> None:
    lexicon = Lexicon([*TAXONOMY, *TOOLS], revision="test")
    assert "somewhere-else" not in {uri.removeprefix(ESCO) for uri in lexicon._uris}
    assert found(SkillExtractor(lexicon), "We document in Confluence.") == []


def test_tool_names_do_not_change_how_the_taxonomys_words_are_guarded() -> None:
    """Lower-case words in tool names are not counted as ordinary words of the taxonomy."""
    plain = Lexicon(TAXONOMY, revision="a")
    with_tools = Lexicon(
        [*TAXONOMY, *TOOLS, (ESCO + "go", "a docker of kubernetes", "tool", None)], revision="b"
    )
    for key in plain.keys:
        assert plain.key_rules[plain.keys.index(key)] == with_tools.key_rules[with_tools.keys.index(key)]
