"""Request parameters (path, query, header, cookie) read with each field's plan worked out once.

FastAPI reads a route's parameters in ``fastapi.dependencies.utils.request_params_to_args`` on every
request, and for every declared parameter, given or not, works out again what never changes: the
field's aliases, whether it is a parameter model or JSON, whether its annotation is a sequence
(``typing.get_origin`` on the annotation, twice), then deep-copies its default. The job board declares
13 query parameters (11 of its own and the page's two); reading them was about a sixth of its CPU per request
in process, most of it for parameters the request did not give (issue 17).

``install()`` puts ``request_params_to_args`` below in FastAPI's place. For each list of fields (a
route's path, query, header or cookie parameters, the same list object on every request) it works
out once, per field: the name the value is looked up by, whether it is a sequence, and the default;
then per request it does what FastAPI does with them: the value (``getlist`` for a sequence,
else ``get``), missing when absent or an empty sequence, then FastAPI's own ``field.validate`` with
FastAPI's location (``("query", "limit")``), or for a missing one FastAPI's missing-field error or
the default (copied as FastAPI copies it, unless it cannot change: ``None``, a string, a number).
So the values, the 422 errors and their order are FastAPI's. A list holding any field this does not
plan for (a parameter model, a JSON field, alias choices, a name given by field name as well as
alias, a form's fields) is read by FastAPI's own function. The OpenAPI document is untouched (it
never calls this). ``tests/unit/api/test_fast_params.py`` compares both on every route's parameters
of the app with given, absent, empty, repeated and bad values.

It rests on FastAPI's private helpers, so ``install()`` puts it in place only on a FastAPI it was
compared with (``VERIFIED``, major and minor) that has every helper it calls (``supported()``); on any
other FastAPI the app reads parameters with FastAPI's own function, as before: slower, never wrong.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import fastapi
from fastapi import _compat, params
from fastapi.dependencies import utils
from starlette.datastructures import FormData, Headers, ImmutableMultiDict

if TYPE_CHECKING:
    from fastapi._compat import ModelField

VERIFIED = ((0, 165),)
"""The FastAPI releases (major, minor) tests/unit/test_fast_params.py has compared this with."""
_UTILS_NEEDED = ("request_params_to_args", "_get_param_model", "_is_json_field", "_get_param_aliases")
_COMPAT_NEEDED = ("ModelField", "field_annotation_is_sequence", "get_missing_field_error")

_ORIGINAL: Callable[..., tuple[dict[str, Any], list[Any]]] | None = getattr(
    utils, "request_params_to_args", None
)
_UNCHANGING = (type(None), str, int, float, bool, bytes)


class _Plan:
    __slots__ = (
        "alias",
        "default",
        "field",
        "loc",
        "name",
        "required",
        "sequence",
        "shared",
        "validate_default",
    )

    def __init__(self, field: ModelField, alias: str) -> None:
        info = field.field_info
        assert isinstance(info, params.Param)
        self.field = field
        self.name = field.name
        self.alias = alias
        self.loc = (info.in_.value, alias)
        self.sequence = _compat.field_annotation_is_sequence(info.annotation)
        self.required = info.is_required()
        # a default that cannot change is given as it is; any other is FastAPI's copy of it, made
        # afresh on each request (from its factory, if it has one)
        self.shared = info.default_factory is None and isinstance(info.default, _UNCHANGING)
        self.default = info.default if self.shared else None
        self.validate_default = bool(info.validate_default)


def _plan(fields: Sequence[ModelField]) -> tuple[_Plan, ...] | None:
    """Each field's plan, or None when one of them is not read here (FastAPI's function reads them)."""
    plans = []
    for field in fields:
        if not isinstance(field.field_info, params.Param) or utils._get_param_model(field) is not None:
            return None
        if utils._is_json_field(field):
            return None
        aliases = utils._get_param_aliases(field)
        if len(aliases) != 1:
            return None
        plans.append(_Plan(field, aliases[0][1]))
    return tuple(plans)


_plans: dict[int, tuple[Sequence[ModelField], tuple[_Plan, ...] | None]] = {}
# A route's lists live as long as the app; a dependant made per request (FastAPI does so for dependency
# overrides, which this app does not use) would add one each time: past this many, start again.
_PLANS_MAX = 4_096


def request_params_to_args(
    fields: Sequence[ModelField],
    received_params: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Any]]:
    """What ``fastapi.dependencies.utils.request_params_to_args`` answers, from plans made once."""
    values: dict[str, Any] = {}
    errors: list[Any] = []
    if not fields:
        return values, errors
    known = _plans.get(id(fields))
    if known is None or known[0] is not fields:  # the list itself is kept: its id is never reused
        known = (fields, _plan(fields))
        if len(_plans) >= _PLANS_MAX:
            _plans.clear()
        _plans[id(fields)] = known
    plans = known[1]
    if plans is None or isinstance(received_params, FormData):
        assert _ORIGINAL is not None  # installed only where FastAPI has it (supported())
        return _ORIGINAL(fields, received_params)
    multi = isinstance(received_params, (ImmutableMultiDict, Headers))
    for plan in plans:
        if plan.sequence and multi:
            value: Any = received_params.getlist(plan.alias)  # type: ignore[attr-defined]
        else:
            value = received_params.get(plan.alias, None)
        if value is None or (plan.sequence and len(value) == 0):
            if plan.required:
                errors.append(_compat.get_missing_field_error(loc=plan.loc))
                continue
            value = plan.default if plan.shared else copy.deepcopy(plan.field.default)
            if not plan.validate_default:
                values[plan.name] = value
                continue
        checked, found = plan.field.validate(value, values, loc=plan.loc)
        if found:
            errors.extend(found)
        else:
            values[plan.name] = checked
    return values, errors


def supported() -> bool:
    """Whether this FastAPI is one of ``VERIFIED`` and has every private helper the plans call."""
    release = tuple(int(part) for part in fastapi.__version__.split(".")[:2] if part.isdigit())
    return (
        release in VERIFIED
        and all(hasattr(utils, name) for name in _UTILS_NEEDED)
        and all(hasattr(_compat, name) for name in _COMPAT_NEEDED)
    )


def install() -> bool:
    """FastAPI reads request parameters with ``request_params_to_args`` above (idempotent) when this
    FastAPI is ``supported()``; says whether it does."""
    if not supported():
        return False
    utils.request_params_to_args = request_params_to_args
    return True


__all__ = ["VERIFIED", "install", "request_params_to_args", "supported"]
