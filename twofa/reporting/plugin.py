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

from . import clock
from .collecting import ACTIVE_KEY, REPORT_ATTR, Collector
from .files import write_all
from .gate import PolicyError, evaluate, load_policy
from .model import build_run
from .summary import summary_lines

DEFAULT_REQUIREMENTS = "spec/requirements.toml"


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
    reporter = Reporter(config, Path(config.invocation_params.dir, outdir), requirements_path, policy)
    config.pluginmanager.register(reporter, "twofa_reports_reporter")


def not_applicable_requirements(config: pytest.Config) -> dict[str, str]:
    """Requirements whose every scenario is @ui-only, when the browser driver is not in the run.

    Choosing drivers (``--driver domain``) is a way of running less, not a failure of the
    requirements only a browser can prove; a full run (the CI's) still has to prove them.
    """
    drivers = config.getoption("twofa_drivers", None)
    if not drivers or "ui" in drivers:
        return {}
    try:
        from twofa.spec import trace

        scenarios = trace().scenarios
    except Exception:  # no catalogue or features here: nothing to excuse
        return {}
    by_requirement: dict[str, list] = {}
    for scenario in scenarios:
        for rid in scenario.requirement_ids:
            by_requirement.setdefault(rid, []).append(scenario)
    return {rid: "proved only through the browser (ui driver), which this run did not choose"
            for rid, refs in by_requirement.items() if all("ui-only" in ref.tags for ref in refs)}


class Reporter:
    """Controller side: gather records, write the reports, apply the gate."""

    def __init__(self, config: pytest.Config, outdir: Path, requirements_path: Path, policy: dict[str, Any]) -> None:
        self.config = config
        self.outdir = outdir
        self.requirements_path = requirements_path
        self.policy = policy
        self.records: dict[str, dict[str, Any]] = {}
        self.started_ns = clock.wall_ns()
        self.run: dict[str, Any] | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = getattr(report, REPORT_ATTR, None)
        if record is not None:
            self.records[report.nodeid] = record

    # After other plugins' sessionfinish (e.g. xdist's), so every report is in.
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        meta = {
            "started_ns": self.started_ns,
            "finished_ns": clock.wall_ns(),
            "python": platform.python_version(),
            "os": sys.platform,
            "cpu": platform.machine() or "unknown",
            "pytest_exitstatus": int(exitstatus),
        }
        run = build_run(self.records.values(), self.config.rootpath, self.requirements_path, meta)
        run["not_applicable"] = not_applicable_requirements(self.config)
        run["policy"] = self.policy
        run["gate"] = evaluate(run, self.policy)
        write_all(run, self.outdir)
        self.run = run
        # The gate can fail a run that pytest passed (e.g. a requirement with no
        # passing scenario); CI must see that as a failure. 1 is what CI
        # systems already read as "tests failed".
        if not run["gate"]["passed"] and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

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
        for line in summary_lines(self.run):
            terminalreporter.write_line(line)
        return result
