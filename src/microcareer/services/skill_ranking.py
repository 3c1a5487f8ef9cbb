"""Ranking the whole taxonomy per sentence: the index of a taxonomy revision, built on first use.

The index holds what the retrievers compare a sentence with: TF-IDF over every skill label (always),
and, when a sentence-embedding model is installed, the embeddings of every preferred label,
alternative label and description (from the on-disk store, else embedded once and saved: minutes for
ESCO on two cores). Without the model the scorer trained for TF-IDF and lexical features alone is used
(``ranking.RETRIEVERS`` less the dense ones). Needs numpy and scikit-learn (base dependencies).
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from microcareer.domain.extraction.extractor import ExtractionOptions
from microcareer.domain.extraction.lexicon import LabelRow
from microcareer.domain.extraction.mentions import Method, SkillMention
from microcareer.domain.extraction.query_adapter import QueryAdapter
from microcareer.domain.extraction.ranked_mentions import Unit, ranking_units, unit_mention
from microcareer.domain.extraction.ranking import (
    ADAPTED,
    RETRIEVERS,
    SPARSE,
    FloatMatrix,
    LexicalHit,
    LinearScorer,
    RankedSkill,
    SkillFacts,
    candidate_features,
    content_words,
    context_match,
    rank,
)
from microcareer.domain.extraction.reranking import (
    ContextSource,
    reads_first_features,
    reads_graph_features,
    rerank,
)
from microcareer.domain.extraction.semantic import NO_ORGANISATION, SkillEmbeddings
from microcareer.domain.progress import NoProgress, Progress
from microcareer.services.ports import SkillEmbeddingStore, TextEmbedder

EMBEDDINGS_FORMAT = 1  # bump when what is stored per text kind changes: caches rebuild
BATCH = 64
PER_UNIT = 20  # ranked skills kept per sentence or clause
PER_DOCUMENT = 200  # and per document, best first


class LabelScorer(Protocol):
    """A fitted label retriever (``adapters.ranking.tfidf.LabelTfidf``): texts → (texts x skills)."""

    def scores(self, texts: Sequence[str]) -> FloatMatrix: ...


# (label texts, owner skill rows, number of skills, analyzer "word" | "char_wb") → a fitted scorer
LabelScorerFactory = Callable[[Sequence[str], Sequence[int], int, str], LabelScorer]


@dataclass(frozen=True)
class RankingTaxonomy:
    """Every skill to rank: URIs, preferred labels, organisations, all labels, descriptions, facts."""

    uris: tuple[str, ...]
    labels: tuple[str, ...]
    organisations: npt.NDArray[np.int64]
    label_texts: tuple[str, ...]  # every label (preferred, alternative, hidden), one row each
    label_owners: tuple[int, ...]  # the skill row of each label
    descriptions: tuple[str, ...]
    facts: SkillFacts
    # per skill: ids of itself and its direct broader concepts, and of the occupations listing it
    # (the re-ranker's graph features); empty when not given
    groups: tuple[frozenset[int], ...] = ()
    occupations: tuple[frozenset[int], ...] = ()

    @classmethod
    def of(
        cls,
        labels: Iterable[LabelRow],
        skills: Iterable[tuple[str, str | None, str | None, str]],
        occupation_links: Iterable[str],
        broader: Iterable[tuple[str, str]] = (),
        occupation_skills: Iterable[tuple[str, str]] = (),
    ) -> RankingTaxonomy:
        """From label rows (uri, label, kind, organisation), skill rows (uri, type, reuse level,
        description), the skill URI of every occupation→skill link and, for the graph features,
        (skill, broader concept) and (occupation, skill) URI pairs."""
        details = {uri: (kind, reuse, description) for uri, kind, reuse, description in skills}
        uris: list[str] = []
        preferred: list[str] = []
        organisations: list[int] = []
        others: list[tuple[str, str]] = []
        for uri, label, kind, organisation_id in labels:
            if kind == "preferred":
                uris.append(uri)
                preferred.append(label)
                organisations.append(NO_ORGANISATION if organisation_id is None else organisation_id)
            elif kind in ("alt", "hidden"):
                others.append((uri, label))
        row = {uri: i for i, uri in enumerate(uris)}
        texts = list(preferred)
        owners = list(range(len(uris)))
        for uri, label in others:
            if uri in row and label.strip():
                texts.append(label.strip())
                owners.append(row[uri])
        counts = Counter(occupation_links)
        facts = SkillFacts.of(
            [details.get(u, (None, None, ""))[0] for u in uris],
            [details.get(u, (None, None, ""))[1] for u in uris],
            preferred,
            [counts[u] for u in uris],
        )
        descriptions = tuple(
            details.get(u, (None, None, ""))[2] or p for u, p in zip(uris, preferred, strict=True)
        )
        return cls(
            tuple(uris),
            tuple(preferred),
            np.asarray(organisations, dtype=np.int64),
            tuple(texts),
            tuple(owners),
            descriptions,
            facts,
            *_graph(uris, broader, occupation_skills),
        )


def _graph(
    uris: Sequence[str], broader: Iterable[tuple[str, str]], occupation_skills: Iterable[tuple[str, str]]
) -> tuple[tuple[frozenset[int], ...], tuple[frozenset[int], ...]]:
    """Per skill: {itself, its direct broader concepts} and {occupations listing it}, as ids (both
    empty when no pairs are given)."""
    row = {uri: i for i, uri in enumerate(uris)}
    concepts: dict[str, int] = {uri: i for i, uri in enumerate(uris)}
    groups: list[set[int]] = [{i} for i in range(len(uris))]
    given = False
    for skill, parent in broader:
        given = True
        if skill in row:
            groups[row[skill]].add(concepts.setdefault(parent, len(concepts)))
    jobs: dict[str, int] = {}
    occupations: list[set[int]] = [set() for _ in uris]
    for occupation, skill in occupation_skills:
        if skill in row:
            occupations[row[skill]].add(jobs.setdefault(occupation, len(jobs)))
    return (
        tuple(frozenset(g) for g in groups) if given else (),
        tuple(frozenset(o) for o in occupations) if jobs else (),
    )


@runtime_checkable
class TokenEmbedder(TextEmbedder, Protocol):
    """A ``TextEmbedder`` that also gives each text's token embeddings from the same forward pass."""

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[FloatMatrix, list[FloatMatrix]]: ...


class DenseSkills:
    """Skill embeddings for the dense retrievers: preferred labels (every skill scored), all labels
    and descriptions (only a sentence's pool scored: ~112k label rows are too many for each).
    ``embedder`` embeds the sentences (the queries), ``gate`` (when given) reads a sentence's vector
    and says how likely it asks for any skill at all; ``adapter`` (when given) maps a sentence's
    vector before its cosine with every preferred label (the ``dense_adapt`` retriever)."""

    def __init__(
        self,
        taxonomy: RankingTaxonomy,
        vectors: Mapping[str, FloatMatrix],
        embedder: TextEmbedder,
        gate: LinearScorer | None = None,
        adapter: QueryAdapter | None = None,
    ) -> None:
        self.embedder = embedder
        self.gate = gate
        self.adapter = adapter
        self.pref = np.ascontiguousarray(vectors["pref"], dtype=np.float32)
        self.desc = np.ascontiguousarray(vectors["desc"], dtype=np.float32)
        owners = np.asarray(taxonomy.label_owners, dtype=np.int64)
        order = np.argsort(owners, kind="stable")
        self.labels = np.ascontiguousarray(vectors["labels"][order], dtype=np.float32)
        counts = np.bincount(owners, minlength=len(taxonomy.uris))
        self.ends = np.cumsum(counts)
        self.starts = self.ends - counts

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        return self.embedder.embed(texts).astype(np.float32, copy=False)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[FloatMatrix, list[FloatMatrix] | None]:
        """The texts' vectors, and their token embeddings when the model gives them (else None)."""
        if isinstance(self.embedder, TokenEmbedder):
            vectors, tokens = self.embedder.embed_with_tokens(texts)
            return vectors.astype(np.float32, copy=False), tokens
        return self.embed(texts), None

    def pooled(
        self, query: FloatMatrix, members: npt.NDArray[np.int64], tokens: FloatMatrix | None = None
    ) -> dict[str, FloatMatrix]:
        """The best label's cosine and the description's, for the pool's skills; and with the
        sentence's ``tokens`` the token attention's score of each preferred label (``context_match``:
        without tokens the sentence vector stands in, and the score is the preferred label's cosine)."""
        counts = self.ends[members] - self.starts[members]
        segments = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rows = np.repeat(self.starts[members] - segments, counts) + np.arange(int(counts.sum()))
        best = np.maximum.reduceat(self.labels[rows] @ query, segments)
        preferred = self.pref[members]
        context = context_match(tokens, preferred) if tokens is not None else preferred @ query
        return {"dense_alt": best, "dense_desc": self.desc[members] @ query, "dense_ctx": context}


class SkillRanker:
    """Ranks every skill of a taxonomy for sentences; the extractor's ranking hook (``__call__``)."""

    def __init__(
        self,
        taxonomy: RankingTaxonomy,
        sparse: Mapping[str, LabelScorer],
        dense: DenseSkills | None,
        scorer: LinearScorer,
        reranker: LinearScorer | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.sparse = sparse
        self.dense = dense
        self.scorer = scorer
        # the second stage (``reranking``) needs the skill vectors: none without the model
        self.reranker = reranker if dense is not None else None
        self.rerank_reads_first = (
            reads_first_features(self.reranker, scorer.names) if self.reranker is not None else False
        )
        self.rerank_reads_graph = self.reranker is not None and reads_graph_features(self.reranker)
        if self.rerank_reads_graph and not (taxonomy.groups and taxonomy.occupations):
            self.reranker = None  # fail closed to the first stage: no graph to read (a bare taxonomy)
            self.rerank_reads_graph = False
        # a scorer trained with the query adapter reads its retriever; without an adapter for the
        # model (another embedding model) the plain sentence vector stands in (the identity map)
        adapted = "dense_adapt_score" in scorer.names
        self.retrievers = SPARSE if dense is None else ADAPTED if adapted else RETRIEVERS
        self.row = {uri: i for i, uri in enumerate(taxonomy.uris)}

    def features(
        self,
        texts: Sequence[str],
        found: Sequence[Sequence[SkillMention]],
        visible_orgs: frozenset[int] | None = None,
    ) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
        """Candidates and their features for each text (``found[i]``: the lexical pass's mentions)."""
        return self._features(texts, found, visible_orgs, [])

    def _features(
        self,
        texts: Sequence[str],
        found: Sequence[Sequence[SkillMention]],
        visible_orgs: frozenset[int] | None,
        asks: list[float],
    ) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
        """``features``, and appends to ``asks`` each text's probability of asking for a skill (the
        sentence gate's, doubled and capped at 1: only sentences it thinks more likely to ask for none
        lose score; 1.0 without a gate)."""
        result: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]] = []
        hidden = self._hidden(visible_orgs)
        for begin in range(0, len(texts), BATCH):
            batch = texts[begin : begin + BATCH]
            lexical = [self._lexical(mentions) for mentions in found[begin : begin + BATCH]]
            scores = {name: self.sparse[name].scores(batch) for name in SPARSE}
            pooled = None
            gate = None
            if self.dense is not None:
                queries, tokens = self.dense.embed_with_tokens(batch)
                scores["dense_pref"] = queries @ self.dense.pref.T
                if "dense_adapt" in self.retrievers:
                    adapter = self.dense.adapter
                    adapted = adapter.apply(queries) if adapter is not None else queries
                    scores["dense_adapt"] = adapted @ self.dense.pref.T
                pooled = partial(_pooled, self.dense, queries, tokens)
                if self.dense.gate is not None and queries.shape[1] == len(self.dense.gate.names):
                    # below even odds the gate scales a sentence's skills down, to 0 where it is sure
                    gate = np.minimum(1.0, 2.0 * self.dense.gate.probabilities(queries))
            asks += [1.0] * len(batch) if gate is None else gate.tolist()

            result += candidate_features(
                scores,
                self.taxonomy.facts,
                lexical,
                texts=batch,
                retrievers=self.retrievers,
                hidden=hidden,
                pooled=pooled,
            )
        return result

    def __call__(
        self, items: Sequence[tuple[str, Sequence[SkillMention]]], options: ExtractionOptions
    ) -> list[list[SkillMention]]:
        """Each text's units' best skills as mentions, best first (ties: text order); all the texts'
        units go through the model together. A skill's score is the scorer's probability times the
        sentence gate's weight (a unit that asks for no skill, "Salary: €55,000", gets low scores
        throughout; the order within a unit does not change)."""
        units: list[tuple[int, Unit, list[SkillMention]]] = []
        for number, (text, found) in enumerate(items):
            for unit in ranking_units(text):
                inside = [m for m in found if unit.start <= m.start and m.end <= unit.end]
                units.append((number, unit, inside))
        asks: list[float] = []
        features = self._features(
            [u.text for _, u, _ in units], [f for _, _, f in units], options.visible_orgs, asks
        )
        results: list[list[SkillMention]] = [[] for _ in items]
        for (number, unit, inside), (chosen, matrix), ask in zip(units, features, asks, strict=True):
            for ranked in self._ranked(unit.text, chosen, matrix, options.top or PER_UNIT):
                uri = self.taxonomy.uris[ranked.index]
                if uri not in options.exclude:
                    label = self.taxonomy.labels[ranked.index]
                    score = ranked.probability * ask
                    results[number].append(unit_mention(unit, uri, label, score, inside))
        for mentions in results:
            mentions.sort(key=lambda m: (-m.confidence, m.start, m.uri))
            del mentions[PER_DOCUMENT:]
        return results

    def _ranked(
        self, text: str, chosen: npt.NDArray[np.int64], matrix: npt.NDArray[np.float32], top: int
    ) -> list[RankedSkill]:
        """A unit's best ``top`` candidates: by the scorer, then by the re-ranker when there is one."""
        if self.reranker is None or self.dense is None:
            return rank(self.scorer, chosen, matrix, top)
        graph = None
        if self.rerank_reads_graph:
            graph = (self.taxonomy.groups, self.taxonomy.occupations)
        context = ContextSource(
            self.dense.pref, self.dense.desc, self._description_words, content_words(text), graph
        )
        return rerank(self.scorer, self.reranker, self.rerank_reads_first, chosen, matrix, context, top)

    @cached_property
    def _description_words(self) -> tuple[frozenset[str], ...]:
        """Each skill's description's content words (interned: the skills share one vocabulary)."""
        return tuple(
            frozenset(sys.intern(w) for w in content_words(text)) for text in self.taxonomy.descriptions
        )

    def _lexical(self, mentions: Sequence[SkillMention]) -> dict[int, LexicalHit]:
        """Per skill row: the best confidence of its mentions and the kinds of match they made (a
        label the taxonomy gives the skill, preferred or other; else a tool name or acronym)."""
        best: dict[int, LexicalHit] = {}
        for mention in mentions:
            row = self.row.get(mention.uri)
            if row is None:
                continue
            kinds = set()
            if mention.method is Method.FUZZY:
                kinds.add("fuzzy")
            else:
                written = mention.matched_label.strip().casefold()
                if written == self.taxonomy.labels[row].strip().casefold():
                    kinds.add("preferred")
                elif (row, written) in self._other_labels:
                    kinds.add("alternative")
                else:
                    kinds.add("tool")
            if any(c.isupper() for c in mention.matched_text):
                kinds.add("capitalised")
            before = best.get(row)
            if before is not None:
                kinds |= before.kinds
            confidence = max(before.confidence if before else 0.0, mention.confidence)
            best[row] = LexicalHit(confidence, frozenset(kinds))
        return best

    @cached_property
    def _other_labels(self) -> frozenset[tuple[int, str]]:
        """(skill row, case-folded label) of every alternative and hidden label."""
        owners, texts = self.taxonomy.label_owners, self.taxonomy.label_texts
        skills = len(self.taxonomy.uris)
        return frozenset((o, t.casefold()) for o, t in zip(owners[skills:], texts[skills:], strict=True))

    def _hidden(self, visible_orgs: frozenset[int] | None) -> npt.NDArray[np.bool_] | None:
        organisations = self.taxonomy.organisations
        if visible_orgs is None or not (organisations != NO_ORGANISATION).any():
            return None
        allowed = np.isin(organisations, np.fromiter(visible_orgs, dtype=np.int64, count=len(visible_orgs)))
        return np.asarray((organisations != NO_ORGANISATION) & ~allowed, dtype=np.bool_)


def _pooled(
    dense: DenseSkills,
    queries: FloatMatrix,
    tokens: list[FloatMatrix] | None,
    i: int,
    members: npt.NDArray[np.int64],
) -> dict[str, FloatMatrix]:
    return dense.pooled(queries[i], members, tokens[i] if tokens is not None else None)


def dense_vectors(
    taxonomy: RankingTaxonomy,
    embedder: TextEmbedder,
    store: SkillEmbeddingStore | None,
    revision_id: str,
    progress: Progress | None = None,
    only: Sequence[str] = ("pref", "labels", "desc"),
) -> dict[str, FloatMatrix]:
    """The embeddings of every preferred label, label and description (``only`` those kinds):
    stored, else embedded and saved."""
    kinds = {
        "pref": (list(taxonomy.uris), list(taxonomy.labels)),
        "labels": ([taxonomy.uris[o] for o in taxonomy.label_owners], list(taxonomy.label_texts)),
        "desc": (list(taxonomy.uris), list(taxonomy.descriptions)),
    }
    vectors: dict[str, FloatMatrix] = {}
    for kind, (uris, texts) in kinds.items():
        if kind not in only:
            continue
        key = f"{embedder.model_name}|ranking-{kind}|{EMBEDDINGS_FORMAT}"
        stored = store.load(key) if store is not None else None
        matrix = _reused(stored[1] if stored else None, uris, texts, embedder, kind, progress or NoProgress())
        if store is not None and (
            stored is None or stored[0] != revision_id or len(stored[1].uris) != len(texts)
        ):
            organisations = np.full(len(texts), NO_ORGANISATION, dtype=np.int64)
            # float16 on disk: half the size, and cosines move by less than 1e-3
            half = SkillEmbeddings(tuple(uris), tuple(texts), organisations, matrix.astype(np.float16))
            store.save(key, revision_id, half)
        vectors[kind] = matrix
    return vectors


def _reused(
    stored: SkillEmbeddings | None,
    uris: list[str],
    texts: list[str],
    embedder: TextEmbedder,
    kind: str,
    progress: Progress,
) -> FloatMatrix:
    """Vectors for (uri, text) pairs: those stored (any revision, any order) reused, the rest embedded."""
    if stored is not None and stored.uris == tuple(uris) and stored.labels == tuple(texts):
        return stored.vectors  # the same texts in the same order (a warm start): no look-ups
    known = {pair: i for i, pair in enumerate(zip(stored.uris, stored.labels, strict=True))} if stored else {}
    rows = [known.get(pair, -1) for pair in zip(uris, texts, strict=True)]
    missing = [i for i, row in enumerate(rows) if row < 0]
    fresh = _embedded([texts[i] for i in missing], embedder, KIND_NAMES[kind], progress) if missing else None
    width = fresh.shape[1] if fresh is not None else stored.vectors.shape[1] if stored is not None else 0
    matrix = np.zeros((len(texts), width), dtype=np.float32)
    if stored is not None:
        have = [i for i, row in enumerate(rows) if row >= 0]
        matrix[have] = stored.vectors[[rows[i] for i in have]]
    if fresh is not None:
        matrix[missing] = fresh
    return matrix


KIND_NAMES = {"pref": "preferred labels", "labels": "labels", "desc": "descriptions"}
EMBED_CHUNK = 2048  # texts per progress step: minutes of embedding show as a moving bar


def _embedded(texts: list[str], embedder: TextEmbedder, name: str, progress: Progress) -> FloatMatrix:
    progress.stage(f"embedding the skills' {name}", total=len(texts))
    parts = []
    for start in range(0, len(texts), EMBED_CHUNK):
        chunk = texts[start : start + EMBED_CHUNK]
        parts.append(embedder.embed(chunk).astype(np.float32, copy=False))
        progress.advance(len(chunk))
    return np.vstack(parts)


@dataclass(frozen=True)
class RankingIndex:
    """What a ranker is built from that takes seconds to make (reading the taxonomy, fitting TF-IDF)
    and little to load: kept per taxonomy revision by a ``RankingIndexStore``."""

    revision_id: str
    taxonomy: RankingTaxonomy
    sparse: Mapping[str, LabelScorer]


class RankingIndexStore(Protocol):
    """Where ranking indexes are kept between runs (a cache: losing it costs a refit)."""

    def load(self, revision_id: str) -> RankingIndex | None: ...

    def save(self, index: RankingIndex) -> None: ...


class SkillRanking:
    """Makes one lazily built ranker per taxonomy revision (``ExtractorCache`` calls it)."""

    def __init__(
        self,
        sparse: LabelScorerFactory,
        scorers: Callable[[bool], LinearScorer],
        embedder: TextEmbedder | None,
        store: SkillEmbeddingStore | None,
        queries: TextEmbedder | None = None,
        gate: LinearScorer | None = None,
        indexes: RankingIndexStore | None = None,
        adapter: QueryAdapter | None = None,
        reranker: LinearScorer | None = None,
    ) -> None:
        self.sparse = sparse
        self.scorers = scorers  # dense available → the scorer trained for those features
        self.embedder = embedder  # embeds the taxonomy (once, stored)
        self.store = store
        self.queries = queries  # embeds the sentences (a faster copy of ``embedder``); None: embedder
        self.gate = gate  # the sentence gate over the queries' vectors; None: every sentence counts
        self.indexes = indexes  # the taxonomy and fitted TF-IDF per revision; None: read and fit each run
        self.adapter = adapter  # the query adapter for the queries' vectors; None: no dense_adapt retriever
        self.reranker = reranker  # the second stage over the scorer's best candidates (with the model)

    def __call__(self, revision_id: str, taxonomy: Callable[[], RankingTaxonomy]) -> LazySkillRanker:
        return LazySkillRanker(self, revision_id, taxonomy)

    def build(
        self, revision_id: str, taxonomy: RankingTaxonomy, progress: Progress | None = None
    ) -> SkillRanker:
        return self.assemble(self.index(revision_id, taxonomy), progress)

    def index(self, revision_id: str, taxonomy: RankingTaxonomy) -> RankingIndex:
        """The taxonomy with its label TF-IDF fitted (word 1-2-grams, character 3-5-grams)."""
        sparse = {
            "tfidf_word": self.sparse(
                taxonomy.label_texts, taxonomy.label_owners, len(taxonomy.uris), "word"
            ),
            "tfidf_char": self.sparse(
                taxonomy.label_texts, taxonomy.label_owners, len(taxonomy.uris), "char_wb"
            ),
        }
        return RankingIndex(revision_id, taxonomy, sparse)

    def stored(
        self, revision_id: str, taxonomy: Callable[[], RankingTaxonomy], progress: Progress | None = None
    ) -> SkillRanker:
        """The ranker from the revision's stored index, else the taxonomy read and TF-IDF fitted now
        (and stored)."""
        index = self.indexes.load(revision_id) if self.indexes is not None else None
        if index is None:
            index = self.index(revision_id, taxonomy())
            if self.indexes is not None:
                self.indexes.save(index)
        return self.assemble(index, progress)

    def assemble(self, index: RankingIndex, progress: Progress | None = None) -> SkillRanker:
        """The ranker of an index: with the model, its skill vectors stored (else embedded now)."""
        dense = None
        if self.embedder is not None:
            vectors = dense_vectors(index.taxonomy, self.embedder, self.store, index.revision_id, progress)
            dense = DenseSkills(
                index.taxonomy, vectors, self.queries or self.embedder, self.gate, self.adapter
            )
            dense.embed(["warm-up"])  # loads the model now, not inside the first text's time
        return SkillRanker(
            index.taxonomy, index.sparse, dense, self.scorers(dense is not None), self.reranker
        )


class LazySkillRanker:
    """A ``SkillRanker`` that builds its index (and loads the model) when first called."""

    def __init__(
        self, ranking: SkillRanking, revision_id: str, taxonomy: Callable[[], RankingTaxonomy]
    ) -> None:
        self._ranking = ranking
        self._revision_id = revision_id
        self._taxonomy = taxonomy
        self._lock = threading.Lock()
        self._ranker: SkillRanker | None = None

    def ready(self, progress: Progress | None = None) -> SkillRanker:
        """The ranker, built now if it is not yet (``progress`` shows the embedding of the taxonomy)."""
        with self._lock:
            if self._ranker is None:
                self._ranker = self._ranking.stored(self._revision_id, self._taxonomy, progress)
            return self._ranker

    def __call__(
        self, items: Sequence[tuple[str, Sequence[SkillMention]]], options: ExtractionOptions
    ) -> list[list[SkillMention]]:
        return self.ready()(items, options)

    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        """Sent to a Dask worker as nothing: ranking stays in this process (Dask refuses it)."""
        return _nothing, ()


def _nothing() -> None:
    return None
