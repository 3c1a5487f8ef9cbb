"""The /api/v1 routers, one module per feature; ``ROUTERS`` is the list ``api.app`` mounts."""

from fastapi import APIRouter

from microcareer.api.routes import (
    extraction,
    health,
    occupations,
    org_skills,
    organisations,
    profile_import,
    profiles,
    sessions,
    skills,
    taxonomy,
    tokens,
    users,
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
]
