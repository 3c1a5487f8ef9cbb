"""Shapes every feature shares: a page of results and the problem details document."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a longer list; ``total`` counts the whole list."""

    items: list[T]
    total: int = Field(description="How many items the whole list holds.")
    limit: int
    offset: int


class Problem(BaseModel):
    """RFC 9457 problem details, plus a stable ``code``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
