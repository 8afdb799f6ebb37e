"""Passwords are stored as Argon2id hashes (argon2-cffi, RFC 9106).

The cost is configurable: production uses argon2-cffi's defaults (the RFC's low-memory
profile, 64 MiB a hash); the test settings (``FAST``) are cheap on purpose so that a
scenario costs microseconds, and must never be used for real accounts.

Argon2 is costly on purpose, which makes it a lever for a denial of service: a hundred
logins at once would take a hundred times 64 MiB and every core. So at most a few hashes
run at once (one per core by default) and a few more may wait; beyond that a check is
refused at once (``HasherBusy``) instead of holding a server thread in a queue.
"""

from __future__ import annotations

import dataclasses
import os
import threading

import argon2

from sut.service_layer.ports import HasherBusy  # the port's refusal, raised by this adapter


@dataclasses.dataclass(frozen=True)
class PasswordCost:
    time_cost: int = argon2.DEFAULT_TIME_COST
    memory_cost_kib: int = argon2.DEFAULT_MEMORY_COST
    parallelism: int = argon2.DEFAULT_PARALLELISM


PRODUCTION = PasswordCost()
FAST = PasswordCost(time_cost=1, memory_cost_kib=64, parallelism=1)  # tests and demos only


class HashingGate:
    """At most ``at_once`` hashes run together; at most ``waiting`` more wait for a turn."""

    def __init__(self, at_once: int | None = None, waiting: int | None = None):
        self.at_once = at_once or os.cpu_count() or 2
        self.waiting = self.at_once * 2 if waiting is None else waiting
        self._turns = threading.BoundedSemaphore(self.at_once)
        self._lock = threading.Lock()
        self._in = 0

    def __enter__(self):
        with self._lock:
            if self._in >= self.at_once + self.waiting:
                raise HasherBusy()
            self._in += 1
        self._turns.acquire()
        return self

    def __exit__(self, *exc):
        self._turns.release()
        with self._lock:
            self._in -= 1


class PasswordHasher:
    def __init__(self, cost: PasswordCost = PRODUCTION, gate: HashingGate | None = None):
        self._hasher = argon2.PasswordHasher(
            time_cost=cost.time_cost, memory_cost=cost.memory_cost_kib, parallelism=cost.parallelism
        )
        self._gate = gate or HashingGate()

    def hash(self, password: str) -> str:
        with self._gate:
            return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        """True when ``password`` matches; raises HasherBusy when too many checks are under way."""
        with self._gate:
            try:
                return self._hasher.verify(stored, password)
            except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
                return False
