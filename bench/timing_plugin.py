"""A pytest plugin for the benchmarks: each test's setup+call+teardown time, on a clock
freezegun does not stop (the suite freezes time.perf_counter)."""

from twofa.reporting.clock import monotonic_ns


class ScenarioTimer:
    def __init__(self):
        self.durations_ns: dict[str, int] = {}
        self._started: dict[str, int] = {}

    def pytest_runtest_setup(self, item):
        self._started[item.nodeid] = monotonic_ns()

    def pytest_runtest_teardown(self, item, nextitem):
        pass

    def pytest_runtest_logreport(self, report):
        if report.when == "teardown" and report.nodeid in self._started:
            self.durations_ns[report.nodeid] = monotonic_ns() - self._started.pop(report.nodeid)
