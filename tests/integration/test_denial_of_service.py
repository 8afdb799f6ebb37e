"""Logins cannot stall everybody else (the issue's finding 6; DOS-1).

Deterministic, no timing: a password check is held in the middle of its hash (a hasher
that waits on an event), and meanwhile the database must take a writer at once and a
signed-in person must be answered. Before the fix the hash ran inside BEGIN IMMEDIATE, so
both waited for it.
"""

from __future__ import annotations

import concurrent.futures
import sqlite3
import threading

import argon2
import pytest

from sut import bootstrap
from sut.adapters.passwords import FAST, HashingGate, PasswordHasher
from sut.config import Config
from sut.domain.errors import Busy, InvalidCredentials

WAIT = 10  # seconds: only ever reached when something is stuck


class HeldHasher:
    """A real (cheap) Argon2 hasher whose checks stop half-way until released."""

    def __init__(self, gate: HashingGate | None = None):
        self._real = PasswordHasher(FAST, gate or HashingGate(at_once=4, waiting=4))
        self._gate = self._real._gate
        self.entered = threading.Event()
        self.release = threading.Event()

    def hash(self, password):
        return self._real.hash(password)

    def verify(self, stored, password):
        with self._gate:
            self.entered.set()
            assert self.release.wait(WAIT), "the test never released the hash"
            try:
                return self._real._hasher.verify(stored, password)
            except argon2.exceptions.VerificationError:
                return False


@pytest.fixture
def app(tmp_path):
    class NoEmail:
        def send(self, *args):
            pass

    built = bootstrap.build(Config(database=tmp_path / "dos.sqlite3", password_cost=FAST), email=NoEmail())
    built.admin.register_person("signed.in@example.test", "Signed In", "agent", "pw")
    yield built
    built.close()


def test_a_password_being_hashed_holds_no_lock_on_the_database(app, tmp_path):
    session = app.login.begin("signed.in@example.test", "pw").session_token
    held = HeldHasher()
    app.deps.passwords = held
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        login = pool.submit(app.login.begin, "nobody@example.test", "guess")
        assert held.entered.wait(WAIT), "the login never reached its password check"
        try:
            # A writer gets the lock at once (timeout 0): nobody holds it during the hash.
            other = sqlite3.connect(tmp_path / "dos.sqlite3", timeout=0, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other.close()
            # A signed-in person is answered meanwhile (a read that waits for no writer).
            who = pool.submit(app.enrolment.status, session)
            assert who.result(timeout=WAIT).enabled is False
        finally:
            held.release.set()
        with pytest.raises(InvalidCredentials):
            login.result(timeout=WAIT)


def test_too_many_password_checks_at_once_are_refused_at_once(app):
    held = HeldHasher(HashingGate(at_once=1, waiting=1))
    app.deps.passwords = held
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        first = pool.submit(app.login.begin, "signed.in@example.test", "wrong one")
        assert held.entered.wait(WAIT)
        second = pool.submit(app.login.begin, "signed.in@example.test", "wrong two")  # waits its turn
        try:
            _until(lambda: held._gate._in == 2)
            with pytest.raises(Busy):  # the third is not queued behind them
                app.login.begin("signed.in@example.test", "wrong three")
        finally:
            held.release.set()
        for waiting in (first, second):
            with pytest.raises(InvalidCredentials):
                waiting.result(timeout=WAIT)
    # The refused try was not checked, so it is not a wrong password: two failures, not three.
    with app.deps.store.reading() as repo:
        assert len(repo.password_failures(account="signed.in@example.test", since=app.deps.clock.now().replace(year=2000))) == 2


def _until(condition):
    done = threading.Event()
    for _ in range(WAIT * 100):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("the condition never held")
