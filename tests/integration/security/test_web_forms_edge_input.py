"""Point 5 of issue 15 on the web's side: every form the web takes refuses a NUL byte with a 422 page,
never a 500 (PostgreSQL refuses NUL bytes, so a form that reached the store unguarded would fail there).

``tests/integration/api/test_edge_input.py`` walks the OpenAPI document; the web's pages are not in it,
so this walks the app's routes: every POST outside ``/api``, as a signed-in administrator, with a NUL
byte in each field the route declares and in fields a page reading its own form would take.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Role
from microcareer.web.routes import ROUTERS
from tests.integration.api.test_accounts_api import PASSWORD, make_user

NUL = "a\x00b"
# what pages reading their own form take (check_form refuses a NUL in any field, named or not)
OWN_FORM_FIELDS = ("title", "name", "text", "headline", "description")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _routes() -> Iterator[tuple[str, APIRoute]]:
    """The web's routes, as ``include_web`` adds them (its routers have no prefix)."""
    for router in ROUTERS:
        assert router.prefix == ""
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield route.path, route


def test_every_web_form_answers_a_nul_byte_with_a_422_never_a_500(platform: Platform) -> None:
    make_user(platform, "admin@example.org", Role.PLATFORM_ADMIN, Role.PROFESSIONAL, Role.CLIENT, Role.ISSUER)
    app = create_app(platform)
    with TestClient(app, raise_server_exceptions=False) as client:
        login = client.get("/login")
        signed_in = client.post(
            "/login",
            data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": _csrf(login.text)},
            follow_redirects=False,
        )
        assert signed_in.status_code in {302, 303}, signed_in.text[:300]
        forms = [
            (path, route)
            for path, route in _routes()
            if "POST" in (route.methods or set()) and not path.startswith("/api")
        ]
        assert len(forms) > 20
        others: list[str] = []
        for template, route in forms:
            path = re.sub(r"\{[^}]+\}", "1", template)
            declared = [param.alias for param in route.dependant.body_params]
            data = dict.fromkeys([*declared, *OWN_FORM_FIELDS], NUL)
            answer = client.post(path, data=data, headers={"accept": "text/html"}, follow_redirects=False)
            where = f"POST {template}"
            assert answer.status_code < 500, f"{where}: {answer.status_code} {answer.text[:300]}"
            if declared:
                assert answer.status_code == 422, f"{where}: {answer.status_code} {answer.text[:300]}"
            if answer.status_code != 422:
                others.append(f"{where} {answer.status_code}")
        # pages that read their own form (check_form) after finding what the path names answer 404 for
        # the made-up path; none may answer a 5xx
        print(f"\n{len(forms)} web forms, none a 5xx; not 422: {others}")
