"""Typed SQLAlchemy tables; importing this package registers every table on ``Base.metadata``."""

from microcareer.store.tables import (
    accounts,
    assessments,
    credentials,
    ideas,
    market,
    marketplace,
    matching,
    network,
    offers,
    pathways,
    portfolio_images,
    profiles,
    search,
    taxonomy,
)
from microcareer.store.tables.base import Base

__all__ = [
    "Base",
    "accounts",
    "assessments",
    "credentials",
    "ideas",
    "market",
    "marketplace",
    "matching",
    "network",
    "offers",
    "pathways",
    "portfolio_images",
    "profiles",
    "search",
    "taxonomy",
]
