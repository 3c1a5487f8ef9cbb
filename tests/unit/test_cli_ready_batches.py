"""``ready_batches``: documents already read go together; one that is due is never held back."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from microcareer.cli.extraction_workers import ready_batches


def test_everything_comes_in_order_in_bounded_batches() -> None:
    batches = list(ready_batches(range(100), 8))
    assert [item for batch in batches for item in batch] == list(range(100))
    assert all(1 <= len(batch) <= 8 for batch in batches)


def test_a_slow_source_is_not_waited_on_beyond_the_item_due() -> None:
    release = threading.Event()

    def source() -> Iterator[int]:
        yield 1
        release.wait(timeout=30)  # the second item arrives only after the first batch is out
        yield 2

    batches = ready_batches(source(), 8)
    assert next(batches) == [1]  # would hang here if the batch waited to fill up
    release.set()
    assert next(batches) == [2]
    assert list(batches) == []


def test_a_reading_error_comes_after_what_was_read() -> None:
    def source() -> Iterator[int]:
        yield 1
        raise ValueError("line 2: not JSON")

    batches = ready_batches(source(), 8)
    assert next(batches) == [1]
    with pytest.raises(ValueError, match="line 2"):
        next(batches)
