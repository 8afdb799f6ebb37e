"""Playwright traces of failed browser scenarios, paid for only by the scenarios that fail.

Recording a trace with DOM snapshots costs a ui scenario 30-40 % more CPU (bench/ui_bench.py),
and only a failed scenario's trace is ever kept. So, by default (``--browser-trace=rerun``), no
scenario records one; a browser scenario that fails is run once more at once, recording: same
seed (from its id), same clock start, fresh scenario fixtures, the run's browser and app. That
rerun only makes the trace the reports link for the scenario. The verdict is the first run's:
the rerun's reports are never logged, so no status, count, results.json, junit.xml or gate
sees them; its steps and screenshots go to a record of its own, of which the first run's keeps
only the links and a note of how the rerun ended (``twofa.reporting.evidence_from_rerun``):
"did not fail again when rerun with a trace" is a flakiness signal, and the scenario still failed.

This is Playwright Test's trace "on-first-retry" for a gate that never retries: the first run
is the verdict. A scenario that failed before it opened a browser has nothing to trace and is
not rerun; nor is a failure the target's known deviations explain (a conformance run's
recorded findings), nor anything under ``--pdb``. The same loop as pytest-rerunfailures
(``runtestprotocol(item, nextitem=..., log=False)`` from ``pytest_runtest_protocol``), but that
library reports a rerun that passes as passed, which a gate must not.

``--browser-trace=on``: every browser scenario records its trace, kept when it fails (for a
failure that does not come back on a rerun); ``off``: no trace at all.
"""

from __future__ import annotations

import pytest
from _pytest.runner import runtestprotocol

from steps.drivers import TRACE_MODES as MODES

DEFAULT = next(iter(MODES))
WHY = "with a trace"  # what the rerun is for, as the reports say it

_RERUN_KEY = pytest.StashKey[bool]()
_OPENED_KEY = pytest.StashKey[bool]()
_KNOWN_KEY = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("twofa", "two-factor acceptance suite")
    group.addoption("--browser-trace", choices=tuple(MODES), default=DEFAULT, dest="twofa_browser_trace",
                    help="Playwright traces of browser scenarios: " + "; ".join(f"{m}: {h}" for m, h in MODES.items())
                    + f" (default: {DEFAULT})")


def mode(config) -> str:
    return config.getoption("twofa_browser_trace", None) or DEFAULT


def records(item: pytest.Item) -> bool:
    """Whether this run of a browser scenario records a Playwright trace."""
    return mode(item.config) == "on" or is_rerun(item)


def is_rerun(item: pytest.Item) -> bool:
    """Whether this is a failed scenario's rerun for its trace."""
    return item.stash.get(_RERUN_KEY, False)


def note_browsers(item: pytest.Item, driver) -> None:
    """Called when the scenario's driver closes: did the scenario open a browser?"""
    item.stash[_OPENED_KEY] = bool(getattr(driver, "shows_pages", False) and getattr(driver, "devices", None))


def _in_a_browser(item: pytest.Item) -> bool:
    from steps.plugin import driver_class, driver_of

    name = driver_of(item)
    return name is not None and driver_class(item.config, name).shows_pages


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """A browser scenario's run, as pytest's own (runner.pytest_runtest_protocol), with its
    reports held back until a failure has been rerun for its trace."""
    if mode(item.config) != "rerun" or item.config.getoption("usepdb", False) or not _in_a_browser(item):
        return None
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    item.stash[_OPENED_KEY] = False
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    if any(report.failed for report in reports) and item.stash[_OPENED_KEY] and not _a_known_deviation(item, reports[-1]):
        _rerun_for_trace(item, nextitem, reports[-1])
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _a_known_deviation(item: pytest.Item, teardown: pytest.TestReport) -> bool:
    """Whether the target's known deviations explain this failure: a conformance run's recorded
    findings (45 of Flask-Security's browser runs) fail every time and are judged known, not
    new; rerunning each for a trace nobody asked for would double their cost."""
    from twofa.reporting.collecting import REPORT_ATTR
    from twofa.reporting.deviations import load, matches

    path = item.config.getoption("twofa_deviations", None)
    record = getattr(teardown, REPORT_ATTR, None)  # the first run's record (the teardown report carries it)
    if not path or record is None:
        return False
    if _KNOWN_KEY not in item.config.stash:  # checked at the run's start (twofa.reporting.plugin)
        item.config.stash[_KNOWN_KEY] = load(item.config.rootpath / path)
    return any(matches(deviation, record) for deviation in item.config.stash[_KNOWN_KEY])


def _rerun_for_trace(item: pytest.Item, nextitem: pytest.Item | None, teardown: pytest.TestReport) -> None:
    """Run the failed scenario again, recording; the first run's record (on its ``teardown``
    report, not yet logged) takes the rerun's trace links and how it ended."""
    from twofa.reporting import evidence_from_rerun

    properties = list(item.user_properties)  # the rerun records its seed again
    item.stash[_RERUN_KEY] = True
    try:
        again = runtestprotocol(item, nextitem=nextitem, log=False)
    finally:
        item.stash[_RERUN_KEY] = False
        item.user_properties[:] = properties
    evidence_from_rerun(teardown, again, WHY)
