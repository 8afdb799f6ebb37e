"""Run the benchmarks (``make bench``): each prints its figures; none fails on speed.

    .venv/bin/python bench/run.py            # the quick ones (about a minute)
    .venv/bin/python bench/run.py --all      # every benchmark (the browser, xdist, mutmut: many minutes)
    .venv/bin/python bench/run.py domain_bench named_mutations   # these only

Each benchmark runs as its own script in a subprocess, as a person would run it, so a
benchmark that breaks is named and the others still run. The exit status is 1 when any
benchmark could not run (a figure that is merely slow never fails).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name -> the arguments after the script, and whether it is quick (under a minute or so).
BENCHMARKS: dict[str, tuple[list[str], bool]] = {
    "domain_bench": ([], True),
    "named_mutations": ([], True),
    "dos_bench": (["--logins", "60"], True),
    "store_bench": ([], True),
    "code_shape": ([], True),
    "simulate_bench": (["--skip-studies"], True),  # the studies' own times: run it without the option
    "ui_bench": ([], False),
    "parallel_bench": (["--driver", "domain", "--driver", "api"], False),
    "shard_bench": (["--driver", "domain", "--driver", "api"], False),
    "mutation_bench": ([], False),
    "suite_bench": ([], False),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run, of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--all", action="store_true", help="every benchmark, the slow ones too")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = args.names or [n for n, (_, quick) in BENCHMARKS.items() if quick or args.all]
    broken = []
    for name in names:
        extra, _ = BENCHMARKS[name]
        print(f"\n=== {name} {' '.join(extra)}".rstrip(), flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "bench" / f"{name}.py"), *extra], cwd=ROOT)
        print(f"=== {name}: exit {done.returncode} after {time.perf_counter() - started:.0f} s", flush=True)
        # named_mutations exits 1 when a mutation survived: a finding to read, not a broken benchmark.
        if done.returncode not in (0, 1) or (done.returncode == 1 and name != "named_mutations"):
            broken.append(name)
    if broken:
        print(f"\nbenchmarks that could not run: {', '.join(broken)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
