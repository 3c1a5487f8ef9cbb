"""The /api/v1 routers, one module per feature; ``ROUTERS`` is the list ``api.app`` mounts."""

from fastapi import APIRouter

from microcareer.api.routes import (
    extraction,
    health,
    occupations,
    organisations,
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
    extraction.router,
]
