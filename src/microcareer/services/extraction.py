"""Extract skills from texts: the lexicon of the stored taxonomy, built once per revision and cached.

The lexicon comes from memory (same process), else from the on-disk store (``LexiconStore``), else it
is built from the taxonomy's labels (a few seconds) and saved for the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from microcareer.domain.accounts import Actor
from microcareer.domain.extraction.extractor import ExtractionOptions, Ranker, SemanticMatcher, SkillExtractor
from microcareer.domain.extraction.lexicon import LabelRow, Lexicon
from microcareer.domain.extraction.mentions import DocumentExtraction, Method
from microcareer.errors import InvalidInput, NotReady
from microcareer.services.access import Action, authorize, visible_organisations

if TYPE_CHECKING:  # only in annotations: ports imports every port's domain types (slow start-up)
    from microcareer.services.ports import ExtractionSource, LexiconStore, ToolNameSource
    from microcareer.services.skill_ranking import RankingTaxonomy

CACHE_KEY = "extraction.extractor"
MAX_TEXT_LENGTH = 2_000_000
MAX_TOP = 100
DEFAULT_METHODS = frozenset({Method.LEXICAL, Method.FUZZY})
# (revision id, a way to read its label rows) → the semantic matcher; bootstrap gives one when the
# semantic extra is installed (``semantic_extraction.SemanticMatching``)
SemanticFactory = Callable[[str, Callable[[], Iterable[LabelRow]]], SemanticMatcher]
# (revision id, a way to read the taxonomy as the ranker needs it) → the ranker; bootstrap gives one
# when numpy and scikit-learn are installed (``skill_ranking.SkillRanking``)
RankingFactory = Callable[[str, Callable[[], "RankingTaxonomy"]], Ranker]


@dataclass(frozen=True)
class ExtractionRequest:
    """What to extract with: methods, the confidence floor, and who asks (for organisation skills)."""

    methods: frozenset[Method] = DEFAULT_METHODS
    min_confidence: float = 0.5
    top: int = 0  # ranking: skills kept per sentence or clause (0: the ranker's default)


@dataclass(frozen=True)
class ViewDefaults:
    methods: str
    min_confidence: float


RANKED_VIEW = ViewDefaults("lexical,fuzzy,ranking", 0.0)  # every candidate, scored, best first
PRECISE_VIEW = ViewDefaults("lexical,fuzzy", 0.5)  # what the text names: a recruiter's list


def view_defaults(ranked: bool) -> ViewDefaults:
    """The methods and floor of the ranked view (for ranking metrics, search) or the precise one."""
    return RANKED_VIEW if ranked else PRECISE_VIEW


class ExtractorCache:
    """One extractor per process, rebuilt when the stored taxonomy's revision moves on."""

    def __init__(
        self,
        semantic: SemanticFactory | None = None,
        *,
        tool_names: ToolNameSource | None = None,
        ranking: RankingFactory | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._built: SkillExtractor | None = None
        self._semantic = semantic
        self._ranking = ranking
        self._tools = tool_names

    def get(self, uow: ExtractionSource, store: LexiconStore | None) -> SkillExtractor:
        """The extractor of ``uow``'s taxonomy: a unit of work (the database's), or the bundled ESCO."""
        with uow:
            revision_id = uow.taxonomy.revision_id()
            lexicon_id = lexicon_revision(revision_id, self._tools)
            built = self._built
            if built is not None and built.lexicon.revision == lexicon_id:
                return built
            with self._lock:
                if self._built is None or self._built.lexicon.revision != lexicon_id:
                    lexicon = store.load(lexicon_id) if store is not None else None
                    if lexicon is None:
                        rows = uow.taxonomy.extraction_label_rows()
                        tools = self._tools.label_rows() if self._tools is not None else ()
                        lexicon = Lexicon(chain(rows, tools), revision=lexicon_id)
                        if len(lexicon) == 0:
                            raise NotReady("the taxonomy is empty: run `microcareer init` to load ESCO")
                        if store is not None:
                            store.save(lexicon)
                    self._built = SkillExtractor(
                        lexicon,
                        semantic=self._semantic_for(uow, revision_id),
                        ranker=self._ranker_for(uow, revision_id),
                    )
                return self._built

    def _semantic_for(self, uow: ExtractionSource, revision_id: str) -> SemanticMatcher | None:
        if self._semantic is None:
            return None

        def rows() -> list[LabelRow]:  # read only if the skill embeddings are not cached yet
            with uow:
                return list(uow.taxonomy.extraction_label_rows())

        return self._semantic(revision_id, rows)

    def _ranker_for(self, uow: ExtractionSource, revision_id: str) -> Ranker | None:
        if self._ranking is None:
            return None

        def taxonomy() -> RankingTaxonomy:  # read when the ranker is first used
            from microcareer.services.skill_ranking import RankingTaxonomy

            with uow:
                jobs = [(occupation, skill) for occupation, skill, _ in uow.taxonomy.occupation_skill_rows()]
                return RankingTaxonomy.of(
                    uow.taxonomy.extraction_label_rows(),
                    uow.taxonomy.ranking_skill_rows(),
                    (skill for _, skill in jobs),
                    broader=uow.taxonomy.skill_broader_rows(),
                    occupation_skills=jobs,
                )

        return self._ranking(revision_id, taxonomy)


def lexicon_revision(taxonomy_revision: str, tools: ToolNameSource | None) -> str:
    """What a lexicon is built from: the taxonomy's revision and, when given, the tool names' digest."""
    return taxonomy_revision if tools is None else f"{taxonomy_revision}+tools:{tools.digest}"


def extractor_cache(caches: MutableMapping[str, object]) -> ExtractorCache:
    cache = caches.get(CACHE_KEY)
    if not isinstance(cache, ExtractorCache):
        cache = ExtractorCache()
        caches[CACHE_KEY] = cache
    return cache


def parse_methods(names: Iterable[str]) -> frozenset[Method]:
    """``["lexical", "fuzzy"]`` → methods; an unknown name is an error that lists the known ones."""
    methods = set()
    for name in names:
        cleaned = name.strip().casefold()
        if not cleaned:
            continue
        try:
            methods.add(Method(cleaned))
        except ValueError:
            known = ", ".join(m.value for m in Method)
            raise InvalidInput(f"methods: {name!r} is not one of {known}", field="methods") from None
    if not methods:
        raise InvalidInput("methods: give at least one method", field="methods")
    return frozenset(methods)


def options_for(
    actor: Actor, request: ExtractionRequest, extractor: SkillExtractor | None
) -> ExtractionOptions:
    """Check who asks and what for; with no extractor yet, only what needs none is checked."""
    authorize(actor, Action.EXTRACT)
    if Method.SEMANTIC in request.methods and extractor is not None and extractor.semantic is None:
        raise InvalidInput(
            "methods: semantic extraction needs the optional extra: install microcareer[semantic] "
            "(or use lexical and fuzzy)",
            field="methods",
        )
    if Method.RANKING in request.methods and extractor is not None and extractor.ranker is None:
        raise InvalidInput(
            "methods: ranking needs numpy and scikit-learn (installed with microcareer): reinstall it "
            "(or use lexical and fuzzy)",
            field="methods",
        )
    if not 0.0 <= request.min_confidence <= 1.0:
        raise InvalidInput("min_confidence must be between 0 and 1", field="min_confidence")
    ready = getattr(extractor.semantic, "ready", None) if extractor is not None else None
    if Method.SEMANTIC in request.methods and callable(ready):
        ready()  # the model and skill embeddings load here, before work goes to worker processes
    ranker_ready = getattr(extractor.ranker, "ready", None) if extractor is not None else None
    if Method.RANKING in request.methods and callable(ranker_ready):
        ranker_ready()
    if not 0 <= request.top <= MAX_TOP:
        raise InvalidInput(f"top must be between 0 and {MAX_TOP}", field="top")
    return ExtractionOptions(
        methods=request.methods,
        min_confidence=request.min_confidence,
        visible_orgs=visible_organisations(actor),
        top=request.top,
    )


def extract_text(
    extractor: SkillExtractor, *, actor: Actor, doc_id: str, text: str, request: ExtractionRequest
) -> DocumentExtraction:
    """The skills of one text, for an actor (who sees the skills of their own organisations)."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(
            f"text: {doc_id or 'the text'} is over {MAX_TEXT_LENGTH:,} characters", field="text"
        )
    return extractor.extract(text, doc_id=doc_id, options=options_for(actor, request, extractor))


def extract_texts(
    extractor: SkillExtractor,
    *,
    actor: Actor,
    documents: Iterable[tuple[str, str]],
    request: ExtractionRequest,
) -> Iterator[DocumentExtraction]:
    """Many (doc_id, text) pairs, lazily and in order."""
    options = options_for(actor, request, extractor)
    for doc_id, text in documents:
        yield extractor.extract(text[:MAX_TEXT_LENGTH], doc_id=doc_id, options=options)
