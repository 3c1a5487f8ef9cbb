"""``api/fast_params.py``: request parameters read from plans made once give FastAPI's own values, 422
errors and their order, for every parameter list of every route of the app (path, query, header and
cookie; given, absent, empty, repeated, bad and out-of-range values), and fields it does not plan for
(parameter models, alias choices, defaults from a factory) as well."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Query
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import AliasChoices, BaseModel, Field
from starlette.datastructures import Headers, QueryParams

from microcareer.api import fast_params
from microcareer.asgi import create_app
from microcareer.bootstrap import bootstrap
from microcareer.config import Settings

pytestmark = pytest.mark.skipif(
    not fast_params.supported(),
    reason="this FastAPI is not one fast_params was compared with (fast_params.VERIFIED): "
    "the app reads parameters with FastAPI's own function, so there is nothing to compare",
)

SAMPLES = ["", "1", "0", "-1", "7", "2147483648", "abc", "true", "no", "open", "draft", "x" * 300, "1.5"]


def routes(app: FastAPI) -> Iterator[Any]:
    """Every route as requests reach it: FastAPI's included routers hold each route's context (its
    dependant with the router's and the app's dependencies, the one solved per request)."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            yield from contexts()


def param_lists(dependant: Dependant) -> Iterator[tuple[str, Sequence[ModelField]]]:
    for kind in ("path_params", "query_params", "header_params", "cookie_params"):
        fields = getattr(dependant, kind)
        if fields:
            yield kind, fields
    for sub in dependant.dependencies:
        yield from param_lists(sub)


def received(kind: str, pairs: list[tuple[str, str]]) -> Any:
    if kind == "query_params":
        return QueryParams(pairs)
    if kind == "header_params":
        return Headers(raw=[(k.lower().encode(), v.encode()) for k, v in pairs])
    return dict(pairs)  # path parameters and cookies: a plain dict, as Starlette gives them


def inputs(kind: str, fields: Sequence[ModelField]) -> Iterator[Any]:
    aliases = [f.alias for f in fields]
    yield received(kind, [])
    for sample in SAMPLES:
        yield received(kind, [(a, sample) for a in aliases])
    for alias, sample in itertools.product(aliases, SAMPLES[:8]):
        yield received(kind, [(alias, sample), (alias, "2")])  # given twice: the last, or both for a list
    yield received(kind, [("unknown", "1")])


def same(fields: Sequence[ModelField], given: Any) -> None:
    fast = fast_params.request_params_to_args(fields, given)
    assert fast_params._ORIGINAL is not None
    original = fast_params._ORIGINAL(fields, given)
    assert fast[0] == original[0]
    assert list(fast[0]) == list(original[0])  # the same order
    assert repr(fast[1]) == repr(original[1])  # errors: type, location, message, input, context


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder: Path = tmp_path_factory.mktemp("fast-params")
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder / 'db.sqlite3'}", cache_dir=str(folder)))
    return create_app(platform)


def test_every_route_reads_its_parameters_as_fastapi_does(app: FastAPI) -> None:
    checked = 0
    planned = 0
    for route in routes(app):
        for kind, fields in param_lists(route.dependant):
            planned += fast_params._plan(fields) is not None
            for given in inputs(kind, fields):
                same(fields, given)
                checked += 1
    assert planned > 100  # the app's lists are read from plans, not handed back to FastAPI
    assert checked > 1000


def test_the_job_boards_parameters_are_read_from_a_plan(app: FastAPI) -> None:
    board = next(r for r in routes(app) if r.path == "/api/v1/jobs" and "GET" in r.methods)
    [lists] = [
        fields
        for kind, fields in param_lists(board.dependant)
        if kind == "query_params" and len(fields) == 11
    ]
    assert fast_params._plan(lists) is not None


class Filter(BaseModel):
    size: int = Field(default=3, ge=1)
    tags: list[str] = []


def odd_router() -> FastAPI:
    app = FastAPI()
    router = APIRouter()

    @router.get("/model")
    def model(f: Annotated[Filter, Query()]) -> dict[str, object]:
        return f.model_dump()

    @router.get("/choices")
    def choices(
        need: int,
        made: Annotated[list[int], Query(default_factory=lambda: [1, 2])],
        n: Annotated[int, Query(validation_alias=AliasChoices("n", "number"))] = 1,
    ) -> dict[str, object]:
        return {"n": n, "made": made, "need": need}

    app.include_router(router)
    return app


def test_fields_it_does_not_plan_for_are_read_by_fastapi() -> None:
    app = odd_router()
    by_path = {r.path: r for r in routes(app)}
    assert fast_params._plan(by_path["/model"].dependant.query_params) is None
    assert fast_params._plan(by_path["/choices"].dependant.query_params) is None
    for route in by_path.values():
        for kind, fields in param_lists(route.dependant):
            for given in inputs(kind, fields):
                same(fields, given)
    fast_params.install()
    with TestClient(app) as client:
        assert client.get("/model", params={"size": 2}).json() == {"size": 2, "tags": []}
        assert client.get("/choices", params={"number": 5, "need": 1}).json() == {
            "n": 5,
            "made": [1, 2],
            "need": 1,
        }
        assert client.get("/choices").status_code == 422


def test_a_default_from_a_factory_is_made_afresh() -> None:
    app = FastAPI()

    @app.get("/made")
    def made(
        made: Annotated[list[int], Query(default_factory=lambda: [1, 2])],
        given: Annotated[list[str], Query()] = [],  # noqa: B006
    ) -> dict[str, object]:
        made.append(3)  # a shared default would grow request by request
        given.append("x")
        return {"made": made, "given": given}

    route = next(r for r in routes(app) if r.path == "/made")
    fields = route.dependant.query_params
    assert fast_params._plan(fields) is not None
    fast_params.install()
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/made").json() == {"made": [1, 2, 3], "given": ["x"]}


def test_an_unverified_fastapi_keeps_its_own_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.dependencies import utils

    monkeypatch.setattr(utils, "request_params_to_args", fast_params._ORIGINAL)
    monkeypatch.setattr(fast_params, "VERIFIED", ())
    assert not fast_params.supported()
    assert fast_params.install() is False
    assert utils.request_params_to_args is fast_params._ORIGINAL
    monkeypatch.undo()
    assert fast_params.install() is True
    assert utils.request_params_to_args is fast_params.request_params_to_args
