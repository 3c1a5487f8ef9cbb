"""Typed SQLAlchemy tables; importing this package registers every table on ``Base.metadata``."""

from microcareer.store.tables import (
    accounts,
    credentials,
    market,
    marketplace,
    network,
    pathways,
    profiles,
    search,
    taxonomy,
)
from microcareer.store.tables.base import Base

__all__ = [
    "Base",
    "accounts",
    "credentials",
    "market",
    "marketplace",
    "network",
    "pathways",
    "profiles",
    "search",
    "taxonomy",
]
