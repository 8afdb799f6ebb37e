"""A pytest plugin for the benchmarks: each test's wall time and the CPU time its whole
process tree spent (this Python, Playwright's node driver, Chromium's processes, their
reaped children), written as JSON to the path in ``TWOFA_BENCH_OUT``.

Why CPU time as well: the machine is shared, and wall time under a load of 10 on 2 cores
measures the other jobs as much as ours; the CPU a scenario costs barely moves with load,
so two versions measured minutes apart still compare. Linux only (it reads /proc); elsewhere
the CPU figures are absent.

It imports nothing of the project, so it can time another checkout of it (the one before a
change): ``PYTHONPATH=<this folder> python -m pytest -p scenario_probe ...`` in that
checkout (``bench/ui_bench.py --baseline DIR`` does this).
"""

from __future__ import annotations

import json
import os
import time

import pytest

OUT = "TWOFA_BENCH_OUT"
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _monotonic_ns() -> int:  # freezegun never patches clock_gettime_ns
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def tree_cpu_seconds(root: int | None = None) -> float | None:
    """User+system CPU of ``root`` (default: this process) and every live descendant, each
    with its reaped children's. None where /proc cannot say."""
    root = os.getpid() if root is None else root
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    parent, cpu = {}, {}
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        pid = int(name)
        parent[pid] = int(fields[1])
        cpu[pid] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    if root not in cpu:
        return None
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total / _TICKS


class ScenarioProbe:
    """Times setup+call+teardown of every test. The first test of a session also pays the
    session's one-off set-up (the browser's launch, the web server): it is kept apart."""

    def __init__(self, path: str, not_first: str | None = None):
        self.path = path
        self.not_first = not_first
        self.tests: dict[str, dict] = {}
        self.first: str | None = None
        self._started: dict[str, tuple[int, float | None]] = {}
        self._session_start = (_monotonic_ns(), tree_cpu_seconds())

    @pytest.hookimpl(trylast=True)  # after -k and the drivers' deselection
    def pytest_collection_modifyitems(self, items):
        if self.not_first and len(items) > 1 and self.not_first in items[0].nodeid:
            items[0], items[1] = items[1], items[0]

    def pytest_runtest_logstart(self, nodeid, location):
        self._started[nodeid] = (_monotonic_ns(), tree_cpu_seconds())

    def pytest_runtest_logfinish(self, nodeid, location):
        wall0, cpu0 = self._started.pop(nodeid)
        cpu1 = tree_cpu_seconds()
        self.tests[nodeid] = {"wall": (_monotonic_ns() - wall0) / 1e9,
                              "cpu": None if cpu0 is None or cpu1 is None else cpu1 - cpu0}
        if self.first is None:
            self.first = nodeid

    def pytest_sessionfinish(self, session, exitstatus):
        wall0, cpu0 = self._session_start
        cpu1 = tree_cpu_seconds()
        with open(self.path, "w", encoding="utf-8") as out:
            json.dump({"tests": self.tests, "first": self.first, "exitstatus": int(exitstatus),
                       "session": {"wall": (_monotonic_ns() - wall0) / 1e9,
                                   "cpu": None if cpu0 is None or cpu1 is None else cpu1 - cpu0}}, out)


def pytest_configure(config):
    path = os.environ.get(OUT)
    if path and not config.pluginmanager.has_plugin("twofa-scenario-probe"):
        config.pluginmanager.register(ScenarioProbe(path, os.environ.get("TWOFA_BENCH_NOT_FIRST")), "twofa-scenario-probe")
