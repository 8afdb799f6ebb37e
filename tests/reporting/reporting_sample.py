"""A throwaway pytest-bdd project for the reporting tests (not the product's).

It has every case the reports must get right: a passing scenario (with a
screenshot, under a frozen clock), a failing first step, an undefined first
step, a scenario skipped in a step and one skipped in a fixture, a fixture
error before the steps, a @ui-only
scenario (deselected on the other driver), an outline with two rows, two
drivers through an autouse parametrized fixture ``driver_name``, a @critical
failing scenario and a requirement with no scenario.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

PYPROJECT = """
[tool.pytest.ini_options]
bdd_features_base_dir = "features/"
filterwarnings = ["ignore::pytest.PytestUnknownMarkWarning"]
"""

SAMPLE_FEATURE = """\
@shop
Feature: Sample sign-in
  The description has <b>markup</b> & "quotes" <script>alert(1)</script>.

  Background:
    Given a registered user

  @critical @req-R-1 @frozen
  Scenario: Passing
    When the user signs in
    Then the user is in

  Scenario: Skipped in a step
    When the step skips
    Then the user is in

  @skip_in_fixture
  Scenario: Skipped in a fixture
    Then the user is in

  @ui-only
  Scenario: Browser only
    Then the user is in

  @req-R-1
  Scenario Outline: Codes <code>
    When the user types <code>
    Then the answer is <answer>

    Examples:
      | code | answer |
      | 111  | yes    |
      | 222  | no     |
"""

EDGE_FEATURE = """\
Feature: Edge cases

  @critical @req-R-2 @evidence_after
  Scenario: Failing first step
    Given a step that fails
    Then the user is in

  Scenario: Undefined first step
    Given nobody wrote this step
    Then the user is in

  @broken_fixture
  Scenario: A fixture breaks before the steps
    Then the user is in
"""

REQUIREMENTS = """\
[[requirement]]
id = "R-1"
title = "A user signs in"
statement = "A registered user with a valid code is signed in."
source = "RFC 6238 section 5.2"
kind = "rfc"

[[requirement]]
id = "R-2"
title = "A refused code"
statement = "The first step fails on purpose."
source = "OWASP ASVS 2.8"
kind = "asvs"

[[requirement]]
id = "R-3"
title = "Nobody proves me"
statement = "No scenario is tagged with this one."
source = "GitLab docs"
kind = "assumption"
peer = "GitLab"
"""

CONFTEST = '''
import base64
import time

import pytest
from pytest_bdd import given, parsers, then, when

from twofa.reporting import attach

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True, params=["domain", "ui"])
def driver_name(request):
    return request.param


def pytest_twofa_driver(item):  # the reports learn the driver from the suite (twofa/reporting/hooks.py)
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("driver_name") if callspec else None


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        ui_only = item.get_closest_marker("ui-only") is not None
        (drop if ui_only and item.callspec.params["driver_name"] != "ui" else keep).append(item)
    if drop:
        from twofa.reporting import not_applicable

        for item in drop:
            not_applicable(item, "a click path, only the browser follows it")
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def scenario_environment(request):
    request.node.user_properties.append(("seed", 1234))  # as the real harness records its Faker seed
    if request.node.get_closest_marker("skip_in_fixture"):
        pytest.skip("skipped in a fixture")
    if request.node.get_closest_marker("broken_fixture"):
        raise RuntimeError("the test database is down")
    freezer = None
    if request.node.get_closest_marker("frozen"):
        from freezegun import freeze_time

        freezer = freeze_time("2020-01-01 00:00:00", real_asyncio=True)
        freezer.start()
    yield
    if freezer is not None:
        freezer.stop()
    if request.node.get_closest_marker("evidence_after"):
        attach(request, b"log written after the failure", "text/plain", "after.txt")


@given("a registered user")
def registered_user():
    return "alice"


@when("the user signs in")
def signs_in(request):
    time.sleep(0.002)
    attach(request, PNG, "image/png", "signed-in.png")


@then("the user is in")
def user_is_in():
    pass


@given("a step that fails")
def step_fails():
    assert False, "the code was refused"


@when("the step skips")
def step_skips():
    pytest.skip("no browser in this run")


@when(parsers.parse("the user types {code}"))
def types_code(code):
    pass


@then(parsers.parse("the answer is {answer}"))
def answer_is(answer):
    pass
'''

TEST_MODULE = """
from pytest_bdd import scenarios

scenarios(".")
"""


def plugin_args() -> list[str]:
    """Load the plugin by hand only when its entry point is not installed
    (loading it twice would register it twice)."""
    names = {ep.name for ep in entry_points(group="pytest11")}
    return [] if "twofa_reports" in names else ["-p", "twofa.reporting.plugin"]


def make_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, gate: str = "") -> Path:
    # Subprocess runs (xdist) import twofa from the repository.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    pytester.makefile(".toml", pyproject=PYPROJECT + ("\n[tool.twofa.gate]\n" + gate if gate else ""))
    features = pytester.mkdir("features")
    (features / "sample.feature").write_text(SAMPLE_FEATURE, encoding="utf-8")
    (features / "edge.feature").write_text(EDGE_FEATURE, encoding="utf-8")
    spec = pytester.mkdir("spec")
    (spec / "requirements.toml").write_text(REQUIREMENTS, encoding="utf-8")
    pytester.makeconftest(CONFTEST)
    tests = pytester.mkdir("tests")
    (tests / "test_scenarios.py").write_text(TEST_MODULE, encoding="utf-8")
    return pytester.path
