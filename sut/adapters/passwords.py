"""Passwords are stored as Argon2id hashes (argon2-cffi, RFC 9106).

The cost is configurable: production uses argon2-cffi's defaults (the RFC's low-memory
profile); the test settings (``FAST``) are cheap on purpose so that a scenario costs
microseconds, and must never be used for real accounts.
"""

from __future__ import annotations

import dataclasses

import argon2


@dataclasses.dataclass(frozen=True)
class PasswordCost:
    time_cost: int = argon2.DEFAULT_TIME_COST
    memory_cost_kib: int = argon2.DEFAULT_MEMORY_COST
    parallelism: int = argon2.DEFAULT_PARALLELISM


PRODUCTION = PasswordCost()
FAST = PasswordCost(time_cost=1, memory_cost_kib=64, parallelism=1)  # tests and demos only


class PasswordHasher:
    def __init__(self, cost: PasswordCost = PRODUCTION):
        self._hasher = argon2.PasswordHasher(
            time_cost=cost.time_cost, memory_cost=cost.memory_cost_kib, parallelism=cost.parallelism
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False
