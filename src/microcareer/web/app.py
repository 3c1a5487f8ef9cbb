"""Mount the web pages and their static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from microcareer.web.routes import ROUTERS

STATIC = Path(__file__).with_name("static")


def include_web(app: FastAPI) -> None:
    for router in ROUTERS:
        router.include_in(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
