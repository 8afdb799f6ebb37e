"""pytest plugin ``twofa_reports``: reports and a release gate for the spec.

Registered through the ``pytest11`` entry point; does nothing unless
``--twofa-reports=DIR`` is given. Then:

* every process (serial run, or each xdist worker) records what each scenario
  did (collecting.Collector) and ships the record on the teardown report;
* only the controller (the process without ``workerinput``) gathers records,
  builds the run document (model.build_run), judges the gate and writes the
  files (files.write_all). Workers never write, so ``-n N`` cannot race or
  leave partial files.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import Any

import pytest

from . import clock, deviations, identity
from .collecting import ACTIVE_KEY, NOT_RUN_OUTPUT, REPORT_ATTR, Collector
from .files import LIVING_DOC, write_all
from .gate import PolicyError, evaluate, load_policy
from .model import build_run
from .summary import counts_by_driver, summary_lines

DEFAULT_REQUIREMENTS = "spec/requirements.toml"


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hooks

    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("twofa", "twofa reports (living documentation and release gate)")
    group.addoption(
        "--twofa-reports",
        metavar="DIR",
        default=None,
        help="write cucumber.json, messages.ndjson, results.json, gate.json and living-doc.html to DIR, "
        "and fail the run when the release gate ([tool.twofa.gate] in pyproject.toml) fails",
    )
    group.addoption(
        "--twofa-deviations",
        metavar="PATH",
        default=None,
        help="a conformance run: the known deviations (TOML, twofa/reporting/deviations.py) of the product under "
        "test; the gate then holds when the failures are exactly these",
    )
    group.addoption(
        "--twofa-requirements",
        metavar="PATH",
        default=None,
        help=f"requirements catalogue (TOML) for the gate and the living doc; default <rootdir>/{DEFAULT_REQUIREMENTS}",
    )


def pytest_configure(config: pytest.Config) -> None:
    outdir = config.getoption("twofa_reports", None)
    if not outdir:
        return
    config.stash[ACTIVE_KEY] = True
    config.pluginmanager.register(Collector(), "twofa_reports_collector")
    if hasattr(config, "workerinput"):  # an xdist worker: record, do not write
        return
    try:
        policy = load_policy(config.rootpath / "pyproject.toml")
    except PolicyError as exc:
        raise pytest.UsageError(str(exc)) from exc
    requirements = config.getoption("twofa_requirements", None)
    requirements_path = (
        Path(config.invocation_params.dir, requirements) if requirements else config.rootpath / DEFAULT_REQUIREMENTS
    )
    known = config.getoption("twofa_deviations", None)
    if known:  # a malformed file stops the run before it starts, not after
        try:
            deviations.load(Path(config.rootpath, known))
        except deviations.DeviationsError as exc:
            raise pytest.UsageError(str(exc)) from exc
    reporter = Reporter(config, Path(config.invocation_params.dir, outdir), requirements_path, policy)
    config.pluginmanager.register(reporter, "twofa_reports_reporter")


def judge_and_write(records: Any, not_run: Any, meta: dict[str, Any], rootdir: Path, requirements_path: Path | None,
                    policy: dict[str, Any], outdir: Path, deviations_file: str | None = None) -> dict[str, Any]:
    """The run document from the records, its gate, and every report file: what a run (or a
    merge of shards, merge.py) ends with. A conformance run names its known deviations."""
    run = build_run(records, rootdir, requirements_path, meta, not_run)
    run["policy"] = policy
    if deviations_file:
        run["deviations"] = {"file": str(deviations_file), "entries": deviations.load(Path(rootdir, deviations_file))}
    gate = evaluate(run, policy)
    # The verdict first, then what it is about: the run's identity and its counts.
    run["gate"] = {"verdict": gate["verdict"], "passed": gate["passed"], "run": identity.for_gate(run),
                   "runs_per_driver": counts_by_driver(run["results"]), **gate}
    write_all(run, outdir)
    return run


class Reporter:
    """Controller side: gather records, write the reports, apply the gate."""

    def __init__(self, config: pytest.Config, outdir: Path, requirements_path: Path, policy: dict[str, Any]) -> None:
        self.config = config
        self.outdir = outdir
        self.requirements_path = requirements_path
        self.policy = policy
        self.records: dict[str, dict[str, Any]] = {}
        self.not_run: dict[str, dict[str, Any]] = {}  # deselected runs, by node id
        self.started_ns = clock.wall_ns()
        self.identity = identity.start(config.rootpath, self.started_ns)
        self.run: dict[str, Any] | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, REPORT_ATTR, None)
        if record is not None:
            self.records[report.nodeid] = record

    # xdist: each worker collects (and deselects) the same items; it sends its list home.
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        for record in getattr(node, "workeroutput", {}).get(NOT_RUN_OUTPUT, []):
            self.not_run.setdefault(record["nodeid"], record)

    # After other plugins' sessionfinish (e.g. xdist's), so every report is in.
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        meta = {
            **self.identity,
            "finished_ns": clock.wall_ns(),
            "python": platform.python_version(),
            "os": sys.platform,
            "cpu": platform.machine() or "unknown",
            "pytest_exitstatus": int(exitstatus),
            # Which product ran (targets/): an archived verdict says what it is about.
            "target": getattr(self.config.option, "twofa_target", None) or "reference",
            "real_time": bool(getattr(self.config.option, "twofa_real_time", False)),
        }
        # How browser scenarios got their Playwright traces (steps/browser_trace.py): which evidence a failure has.
        browser_trace = getattr(self.config.option, "twofa_browser_trace", None)
        if browser_trace:
            meta["browser_trace"] = str(browser_trace)
        from twofa.shard import DURATIONS, SHARD_KEY, shard_label, write_durations

        shard = self.config.stash.get(SHARD_KEY, None)
        if shard is not None:  # one slice of a run spread over machines (twofa report --merge joins them)
            meta["shard"] = shard_label(shard)
        collector = self.config.pluginmanager.get_plugin("twofa_reports_collector")
        for record in getattr(collector, "not_run", []):  # a serial run deselects here
            self.not_run.setdefault(record["nodeid"], record)
        not_run = [r for nodeid, r in self.not_run.items() if nodeid not in self.records]
        run = judge_and_write(self.records.values(), not_run, meta, self.config.rootpath, self.requirements_path,
                              self.policy, self.outdir, self.config.getoption("twofa_deviations", None))
        if shard is None:
            # The next `--shard` run balances its slices by these times. A shard's own run
            # leaves the file alone: the other shards must read the file it read.
            write_durations(run["results"], self.outdir / DURATIONS)
        self.run = run
        # The gate can fail a run that pytest passed (e.g. a requirement with no
        # passing scenario); CI must see that as a failure. 1 is what CI
        # systems already read as "tests failed".
        # A shard proves only its slice: its gate is judged once the shards are merged.
        if shard is None and not run["gate"]["passed"] and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        # A conformance run whose failures are exactly the known deviations is green: CI
        # stays green while the record of the product is true.
        if run["gate"]["passed"] and run.get("deviations") and session.exitstatus == pytest.ExitCode.TESTS_FAILED:
            session.exitstatus = pytest.ExitCode.OK

    # The outermost wrapper, so the summary comes after pytest's own sections
    # (failures, short test summary) and just before its closing
    # "N passed, N failed" line, which CI log readers expect to be last.
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Any:
        result = yield
        if self.run is None:
            return result
        passed = self.run["gate"]["passed"]
        terminalreporter.write_sep("=", f"twofa reports in {self.outdir}", green=passed, red=not passed)
        for line in summary_lines(self.run, str(self.outdir / LIVING_DOC)):
            terminalreporter.write_line(line)
        if self.run["meta"].get("shard"):
            terminalreporter.write_line(f"shard {self.run['meta']['shard']}: this slice alone proves only its own scenarios; "
                                        "the release gate is `twofa report --merge` of every shard's reports")
        return result
