"""twofa accept --repeat N finds a scenario whose verdict changes from one run to the next.

The flakiness is made on purpose: a plugin breaks the lock rule on the second run only
(it counts runs in a file), so "Five wrong codes lock the second step" passes, then fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from twofa.spec import ROOT

PLUGIN = '''
import pathlib

COUNTER = pathlib.Path(__file__).with_name("runs")


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        return
    runs = int(COUNTER.read_text()) + 1 if COUNTER.exists() else 1
    COUNTER.write_text(str(runs))
    if runs == 2:
        import sut.domain.lockout

        sut.domain.lockout.MAX_WRONG_CODES = 6
'''


def test_a_verdict_that_changes_is_reported(tmp_path):
    (tmp_path / "second_run_breaks_the_lock.py").write_text(PLUGIN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    done = subprocess.run([sys.executable, "-m", "twofa.cli", "accept", "--repeat", "3", f"--reports={tmp_path / 'r'}",
                           "--driver", "domain", "-k", "five_wrong_codes or a_right_code_clears",
                           "-p", "second_run_breaks_the_lock", "-W", "ignore::pytest.PytestAssertRewriteWarning"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    flaky = json.loads((tmp_path / "r" / "repeat" / "flakiness.json").read_text())
    assert flaky["times"] == 3 and flaky["scenario_runs"] == 2
    assert flaky["changed"] == [{"scenario": "tests/acceptance/test_scenarios.py::test_five_wrong_codes_lock_the_second_step[domain]",
                                 "statuses": ["passed", "failed", "passed"]}]
    assert "3 runs of 2 scenario runs each; verdict changed for 1" in done.stdout
