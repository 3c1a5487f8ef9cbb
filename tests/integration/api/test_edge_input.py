"""Values no store can take are a 422 naming where they were, on every route, before anything runs.

Every operation of the OpenAPI document is called three times, as a signed-in administrator: once with
2**70 in each integer path/query parameter and body field, once with a NUL byte in each text parameter
and body field, once with a lone surrogate in each body text field (a URL or multipart field cannot carry
one). Each call must answer 422 with the place of a bad value, never a 5xx. The guard answers before the
route's endpoint (or the store) sees the values, so this holds on PostgreSQL too, which refuses NUL bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from microcareer.api.edge_guard import check_form
from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Role
from tests.integration.api.test_accounts_api import bearer, make_user

HUGE = 2**70
NUL = "a\x00b"
SURROGATE = "\ud800"
CASES = {"huge integer": HUGE, "NUL byte": NUL, "lone surrogate": SURROGATE}


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        yield client


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _sample(document: dict[str, Any], schema: dict[str, Any], bad: object, depth: int = 0) -> Any:
    """A value of ``schema`` whose every text (or integer, as ``bad`` says) is ``bad``."""
    schema = _resolve(document, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(document, o).get("type") != "null"]
            # an object with fields first, then text (where a bad value fits), then the rest
            options.sort(
                key=lambda o: (
                    not _resolve(document, o).get("properties"),
                    _resolve(document, o).get("type") != "string",
                )
            )
            return _sample(document, options[0], bad, depth) if options else None
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {k: _sample(document, v, bad, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_sample(document, schema.get("items", {}), bad, depth + 1)]
    if kind == "string":
        if schema.get("format") == "binary":
            return b"x"
        return bad if isinstance(bad, str) else "x"
    if kind == "integer":
        return bad if isinstance(bad, int) else 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    return bad if isinstance(bad, str) else "x"


def _reads_own_body(operation: dict[str, Any]) -> bool:
    """A route documenting bodies beyond JSON and forms (a credential, a CSV) reads its body itself."""
    content = operation.get("requestBody", {}).get("content", {})
    return bool(set(content) - {"application/json", "multipart/form-data"})


def _has_bad_param(document: dict[str, Any], operation: dict[str, Any], bad: object) -> bool:
    for param in operation.get("parameters", []):
        kind = _resolve(document, param.get("schema", {}))
        if (kind.get("type") == "integer" and isinstance(bad, int)) or (
            kind.get("type") == "string" and bad == NUL and "enum" not in kind
        ):
            return True
    return False


def _free(document: dict[str, Any], param: dict[str, Any]) -> bool:
    """Whether a parameter takes free text or a number, not one value of an enumeration."""
    schema = _resolve(document, param.get("schema", {}))
    schema = _resolve(document, schema.get("items", schema))
    return "enum" not in schema


def _request(
    document: dict[str, Any], path: str, operation: dict[str, Any], bad: object
) -> tuple[str, dict[str, Any], bool]:
    """The URL and keyword arguments of one call, and whether any bad value could be placed in it."""
    placed = False
    query: dict[str, Any] = {}
    for param in operation.get("parameters", []):
        kind = _resolve(document, param.get("schema", {}))
        kinds = {kind.get("type")} | {_resolve(document, o).get("type") for o in kind.get("anyOf", [])}
        value: object = "1" if "integer" in kinds else "x"
        if ("integer" in kinds and isinstance(bad, int)) or (
            "string" in kinds and bad == NUL and "enum" not in kind
        ):
            value, placed = bad, True
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(str(value), safe=""))
        elif param["in"] == "query":
            query[param["name"]] = str(value)
    kwargs: dict[str, Any] = {"params": query}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _sample(document, content["application/json"]["schema"], bad)
        encoded = json.dumps(body)  # ASCII escapes: a lone surrogate travels as \\ud800
        placed = placed or ("\\u0000" in encoded or "\\ud800" in encoded or str(HUGE) in encoded)
        kwargs |= {"content": encoded.encode(), "headers": {"content-type": "application/json"}}
    elif "multipart/form-data" in content and bad == NUL:
        fields = _sample(document, content["multipart/form-data"]["schema"], bad)
        files = {k: ("f.txt", v) for k, v in fields.items() if isinstance(v, bytes)}
        data = {k: v for k, v in fields.items() if not isinstance(v, bytes)}
        placed = placed or NUL in data.values()
        kwargs |= {"files": files or None, "data": data}
    return path, kwargs, placed


def test_every_api_route_answers_422_for_values_no_store_can_take(
    client: TestClient, platform: Platform
) -> None:
    make_user(platform, "admin@example.org", Role.PLATFORM_ADMIN, Role.PROFESSIONAL, Role.CLIENT, Role.ISSUER)
    headers = bearer(client, "admin@example.org")
    document = client.get("/api/v1/openapi.json").json()
    routes_hit: set[str] = set()
    self_read: set[str] = set()
    calls = 0
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            for case, bad in CASES.items():
                path, kwargs, placed = _request(document, template, operation, bad)
                if not placed:
                    continue
                extra = kwargs.pop("headers", {})
                response = client.request(method.upper(), path, headers=headers | extra, **kwargs)
                calls += 1
                where = f"{method.upper()} {template} with a {case}"
                routes_hit.add(f"{method.upper()} {template}")
                assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
                if _reads_own_body(operation) and not _has_bad_param(document, operation, bad):
                    # a credential or CSV the route reads itself: its own checks answer (verify says
                    # "not a credential"; a CSV names the line); what matters here is no 5xx
                    self_read.add(f"{method.upper()} {template}")
                    continue
                assert response.status_code == 422, f"{where}: {response.status_code} {response.text[:300]}"
                problem = response.json()
                assert problem["code"] == "invalid_input", where
                assert problem["errors"][0]["location"].split(".")[0] in {"path", "query", "body"}, where
    operations_total = sum(len(ops) for ops in document["paths"].values())
    print(
        f"\n{len(routes_hit)} of {operations_total} operations take a bad value; {calls} calls, no 5xx;"
        f" all 422 but {len(self_read)} that read their own body: {sorted(self_read)}"
    )
    # every operation with a body or a parameter that is not a choice from a list was reached
    takers = {
        f"{m.upper()} {p}"
        for p, ops in document["paths"].items()
        for m, op in ops.items()
        if op.get("requestBody") or any(_free(document, param) for param in op.get("parameters", []))
    }
    assert takers - routes_hit == set()


def test_a_lone_surrogate_password_is_a_422_not_a_crash_of_the_hasher(client: TestClient) -> None:
    body = '{"email": "x@example.org", "display_name": "X", "password": "long enough \\ud800 here"}'
    response = client.post("/api/v1/users", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "body.password"


def test_web_forms_and_paths_refuse_nul_bytes_with_a_page_naming_the_field(client: TestClient) -> None:
    login = client.post("/login", data={"email": NUL, "password": "x"}, headers={"accept": "text/html"})
    assert login.status_code == 422
    assert "text/html" in login.headers["content-type"]
    assert "body.email" in login.text
    page = client.get("/skills/a%00b", headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "path.key" in page.text


def test_in_range_values_pass_the_guard(client: TestClient) -> None:
    assert client.get("/api/v1/users/12345").status_code in {401, 404}
    assert client.get("/api/v1/skills/plain-text").status_code == 404


def test_a_form_a_page_reads_itself_is_checked_too() -> None:
    form = FormData([("headline", "fine"), ("title", NUL)])
    with pytest.raises(RequestValidationError) as raised:
        check_form(form)
    assert [e["loc"] for e in raised.value.errors()] == [("body", "title")]
    assert check_form(FormData([("headline", "fine")])) is not None
