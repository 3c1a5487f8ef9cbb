"""The web page routers; ``ROUTERS`` is the list ``web.app`` mounts."""

from fastapi import APIRouter

from microcareer.web.routes import accounts, extraction, search

ROUTERS: list[APIRouter] = [search.router, extraction.router, accounts.router]
