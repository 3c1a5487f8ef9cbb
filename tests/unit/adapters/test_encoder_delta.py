"""The fine-tuned encoder's delta file: read without pickle, named by its digest, added by parameter."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import torch

from microcareer.adapters.semantic.sentence_embeddings import (
    MODEL_NAME,
    SentenceTransformerEmbedder,
    add_delta,
    read_delta,
    shipped_delta,
)


def _delta(arrays: dict[str, Any], base: str = MODEL_NAME) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, base=np.array(base), recipe=np.array("{}"), **arrays)
    return buffer.getvalue()


def test_a_delta_is_named_by_its_digest_and_read_as_float32() -> None:
    one = _delta({"layer.weight": np.ones((2, 2), dtype=np.float16)})
    other = _delta({"layer.weight": np.zeros((2, 2), dtype=np.float16)})
    name, arrays = read_delta(one)
    assert name.startswith(f"{MODEL_NAME}+skill_encoder_delta-")
    assert name != read_delta(other)[0]  # another delta: other vectors, another cache key
    assert list(arrays) == ["layer.weight"]  # base and recipe are not parameters
    assert arrays["layer.weight"].dtype == np.float32


def test_a_delta_made_for_another_model_is_refused() -> None:
    with pytest.raises(ValueError, match="made for"):
        read_delta(_delta({"w": np.ones(1, dtype=np.float16)}, "another/model"))


def test_the_delta_is_added_to_the_named_parameters_only() -> None:
    module = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2))
    before = [p.detach().clone() for p in module.parameters()]
    add_delta(module, {"1.bias": np.array([0.5, -1.0], dtype=np.float32)})
    after = list(module.parameters())
    assert torch.equal(after[0], before[0])
    assert torch.equal(after[1], before[1])
    assert torch.equal(after[2], before[2])
    assert torch.allclose(after[3], before[3] + torch.tensor([0.5, -1.0]))


def test_a_delta_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="is"):
        add_delta(torch.nn.Linear(2, 2), {"bias": np.zeros(3, dtype=np.float32)})


def test_the_embedder_goes_by_the_shipped_encoders_name() -> None:
    shipped = shipped_delta()
    expected = MODEL_NAME if shipped is None else shipped[0]
    assert SentenceTransformerEmbedder().model_name == expected
