"""Typed SQLAlchemy tables; importing this package registers every table on ``Base.metadata``."""

from microcareer.store.tables import (
    accounts,
    assessments,
    credentials,
    market,
    marketplace,
    network,
    pathways,
    profiles,
    taxonomy,
)
from microcareer.store.tables.base import Base

__all__ = [
    "Base",
    "accounts",
    "assessments",
    "credentials",
    "market",
    "marketplace",
    "network",
    "pathways",
    "profiles",
    "taxonomy",
]
