"""pytest plugin ``twofa_tags``: ``--tags EXPRESSION`` selects scenarios as Cucumber does.

The expression is a Cucumber tag expression (``@critical and not @ui-only``,
``(@req-LOCK-1 or @req-LOCK-2) and not @wip``), parsed and evaluated by the official
``cucumber-tag-expressions`` package. A scenario's tags are its pickle's, as Cucumber
computes them: the Feature's, the Rule's, the scenario's own and, for an outline row, its
Examples table's. Scenarios left out are deselected (the reports count them as not run).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("twofa").addoption(
        "--tags", dest="twofa_tags", metavar="EXPRESSION", default=None,
        help='run only the scenarios whose tags match this Cucumber tag expression, e.g. "@critical and not @ui-only"')


def parse(expression: str):
    from cucumber_tag_expressions import parse as parse_expression
    from cucumber_tag_expressions.parser import TagExpressionError

    try:
        return parse_expression(expression)
    except TagExpressionError as error:
        raise pytest.UsageError(f"--tags {expression!r} is not a Cucumber tag expression: {error}") from None


def pytest_configure(config: pytest.Config) -> None:
    expression = config.getoption("twofa_tags", None)
    if expression is not None:
        parse(expression)  # a typo stops the run before anything is collected


# Last, so that runs the harness leaves out as not applicable are already gone.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("twofa_tags", None)
    if expression is None:
        return
    from twofa.reporting.collecting import item_tags

    matcher = parse(expression)
    keep, drop = [], []
    for item in items:
        tags = item_tags(item)
        selected = tags is not None and matcher.evaluate(sorted("@" + tag for tag in tags))
        (keep if selected else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
