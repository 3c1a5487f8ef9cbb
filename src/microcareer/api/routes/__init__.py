"""The /api/v1 routers, one module per feature; ``ROUTERS`` is the list ``api.app`` mounts under /api/v1,
``PUBLISHED_ROUTERS`` the documents mounted at the server's root (what credentials link to)."""

from fastapi import APIRouter

from microcareer.api.routes import (
    achievements,
    contracts,
    extraction,
    health,
    issued_credentials,
    issuers,
    jobs,
    market,
    occupations,
    org_skills,
    organisations,
    profile_import,
    profiles,
    published,
    revocations,
    sessions,
    skills,
    taxonomy,
    tokens,
    users,
    wallet,
    work,
)

ROUTERS: list[APIRouter] = [
    health.router,
    taxonomy.router,
    skills.router,
    occupations.router,
    users.router,
    sessions.router,
    tokens.router,
    organisations.router,
    org_skills.router,
    extraction.router,
    profiles.router,
    profile_import.router,
    issuers.router,
    achievements.router,
    issued_credentials.router,
    revocations.router,
    wallet.router,
    work.router,
    jobs.router,
    contracts.router,
    market.router,
]
PUBLISHED_ROUTERS: list[APIRouter] = [published.router]
