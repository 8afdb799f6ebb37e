"""Allure results, written from the run document into reports/allure-results/.

The files follow Allure's result model (what `allure generate` of the npm `allure` package
reads; docs/reporting.md has the command, checked with allure 3): one result per run, the
driver and the Examples row as parameters, the steps in order with the screenshots on the
step that took them, and the same totals as every other report - also for scenarios that
broke or skipped in a fixture before their first step, which Allure's own pytest-bdd adapter
leaves out.
"""

from __future__ import annotations

import json

import pytest

from reporting_sample import make_project, plugin_args

pytest_plugins = ["pytester"]

STATUSES = {"passed", "failed", "broken", "skipped", "unknown"}


@pytest.fixture
def results(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    make_project(pytester, monkeypatch)
    pytester.runpytest(*plugin_args(), "-p", "no:hypothesispytest", "-p", "no:faker", "--twofa-reports=reports")
    folder = pytester.path / "reports" / "allure-results"
    found = [json.loads(p.read_text()) for p in sorted(folder.glob("*-result.json"))]
    return folder, {(r["name"], next(p["value"] for p in r["parameters"] if p["name"] == "driver")): r for r in found}


def test_every_run_is_a_result_with_its_driver_as_a_parameter(results):
    _, found = results
    assert len(found) == 17  # the runs of results.json, each driver told apart
    for result in found.values():
        assert {"uuid", "historyId", "testCaseId", "fullName", "name", "status", "stage", "start", "stop", "steps", "labels"} <= set(result)
        assert result["status"] in STATUSES and result["stop"] >= result["start"]
    assert len({r["historyId"] for r in found.values()}) == 17
    statuses = {key: r["status"] for key, r in found.items() if key[1] == "ui"}
    assert statuses == {
        ("Passing", "ui"): "passed", ("Skipped in a step", "ui"): "skipped", ("Skipped in a fixture", "ui"): "skipped",
        ("Browser only", "ui"): "passed", ("Codes 111", "ui"): "passed", ("Codes 222", "ui"): "passed",
        ("Failing first step", "ui"): "failed", ("Undefined first step", "ui"): "broken",
        ("A fixture breaks before the steps", "ui"): "broken"}
    failing = found[("Failing first step", "domain")]
    assert failing["statusDetails"]["message"] == "the code was refused"
    assert [(s["name"], s["status"]) for s in failing["steps"]] == [("Given a step that fails", "failed"), ("Then the user is in", "skipped")]
    assert {"name": "severity", "value": "critical"} in failing["labels"] and {"name": "story", "value": "R-2"} in failing["labels"]
    broken = found[("A fixture breaks before the steps", "ui")]
    assert broken["steps"][0]["name"] == "Before the steps: the scenario's fixtures"
    assert broken["statusDetails"]["message"] == "the test database is down"
    assert {"name": "code", "value": "111"} in found[("Codes 111", "domain")]["parameters"]


def test_screenshots_are_attachments_of_their_step(results):
    folder, found = results
    for driver in ("domain", "ui"):
        when = found[("Passing", driver)]["steps"][1]
        assert when["name"] == "When the user signs in"
        [shot] = when["attachments"]
        assert shot["name"] == "signed-in.png" and shot["type"] == "image/png"
        assert (folder / shot["source"]).read_bytes().startswith(b"\x89PNG")
    assert "drivers=domain, ui" in (folder / "environment.properties").read_text()
