"""The README's two commands, timed end to end: prints figures and ratios, asserts nothing.

    .venv/bin/python bench/suite_bench.py [--accept] [--test] [--workers N] [--baseline DIR] [-- ARGS]

``--accept``: ``twofa accept`` (all three drivers, every report written) into a temporary
folder, as ``make accept`` runs it; ``--test``: ``twofa test`` (every test, one xdist worker
per core), as ``make test`` and CI run it. Neither option: both. Each runs as a subprocess,
timed from outside (start-up, collection, workers and reports included: what a person or a
CI job waits for), with the CPU time of the whole process tree (Python, Playwright's node,
Chromium: the children's resource usage once they are reaped).

The suite has grown since issue 11 gave its figures (194 scenario runs then), so beside the
plain times it prints the time per scenario run, which compares across suite sizes; and
the aims of the issue beside them. ``--baseline DIR``: the same commands in another
checkout (with its own .venv), run alternately with this one, so both saw the same load.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Issue 11's figures, measured on a fresh clone on this machine when it was filed.
ISSUE = {"accept_s": 111.0, "accept_runs": 194, "test_s": 163.0}
AIMS = {"accept_s": 60.0, "test_s": 120.0}


CPUACCT = pathlib.Path("/sys/fs/cgroup/cpuacct")


def timed(command: list[str], cwd: pathlib.Path, log: pathlib.Path) -> dict:
    """Wall and CPU seconds of ``command`` and all its descendants, and its exit status.

    The CPU time comes from a cgroup of its own where this process may make one (root, cgroup
    v1's cpuacct): exact, Chromium's renderers included. Otherwise from the resource usage of
    reaped children, which misses the processes Chromium's zygote hands over to init."""
    group = _cpu_group()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    join = (lambda: (group / "cgroup.procs").write_text(str(os.getpid()))) if group else None
    try:
        with log.open("w", encoding="utf-8") as out:
            started = time.perf_counter()
            status = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=dict(os.environ, CI="true"), preexec_fn=join).returncode
            wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9 if group else reaped
    finally:
        if group:
            _remove_group(group)
    return {"wall": wall, "cpu": cpu, "cpu_source": "cgroup" if group else "reaped children", "status": status, "log": log}


def _cpu_group() -> pathlib.Path | None:
    try:
        group = CPUACCT / f"twofa-suite-bench-{os.getpid()}-{time.monotonic_ns()}"
        group.mkdir()
        return group
    except OSError:
        return None


def _remove_group(group: pathlib.Path) -> None:
    try:  # a process left behind keeps the group; it is empty once they have all gone
        for pid in (group / "cgroup.procs").read_text().split():
            (CPUACCT / "cgroup.procs").write_text(pid)
        group.rmdir()
    except OSError:
        pass


def accept(checkout: pathlib.Path, folder: pathlib.Path, workers: int | None, extra: list[str]) -> dict:
    reports = folder / "reports"
    command = [str(checkout / ".venv" / "bin" / "twofa"), "accept", "--reports", str(reports), *extra]
    if workers is not None:
        command += ["--workers", str(workers)]
    result = timed(command, checkout, folder / "accept.log")
    runs = collections.Counter()
    results = reports / "results.json"
    if results.exists():
        for record in json.loads(results.read_text(encoding="utf-8"))["results"]:
            runs[record["driver"]] += 1
    result["runs"] = dict(sorted(runs.items()))
    return result


def test(checkout: pathlib.Path, folder: pathlib.Path, extra: list[str]) -> dict:
    result = timed([str(checkout / ".venv" / "bin" / "twofa"), "test", "-q", "-p", "no:cacheprovider", *extra], checkout,
                   folder / "test.log")
    last = [line for line in result["log"].read_text(encoding="utf-8").splitlines() if line.strip()][-1:]
    result["summary"] = last[0].strip("= ") if last else ""
    return result


def _line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:38s} {value:>14s}   {note}".rstrip())


def report_accept(name: str, run: dict) -> None:
    total = sum(run["runs"].values())
    print(f"twofa accept, {name} (exit {run['status']}; runs: "
          f"{', '.join(f'{d} {n}' for d, n in run['runs'].items()) or 'none'})")
    _line("wall", f"{run['wall']:.1f} s", f"(aim: at most {AIMS['accept_s']:.0f} s; issue 11 measured "
          f"{ISSUE['accept_s']:.0f} s for {ISSUE['accept_runs']} runs)")
    _line("CPU of the process tree", f"{run['cpu']:.1f} s", f"({run['cpu'] / run['wall']:.2f} cores busy on average; from the {run['cpu_source']})")
    if total:
        then = ISSUE["accept_s"] / ISSUE["accept_runs"]
        now = run["wall"] / total
        _line("wall per scenario run", f"{now * 1000:.0f} ms", f"(issue 11: {then * 1000:.0f} ms; ratio {now / then:.2f}x)")


def report_test(name: str, run: dict) -> None:
    print(f"twofa test, {name} (exit {run['status']}: {run['summary']})")
    _line("wall", f"{run['wall']:.1f} s", f"(aim: at most {AIMS['test_s']:.0f} s of tests; issue 11 measured "
          f"{ISSUE['test_s']:.0f} s, a smaller suite)")
    _line("CPU of the process tree", f"{run['cpu']:.1f} s", f"({run['cpu'] / run['wall']:.2f} cores busy on average; from the {run['cpu_source']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accept", action="store_true", help="time twofa accept (make accept)")
    parser.add_argument("--test", action="store_true", help="time twofa test (make test)")
    parser.add_argument("--workers", type=int, default=None, help="twofa accept --workers N (default: its own default)")
    parser.add_argument("--baseline", type=pathlib.Path, help="another checkout with its own .venv, run alternately")
    parser.add_argument("extra", nargs="*", metavar="-- ARGS", help="more arguments for the commands (a selection: -- -k lock)")
    args = parser.parse_args(argv)
    which = [w for w in ("accept", "test") if getattr(args, w)] or ["accept", "test"]
    checkouts = {"this checkout": ROOT}
    if args.baseline:
        baseline = args.baseline.resolve()
        if not (baseline / ".venv" / "bin" / "twofa").exists():
            parser.error(f"{baseline} has no .venv/bin/twofa: run `make setup` there first")
        checkouts["baseline"] = baseline
    print(f"suite benchmark (figures, not a test); {os.cpu_count()} cores; load "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    broken = False
    for what in which:
        for name, checkout in checkouts.items():
            with tempfile.TemporaryDirectory(prefix="twofa-suite-bench-") as folder:
                if what == "accept":
                    run = accept(checkout, pathlib.Path(folder), args.workers, args.extra)
                    report_accept(f"{name} ({checkout})", run)
                    # 1: the gate failed (a selection proves little); the times still stand.
                    broken |= run["status"] not in (0, 1) or not run["runs"]
                else:
                    run = test(checkout, pathlib.Path(folder), args.extra)
                    report_test(f"{name} ({checkout})", run)
                    broken |= run["status"] != 0
                if run["status"] not in (0, 1) or (what == "test" and run["status"] != 0):
                    print("  the command failed; its last lines:\n    " +
                          "\n    ".join(run["log"].read_text(encoding="utf-8").splitlines()[-12:]))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
