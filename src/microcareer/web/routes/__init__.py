"""The web page routers; ``ROUTERS`` is the list ``web.app`` mounts."""

from fastapi import APIRouter

from microcareer.web.routes import (
    accounts,
    contracts,
    credential_batches,
    credential_revocation,
    credential_status,
    credentials,
    cv_import,
    extraction,
    gaps,
    issuing,
    jobs,
    market,
    matching,
    mentoring,
    network,
    org_members,
    org_skills,
    pathways,
    portfolio,
    profiles,
    search,
    tokens,
    wallet,
    work,
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
    org_members.router,
    credential_batches.router,
    credentials.router,
    wallet.router,
    tokens.router,
    issuing.router,
    credential_revocation.router,
    credential_status.router,
    # jobs defines GET /jobs/new before GET /jobs/{job_key}, so "new" is never read as a job id.
    jobs.router,
    matching.router,
    contracts.router,
    work.router,
    pathways.router,
    network.router,
    mentoring.router,
    portfolio.router,
    market.router,
]
