"""Argon2id password hashing (argon2-cffi), satisfying ``services.ports.PasswordHasher``."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PARALLELISM = 4


class Argon2PasswordHasher:
    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536) -> None:
        # Argon2 needs at least 8 KiB per lane; small settings (tests) are raised to that floor.
        memory = max(memory_kib, 8 * PARALLELISM)
        self._hasher = _Argon2(time_cost=time_cost, memory_cost=memory, parallelism=PARALLELISM)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
