"""--tags selects exactly the scenarios Cucumber would.

The oracle is Cucumber's own definition: the official Gherkin compiler makes the pickles
(one per scenario, one per Examples row) with the tags Cucumber gives them - inherited from
the Feature, the Rule and the Examples table - and the official tag-expression package
evaluates each expression on them. The run must select the same pickles, no more, no less.
"""

from __future__ import annotations

import json

import pytest
from cucumber_tag_expressions import parse
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator

from reporting_sample import PYPROJECT, plugin_args

pytest_plugins = ["pytester"]

FEATURE = """\
@shop
Feature: Tags as Cucumber reads them

  @plain
  Scenario: Only the feature's tag and its own
    Given a step

  Scenario: Nothing of its own
    Given a step

  @fast
  Rule: Rules pass their tags down

    @critical
    Scenario: Inside the rule
      Given a step

    @ui-only
    Scenario Outline: Row <code>
      Given a step <code>

      @europe
      Examples: first table
        | code |
        | 111  |
        | 222  |

      @asia @critical
      Examples: second table
        | code |
        | 333  |
"""

EXPRESSIONS = [
    "@shop", "not @shop", "@fast", "not @fast", "@critical", "@critical and not @ui-only", "@europe",
    "@asia or @plain", "not @europe", "@ui-only and not (@europe or @asia)", "(@fast or @plain) and not @critical",
    "@nobody",
]


def cucumber_selection(expression: str) -> set[str]:
    ids = IdGenerator()
    document = Parser().parse(FEATURE)
    document["uri"] = "features/tags.feature"
    matcher = parse(expression)
    return {p["name"] for p in Compiler(ids).compile(document) if matcher.evaluate([t["name"] for t in p["tags"]])}


@pytest.fixture
def project(pytester: pytest.Pytester):
    pytester.makefile(".toml", pyproject=PYPROJECT)
    pytester.mkdir("features").joinpath("tags.feature").write_text(FEATURE, encoding="utf-8")
    pytester.makeconftest('from pytest_bdd import given, parsers\n\n@given(parsers.re("a step.*"))\ndef a_step():\n    pass\n')
    pytester.mkdir("tests").joinpath("test_tagged_scenarios.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    return pytester


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_tags_select_what_cucumber_selects(project: pytest.Pytester, expression: str):
    result = project.runpytest(*plugin_args(), "-p", "no:hypothesispytest", "--twofa-reports=reports", f"--tags={expression}")
    run = json.loads((project.path / "reports" / "results.json").read_text())
    selected = {r["scenario_name"] for r in run["results"]}
    assert selected == cucumber_selection(expression)
    assert {r["scenario_name"] for r in run["not_run"]} == cucumber_selection(f"not ({expression})")
    assert result.ret in (0, 1, 5)  # passed, gate failed, or nothing selected: not a broken run


def test_a_malformed_expression_stops_the_run_with_a_clear_message(project: pytest.Pytester):
    result = project.runpytest(*plugin_args(), "-p", "no:hypothesispytest", "--tags=@critical and")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--tags '@critical and' is not a Cucumber tag expression*"])
