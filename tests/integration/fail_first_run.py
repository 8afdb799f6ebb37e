"""A test-only pytest plugin: failures the rerun for a trace (steps/browser_trace.py) must tell apart.

* ``TWOFA_FAIL_FIRST_RUN=<part of a test id>``: the first run of each matching scenario fails at
  its last step, before the step's code runs; any later run of it in the process runs as written.
  A failure that does not come back: the rerun must report "did not fail again".
* ``TWOFA_FAIL_FIRST_STEP=<part of a test id>``: every run of each matching scenario fails at its
  first step, before any browser opens: nothing to trace, so no rerun.

It counts runs, so it is deterministic (no timing, no randomness). Load it with
``-p tests.integration.fail_first_run``.
"""

from __future__ import annotations

import os

MESSAGE = "failed on purpose, on the first run only (tests/integration/fail_first_run.py)"
BEFORE_A_BROWSER = "failed on purpose at the first step, before a browser opened (tests/integration/fail_first_run.py)"

_runs: dict[str, int] = {}


def _chosen(variable: str, nodeid: str) -> bool:
    part = os.environ.get(variable)
    return bool(part) and part in nodeid


def pytest_bdd_before_step_call(request, feature, scenario, step, step_func, step_func_args):
    nodeid = request.node.nodeid
    if _chosen("TWOFA_FAIL_FIRST_STEP", nodeid) and step is scenario.steps[0]:
        raise AssertionError(BEFORE_A_BROWSER)
    if _chosen("TWOFA_FAIL_FIRST_RUN", nodeid) and step is scenario.steps[-1]:
        _runs[nodeid] = _runs.get(nodeid, 0) + 1
        if _runs[nodeid] == 1:
            raise AssertionError(MESSAGE)
