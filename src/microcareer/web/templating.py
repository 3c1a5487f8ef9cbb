"""The Jinja2 environment every page renders with (autoescaped)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from microcareer import __version__

TEMPLATES_DIR = Path(__file__).with_name("templates")
VENDOR_DIR = Path(__file__).with_name("static") / "vendor"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals["version"] = __version__
# htmx is installed from npm by `make` (package.json); pages work without it, as plain links and forms.
templates.env.globals["has_htmx"] = (VENDOR_DIR / "htmx.min.js").is_file()
