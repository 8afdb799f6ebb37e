"""A pytest plugin for the benchmarks: each test's setup+call+teardown time, on a clock
freezegun does not stop (the suite freezes time.perf_counter)."""

import pytest

from twofa.reporting.clock import monotonic_ns


class ScenarioTimer:
    """The first test of a session also pays the session's one-off set-up (the browser's
    launch, the web server, Faker's locale): it is timed apart, in ``first``."""

    def __init__(self, not_first: str | None = None):
        self.durations_ns: dict[str, int] = {}
        self.first: tuple[str, int] | None = None
        self._started: dict[str, int] = {}
        self._not_first = not_first  # a test to keep out of the first place, to time it warm

    @pytest.hookimpl(trylast=True)  # after -k and the drivers' deselection
    def pytest_collection_modifyitems(self, items):
        if self._not_first and len(items) > 1 and self._not_first in items[0].nodeid:
            items[0], items[1] = items[1], items[0]

    def pytest_runtest_setup(self, item):
        self._started[item.nodeid] = monotonic_ns()

    def pytest_runtest_teardown(self, item, nextitem):
        pass

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown" and report.nodeid in self._started:
            took = monotonic_ns() - self._started.pop(report.nodeid)
            if self.first is None:
                self.first = (report.nodeid, took)
            else:
                self.durations_ns[report.nodeid] = took
