"""A load test, bounded and on loopback only (DOS-1): while logins pour in, a signed-in
person is still answered.

The app runs on waitress (as `twofa serve` does) in a background thread. Each password
check takes its Argon2 time as a pause that costs no CPU (``SlowChecks``), so the test
measures the locks and queues of the app, not the speed of this machine: before the fix,
each check held the database's write lock and the signed-in request queued behind about
twenty seconds of them. The bound is generous on purpose; the benchmark
(bench/dos_bench.py) prints the real figures.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time

import httpx

from sut import bootstrap
from sut.adapters.passwords import FAST, HashingGate, PasswordHasher
from sut.config import Config
from sut.entrypoints.web import create_web_app
from sut.entrypoints.web.server import production_server

from .helpers import Mailbox

LOGINS = 100
CHECK_TAKES = 0.2  # seconds per password check, about Argon2 at production cost here
BOUND = 8.0  # seconds: generous; before the fix a request could wait LOGINS * CHECK_TAKES = 20 s


class SlowChecks(PasswordHasher):
    def verify(self, stored, password):
        with self._gate:
            time.sleep(CHECK_TAKES)
            try:
                return self._hasher.verify(stored, password)
            except Exception:
                return False


def test_a_signed_in_request_is_answered_while_logins_pour_in(tmp_path):
    app = bootstrap.build(Config(database=tmp_path / "load.sqlite3", password_cost=FAST), email=Mailbox())
    app.admin.register_person("busy@example.test", "Busy Agent", "agent", "agent-pw")
    session = app.login.begin("busy@example.test", "agent-pw").session_token
    app.deps.passwords = SlowChecks(FAST, HashingGate(at_once=2, waiting=4))
    server = production_server(create_web_app(app), "127.0.0.1", 0, threads=16)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client, concurrent.futures.ThreadPoolExecutor(LOGINS) as pool:
            start = threading.Barrier(LOGINS + 1)

            def log_in(n):
                start.wait()
                with httpx.Client(base_url=base, timeout=30) as own:
                    return own.post("/api/login", json={"email": f"stranger{n}@example.test", "password": "guess"}).status_code

            logins = [pool.submit(log_in, n) for n in range(LOGINS)]
            start.wait()
            waits = []
            for _ in range(5):
                began = time.perf_counter()
                response = client.get("/api/two-factor", headers={"Authorization": f"Bearer {session}"})
                waits.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
            statuses = [f.result(timeout=60) for f in logins]
        assert max(waits) < BOUND, f"A signed-in request waited {max(waits):.2f} s while logins poured in"
        # Every login got an answer: refused as wrong, throttled, or told to try again shortly.
        assert set(statuses) <= {401, 429, 503}, statuses
    finally:
        server.close()
        thread.join(timeout=10)
        app.close()
