"""The web page routers; ``ROUTERS`` is the list ``web.app`` mounts."""

from fastapi import APIRouter

from microcareer.web.routes import (
    accounts,
    credentials,
    cv_import,
    extraction,
    gaps,
    issuing,
    org_skills,
    profiles,
    search,
    wallet,
)

# cv_import before profiles: its POST /profiles/{id}/import-cv would otherwise reach profiles' form route.
ROUTERS: list[APIRouter] = [
    search.router,
    extraction.router,
    accounts.router,
    cv_import.router,
    profiles.router,
    gaps.router,
    org_skills.router,
    credentials.router,
    wallet.router,
    issuing.router,
]
