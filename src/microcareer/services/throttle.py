"""Counting attempts in the store and refusing locked keys: the plumbing sign-in and sign-up share.

The rules are ``domain/sign_in_throttle.py``; the counts live in the store (``sign_in_failures``), so
every server worker on either store sees the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from microcareer.domain.sign_in_throttle import ThrottleKey, ThrottlePolicy, seconds_until, wait_in_words
from microcareer.errors import Conflict, TooManyAttempts
from microcareer.services.ports import UnitOfWork


def too_many(until: datetime, now: datetime, what: str) -> TooManyAttempts:
    wait = seconds_until(until, now)
    return TooManyAttempts(f"{what}: try again in {wait_in_words(wait)}", retry_after=wait)


def locked_until(
    uow: UnitOfWork, keys: Sequence[ThrottleKey], *, now: datetime, policy: ThrottlePolicy
) -> datetime | None:
    """The latest lock among ``keys`` still running at ``now``, or None."""
    with uow:
        until = uow.accounts.sign_in_locked_until(
            keys, forget_before=now - timedelta(seconds=policy.forget_after_seconds)
        )
    return until if until is not None and until > now else None


def count_attempt(
    uow: UnitOfWork, keys: Sequence[ThrottleKey], *, now: datetime, policy: ThrottlePolicy
) -> datetime | None:
    """Count one more attempt on every key and lock those past their free attempts; the latest lock."""
    forget_before = now - timedelta(seconds=policy.forget_after_seconds)
    for attempt in range(3):  # two workers inserting the first attempt of a key at once: retry
        try:
            locks: list[datetime] = []
            with uow:
                for key in keys:
                    count = uow.accounts.record_sign_in_failure(key, at=now, forget_before=forget_before)
                    lock = policy.lock_after(key.scope, count)
                    if lock is not None:
                        uow.accounts.lock_sign_in(key, until=now + lock)
                        locks.append(now + lock)
                uow.commit()
            return max(locks, default=None)
        except Conflict:
            if attempt == 2:
                raise
    return None
