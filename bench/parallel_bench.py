"""Serial against parallel: wall-clock time of ``twofa accept`` and whether the reports agree.

    .venv/bin/python bench/parallel_bench.py [--driver NAME ...] [--workers N] [--repeat R] [--keep] [-- pytest args]

Runs ``twofa accept`` once serially and once with ``--workers N`` (default 2), each in a
subprocess writing into its own temporary reports folder, and times each with
time.perf_counter in this process (so interpreter start-up, collection, xdist's worker
start-up and report writing all count: what a CI job waits for). Prints both times and
the ratio parallel/serial (the target is at most 0.65 on a 2-core machine), then runs
bench/compare_reports.py on the two folders and prints its verdict.

It prints figures and asserts nothing about speed. Exit status: the comparison's
(0 same reports, 1 different), or 2 when a run could not produce reports.
With --repeat R each mode runs R times (alternating) and the median is used; the reports
compared are those of the last round.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import compare_reports  # noqa: E402


def twofa_command() -> list[str]:
    script = Path(sys.executable).with_name("twofa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "twofa.cli"]


def run_accept(drivers: list[str], workers: int, reports: Path, extra: list[str]) -> tuple[float, int, Path]:
    """Run ``twofa accept`` into ``reports``; return (seconds, exit status, log file)."""
    if reports.exists():
        shutil.rmtree(reports)
    reports.mkdir(parents=True)
    command = twofa_command() + ["accept", "--reports", str(reports)]
    for name in drivers:
        command += ["--driver", name]
    command += ["--workers", str(workers)]  # 0 said, since twofa accept is parallel by default
    command += extra
    log = reports.with_suffix(".log")
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        status = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
        seconds = time.perf_counter() - start
    return seconds, status, log


def _tail(log: Path, lines: int = 15) -> str:
    return "\n".join("    " + line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description="Time twofa accept serially and with --workers N, and compare their reports.")
    parser.add_argument("--driver", action="append", default=[], help="a driver to run (repeatable; default: all)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel run (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of each mode; the median time is reported (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the two reports folders and print where they are")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.repeat < 1:
        parser.error("--workers and --repeat must be at least 1")

    base = Path(tempfile.mkdtemp(prefix="twofa-parallel-bench-"))
    serial_dir, parallel_dir = base / "serial", base / "parallel"
    drivers = ", ".join(args.driver) or "all"
    print(f"twofa accept, drivers: {drivers}; {os.cpu_count()} CPUs; {args.repeat} round(s)")
    serial_times: list[float] = []
    parallel_times: list[float] = []
    statuses = {}
    try:
        for round_ in range(1, args.repeat + 1):
            for label, workers, folder, times in (("serial", 0, serial_dir, serial_times),
                                                  (f"--workers {args.workers}", args.workers, parallel_dir, parallel_times)):
                seconds, status, log = run_accept(args.driver, workers, folder, extra)
                times.append(seconds)
                statuses[label] = (status, log)
                print(f"  round {round_}: {label:<12} {seconds:7.2f} s  (exit {status})")
                if status not in (0, 1):
                    print(f"  {label} run did not complete (exit {status}); its log ends:\n{_tail(log)}")

        serial, parallel = statistics.median(serial_times), statistics.median(parallel_times)
        print()
        print(f"serial        {serial:7.2f} s")
        print(f"--workers {args.workers:<3} {parallel:7.2f} s")
        print(f"ratio parallel/serial {parallel / serial:.2f}  (target <= 0.65)")
        (s_status, _), (p_status, _) = statuses.values()
        if s_status != p_status:
            print(f"exit status differs: serial {s_status}, parallel {p_status}")
        if any(status not in (0, 1) for status, _ in statuses.values()):
            return 2

        print()
        print("reports, serial (A) against parallel (B):")
        verdict = compare_reports.compare_dirs(serial_dir, parallel_dir)
        print("verdict: " + {0: "SAME reports", 1: "DIFFERENT reports", 2: "nothing to compare"}[verdict])
        return verdict
    finally:
        if args.keep:
            print(f"reports kept in {serial_dir} and {parallel_dir} (logs beside them)")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
