"""The query adapter's maths (a linear map, then unit length) and its storage (no pickle)."""

from __future__ import annotations

import io

import numpy as np
import pytest

from microcareer.adapters.ranking.model import bundled_adapter
from microcareer.adapters.semantic.sentence_embeddings import MODEL_NAME, encoder_name
from microcareer.domain.extraction.query_adapter import QueryAdapter


def _unit(rows: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return np.asarray(matrix / np.linalg.norm(matrix, axis=1, keepdims=True), dtype=np.float32)


def test_the_identity_leaves_unit_vectors_as_they_are() -> None:
    queries = _unit([[3.0, 4.0, 0.0], [1.0, 1.0, 1.0]])
    adapted = QueryAdapter.identity("m", 3).apply(queries)
    assert np.allclose(adapted, queries, atol=1e-6)


def test_the_map_is_applied_on_the_right_and_the_result_has_unit_length() -> None:
    # swaps the first two components and doubles the third: [1, 0, 0] → [0, 1, 0], [0, 0, 1] → [0, 0, 2]
    weights = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 2]], dtype=np.float32)
    adapter = QueryAdapter("m", weights)
    adapted = adapter.apply(_unit([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 1.0]]))
    assert np.allclose(adapted[0], [0.0, 1.0, 0.0])
    assert np.allclose(adapted[1], [0.0, 0.0, 1.0])  # [0, 0, 2] scaled back to unit length
    assert np.allclose(adapted[2], np.array([0.0, 1.0, 2.0]) / np.sqrt(5.0))
    assert np.allclose(np.linalg.norm(adapted, axis=1), 1.0)


def test_a_vector_the_map_sends_to_zero_stays_zero() -> None:
    adapter = QueryAdapter("m", np.diag([1.0, 0.0]).astype(np.float32))
    adapted = adapter.apply(np.array([[0.0, 1.0]], dtype=np.float32))
    assert np.array_equal(adapted, np.zeros((1, 2), dtype=np.float32))


def test_the_adapted_cosine_can_reorder_skills() -> None:
    """What it is for: a sentence vector nearer skill a is moved towards skill b."""
    skills = _unit([[1.0, 0.0], [0.0, 1.0]])
    query = _unit([[0.9, 0.4]])
    rotate = np.array([[0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)  # a quarter turn: x → y
    assert int(np.argmax(query @ skills.T)) == 0
    assert int(np.argmax(QueryAdapter("m", rotate).apply(query) @ skills.T)) == 1


def test_vectors_of_another_width_are_refused() -> None:
    with pytest.raises(ValueError, match="3 components"):
        QueryAdapter.identity("m", 3).apply(np.ones((2, 4), dtype=np.float32))


@pytest.mark.parametrize(
    "weights",
    [np.ones((2, 3), dtype=np.float32), np.array([[1.0, np.nan], [0.0, 1.0]], dtype=np.float32)],
)
def test_weights_that_are_not_a_square_finite_matrix_are_refused(weights: np.ndarray) -> None:
    with pytest.raises(ValueError, match="query adapter"):
        QueryAdapter("m", weights)


def test_it_survives_storage_as_float16_with_its_model_name() -> None:
    weights = np.random.default_rng(1).normal(size=(6, 6)).astype(np.float32)
    adapter = QueryAdapter("some/model", weights)
    again = QueryAdapter.from_bytes(adapter.to_bytes())
    assert again.model_name == "some/model"
    assert again.weights.dtype == np.float32
    assert np.allclose(again.weights, weights, atol=2e-3)
    queries = _unit(np.random.default_rng(2).normal(size=(4, 6)).tolist())
    assert np.allclose(again.apply(queries), adapter.apply(queries), atol=2e-3)


def test_bytes_that_are_no_stored_adapter_are_refused() -> None:
    with pytest.raises(ValueError, match="not a stored adapter"):
        QueryAdapter.from_bytes(b"not an npz")
    buffer = io.BytesIO()
    np.savez(buffer, other=np.zeros(3))
    with pytest.raises(ValueError, match="not a stored adapter"):
        QueryAdapter.from_bytes(buffer.getvalue())


def test_the_shipped_adapter_is_for_the_shipped_model_only() -> None:
    adapter = bundled_adapter(encoder_name())  # the packaged model's, or with the shipped delta
    assert adapter is not None
    assert adapter.weights.shape == (384, 384)
    assert bundled_adapter("another/model") is None
    if encoder_name() != MODEL_NAME:
        assert bundled_adapter(MODEL_NAME) is None
