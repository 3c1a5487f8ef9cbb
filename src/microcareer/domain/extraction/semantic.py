"""The semantic method: each clause of a text embedded and compared with every skill's embedding.

It finds skills written in words no label has ("I track down and fix bugs in our software" → debug
software; the issue's own example, "wrote the deployment scripts" → shell scripting, scores 0.37, below
the floor, so it is not found).
Vectors come from outside (a sentence-embedding model behind ``Embed``); here they are only compared.
Needs numpy, which the ``semantic`` extra installs: import this module only when that extra is there.

Confidence is the cosine similarity put on the shared 0..1 scale: ``COSINE_AT_FLOOR`` maps to 0.5 (the
default floor), ``COSINE_AT_TOP`` and above to ``SEMANTIC_MAX``, linearly between. A meaning match is a
weaker sign than a label written word for word, so it never ranks above a preferred label (0.95).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microcareer.domain.extraction.acronyms import definitions
from microcareer.domain.extraction.clauses import Clause, clauses
from microcareer.domain.extraction.extractor import ExtractionOptions
from microcareer.domain.extraction.lexicon import LabelRow
from microcareer.domain.extraction.mentions import Method, SkillMention
from microcareer.domain.extraction.text_keys import TextKeys

FloatMatrix = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], FloatMatrix]  # texts → one unit-length row each

SKILL_TEXT_FORMAT = "label"  # what is embedded per skill (part of the cache key): the preferred label
COSINE_AT_FLOOR = 0.55
COSINE_AT_TOP = 0.85
SEMANTIC_MAX = 0.85
MIN_COSINE = 0.45  # below this nothing is kept, whatever floor a caller asks for
TOP_SKILLS_PER_CLAUSE = 2
MIN_CLAUSE_WORDS = 2  # a clause of one word is a label or nothing: the lexical pass has it
EXPLAINED_SHARE = 0.5  # a clause whose words are this much inside found mentions is explained already
NO_ORGANISATION = -1


@dataclass(frozen=True)
class SkillEmbeddings:
    """One unit-length row per skill, with its URI, preferred label and organisation (-1: ESCO)."""

    uris: tuple[str, ...]
    labels: tuple[str, ...]
    organisations: npt.NDArray[np.int64]
    vectors: FloatMatrix

    def __post_init__(self) -> None:
        rows = len(self.uris)
        if len(self.labels) != rows or self.organisations.shape != (rows,) or self.vectors.shape[0] != rows:
            raise ValueError("skill embeddings: uris, labels, organisations and vectors differ in length")

    def visible(self, visible_orgs: frozenset[int] | None) -> npt.NDArray[np.bool_]:
        """Which rows an actor may see: ESCO skills, and their own organisations' skills."""
        if visible_orgs is None:
            return np.ones(len(self.uris), dtype=np.bool_)
        own = np.isin(self.organisations, np.fromiter(visible_orgs, dtype=np.int64, count=len(visible_orgs)))
        return np.asarray((self.organisations == NO_ORGANISATION) | own, dtype=np.bool_)


def skill_texts(rows: Iterable[LabelRow]) -> tuple[list[str], list[str], list[int]]:
    """(uris, texts to embed, organisations) from label rows: one entry per skill with a preferred label."""
    uris: list[str] = []
    texts: list[str] = []
    organisations: list[int] = []
    for uri, label, kind, organisation_id in rows:
        if kind != "preferred":
            continue
        uris.append(uri)
        texts.append(label)
        organisations.append(NO_ORGANISATION if organisation_id is None else organisation_id)
    return uris, texts, organisations


def embed_skills(
    rows: Iterable[LabelRow], embed: Embed, reuse: SkillEmbeddings | None = None
) -> SkillEmbeddings:
    """Every skill's embedding; those ``reuse`` has for the same URI and text are taken from it, so an
    organisation's new skill or a re-import with few changes embeds only what changed."""
    uris, texts, organisations = skill_texts(rows)
    known = {pair: i for i, pair in enumerate(zip(reuse.uris, reuse.labels, strict=True))} if reuse else {}
    missing = [i for i, pair in enumerate(zip(uris, texts, strict=True)) if pair not in known]
    fresh = embed([texts[i] for i in missing]) if missing else None
    width = fresh.shape[1] if fresh is not None else reuse.vectors.shape[1] if reuse is not None else 0
    vectors = np.zeros((len(uris), width), dtype=np.float32)
    if fresh is not None:
        vectors[missing] = fresh
    if reuse is not None:
        kept = [(i, known[pair]) for i, pair in enumerate(zip(uris, texts, strict=True)) if pair in known]
        if kept:
            rows_now, rows_then = zip(*kept, strict=True)
            vectors[list(rows_now)] = reuse.vectors[list(rows_then)]
    return SkillEmbeddings(tuple(uris), tuple(texts), np.asarray(organisations, dtype=np.int64), vectors)


def confidence(cosine: float) -> float:
    """Cosine similarity on the shared confidence scale (0.5 at ``COSINE_AT_FLOOR``)."""
    share = (cosine - COSINE_AT_FLOOR) / (COSINE_AT_TOP - COSINE_AT_FLOOR)
    return round(min(SEMANTIC_MAX, max(0.0, 0.5 + share * (SEMANTIC_MAX - 0.5))), 4)


class SemanticMatcher:
    """The ``SkillExtractor``'s semantic hook: clause embeddings against skill embeddings."""

    def __init__(self, skills: SkillEmbeddings, embed: Embed) -> None:
        self.skills = skills
        self.embed = embed

    def __call__(
        self, text: str, keys: TextKeys, found: Sequence[SkillMention], options: ExtractionOptions
    ) -> list[SkillMention]:
        pending = [c for c in clauses(text) if c.words >= MIN_CLAUSE_WORDS and not _explained(c, found)]
        if not pending or not self.skills.uris:
            return []
        defined = {acronym: m.matched_text for acronym, m in definitions(text, found).items()}
        vectors = self.embed([_expanded(c.text, defined) for c in pending])
        similarities = vectors @ self.skills.vectors.T
        similarities[:, ~self.skills.visible(options.visible_orgs)] = -1.0
        known = {m.uri for m in found} | options.exclude
        mentions: list[SkillMention] = []
        for clause, row in zip(pending, similarities, strict=True):
            mentions += self._clause_mentions(clause, row, known)
        return mentions

    def _clause_mentions(
        self, clause: Clause, row: npt.NDArray[np.float32], known: set[str]
    ) -> list[SkillMention]:
        wanted = min(len(row), TOP_SKILLS_PER_CLAUSE + len(known))
        top = np.argpartition(-row, wanted - 1)[:wanted]
        best = top[np.argsort(-row[top], kind="stable")]
        mentions: list[SkillMention] = []
        for index in best:
            cosine = float(row[index])
            uri = self.skills.uris[index]
            if cosine < MIN_COSINE or len(mentions) == TOP_SKILLS_PER_CLAUSE:
                break
            if uri in known:
                continue  # the lexical pass found it, at a tighter span
            label = self.skills.labels[index]
            mentions.append(
                SkillMention(
                    uri=uri,
                    label=label,
                    start=clause.start,
                    end=clause.end,
                    matched_text=clause.text,
                    matched_label=label,
                    method=Method.SEMANTIC,
                    confidence=confidence(cosine),
                )
            )
        return mentions


def _explained(clause: Clause, found: Sequence[SkillMention]) -> bool:
    """Are most of the clause's characters inside mentions found already (a list of skill names)?"""
    covered: set[int] = set()
    for mention in found:
        covered.update(range(max(mention.start, clause.start), min(mention.end, clause.end)))
    return len(covered) >= EXPLAINED_SHARE * (clause.end - clause.start)


def _expanded(clause_text: str, defined: dict[str, str]) -> str:
    """The clause with each acronym the document defines written out ("NLP" → its phrase)."""
    if not defined:
        return clause_text
    names = "|".join(re.escape(acronym) for acronym in sorted(defined, key=len, reverse=True))
    return re.sub(rf"(?<!\w)({names})(?!\w)", lambda match: defined[match.group(1)], clause_text)
