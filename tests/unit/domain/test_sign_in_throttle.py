"""The throttle's rules: free failures, then a lock that doubles up to a ceiling; keys never clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from microcareer.domain.sign_in_throttle import (
    ThrottleKey,
    ThrottlePolicy,
    ThrottleScope,
    seconds_until,
    wait_in_words,
)

POLICY = ThrottlePolicy(
    account_free_failures=3, address_free_failures=10, lock_seconds=30, lock_max_seconds=600
)


def test_no_lock_before_the_free_failures_then_a_doubling_lock_up_to_the_ceiling() -> None:
    locks = [POLICY.lock_after(ThrottleScope.ACCOUNT, n) for n in range(1, 10)]
    assert locks[:2] == [None, None]
    assert [lock.total_seconds() for lock in locks[2:] if lock] == [30, 60, 120, 240, 480, 600, 600]


def test_an_address_has_its_own_number_of_free_failures() -> None:
    assert POLICY.lock_after(ThrottleScope.ADDRESS, 9) is None
    assert POLICY.lock_after(ThrottleScope.ADDRESS, 10) == timedelta(seconds=30)
    assert POLICY.lock_after(ThrottleScope.ADDRESS, 10_000) == timedelta(seconds=600)


def test_keys_hold_a_hash_never_the_email_or_address() -> None:
    key = ThrottleKey.of(ThrottleScope.ACCOUNT, "ada@example.org")
    assert "ada" not in key.key_hash
    assert len(key.key_hash) == 64
    assert key == ThrottleKey.of(ThrottleScope.ACCOUNT, "ada@example.org")
    assert key.key_hash != ThrottleKey.of(ThrottleScope.ADDRESS, "ada@example.org").key_hash


def test_the_wait_is_whole_seconds_and_readable() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert seconds_until(now + timedelta(seconds=29.2), now) == 30
    assert seconds_until(now - timedelta(seconds=5), now) == 1
    assert wait_in_words(1) == "1 second"
    assert wait_in_words(30) == "30 seconds"
    assert wait_in_words(900) == "15 minutes"
