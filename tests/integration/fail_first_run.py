"""A test-only pytest plugin: a failure that does not come back when the scenario runs again.

The first run of each scenario whose test id contains ``TWOFA_FAIL_FIRST_RUN`` fails at its last
step, before the step's code runs; every later run of it in the same process runs as written.
It counts runs, so it is deterministic (no timing, no randomness): the failure a rerun for a
trace (steps/browser_trace.py) must report as "did not fail again". Load it with
``-p tests.integration.fail_first_run``.
"""

from __future__ import annotations

import os

VARIABLE = "TWOFA_FAIL_FIRST_RUN"
MESSAGE = "failed on purpose, on the first run only (tests/integration/fail_first_run.py)"

_runs: dict[str, int] = {}


def pytest_bdd_before_step_call(request, feature, scenario, step, step_func, step_func_args):
    chosen = os.environ.get(VARIABLE)
    if not chosen or chosen not in request.node.nodeid or step is not scenario.steps[-1]:
        return
    _runs[request.node.nodeid] = _runs.get(request.node.nodeid, 0) + 1
    if _runs[request.node.nodeid] == 1:
        raise AssertionError(MESSAGE)
