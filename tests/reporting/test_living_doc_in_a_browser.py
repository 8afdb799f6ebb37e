"""The living doc's filters and screenshots, used as a person would, in Chromium.

The page is the sample project's; Playwright opens it from the file system (no server), in
the session's one Chromium (the ``browser`` fixture of steps/plugin.py).
"""

from __future__ import annotations

import pytest

from reporting_sample import make_project, plugin_args

pytest_plugins = ["pytester"]


@pytest.fixture
def page(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, browser):
    make_project(pytester, monkeypatch)
    pytester.runpytest(*plugin_args(), "-p", "no:hypothesispytest", "-p", "no:faker", "--twofa-reports=reports")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto((pytester.path / "reports" / "living-doc.html").as_uri())
    yield page
    page.close()
    assert not errors


def visible(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "nodes => nodes.filter(n => n.offsetParent !== null).map(n => n.id || n.textContent.trim())")


def test_the_critical_filter_leaves_only_the_critical_requirements(page):
    page.select_option("#f-tag", "critical")
    assert visible(page, "tr.requirement") == ["req-R-1", "req-R-2"]
    assert visible(page, "#contents li[data-feature] a") == ["Sample sign-in", "Edge cases"]
    page.select_option("#f-status", "failed")
    assert visible(page, "tr.requirement") == ["req-R-2"]  # broken, so it shows under "failed"
    assert visible(page, "#contents li[data-feature] a") == ["Edge cases"]


def test_text_search_reads_examples_cells(page):
    page.fill("#f-text", "222")
    assert [h.split(": ", 1)[1] for h in visible(page, ".scenario > h3")] == ["Codes <code>"]


def test_an_empty_result_says_nothing_matches(page):
    assert not visible(page, "#f-empty")
    page.fill("#f-text", "no scenario says this")
    assert visible(page, "#f-empty") == ["f-empty"]
    page.click("#f-clear")
    assert not visible(page, "#f-empty") and page.input_value("#f-text") == ""


def test_a_click_enlarges_a_screenshot_and_escape_closes_it(page):
    page.click("details.evidence-block summary >> nth=0")
    page.locator("figure.shot img").first.click()
    assert page.is_visible("#lightbox")  # fixed position: no offsetParent, ask Playwright
    assert page.get_attribute("#lightbox img", "src").startswith("data:image/png;base64,")
    page.keyboard.press("Escape")
    assert not page.is_visible("#lightbox")
