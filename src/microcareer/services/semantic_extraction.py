"""The semantic method's matcher for a taxonomy revision, made ready on first use.

Skill embeddings come from the on-disk store (``SkillEmbeddingStore``), else every skill is embedded
(minutes on two cores for ESCO; the model's progress bar shows) and saved for the next run. Neither
the model nor the embeddings load until a text asks for the semantic method, so a process that only
ever runs lexical and fuzzy pays nothing. Needs the ``semantic`` extra (numpy): ``bootstrap`` imports
this module only when that extra is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from microcareer.domain.extraction.extractor import ExtractionOptions
from microcareer.domain.extraction.lexicon import LabelRow
from microcareer.domain.extraction.mentions import SkillMention
from microcareer.domain.extraction.semantic import SKILL_TEXT_FORMAT, SemanticMatcher, embed_skills
from microcareer.domain.extraction.text_keys import TextKeys
from microcareer.services.ports import SkillEmbeddingStore, TextEmbedder

EMBEDDINGS_FORMAT = 1  # bump when what is stored per skill changes: caches rebuild


class SemanticMatching:
    """Makes one lazily built semantic matcher per taxonomy revision (``ExtractorCache`` calls it)."""

    def __init__(self, embedder: TextEmbedder, store: SkillEmbeddingStore | None) -> None:
        self.embedder = embedder
        self.store = store

    def __call__(self, revision_id: str, rows: Callable[[], Iterable[LabelRow]]) -> LazySemanticMatcher:
        return LazySemanticMatcher(self, revision_id, rows)

    def cache_key(self) -> str:
        return f"{self.embedder.model_name}|{SKILL_TEXT_FORMAT}|{EMBEDDINGS_FORMAT}"

    def build(self, revision_id: str, rows: Callable[[], Iterable[LabelRow]]) -> SemanticMatcher:
        """The matcher for a revision: its skill embeddings from the store, else embedded and saved
        (reusing the stored ones of an earlier revision for every skill whose text did not change)."""
        key = self.cache_key()
        stored = self.store.load(key) if self.store is not None else None
        if stored is not None and stored[0] == revision_id:
            skills = stored[1]
        else:
            skills = embed_skills(rows(), self.embedder.embed, reuse=stored[1] if stored else None)
            if self.store is not None:
                self.store.save(key, revision_id, skills)
        return SemanticMatcher(skills, self.embedder.embed)


class LazySemanticMatcher:
    """A ``SemanticMatcher`` that loads the model and the skill embeddings when first called."""

    def __init__(
        self, matching: SemanticMatching, revision_id: str, rows: Callable[[], Iterable[LabelRow]]
    ) -> None:
        self._matching = matching
        self._revision_id = revision_id
        self._rows = rows
        self._lock = threading.Lock()
        self._matcher: SemanticMatcher | None = None

    def ready(self) -> SemanticMatcher:
        """The matcher, built now if it was not yet (``microcareer init`` may call this ahead of use)."""
        with self._lock:
            if self._matcher is None:
                self._matcher = self._matching.build(self._revision_id, self._rows)
            return self._matcher

    def __call__(
        self, text: str, keys: TextKeys, found: Sequence[SkillMention], options: ExtractionOptions
    ) -> list[SkillMention]:
        return self.ready()(text, keys, found, options)

    def __reduce__(self) -> tuple[Callable[[SemanticMatcher], SemanticMatcher], tuple[SemanticMatcher]]:
        """Sent to another process (a Dask worker) as the built matcher: the worker has no database."""
        return _same, (self.ready(),)


def _same(matcher: SemanticMatcher) -> SemanticMatcher:
    return matcher
