"""``/api/v1/docs``: Swagger UI from this platform's own static files, never a CDN, so it works offline.

``make web-assets`` copies the files from the npm package ``swagger-ui-dist`` (``package.json``) into
``static/vendor/swagger-ui/``, as it does htmx. Without them the page says what to run and where the
OpenAPI document is, instead of staying blank. ReDoc (which loads from a CDN) is not served.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from microcareer.web.security_headers import policy_allowing_inline_scripts

SWAGGER_DIR = Path(__file__).with_name("static") / "vendor" / "swagger-ui"
SWAGGER_URL = "/static/vendor/swagger-ui"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


_MISSING = Markup(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API docs · microcareer</title>'
    '<link rel="stylesheet" href="/static/site.css"></head><body><main><h1>API docs</h1>'
    "<p>The interactive docs need Swagger UI's files, which are not installed here: run "
    "<code>make web-assets</code> (it copies them from the npm package swagger-ui-dist).</p>"
    '<p>The API\'s OpenAPI document is at <a href="{url}">{url}</a>.</p></main></body></html>'
)


def swagger_installed(folder: Path = SWAGGER_DIR) -> bool:
    return all((folder / name).is_file() for name in SWAGGER_FILES)


def include_api_docs(app: FastAPI, *, docs_url: str, openapi_url: str, folder: Path = SWAGGER_DIR) -> None:
    """Serve the docs page at ``docs_url`` (create the app with ``docs_url=None``)."""

    @app.get(docs_url, include_in_schema=False, response_class=HTMLResponse)
    def api_docs() -> HTMLResponse:
        if not swagger_installed(folder):
            return HTMLResponse(_MISSING.format(url=openapi_url), status_code=503)
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_URL}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_URL}/favicon-32x32.png",
            # no badge from validator.swagger.io: the page asks nothing of any other site
            swagger_ui_parameters={"validatorUrl": None},
        )
        # Swagger UI boots from one inline script: this page's policy allows exactly that one (by hash),
        # and inline styles, which Swagger UI's own markup uses.
        html = bytes(page.body).decode()
        policy = policy_allowing_inline_scripts(html).replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
        page.headers["Content-Security-Policy"] = policy
        return page
