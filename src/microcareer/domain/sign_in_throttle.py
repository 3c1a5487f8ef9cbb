"""How failed sign-ins slow the next ones down: pure rules, the store keeps the counts.

Failures are counted per account (the e-mail as typed, normalised, whether or not such an account
exists, so a locked unknown e-mail looks like a locked real one) and per client address. After
``free_failures`` failures in a row, each further failure locks the key for ``lock_seconds``, doubling
per failure up to ``lock_max_seconds``; failures older than ``forget_after_seconds`` are forgotten. A
successful sign-in clears the account's count, not the address's (an address with many accounts behind
it is slowed only by its own failures).

Sign-ups are counted per address the same way (``SIGN_UP``): past ``sign_ups_per_address`` in the
window, the address waits, which bounds how many addresses one client can test by signing up.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ThrottleScope(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"
    SIGN_UP = "sign_up"  # sign-ups from one address (made or not: the answer is the same)


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    account_free_failures: int = 5
    address_free_failures: int = 20
    lock_seconds: int = 30
    lock_max_seconds: int = 900
    forget_after_seconds: int = 3600
    sign_ups_per_address: int = 10

    def free_failures(self, scope: ThrottleScope) -> int:
        if scope is ThrottleScope.ACCOUNT:
            return self.account_free_failures
        if scope is ThrottleScope.SIGN_UP:
            return self.sign_ups_per_address
        return self.address_free_failures

    def lock_after(self, scope: ThrottleScope, failures: int) -> timedelta | None:
        """How long a key with ``failures`` failures in a row is locked; None: not locked."""
        over = failures - self.free_failures(scope)
        if over < 0:
            return None
        seconds = self.lock_seconds * 2 ** min(over, 40)
        return timedelta(seconds=min(seconds, self.lock_max_seconds))


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    """What the store keys a count by: the scope and a SHA-256 of the e-mail or address (no clear PII)."""

    scope: ThrottleScope
    key_hash: str

    @classmethod
    def of(cls, scope: ThrottleScope, value: str) -> ThrottleKey:
        digest = hashlib.sha256(f"{scope.value}:{value}".encode()).hexdigest()
        return cls(scope, digest)


def seconds_until(until: datetime, now: datetime) -> int:
    """Whole seconds to wait (at least 1), as ``Retry-After`` gives them."""
    return max(1, math.ceil((until - now).total_seconds()))


def wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
