"""One guard at the edge for every value a route takes: ids and numbers fit a signed 64-bit integer,
text holds no NUL byte and no lone surrogate.

Such values pass Pydantic's ``int`` and ``str`` but crash what lies behind them: a 2**70 id overflows
the database driver, a NUL byte is refused by PostgreSQL, a lone surrogate cannot be encoded for argon2
or the store. Rather than a validator on every field of every schema (and every form of the web), each
route of the app (API and web alike) depends on ``guard_input`` (an app-wide dependency, so no route
can miss it): before the route's endpoint runs, the guard reads its path and query parameters, its JSON
body and its declared form fields (a page that reads its form itself, within its own limits, passes it
through ``check_form``), and answers 422 naming each value that cannot be taken
(``RequestValidationError``: the API answers a problem document and a browser a page, as for any other
invalid input).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_JSON_TYPES = ("application/json", "+json")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

Location = tuple[str | int, ...]


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be taken, or None when it can."""
    found = _BAD_TEXT.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "text must not contain a NUL character"
    return "text must not contain a lone surrogate (it is not valid Unicode)"


def integer_problem(number: int) -> str | None:
    if INT_MIN <= number <= INT_MAX:
        return None
    return f"integer must lie between {INT_MIN} and {INT_MAX}"


def value_problems(value: Any, loc: Location) -> Iterator[tuple[Location, str]]:
    """Every string and integer in a parsed JSON value that cannot be taken, with its location."""
    if isinstance(value, str):
        reason = text_problem(value)
        if reason:
            yield loc, reason
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        reason = integer_problem(value)
        if reason:
            yield loc, reason
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from value_problems(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            key_reason = text_problem(str(key))
            if key_reason:
                yield (*loc, str(key).encode("utf-8", "backslashreplace").decode()), key_reason
            yield from value_problems(item, (*loc, key))


def _takes_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) is None:
        return False
    return any(_takes_int(arg) for arg in get_args(annotation))


def _param_problems(
    where: str, values: list[tuple[str, str]], int_names: set[str]
) -> Iterator[tuple[Location, str]]:
    for name, raw in values:
        reason = text_problem(raw) or text_problem(name)
        if reason is None and name in int_names and _INTEGER.fullmatch(raw):
            reason = integer_problem(int(raw))
        if reason:
            yield (where, name), reason


async def _body_problems(request: Request) -> Iterator[tuple[Location, str]]:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        # A route that reads its body itself (a credential, a CSV) does so within its own limits and
        # checks what it reads; a page that reads its form itself passes it through check_form.
        return iter(())
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type.endswith(_JSON_TYPES):
        raw = await request.body()  # FastAPI has read it already, within the route's limit
        if not raw:
            return iter(())
        try:
            document = json.loads(raw)
        except ValueError:  # the route's own parsing reports malformed JSON
            return iter(())
        return value_problems(document, ("body",))
    if content_type in _FORM_TYPES:
        return _form_problems(await request.form())  # parsed already, within the route's limits
    return iter(())


def _form_problems(form: FormData) -> Iterator[tuple[Location, str]]:
    fields = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
    return _param_problems("body", fields, set())


def _refuse(problems: list[tuple[Location, str]]) -> None:
    if problems:
        raise RequestValidationError(
            [{"type": "value_error", "loc": loc, "msg": msg, "input": None} for loc, msg in problems]
        )


def check_json(document: Any) -> None:
    """A JSON body a route parsed itself (within its own limits): a 422 for what cannot be taken."""
    _refuse(list(value_problems(document, ("body",))))


def check_form(form: FormData) -> FormData:
    """The form a page read itself, once its text fields are known to be storable (else a 422)."""
    _refuse(list(_form_problems(form)))
    return form


_INT_PARAMS = "_edge_guard_int_params"


def _int_params(route: Any) -> tuple[set[str], set[str]]:
    """The names of ``route``'s path and query parameters that take integers: worked out from its
    parameters once, then kept on the route itself (routes are unhashable: no cache keyed by them)."""
    if not isinstance(route, APIRoute):
        return set(), set()
    known: tuple[set[str], set[str]] | None = route.__dict__.get(_INT_PARAMS)
    if known is None:
        known = (set(), set())
        _collect_int_params(route.dependant, known)
        setattr(route, _INT_PARAMS, known)
    return known


def _collect_int_params(dependant: Dependant, into: tuple[set[str], set[str]]) -> None:
    into[0].update(p.alias for p in dependant.path_params if _takes_int(p.field_info.annotation))
    into[1].update(p.alias for p in dependant.query_params if _takes_int(p.field_info.annotation))
    for sub in dependant.dependencies:
        _collect_int_params(sub, into)


async def guard_input(request: Request) -> None:
    """An app-wide dependency: refuse, as a 422 naming each, the values no route can take."""
    path_ints, query_ints = _int_params(request.scope.get("route"))
    problems = [
        *_param_problems("path", [(k, str(v)) for k, v in request.path_params.items()], path_ints),
        *_param_problems("query", list(request.query_params.multi_items()), query_ints),
        *(await _body_problems(request)),
    ]
    _refuse(problems)
