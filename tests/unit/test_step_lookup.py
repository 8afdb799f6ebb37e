"""The step lookup's caches (steps/step_lookup.py) choose the step definition pytest-bdd would:
a definition in a closer conftest wins over the root's, each test gets the one visible to it,
a step's arguments and fixtures reach the function, and a step with no definition still fails
as pytest-bdd reports it. Run on a throwaway pytest-bdd project, with the caches installed."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

FEATURE = """\
Feature: Lookup
  Scenario: Defined everywhere
    Given a greeting of 3 words
    Then the greeting came from {where}

  Scenario: Not defined
    Given a step nobody wrote
"""

ROOT_CONFTEST = """
import pytest
from pytest_bdd import given, parsers, then

from steps import step_lookup


def pytest_configure(config):
    assert step_lookup.install()


@pytest.fixture
def where():
    return "root"


@given(parsers.parse("a greeting of {count:d} words"), target_fixture="greeting")
def root_greeting(count, where):
    return (where, count)


@then(parsers.parse("the greeting came from {expected}"))
def came_from(greeting, expected):
    assert greeting == (expected, 3), greeting
"""

SUB_CONFTEST = """
import pytest
from pytest_bdd import given, parsers


@given(parsers.parse("a greeting of {count:d} words"), target_fixture="greeting")
def sub_greeting(count):
    return ("sub", count)
"""


def _test_module(where: str) -> str:
    return textwrap.dedent(f"""
        from pytest_bdd import scenarios

        scenarios("{where}.feature")
    """)


def test_the_cached_lookup_chooses_the_definition_pytest_bdd_would(pytester: pytest.Pytester):
    pytester.makeini("[pytest]\nbdd_features_base_dir = features/\n")
    pytester.makeconftest(ROOT_CONFTEST)
    features = pytester.mkdir("features")
    (features / "root.feature").write_text(FEATURE.format(where="root"), encoding="utf-8")
    (features / "sub.feature").write_text(FEATURE.format(where="sub"), encoding="utf-8")
    pytester.makepyfile(test_at_root=_test_module("root"))
    sub = pytester.mkpydir("sub")
    (sub / "conftest.py").write_text(SUB_CONFTEST, encoding="utf-8")
    (sub / "test_in_sub.py").write_text(_test_module("sub"), encoding="utf-8")

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:twofa_reports", "-p", "no:hypothesispytest")

    outcomes = {report.nodeid.rsplit("::", 1)[-1] + " in " + report.nodeid.split("/")[0].split("::")[0]: report.outcome
                for report in result.reprec.getreports("pytest_runtest_logreport") if report.when == "call"}
    assert outcomes == {
        "test_defined_everywhere in test_at_root.py": "passed",
        "test_not_defined in test_at_root.py": "failed",
        "test_defined_everywhere in sub": "passed",
        "test_not_defined in sub": "failed",
    }
    result.stdout.fnmatch_lines(["*StepDefinitionNotFoundError: Step definition is not found: Given \"a step nobody wrote\"*"])
