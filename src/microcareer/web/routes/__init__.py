"""The web page routers; ``ROUTERS`` is the list ``web.app`` mounts."""

from fastapi import APIRouter

from microcareer.web.routes import accounts, extraction, gaps, profiles, search

ROUTERS: list[APIRouter] = [search.router, extraction.router, accounts.router, profiles.router, gaps.router]
