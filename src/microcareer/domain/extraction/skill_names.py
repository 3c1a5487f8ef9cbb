"""What a person calls a skill → the skills it may name, ranked, each with why it matched.

The one resolver behind every place a skill is named (a profile's "add a skill", the skills search,
an achievement's alignment, a job's skills, the CLI and the API). It reads the two indexes the
platform keeps: the taxonomy's labels (``LabelIndex``: exact, prefix, words, typos) and the extraction
lexicon (``Lexicon``: the same folding of plurals, spellings and bracketed qualifiers as extraction,
the bundled O*NET tool names, labels without their leading verb). So "Docker" names the skill
extraction finds for "Docker" (a tool name), not the labels that merely look like it.

Ranking, best first: a preferred label, an alternative label, a hidden label, the same words as a
label, a tool name, a label without its verb (these *name* a skill); then a label starting with the
text, the text's words in a label, a near spelling (these only *suggest* one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from microcareer.domain.extraction.lexicon import TOOL_RANK, Lexicon
from microcareer.domain.taxonomy.search import LabelIndex, MatchKind

SEARCH_DEPTH = 30  # label-index hits read per name: enough to fill a page of suggestions


class NameMatch(IntEnum):
    """How a name matched a skill, best first; up to ``WITHOUT_VERB`` the name names the skill."""

    PREFERRED = 0
    ALTERNATIVE = 1
    HIDDEN = 2
    SAME_WORDS = 3
    TOOL = 4
    WITHOUT_VERB = 5
    PREFIX = 6
    WORDS = 7
    NEAR_SPELLING = 8

    @property
    def names_the_skill(self) -> bool:
        return self <= NameMatch.WITHOUT_VERB


_LABEL_KINDS = {"preferred": NameMatch.PREFERRED, "alt": NameMatch.ALTERNATIVE, "hidden": NameMatch.HIDDEN}
_SUGGESTION_TIERS = {
    MatchKind.PREFIX: NameMatch.PREFIX,
    MatchKind.WORDS: NameMatch.WORDS,
    MatchKind.FUZZY: NameMatch.NEAR_SPELLING,
}
_WHY = {
    NameMatch.PREFERRED: "preferred label",
    NameMatch.ALTERNATIVE: "alternative label: {label}",
    NameMatch.HIDDEN: "hidden label (a common variant): {label}",
    NameMatch.SAME_WORDS: "same words as the label: {label}",
    NameMatch.TOOL: "tool name: {label}",
    NameMatch.WITHOUT_VERB: "label without its verb: {label}",
    NameMatch.PREFIX: "label starts so: {label}",
    NameMatch.WORDS: "words of the label: {label}",
    NameMatch.NEAR_SPELLING: "near spelling of: {label}",
}


@dataclass(frozen=True, slots=True)
class SkillCandidate:
    """A skill a name may stand for: the label that matched it, and how."""

    uri: str
    label: str
    match: NameMatch

    @property
    def why(self) -> str:
        """Why it matched, for people: "tool name: Docker", "alternative label: Python"."""
        return _WHY[self.match].format(label=self.label)


@dataclass(frozen=True, slots=True)
class NameResolution:
    """Every candidate, best first, and the one skill the name settles on (None: unknown or ambiguous)."""

    name: str
    candidates: tuple[SkillCandidate, ...]
    chosen: SkillCandidate | None

    @property
    def ambiguous(self) -> tuple[SkillCandidate, ...]:
        """The candidates that tie for naming the skill when there is no one choice, else ()."""
        if self.chosen is not None or not self.candidates or not self.candidates[0].match.names_the_skill:
            return ()
        best = self.candidates[0].match
        return tuple(c for c in self.candidates if c.match is best)


def resolve_name(
    name: str,
    *,
    labels: LabelIndex,
    lexicon: Lexicon | None,
    visible_orgs: frozenset[int] | None = None,
    limit: int = 10,
) -> NameResolution:
    """The skills ``name`` may stand for, ranked; ``chosen`` when one alone is named at the best tier."""
    text = " ".join(name.split())
    found: dict[str, tuple[NameMatch, int, SkillCandidate]] = {}

    def offer(candidate: SkillCandidate, order: int) -> None:
        current = found.get(candidate.uri)
        if current is None or (candidate.match, order) < current[:2]:
            found[candidate.uri] = (candidate.match, order, candidate)

    if text:
        hits = labels.search(text, limit=max(limit, SEARCH_DEPTH), visible_orgs=visible_orgs).hits
        for order, hit in enumerate(hits):
            match = (
                _LABEL_KINDS.get(hit.label_kind, NameMatch.HIDDEN)
                if hit.match_kind is MatchKind.EXACT
                else _SUGGESTION_TIERS[hit.match_kind]
            )
            offer(SkillCandidate(hit.uri, hit.matched_label, match), order)
        if lexicon is not None:
            for order, candidate in enumerate(_lexicon_candidates(text, labels, lexicon, visible_orgs)):
                offer(candidate, order)
    ranked = tuple(entry[2] for entry in sorted(found.values(), key=lambda e: (e[0], e[1])))[:limit]
    return NameResolution(text, ranked, _chosen(ranked))


def _lexicon_candidates(
    text: str, labels: LabelIndex, lexicon: Lexicon, visible_orgs: frozenset[int] | None
) -> list[SkillCandidate]:
    found: list[SkillCandidate] = []
    for entry in lexicon.entries_for(text):
        if entry.organisation_id is not None and not (
            visible_orgs is None or entry.organisation_id in visible_orgs
        ):
            continue
        if entry.kind_rank == TOOL_RANK:
            match = NameMatch.TOOL
        elif any(uri == entry.uri for uri, _, _ in labels.exact_labels(entry.label)):
            match = NameMatch.SAME_WORDS  # a real label, written differently ("dashboards", "Python")
        else:
            match = NameMatch.WITHOUT_VERB if entry.kind_rank >= 2 else NameMatch.SAME_WORDS
        found.append(SkillCandidate(entry.uri, entry.label, match))
    found.sort(key=lambda c: (c.match, len(c.label), c.label))
    return found


def _chosen(ranked: Sequence[SkillCandidate]) -> SkillCandidate | None:
    """The best candidate when it names the skill and no other ties with it."""
    if not ranked or not ranked[0].match.names_the_skill:
        return None
    if len(ranked) > 1 and ranked[1].match is ranked[0].match:
        return None
    return ranked[0]
