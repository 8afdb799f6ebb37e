"""Benchmark of the two stores behind the same use cases: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/store_bench.py [--people 100] [--rounds 5] [--source DIR]

Each round, every person logs in with an emailed code (password step, code sent, code
checked, session made) through the use cases built by ``sut.bootstrap.build``, once on the
in-memory store (``sut.adapters.memory_store``) and once on SQLite in a temporary folder. The
password hash is the harness's cheap one and email goes nowhere, so the figures are the store's
share of a login plus the use cases'. The clock is a fake that moves a second per login (the
code cap of 5 per 15 minutes per person is never reached). ``--source DIR`` times another
checkout's app instead (before/after a change; one without the in-memory store times SQLite only).
Best and median of the runs are shown: on a shared machine the best is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import re
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

PASSWORD = "a benchmark password"


class Clock:
    def __init__(self):
        self.moment = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

    def now(self):
        return self.moment


class LastCode:
    """An email sender that keeps only the last code it was asked to send."""

    def __init__(self):
        self.code = None

    def send(self, to, subject, body):
        found = re.search(r"\b(\d{6})\b", body)
        if found:
            self.code = found.group(1)


def logins_per_second(store_name: str, people: int, rounds: int, folder: pathlib.Path) -> float:
    from sut import bootstrap
    from sut.adapters.passwords import FAST
    from sut.config import Config

    clock, email = Clock(), LastCode()
    config = Config(database=folder / f"{store_name}.sqlite3", key_file=folder / f"{store_name}.key", password_cost=FAST)
    if store_name == "memory":
        from sut.adapters.memory_store import MemoryStore

        app = bootstrap.build(config, email=email, sms=object(), clock=clock, store=MemoryStore())
    else:
        app = bootstrap.build(config, email=email, sms=object(), clock=clock)
    emails = [f"person{i}@bench.test" for i in range(people)]
    for address in emails:  # each with an email code, set up through the use cases
        app.admin.register_person(address, "Bench Person", "agent", PASSWORD)
        session = app.login.begin(address, PASSWORD).session_token
        started = app.enrolment.start(session, "email", password=PASSWORD)
        app.enrolment.confirm(session, started.token, email.code)
    clock.moment += dt.timedelta(hours=1)
    started_at = time.perf_counter()
    for _ in range(rounds):
        for address in emails:
            clock.moment += dt.timedelta(seconds=1)
            attempt = app.login.begin(address, PASSWORD).attempt_token
            if app.login.submit_code(attempt, email.code).status != "signed_in":
                raise SystemExit("a login did not complete; the figures would mean nothing")
    elapsed = time.perf_counter() - started_at
    app.close()
    return people * rounds / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="runs per store")
    parser.add_argument("--source", type=pathlib.Path, default=ROOT, help="the checkout whose app is timed")
    args = parser.parse_args()
    sys.path.insert(0, str(args.source.resolve()))
    stores = ["sqlite"]
    if (args.source / "sut" / "adapters" / "memory_store.py").exists():
        stores.insert(0, "memory")
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.repeat):  # the stores take turns, so that a busy spell hits both
            for name in stores:
                run_folder = pathlib.Path(folder) / f"{name}{i}"
                run_folder.mkdir()
                figures.setdefault(name, []).append(logins_per_second(name, args.people, args.rounds, run_folder))
    import sut

    print(f"store benchmark of {pathlib.Path(sut.__file__).parent.parent} (figures, not a test)")
    print(f"  logins with an emailed code        {args.people} people x {args.rounds} rounds, {args.repeat} runs")
    for name, words in (("memory", "in-memory store"), ("sqlite", "SQLite store")):
        if name in figures:
            print(f"  {words:34s} best {max(figures[name]):6.0f} logins/s, median {statistics.median(figures[name]):6.0f}")
    if "memory" in figures:
        print(f"  ratio memory / SQLite (best)       {max(figures['memory']) / max(figures['sqlite']):6.1f}x")


if __name__ == "__main__":
    main()
