"""The Jinja2 environment every page renders with (autoescaped)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from microcareer import __version__

TEMPLATES_DIR = Path(__file__).with_name("templates")
VENDOR_DIR = Path(__file__).with_name("static") / "vendor"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals["version"] = __version__
# htmx is installed from npm by `make` (package.json); pages work without it, as plain links and forms.
templates.env.globals["has_htmx"] = (VENDOR_DIR / "htmx.min.js").is_file()


@pass_context
def csrf_field(context: Context) -> Markup:
    """``{{ csrf() }}``: a form's hidden CSRF field, with the token of the page it is rendered in.

    A global, not a macro: a macro imported from another template does not see the page's variables and
    rendered every marketplace form with an empty token (all refused). Called where the page's
    ``csrf_token`` is not visible, it fails the page instead of rendering a form that cannot be sent."""
    if "csrf_token" not in context:
        raise RuntimeError("csrf() is called where the page's csrf_token is not visible (page_context)")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(context["csrf_token"] or "")


templates.env.globals["csrf"] = csrf_field
