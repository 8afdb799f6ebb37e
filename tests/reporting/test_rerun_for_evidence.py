"""A failed scenario rerun only for its evidence (a trace): the record keeps the first run's verdict.

``evidence_from_rerun`` is what the harness (steps/browser_trace.py) calls with the first run's
teardown report, before logging it, and the rerun's reports, which are never logged.
"""

from __future__ import annotations

import copy

import pytest

from twofa.reporting import evidence_from_rerun
from twofa.reporting.allure import _Writer
from twofa.reporting.collecting import REPORT_ATTR
from twofa.reporting.failures import defects, rerun_note


def step(text, status, attachments=()):
    return {"line": 1, "keyword": "Then ", "text": text, "status": status, "duration_ns": 1, "started_ns": 1,
            "error": "AssertionError: told X" if status == "failed" else None, "error_type": None, "definition": None,
            "attachments": [{"media_type": "image/jpeg", "name": name, "data": "", "at_ns": 1} for name in attachments],
            "observed": []}


def record(steps, links=()):
    return {"nodeid": "t.py::test_lock[ui]", "uri": "features/lock.feature", "scenario_line": 3, "scenario_name": "Lock",
            "feature_name": "Lock", "example": {}, "example_index": None, "driver": "ui", "tags": [], "hooks": [],
            "attachments": [], "links": list(links), "status": "failed" if any(s["status"] == "failed" for s in steps) else "passed",
            "error": None, "properties": {"seed": "7"}, "started_ns": 1, "duration_ns": 1, "steps": steps}


def reports(outcome, carried=None):
    made = [pytest.TestReport("t.py::test_lock[ui]", ("t.py", 1, "test_lock"), {}, "passed", None, "setup"),
            pytest.TestReport("t.py::test_lock[ui]", ("t.py", 1, "test_lock"), {}, outcome, None, "call"),
            pytest.TestReport("t.py::test_lock[ui]", ("t.py", 1, "test_lock"), {}, "passed", None, "teardown")]
    if carried is not None:
        setattr(made[-1], REPORT_ATTR, carried)
    return made


TRACE = {"name": "Playwright trace of the agent's browser", "path": "ui-failures/lock/device-0-trace.zip"}


def test_the_record_takes_the_reruns_links_and_how_it_ended_and_nothing_else():
    first = record([step("the agent is told", "failed", ["the agent's screen"]), step("the lock lasts", "skipped")])
    kept = copy.deepcopy(first)
    teardown = reports("failed", first)[-1]
    rerun = record([step("the agent is told", "passed", ["the agent's screen", "again"]), step("the lock lasts", "passed")], [TRACE])
    assert evidence_from_rerun(teardown, reports("passed", rerun), "with a trace")
    noted = getattr(teardown, REPORT_ATTR)
    assert noted.pop("links") == [TRACE] and noted.pop("evidence_rerun") == {"why": "with a trace", "failed_again": False, "failed_at": None}
    kept.pop("links")
    assert noted == kept  # status, steps, screenshots, errors: the first run's
    assert teardown.outcome == "passed"  # a report's outcome is not touched either


def test_a_rerun_that_fails_again_says_where():
    def rerun_of(failing):
        teardown = reports("failed", record([step("the agent is told", "failed"), step("the lock lasts", "skipped")]))[-1]
        again = record([step("the agent is told", "failed" if failing == "told" else "passed"),
                        step("the lock lasts", "failed" if failing == "lasts" else "skipped")], [TRACE])
        evidence_from_rerun(teardown, reports("failed", again), "with a trace")
        return getattr(teardown, REPORT_ATTR)

    same, elsewhere = rerun_of("told"), rerun_of("lasts")
    assert same["evidence_rerun"]["failed_at"] == "Then the agent is told"
    assert rerun_note(same) == "failed again when rerun with a trace"
    assert rerun_note(elsewhere) == "failed again when rerun with a trace, but at \u201cThen the lock lasts\u201d"


def test_the_note_is_beside_the_failure_and_allure_calls_it_flaky(tmp_path):
    failed = record([step("the agent is told", "failed")])
    assert rerun_note(failed) is None and defects([failed])[0]["runs"][0]["rerun_note"] is None
    failed["evidence_rerun"] = {"why": "with a trace", "failed_again": False, "failed_at": None}
    note = "did not fail again when rerun with a trace: the failure comes and goes (flaky); the first run's failure stands"
    assert defects([failed])[0]["runs"][0]["rerun_note"] == note
    allure = _Writer(tmp_path).result(failed, tmp_path)
    assert allure["status"] == "failed" and allure["statusDetails"]["flaky"] is True
    failed["evidence_rerun"]["failed_again"] = True
    assert "flaky" not in _Writer(tmp_path).result(failed, tmp_path)["statusDetails"]


def test_without_reports_there_is_no_record_to_give_anything():
    assert evidence_from_rerun(reports("failed")[-1], reports("passed"), "with a trace") is False
