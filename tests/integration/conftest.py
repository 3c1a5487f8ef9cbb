"""Fixtures for tests on a real database: a platform with the mini ESCO taxonomy loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcareer.adapters.esco_csv import EscoCsvDirectory
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor
from microcareer.services.ports import NoProgress
from microcareer.services.taxonomy_import import import_taxonomy

MINI_ESCO = Path(__file__).resolve().parents[1] / "data" / "esco" / "mini_en"


@pytest.fixture
def mini_esco() -> EscoCsvDirectory:
    """The mini ESCO download in ``tests/data/esco/mini_en`` (official format, 14 skills, 4 occupations)."""
    return EscoCsvDirectory(MINI_ESCO, version="mini")


@pytest.fixture
def taxonomy_platform(platform: Platform, mini_esco: EscoCsvDirectory) -> Platform:
    """The ``platform`` fixture with the mini ESCO taxonomy imported (SQLite, and PostgreSQL if set)."""
    import_taxonomy(platform.uow(), actor=Actor.system(), source=mini_esco, progress=NoProgress())
    return platform
