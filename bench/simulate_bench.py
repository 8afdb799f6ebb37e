"""How fast the simulations drive the app: a call into the use cases on SQLite in memory and
on a temporary file, and each study with its defaults. Prints figures; never fails on speed.

    .venv/bin/python bench/simulate_bench.py [--skip-studies]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from twofa.simulate import guessing, params
from twofa.simulate import reference_rules as rules
from twofa.simulate.cli import run_study
from twofa.simulate.study import QUIET


def store_speed(database: str, hours: float = 48.0) -> dict:
    """The attacker of the guessing study for ``hours`` of today's lock, no cap."""
    rng = random.Random(1)
    policy = rules.Policy("lock only", 6, 1, 5, 15.0, None)
    with rules.seeded_randomness(rng), rules.ReferenceApp(policy, database=database) as app:
        app.register("victim@tenant.example")
        app.set_up("victim@tenant.example", "authenticator")
        calls, spent = app.calls, app.seconds_in_app
        guessing.attack(app, "victim@tenant.example", rng, days=hours / 24, stop_at_success=False)
        return {"calls": app.calls - calls, "seconds": app.seconds_in_app - spent}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-studies", action="store_true", help="only the store's speed")
    args = parser.parse_args(argv)
    memory, file = store_speed(":memory:"), store_speed("bench.sqlite3")
    for name, figures in (("SQLite :memory:", memory), ("SQLite temporary file", file)):
        print(f"{name:24s} {figures['calls']} calls, {1e6 * figures['seconds'] / figures['calls']:.0f} µs a call")
    print(f"{'file / memory':24s} {file['seconds'] / memory['seconds']:.2f}x")
    if not args.skip_studies:
        defaults = params.load(None)
        for study in ("guessing", "drift", "cost"):
            started = time.perf_counter()
            run_study(study, defaults, 13, QUIET)
            print(f"{study:24s} {time.perf_counter() - started:.1f} s with the defaults")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
