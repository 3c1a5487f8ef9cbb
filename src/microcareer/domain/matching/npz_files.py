"""The matching indexes' one-file persistence: NumPy arrays and a JSON header in one ``.npz`` file.

`write` puts the file beside its place under a name of this process and thread, then moves it into
place, so processes sharing the file never read half of one; `opened` reads the header and refuses a
file of another format before any array is read (no pickles either way).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.lib.npyio import NpzFile


def write(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, Any]) -> None:
    """``arrays`` and ``meta`` (as JSON, under ``meta``) in one ``.npz`` file at ``path``, atomically."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp.npz")
    np.savez(temporary, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
    temporary.replace(path)


@contextmanager
def opened(path: Path, expected_format: int, what: str) -> Iterator[tuple[dict[str, Any], NpzFile]]:
    """The file's header and its arrays (read while open); ``ValueError`` naming ``what`` when the
    header's ``format`` is not ``expected_format``."""
    with np.load(path, allow_pickle=False) as saved:
        meta: dict[str, Any] = json.loads(saved["meta"].tobytes().decode())
        if meta.get("format") != expected_format:
            raise ValueError(f"{path}: {what} format {meta.get('format')}, expected {expected_format}")
        yield meta, saved
