"""The first screen of the living doc, gate.json's identity and the failures, on the sample project.

The sample's "Failing first step" is @critical, proves R-2 and fails on both drivers: one
defect, two drivers, a rerun command per driver with the seed the harness recorded.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from reporting_sample import make_project, plugin_args

pytest_plugins = ["pytester"]


@pytest.fixture
def reports(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    make_project(pytester, monkeypatch)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sample"]):
        subprocess.run(git + command, cwd=pytester.path, check=True, capture_output=True)
    pytester.runpytest(*plugin_args(), "-p", "no:hypothesispytest", "-p", "no:faker", "--twofa-reports=reports")
    return pytester.path / "reports"


def first_screen(reports) -> str:
    page = (reports / "living-doc.html").read_text(encoding="utf-8")
    assert page.index('id="verdict"') < page.index('id="filters"') < page.index('id="contents"') < page.index('class="feature"')
    return re.search(r'<section id="verdict".*?</section>', page, re.S).group(0)


def test_the_first_screen_answers_can_we_release(reports):
    top = first_screen(reports)
    assert "\u2716 FAIL</span> Do not release: 1 requirement broken; 1 critical scenario did not pass" in top
    # runs per driver: passed failed skipped undefined total
    assert re.search(r"<td>domain</td>.*?>3<.*?>2<.*?>2<.*?>1<.*?>8<", top)
    assert re.search(r"<td>ui</td>.*?>4<.*?>2<.*?>2<.*?>1<.*?>9<", top)
    assert "Requirements: 1 broken \u00b7 1 not covered \u00b7 1 proven." in top
    broken = re.search(r'<ul class="broken">.*?</ul>', top, re.S).group(0)
    assert 'href="#req-R-2"' in broken and "failed on domain, ui" in broken
    critical = re.search(r'<ul class="critical">.*?</ul>', top, re.S).group(0)
    assert re.search(r'href="#sc-features-edge-feature-4">Failing first step</a> on domain, ui', critical)


def test_the_first_screen_and_gate_json_carry_the_run_identity(reports):
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=reports.parent, capture_output=True, text=True).stdout.strip()
    gate = json.loads((reports / "gate.json").read_text())
    run = gate["run"]
    assert list(gate)[:3] == ["verdict", "passed", "run"]
    assert run["commit"]["sha"] == sha and run["commit"]["changed_files"] is False
    assert run["drivers"] == ["domain", "ui"] and run["seed"] == "per scenario, from its id"
    assert re.fullmatch(r"[0-9a-f]{12}", run["run_id"]) and run["started"].endswith(" UTC")
    assert run["tools"]["pytest"] == pytest.__version__ and "pytest-bdd" in run["tools"]
    assert gate["runs_per_driver"]["ui"] == {"passed": 4, "failed": 2, "skipped": 2, "undefined": 1}
    identity = re.search(r'<p class="identity">(.*?)</p>', first_screen(reports)).group(1)
    assert f"run {run['run_id']}" in identity and f"commit {sha[:10]}" in identity and "drivers domain, ui" in identity


def test_one_entry_per_defect_in_the_product_s_words(reports):
    defects = re.findall(r'<li class="defect">.*?</li>\s*(?=<li class="defect">|</ol>)', first_screen(reports), re.S)
    failing = next(d for d in defects if "Failing first step" in d)
    assert failing.count("Failing first step") == 1 and "failed on domain, ui" in failing
    assert '<span class="lbl">Expected</span> Given a step that fails' in failing
    assert '<span class="lbl">Error</span> the code was refused' in failing
    assert "<code>TWOFA_SEED=1234 twofa accept -k test_failing_first_step --driver domain</code>" in failing
    assert "<code>TWOFA_SEED=1234 twofa accept -k test_failing_first_step --driver ui</code>" in failing
    assert failing.index("<details>") < failing.index('class="error"')  # the traceback is folded away
    assert len(defects) == 3  # failing, undefined, broken fixture: each once for both drivers


def test_contents_follow_the_catalogue_with_a_status_each(reports):
    page = (reports / "living-doc.html").read_text(encoding="utf-8")
    contents = re.search(r'<section id="contents">.*?</section>', page, re.S).group(0)
    entries = re.findall(r'<li data-feature="(feature-\d)"><a [^>]*>([^<]*)</a> <span class="chip s-(\w+)">[^ ]+ ([^<]*)</span>', contents)
    # R-1 (sample) comes before R-2 (edge) in the catalogue, though edge.feature sorts first by name.
    assert [(name, status, label) for _, name, status, label in entries] == [
        ("Sample sign-in", "skipped", "4 skipped, 7 passed"), ("Edge cases", "failed", "4 failed, 2 undefined")]
    assert page.index('id="feature-2"') < page.index('id="feature-1"')  # the page reads in the same order
