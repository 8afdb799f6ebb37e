"""How long a signed-in request waits while logins pour in (the issue's finding 6).

    .venv/bin/python bench/dos_bench.py [--logins 60] [--source DIR]

Starts the app (production Argon2 cost) on loopback in Werkzeug's threaded server (the same
server in every version, so that only the app differs), signs one agent in, then sends
--logins logins with unknown email addresses at once and times the agent's requests
meanwhile, every 100 ms until the last login is answered. Prints the figures; never fails on them. ``--source DIR`` runs the app of another
checkout (for example ``git archive main | tar -x -C /tmp/main``) to compare before and after.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import statistics
import sys
import tempfile
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument("--probes", type=int, default=10, help="at least this many signed-in requests, timed during the flood")
    parser.add_argument("--source", default=None, help="a checkout whose sut/ to measure instead of this one")
    parser.add_argument("--server", choices=("werkzeug", "waitress"), default="werkzeug",
                        help="werkzeug's threaded server (in every version) or waitress (twofa serve's, this checkout)")
    args = parser.parse_args()
    if args.source:
        sys.path.insert(0, args.source)
    import httpx

    from sut import bootstrap
    from sut.config import Config
    from sut.entrypoints.web import create_web_app

    class NoEmail:
        def send(self, *a):
            pass

    folder = tempfile.mkdtemp(prefix="twofa-dos-")
    app = bootstrap.build(Config(database=f"{folder}/bench.sqlite3"), email=NoEmail())  # production cost
    app.admin.register_person("busy@example.test", "Busy Agent", "agent", "agent-pw")
    session = app.login.begin("busy@example.test", "agent-pw").session_token
    with _serving(create_web_app(app), args.server) as base, httpx.Client(base_url=base, timeout=120) as client:
        auth = {"Authorization": f"Bearer {session}"}
        quiet = _time(lambda: client.get("/api/two-factor", headers=auth))
        start = threading.Barrier(args.logins + 1)

        def log_in(n):
            start.wait()
            with httpx.Client(base_url=base, timeout=120) as own:
                return own.post("/api/login", json={"email": f"nobody{n}@example.test", "password": "guess"}).status_code

        with concurrent.futures.ThreadPoolExecutor(args.logins) as pool:
            began = time.perf_counter()
            logins = [pool.submit(log_in, n) for n in range(args.logins)]
            start.wait()
            waits = []
            # Every 100 ms until the last login is answered (at least --probes times).
            while len(waits) < args.probes or not all(f.done() for f in logins):
                waits.append(_time(lambda: client.get("/api/two-factor", headers=auth)))
                time.sleep(0.1)
            statuses = collections.Counter(f.result() for f in logins)
            flood = time.perf_counter() - began
    app.close()
    print(f"source: {args.source or 'this checkout'}; server: {args.server}")
    print(f"signed-in request, quiet:            {quiet * 1000:8.1f} ms")
    print(f"signed-in request during {args.logins} logins: median {statistics.median(waits) * 1000:8.1f} ms, "
          f"max {max(waits) * 1000:8.1f} ms ({max(waits) / quiet:,.0f}x quiet)")
    print(f"the {args.logins} logins took {flood:.1f} s; answers: {dict(sorted(statuses.items()))}")
    print(f"{len(waits)} signed-in requests timed; over 1 s: {sum(w > 1 for w in waits)}")
    return 0


@contextlib.contextmanager
def _serving(web, server: str):
    if server == "werkzeug":
        from sut.entrypoints.web.server import BackgroundServer

        with BackgroundServer(web) as background:
            yield background.base_url
        return
    from sut.entrypoints.web.server import production_server

    running = production_server(web, "127.0.0.1", 0)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.effective_port}"
    finally:
        running.close()
        thread.join(timeout=10)


def _time(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


if __name__ == "__main__":
    sys.exit(main())
