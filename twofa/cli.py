"""``twofa``: the commands behind the README's two, and a few more.

    twofa accept [--target NAME [--real-time]] [--driver NAME ...] [--tags EXPRESSION] [--workers N] [--reports DIR] [--repeat N]
                 [--shard I/N [--shard-durations PATH]] [--trace {rerun,on,off}] [pytest args]
        the acceptance suite against a target (default: the embedded reference app), with reports and the gate,
        over one pytest-xdist worker per core (--workers 0: in one process);
        --shard: one of N slices, for N CI runners; --trace: how failed browser scenarios get their Playwright
        traces (default rerun: a failed one is run once more, recording, and the first run stays the verdict)
    twofa test [pytest args]
        every test: unit, integration, web, reporting, and the acceptance suite on every driver,
        over one pytest-xdist worker per core (-n 0: in one process)
    twofa serve [--host H] [--port P] [--db PATH] [--key-file PATH] [--secure-cookies] [--behind-proxies N] [--demo|--no-demo]
        the reference app with demo data, a local SMTP server and the demo outbox
    twofa report [--reports DIR] [--merge DIR ...]
        rebuild the living documentation from the last run, without running anything;
        --merge: join the reports of `twofa accept --shard` runs into DIR's reports and gate
    twofa deviations [--reports DIR] [--new]
        a known-deviations file (TOML) drafted from the last conformance run's failures, to read and keep
        (--new: only the failures the target's known deviations do not explain)
    twofa side-by-side NAME=DIR NAME=DIR ... [--out PATH]
        the requirements with one column per target, from each target's run (default reports/side-by-side.html)
    twofa simulate {guessing,drift,cost,all} [--seed N] [--params FILE]
        studies run against the app's real rules: pages and data in reports/simulation/
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from steps.drivers import DRIVERS, TRACE_MODES
from targets import DEFAULT_TARGET, TARGETS
from twofa.spec import ROOT


def _pytest(args: list[str]) -> int:
    import pytest

    os.chdir(ROOT)  # features, spec and pyproject are found from the project's root
    return int(pytest.main(args))


def accept(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="twofa accept", description="Run the acceptance suite, write reports/ and apply the release gate.")
    parser.add_argument("--driver", action="append", choices=DRIVERS, help="a driver to run (repeatable; default: all the target has)")
    parser.add_argument("--target", choices=tuple(TARGETS), default=DEFAULT_TARGET,
                        help=f"the product to run the scenarios against (default: {DEFAULT_TARGET})")
    parser.add_argument("--real-time", action="store_true",
                        help="run the target on the wall clock, as a product at a URL runs: the scenarios that move time are "
                             "reported not applicable")
    parser.add_argument("--workers", type=_workers, default=None,
                        help="run in parallel on N processes (pytest-xdist); 'auto' (the default where there are several cores "
                             "and no --pdb): one per core; 0: in this process")
    parser.add_argument("--tags", metavar="EXPRESSION",
                        help='only the scenarios matching a Cucumber tag expression, e.g. "@critical and not @ui-only"')
    parser.add_argument("--reports", default="reports", help="where the reports go (default: reports/)")
    parser.add_argument("--shard", type=_shard, metavar="I/N",
                        help="run only the I-th of N slices, balanced by the last run's durations (CI runners; join with `twofa report --merge`)")
    parser.add_argument("--shard-durations", metavar="PATH",
                        help="the durations file the slices are balanced by (default: reports/durations.json, written by every whole run)")
    parser.add_argument("--repeat", type=_positive, metavar="N",
                        help="run the suite N times and report every scenario whose verdict changed (flakiness)")
    parser.add_argument("--trace", choices=tuple(TRACE_MODES), default=next(iter(TRACE_MODES)),
                        help="Playwright traces of the browser (ui) scenarios, linked from the reports of the failed ones: "
                             "rerun (default): none recorded; a failed browser scenario is run once more at once, recording, "
                             "for its trace (the first run is the verdict; the reports say if the rerun did not fail); "
                             "on: every browser scenario records one, kept if it fails (for a failure that does not come back; "
                             "costs each scenario 30 to 40 percent more CPU); off: no traces")
    known, pytest_args = parser.parse_known_args(argv)
    if known.repeat:
        from twofa.repeat import repeat

        once = _drop_values(argv, ("--repeat", "--reports"))
        return repeat(known.repeat, once, ROOT / known.reports)
    # Evidence of an earlier run's failures would pass for this run's: start without it.
    shutil.rmtree(ROOT / known.reports / "ui-failures", ignore_errors=True)
    args = ["tests/acceptance", f"--twofa-reports={known.reports}", f"--junitxml={os.path.join(known.reports, 'junit.xml')}",
            "-o", "junit_family=xunit2", "-p", "no:cacheprovider",
            # Hypothesis's plugin costs a second of start-up in every process and the
            # acceptance suite has no property tests; each xdist worker would pay it again.
            "-p", "no:hypothesispytest"]
    if known.target != DEFAULT_TARGET:
        args.append(f"--target={known.target}")
    if known.real_time:
        args.append("--real-time")
    args.append(f"--browser-trace={known.trace}")
    for name in known.driver or []:
        args.append(f"--driver={name}")
    if not any(a == "--tb" or a.startswith("--tb=") for a in pytest_args):
        args.append("--tb=short")  # the summary tells the failures in the product's words; --tb=long for more
    if known.tags is not None:
        args.append(f"--tags={known.tags}")
    workers = _default_workers(pytest_args) if known.workers is None else known.workers
    if workers:
        args += ["-n", str(workers)]
    if known.shard:
        args.append(f"--twofa-shard={known.shard}")
    if known.shard_durations:
        args.append(f"--twofa-durations={os.path.abspath(known.shard_durations)}")
    return _pytest(args + pytest_args)


def test(argv: list[str]) -> int:
    """Every test, spread over one pytest-xdist worker per core unless the arguments say
    otherwise (``-n 0`` for one process). The tests are isolated (each its own temporary
    folders, ports, app); a module whose tests share an expensive fixture keeps them
    on one worker with ``xdist_group`` (``--dist loadgroup``), and the fixture is session-scoped:
    a worker may interleave other modules between the group's tests, which remakes a module fixture."""
    chosen = any(a in ("-n", "--numprocesses", "--dist") or a.startswith(("-n", "--numprocesses=", "--dist="))
                 or a in ("no:xdist", "-pno:xdist") for a in argv)
    spread = [] if chosen or not _has_xdist() else ["-n", "auto", "--dist", "loadgroup"]
    return _pytest(["tests", *spread] + argv)


def _has_xdist() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None


def report(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="twofa report", description="Rebuild the living documentation from the last run's results.")
    parser.add_argument("--reports", default=str(ROOT / "reports"), help="the reports folder (default: reports/)")
    parser.add_argument("--merge", nargs="+", metavar="DIR",
                        help="join these `twofa accept --shard I/N` report folders into --reports, with the release gate")
    known = parser.parse_args(argv)
    if known.merge:
        return _merge(known.merge, known.reports)
    from twofa.reporting import rebuild_html

    try:
        path = rebuild_html(known.reports)
    except FileNotFoundError as error:
        print(f"twofa report: {error}. Run `twofa accept` first.", file=sys.stderr)
        return 2
    print(f"Living documentation: {path}")
    return 0


def _merge(folders: list[str], reports: str) -> int:
    from pathlib import Path

    from twofa.reporting.files import LIVING_DOC
    from twofa.reporting.merge import MergeError, merge
    from twofa.reporting.summary import summary_lines

    try:
        run = merge([Path(folder) for folder in folders], Path(reports), ROOT)
    except MergeError as error:
        print(f"twofa report --merge: {error}", file=sys.stderr)
        return 2
    shards = run["meta"]["shards"]
    print(f"merged shards {', '.join(shards['merged'])} of {shards['count']} into {reports}"
          + (f"; MISSING {', '.join(shards['missing'])}" if shards["missing"] else ""))
    for line in summary_lines(run, str(Path(reports) / LIVING_DOC)):
        print(line)
    return 0 if run["gate"]["passed"] else 1


def serve(argv: list[str]) -> int:
    from sut.entrypoints.serve import main as serve_main

    return serve_main(argv) or 0


def _drop_values(argv: list[str], options: tuple[str, ...]) -> list[str]:
    """argv without the given options and their values (--opt V or --opt=V)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in options:
            skip = True
        elif not any(arg.startswith(option + "=") for option in options):
            kept.append(arg)
    return kept


def _number(text: str, option: str, minimum: int, why: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{option} takes a number, not {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{option} {why}")
    return value


def _positive(text: str) -> int:
    return _number(text, "--repeat", 2, "needs at least 2 runs to compare")


def _shard(text: str) -> str:
    from twofa.shard import parse_shard

    try:
        parse_shard(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text.strip()


def _default_workers(pytest_args: list[str]):
    """One worker per core where that helps: measured on 2 cores (bench/suite_bench.py), the whole
    suite with its reports took 0.62x the serial time, and parallel runs write the same reports
    (bench/compare_reports.py). Serial on one core, without pytest-xdist, under a debugger
    (--pdb), when the pytest arguments already say (-n N, -p no:xdist), and inside a worker of
    another parallel run (a test of `twofa test` that runs the suite): its cores are taken."""
    said = any(a in ("-n", "--numprocesses", "no:xdist", "-pno:xdist", "--pdb")
               or a.startswith(("-n", "--numprocesses=")) for a in pytest_args)
    nested = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    return 0 if said or nested or (os.cpu_count() or 1) < 2 or not _has_xdist() else "auto"


def _workers(text: str):
    return "auto" if text == "auto" else _number(text, "--workers", 0, "cannot be negative")


def deviations(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="twofa deviations",
                                     description="Draft spec/deviations/<target>.toml from the last run's failures (printed).")
    parser.add_argument("--reports", default=str(ROOT / "reports"))
    parser.add_argument("--new", action="store_true",
                        help="only the failures the target's known deviations do not explain: entries to add to its file")
    known = parser.parse_args(argv)
    import json

    from twofa.reporting.deviations import record
    from twofa.reporting.requirements import requirement_ids

    try:
        run = json.loads((Path(known.reports) / "results.json").read_text())
    except FileNotFoundError:
        print(f"twofa deviations: no results.json in {known.reports}. Run `twofa accept --target NAME` first.", file=sys.stderr)
        return 2
    recorded = (run.get("deviations") or {}).get("entries")
    if known.new and recorded is None:
        print(f"twofa deviations: the run in {known.reports} was not judged against known deviations "
              "(a target without a deviations file?): --new has nothing to compare with.", file=sys.stderr)
        return 2
    print(record(run["results"], requirement_ids, recorded if known.new else None))
    return 0


def side_by_side(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="twofa side-by-side",
                                     description="The requirements with one column per target, from each target's reports.")
    parser.add_argument("columns", nargs="+", metavar="NAME=DIR", help="a target's name and the reports of its run")
    parser.add_argument("--out", default=str(ROOT / "reports" / "side-by-side.html"))
    known = parser.parse_args(argv)
    columns = []
    for column in known.columns:
        name, sep, folder = column.partition("=")
        if not sep or not name or not folder:
            parser.error(f"{column!r} is not NAME=DIR (e.g. flask-security=reports/flask-security)")
        columns.append((name, Path(folder)))
    from twofa.reporting.side_by_side import write

    try:
        print(f"Side by side: {write(columns, Path(known.out))}")
    except FileNotFoundError as error:
        print(f"twofa side-by-side: {error}", file=sys.stderr)
        return 2
    return 0


def simulate(argv: list[str]) -> int:
    from twofa.simulate.cli import main as simulate_main

    return simulate_main(argv)


COMMANDS = {"accept": accept, "test": test, "serve": serve, "report": report, "deviations": deviations, "side-by-side": side_by_side,
            "simulate": simulate}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print(__doc__.strip())
        if argv and argv[0] not in {"-h", "--help"}:
            print(f"\ntwofa: unknown command {argv[0]!r}", file=sys.stderr)
            return 2
        return 0
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
