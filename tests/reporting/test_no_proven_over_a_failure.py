"""A requirement with one scenario failing on one driver is broken in every report.

The case the issue found: LOCK-1 has a @critical scenario that fails (here only through the
ui driver) and another that passes everywhere. gate.json, results.json, the living doc and
the terminal must all say LOCK-1 is broken, the gate must say FAIL, and nothing may read
"proven" for it; the same under pytest-xdist.
"""

from __future__ import annotations

import json
import re

import pytest

from reporting_sample import CONFTEST, PYPROJECT, REPO_ROOT, plugin_args

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: The lock

  @critical @req-LOCK-1
  Scenario: Five wrong codes lock the second step
    Given a step that fails on the ui driver

  @req-LOCK-1
  Scenario: A right code signs in
    When the user signs in
    Then the user is in

  @req-OK-1
  Scenario: Nothing wrong here
    Then the user is in

  @req-PART-1
  Scenario: Proven here
    Then the user is in

  @req-PART-1
  Scenario: Skipped there
    When the step skips

  @ui-only @req-UI-1
  Scenario: A click path
    Then the user is in
"""

REQUIREMENTS = "".join(
    f'[[requirement]]\nid = "{rid}"\ntitle = "{rid} title"\nstatement = "s"\nsource = "src"\nkind = "seed"\n\n'
    for rid in ("LOCK-1", "OK-1", "PART-1", "UI-1"))

STEP = '''

@given("a step that fails on the ui driver")
def fails_on_ui(driver_name):
    assert driver_name != "ui", "the second step was not locked"
'''

EXPECTED = {"LOCK-1": "broken", "OK-1": "proven", "PART-1": "partly proven", "UI-1": "proven"}


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    pytester.makefile(".toml", pyproject=PYPROJECT)
    pytester.mkdir("features").joinpath("lock.feature").write_text(FEATURE, encoding="utf-8")
    pytester.mkdir("spec").joinpath("requirements.toml").write_text(REQUIREMENTS, encoding="utf-8")
    pytester.makeconftest(CONFTEST + STEP)
    pytester.mkdir("tests").joinpath("test_scenarios.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    return pytester


def living_doc_rows(page: str) -> dict[str, str]:
    """Requirement id -> the text of its row in the living doc."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr class="requirement" id="req-([A-Z0-9-]+)".*?</tr>', page, re.S)}


@pytest.mark.parametrize("workers", [0, 2], ids=["serial", "two-workers"])
def test_every_report_says_broken_and_the_gate_fails(project: pytest.Pytester, workers: int):
    args = [*plugin_args(), "-p", "no:hypothesispytest", "-p", "no:faker", "--twofa-reports=reports"]
    result = project.runpytest_subprocess(*args, "-n", "2") if workers else project.runpytest(*args)
    assert result.ret == 1
    reports = project.path / "reports"

    gate = json.loads((reports / "gate.json").read_text())
    assert gate["verdict"] == "fail" and gate["passed"] is False
    assert {c["id"]: c["status"] for c in gate["requirements"]} == EXPECTED
    broken_rule = next(r for r in gate["rules"] if r["rule"] == "allow_broken_requirements")
    assert broken_rule["requirements"] == ["LOCK-1"]
    assert broken_rule["scenarios"] == ["LOCK-1: features/lock.feature:4 Five wrong codes lock the second step: failed on ui"]

    results = json.loads((reports / "results.json").read_text())
    assert {c["id"]: c["status"] for c in results["coverage"]} == EXPECTED
    assert results["gate"]["requirements"] == results["coverage"]

    rows = living_doc_rows((reports / "living-doc.html").read_text(encoding="utf-8"))
    shown = {rid: re.search(r'<span class="chip[^"]*">[^ <]+ ([^<]*)</span><p class="why">', row).group(1) for rid, row in rows.items()}
    assert shown == EXPECTED
    assert 'data-status="failed broken"' in rows["LOCK-1"]  # the Status=failed filter keeps it
    assert '<span class="broke">on ui</span>' in rows["LOCK-1"]

    text = result.stdout.str()
    assert "requirements: 1 broken, 1 partly proven, 2 proven" in text
    assert "allow_broken_requirements = false: 1 broken requirement: LOCK-1" in text
    assert "1. Five wrong codes lock the second step  [@critical LOCK-1]  failed on ui" in text
    closing = text.splitlines()
    verdict = next(i for i, line in enumerate(closing) if line.startswith("release gate: "))
    assert closing[verdict].startswith("release gate: FAIL \u2013 Do not release: 1 requirement broken; 1 critical scenario")
    assert closing[verdict + 1] == f"living doc:   {reports / 'living-doc.html'}"
