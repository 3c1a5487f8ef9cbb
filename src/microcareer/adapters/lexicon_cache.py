"""The extraction lexicon pickled on disk, one file per taxonomy revision.

Only files this process family wrote are read back (the folder is the platform's own cache folder),
which is what makes unpickling them safe. Writes go to a temporary file renamed into place, so a
crash or a second process never leaves half a file behind.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from microcareer.domain.extraction.lexicon import LEXICON_FORMAT, Lexicon


class FileLexiconStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, revision_id: str) -> Path:
        digest = hashlib.sha256(f"{LEXICON_FORMAT}:{revision_id}".encode()).hexdigest()[:20]
        return self.folder / f"lexicon-{digest}.pickle"

    def load(self, revision_id: str) -> Lexicon | None:
        path = self.path_for(revision_id)
        try:
            with path.open("rb") as file:
                lexicon = pickle.load(file)  # noqa: S301 - our own cache file, see the module docstring
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return lexicon if isinstance(lexicon, Lexicon) and lexicon.revision == revision_id else None

    def save(self, lexicon: Lexicon) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(lexicon.revision)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".lexicon-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(lexicon, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, target)
            finally:
                Path(temporary).unlink(missing_ok=True)
            for old in self.folder.glob("lexicon-*.pickle"):
                if old != target:
                    old.unlink(missing_ok=True)  # an older revision's: never read again
        except OSError:
            pass  # a cache that cannot be written only costs a rebuild next time
