"""HTTP errors a browser meets outside the API (an unknown address, a method a page does not take) as
pages of the site, not the API's problem-details JSON. API clients and machine readers of the published
documents (status lists, DID documents) keep the JSON: a page is only for a request that asks for HTML.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from microcareer.web.auth import page_context
from microcareer.web.templating import templates

API_PREFIX = "/api/"
TITLES = {404: "Not found", 405: "Not allowed here", 413: "Too large", 422: "This could not be taken"}


def wants_page(request: Request) -> bool:
    """A browser's request for a page (or an htmx request for a part of one), not the API's."""
    if request.url.path.startswith(API_PREFIX):
        return False
    return "text/html" in request.headers.get("accept", "") or request.headers.get("hx-request") == "true"


def error_page(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
    title = TITLES.get(exc.status_code, "This did not work")
    message = f"There is no page at {request.url.path}." if exc.status_code == 404 else str(exc.detail)
    context = page_context(request, title=title, message=message)
    return templates.TemplateResponse(
        request, "error.html", context, status_code=exc.status_code, headers=exc.headers
    )
