"""The skill ranker's index (the taxonomy as it reads it, and its fitted label TF-IDF) pickled on disk,
one file per taxonomy revision: a warm start loads it instead of reading the taxonomy and refitting.

As with the lexicon cache, only files this process family wrote are read back (the platform's own
cache folder), which is what makes unpickling them safe; the file name holds the format and the
numpy and scikit-learn versions, so an upgrade refits rather than unpickling another version's objects.
Writes go to a temporary file renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import sklearn

INDEX_FORMAT = 2  # bump when RankingIndex or LabelTfidf changes what they hold
PREFIX = "ranking-index-"


class Revisioned(Protocol):
    """A ranking index (``services.skill_ranking.RankingIndex``: adapters do not import services)."""

    @property
    def revision_id(self) -> str: ...


class FileRankingIndexStore:
    """``RankingIndexStore`` in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, revision_id: str) -> Path:
        versions = f"{INDEX_FORMAT}:{np.__version__}:{sklearn.__version__}"
        digest = hashlib.sha256(f"{versions}:{revision_id}".encode()).hexdigest()[:20]
        return self.folder / f"{PREFIX}{digest}.pickle"

    def load(self, revision_id: str) -> Any:  # the RankingIndex saved for the revision, or None
        try:
            with self.path_for(revision_id).open("rb") as file:
                index = pickle.load(file)  # noqa: S301 - our own cache file, see the module docstring
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None
        return index if getattr(index, "revision_id", None) == revision_id else None

    def save(self, index: Revisioned) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(index.revision_id)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{PREFIX}", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, target)
            finally:
                Path(temporary).unlink(missing_ok=True)
            for old in self.folder.glob(f"{PREFIX}*.pickle"):
                if old != target:
                    old.unlink(missing_ok=True)  # another revision's or version's: never read again
        except OSError:
            pass  # a cache that cannot be written only costs a refit next time
