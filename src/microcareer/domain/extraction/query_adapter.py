"""A learned linear map on sentence vectors before they meet the skill vectors: the query adapter.

The skill ranker compares a sentence's all-MiniLM-L6-v2 vector q with every skill's preferred-label
vector s (both of unit length). The adapter is a square matrix W, trained (``scripts/
train_query_adapter.py``) so that the cosine of ``q W`` with the right skills' s is high: job-posting
sentences ("you will build our data pipelines") are moved towards the labels people assign to them
(*use databases*, *develop software*), which their own wording is far from. The skill vectors do not
change, so nothing of the taxonomy is embedded again; W starts at the identity, where the adapted
cosine is the plain one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class QueryAdapter:
    """``weights``: a (d x d) matrix for sentence vectors of ``model_name`` (d components each)."""

    model_name: str
    weights: FloatMatrix

    def __post_init__(self) -> None:
        if self.weights.ndim != 2 or self.weights.shape[0] != self.weights.shape[1]:
            raise ValueError("query adapter: the weights must be a square matrix")
        if not np.isfinite(self.weights).all():
            raise ValueError("query adapter: the weights must be finite numbers")

    @classmethod
    def identity(cls, model_name: str, dimensions: int) -> QueryAdapter:
        return cls(model_name, np.eye(dimensions, dtype=np.float32))

    @property
    def dimensions(self) -> int:
        return int(self.weights.shape[0])

    def apply(self, queries: FloatMatrix) -> FloatMatrix:
        """The adapted sentence vectors ``q W``, each scaled to unit length (a zero row stays zero)."""
        if queries.ndim != 2 or queries.shape[1] != self.dimensions:
            raise ValueError(
                f"query adapter: expected vectors of {self.dimensions} components, got shape {queries.shape}"
            )
        adapted = queries.astype(np.float32, copy=False) @ self.weights
        norms = np.linalg.norm(adapted, axis=1, keepdims=True)
        return np.asarray(adapted / np.maximum(norms, 1e-12), dtype=np.float32)

    def to_bytes(self) -> bytes:
        """An ``.npz`` (no pickle): the model name and the weights as float16 (cosines move by < 1e-3)."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, model_name=np.array(self.model_name), weights=self.weights.astype(np.float16)
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> QueryAdapter:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as stored:
                model_name = str(stored["model_name"])
                weights = np.asarray(stored["weights"], dtype=np.float32)
        except (OSError, KeyError, ValueError) as error:
            raise ValueError(f"query adapter: not a stored adapter ({error})") from error
        return cls(model_name, weights)
