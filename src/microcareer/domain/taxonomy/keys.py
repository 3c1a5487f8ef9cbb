"""A concept's key: the last segment of its URI (an ESCO UUID, or an organisation skill's UUID)."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[/:#]")


def concept_key(uri: str) -> str:
    """``http://data.europa.eu/esco/skill/ccd0a1d9-...`` gives ``ccd0a1d9-...``."""
    return _SEPARATORS.split(uri.rstrip("/"))[-1]
