"""A short schemathesis run over every operation of the OpenAPI, in-process (issue 15, point 7).

Every operation gets ``SCHEMATHESIS_MAX_EXAMPLES`` generated requests (3 by default) three times:
schema-valid ones signed out, schema-valid ones as a platform admin with a bearer token, and
schema-invalid ones as that admin, on a database with the mini ESCO taxonomy. Each answer must be no
server error (5xx) and, where the document describes the answer's status, match its schema.
Generation is derandomised (the same cases every run), so the test does not flake. A longer run:

    SCHEMATHESIS_MAX_EXAMPLES=200 pytest tests/integration/security/test_openapi_fuzz.py -q

or against a live server: ``schemathesis run http://127.0.0.1:8000/api/v1/openapi.json -H
"Authorization: Bearer mcp_..." --max-examples 200`` (issue 15's probe ran 21,033 cases this way).
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

from microcareer.asgi import create_app
from microcareer.bootstrap import Platform
from microcareer.domain.accounts import Actor, Role
from microcareer.services import tokens, users

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance]


def _admin_bearer(platform: Platform) -> dict[str, str]:
    admin = users.create_user(
        platform.uow(),
        actor=Actor.system(),
        email="fuzz-admin@example.org",
        display_name="Fuzz Admin",
        password="a long fuzzing password",
        roles=[Role.PLATFORM_ADMIN, Role.PROFESSIONAL, Role.CLIENT, Role.ISSUER],
        passwords=platform.passwords,
        clock=platform.clock,
        allow_signup=False,
    )
    issued = tokens.create_token(
        platform.uow(), actor=Actor.system(), user_id=admin.id, name="fuzz", clock=platform.clock
    )
    return {"Authorization": f"Bearer {issued.plaintext}"}


def _run(
    operation: schemathesis.APIOperation[Any, Any, Any, Any],
    headers: dict[str, str],
    mode: schemathesis.GenerationMode,
) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def one(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    one()


def test_no_operation_answers_a_server_error_or_off_its_schema(taxonomy_platform: Platform) -> None:
    app = create_app(taxonomy_platform)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    admin = _admin_bearer(taxonomy_platform)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"an operation the schema describes badly: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        for who, headers, mode in (
            ("signed out", {}, schemathesis.GenerationMode.POSITIVE),
            ("admin", admin, schemathesis.GenerationMode.POSITIVE),
            ("admin, invalid input", admin, schemathesis.GenerationMode.NEGATIVE),
        ):
            try:
                _run(operation, headers, mode)
            except Unsatisfiable:
                continue  # nothing invalid can be sent to it (no parameters, or only free text)
            except Exception as failure:
                failures.append(f"{operation.label} ({who}): {str(failure)[:1500]}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
