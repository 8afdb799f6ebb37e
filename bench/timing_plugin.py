"""A pytest plugin for the benchmarks: each test's setup+call+teardown time, on a clock
freezegun does not stop (the suite freezes time.perf_counter), and the CPU time this process
spent meanwhile (``time.process_time_ns``, which freezegun leaves alone): on a shared machine
the CPU figure moves far less with the other jobs' load than the wall time does."""

import time

import pytest

from twofa.reporting.clock import monotonic_ns


class ScenarioTimer:
    """The first test of a session also pays the session's one-off set-up (the browser's
    launch, the web server, Faker's locale): it is timed apart, in ``first``."""

    def __init__(self, not_first: str | None = None):
        self.durations_ns: dict[str, int] = {}
        self.cpu_ns: dict[str, int] = {}
        self.first: tuple[str, int] | None = None
        self._started: dict[str, int] = {}
        self._not_first = not_first  # a test to keep out of the first place, to time it warm

    @pytest.hookimpl(trylast=True)  # after -k and the drivers' deselection
    def pytest_collection_modifyitems(self, items):
        if self._not_first and len(items) > 1 and self._not_first in items[0].nodeid:
            items[0], items[1] = items[1], items[0]

    def pytest_runtest_setup(self, item):
        self._started[item.nodeid] = (monotonic_ns(), time.process_time_ns())

    def pytest_runtest_teardown(self, item, nextitem):
        pass

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown" and report.nodeid in self._started:
            wall, cpu = self._started.pop(report.nodeid)
            took = monotonic_ns() - wall
            if self.first is None:
                self.first = (report.nodeid, took)
            else:
                self.durations_ns[report.nodeid] = took
                self.cpu_ns[report.nodeid] = time.process_time_ns() - cpu
