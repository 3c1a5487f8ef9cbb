"""Skill embeddings on disk: a ``.npy`` matrix and a JSON file of URIs, labels and organisations.

One pair of files per cache key (model, what is embedded, format), in the platform's cache folder next
to the lexicon; the index names the taxonomy revision they were made for. Writes go to temporary files
renamed into place, the matrix under a new name and then the JSON that names it, so a crash or a second
process never leaves a mismatched pair. Neither file is pickled (``numpy.load(allow_pickle=False)``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

from microcareer.domain.extraction.semantic import SkillEmbeddings

PREFIX = "skill-embeddings-"


class FileSkillEmbeddingStore:
    def __init__(self, folder: Path, prefix: str = PREFIX, *, one_key: bool = True) -> None:
        self.folder = folder
        self.prefix = prefix  # the ranking's embeddings live beside the semantic method's, apart
        # one key: a save removes every other file of the prefix (an older revision's or model's);
        # else only this key's older matrix (the ranking keeps three kinds of text side by side)
        self.one_key = one_key

    def index_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:20]
        return self.folder / f"{self.prefix}{digest}.json"

    def load(self, key: str) -> tuple[str, SkillEmbeddings] | None:
        try:
            index = json.loads(self.index_path(key).read_text(encoding="utf-8"))
            vectors = np.load(self.folder / Path(index["matrix"]).name, allow_pickle=False)
            if index.get("key") != key or list(vectors.shape) != index["shape"]:
                return None
            return str(index["revision"]), SkillEmbeddings(
                tuple(index["uris"]),
                tuple(index["labels"]),
                np.asarray(index["organisations"], dtype=np.int64),
                vectors.astype(np.float32, copy=False),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, key: str, revision_id: str, embeddings: SkillEmbeddings) -> None:
        index_path = self.index_path(key)
        matrix_path = index_path.with_name(f"{index_path.stem}-{uuid.uuid4().hex[:12]}.npy")
        index = {
            "key": key,
            "revision": revision_id,
            "matrix": matrix_path.name,
            "shape": list(embeddings.vectors.shape),
            "uris": list(embeddings.uris),
            "labels": list(embeddings.labels),
            "organisations": embeddings.organisations.tolist(),
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(matrix_path, lambda file: np.save(file, embeddings.vectors, allow_pickle=False))
            self._write(index_path, lambda file: file.write(json.dumps(index).encode()))
            pattern = f"{self.prefix}*" if self.one_key else f"{index_path.stem}-*.npy"
            for old in self.folder.glob(pattern):
                if old not in (matrix_path, index_path):
                    old.unlink(missing_ok=True)  # never read again
        except OSError:
            pass  # a cache that cannot be written only costs a rebuild next time

    def _write(self, target: Path, write: Callable[[BinaryIO], object]) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{self.prefix}", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                write(file)
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
