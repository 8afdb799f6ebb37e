"""The twofa_reports plugin, run on a small throwaway pytest-bdd project.

Most runs are in-process (pytester.runpytest, fast); only the xdist
comparison needs a subprocess.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reporting_sample import make_project, plugin_args
from twofa.reporting import attach, rebuild_html

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *args: str, subprocess: bool = False) -> pytest.RunResult:
    # Hypothesis' and Faker's plugins are not needed here, and with
    # PYTHONDONTWRITEBYTECODE pytest re-rewrites their modules on every run.
    argv = [*plugin_args(), "-p", "no:hypothesispytest", "-p", "no:faker", "--twofa-reports=reports", *args]
    if subprocess:
        return pytester.runpytest_subprocess(*argv)
    return pytester.runpytest(*argv)


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(pytester, monkeypatch)


@pytest.fixture
def full_run(pytester: pytest.Pytester, project: Path):
    result = run(pytester)
    return result, project / "reports"


def elements(cucumber):
    return {(f["uri"], e["name"]): e for f in cucumber for e in f["elements"]}


def test_cucumber_json_has_every_scenario_per_driver(full_run):
    result, reports = full_run
    cucumber = load(reports / "cucumber.json")
    assert [f["uri"] for f in cucumber] == ["features/edge.feature", "features/sample.feature"]
    found = elements(cucumber)
    status = {key: {s["result"]["status"] for s in e["steps"]} for key, e in found.items()}
    # 8 per driver, minus the @ui-only one deselected on domain: 17 results.
    assert len(found) == 17
    assert ("features/sample.feature", "Browser only [domain]") not in found
    for driver in ("domain", "ui"):
        passing = found[("features/sample.feature", f"Passing [{driver}]")]
        assert {"name": f"@driver-{driver}", "line": passing["line"]} in passing["tags"]
        assert passing["id"].endswith(f";driver-{driver}")
        assert all(s["result"]["status"] == "passed" and s["result"]["duration"] > 0 for s in passing["steps"])
        # Measured with a real clock although the scenario ran under freezegun.
        assert passing["steps"][1]["result"]["duration"] >= 1_000_000
        [shot] = passing["steps"][1]["embeddings"]
        assert shot["mime_type"] == "image/png" and shot["data"].startswith("iVBORw0KGgo")

        failing = found[("features/edge.feature", f"Failing first step [{driver}]")]
        assert [s["result"]["status"] for s in failing["steps"]] == ["failed", "skipped"]
        assert "the code was refused" in failing["steps"][0]["result"]["error_message"]
        # Attached by a fixture finaliser after the failure: on the failed step.
        assert failing["steps"][0]["embeddings"][0]["mime_type"] == "text/plain"

        undefined = found[("features/edge.feature", f"Undefined first step [{driver}]")]
        assert [s["result"]["status"] for s in undefined["steps"]] == ["undefined", "skipped"]

        skipped = found[("features/sample.feature", f"Skipped in a step [{driver}]")]
        assert [s["result"]["status"] for s in skipped["steps"]] == ["passed", "skipped", "skipped"]
        in_fixture = found[("features/sample.feature", f"Skipped in a fixture [{driver}]")]
        assert [s["result"]["status"] for s in in_fixture["steps"]] == ["skipped", "skipped"]

        broken = found[("features/edge.feature", f"A fixture breaks before the steps [{driver}]")]
        assert [s["result"]["status"] for s in broken["steps"]] == ["skipped"]
        assert broken["before"][0]["result"]["status"] == "failed"
        assert "the test database is down" in broken["before"][0]["result"]["error_message"]

        for code in ("111", "222"):
            assert status[("features/sample.feature", f"Codes {code} [{driver}]")] == {"passed"}
    # Background steps are inlined with the keyword as written.
    assert found[("features/sample.feature", "Passing [ui]")]["steps"][0]["keyword"] == "Given "


def test_messages_are_a_complete_cucumber_run(full_run):
    _, reports = full_run
    envelopes = [json.loads(line) for line in (reports / "messages.ndjson").read_text(encoding="utf-8").splitlines()]
    kinds = [next(iter(e)) for e in envelopes]
    assert kinds[0] == "meta" and kinds[-1] == "testRunFinished"
    assert kinds.count("gherkinDocument") == 2 and kinds.count("source") == 2
    assert kinds.count("pickle") == kinds.count("testCase") == kinds.count("testCaseStarted") == kinds.count("testCaseFinished") == 17
    assert kinds.count("hook") == 1
    assert kinds.index("testRunStarted") < kinds.index("testCase") < kinds.index("testCaseStarted")
    steps = {e["testStepFinished"]["testStepResult"]["status"] for e in envelopes if "testStepFinished" in e}
    assert steps == {"PASSED", "FAILED", "SKIPPED", "UNDEFINED"}
    attachments = [e["attachment"] for e in envelopes if "attachment" in e]
    assert {a["mediaType"] for a in attachments} == {"image/png", "text/plain"}
    assert all(a["contentEncoding"] == "BASE64" for a in attachments)
    ids = [e[k]["id"] for e in envelopes for k in e if isinstance(e[k], dict) and "id" in e[k] and k != "gherkinDocument"]
    assert len(ids) == len(set(ids))
    assert envelopes[-1]["testRunFinished"]["success"] is False


def test_gate_fails_with_reasons_and_a_nonzero_exit(full_run):
    result, reports = full_run
    assert result.ret != 0
    gate = load(reports / "gate.json")
    assert gate["passed"] is False and gate["verdict"] == "fail"
    rules = {r["rule"]: r for r in gate["rules"]}
    assert not rules["critical_must_pass"]["held"]
    assert rules["critical_must_pass"]["scenarios"] == [
        "features/edge.feature:4 Failing first step [domain]: failed",
        "features/edge.feature:4 Failing first step [ui]: failed",
    ]
    assert not rules["allow_undefined_steps"]["held"]
    assert not rules["every_requirement_needs_passing_scenario"]["held"]
    assert rules["every_requirement_needs_passing_scenario"]["requirements"] == ["R-2", "R-3"]
    assert "R-3: not covered" in rules["every_requirement_needs_passing_scenario"]["reason"]
    assert rules["allow_unknown_requirement_tags"]["held"]
    assert not rules["max_skipped"]["held"] and len(rules["max_skipped"]["scenarios"]) == 4
    assert not rules["max_failed"]["held"]
    text = result.stdout.str()
    assert "release gate: FAIL \u2013 Do not release" in text
    assert re.search(r"domain\s+3\s+2\s+2\s+1", text), text  # passed failed skipped undefined
    assert re.search(r"ui\s+4\s+2\s+2\s+1", text), text


def test_gate_fails_a_run_that_pytest_passed(pytester, project):
    # Only passing scenarios run, but have no passing scenario.
    result = run(pytester, "-k", "passing or codes")
    result.assert_outcomes(passed=6, deselected=12)
    assert result.ret == 1
    gate = load(project / "reports" / "gate.json")
    assert [r["rule"] for r in gate["rules"] if not r["held"]] == ["every_requirement_needs_passing_scenario"]
    result.stdout.fnmatch_lines(["*every_requirement_needs_passing_scenario*R-2: not proven, R-3: not covered*",
                                 "*R-2 not proven: features/edge.feature:4 Failing first step: not run on domain, ui",
                                 "release gate: FAIL \u2013 Do not release: 2 requirements not fully proven."])


def test_gate_policy_comes_from_pyproject(pytester, monkeypatch):
    make_project(pytester, monkeypatch, gate="every_requirement_needs_passing_scenario = false\nmax_skipped = -1\n")
    result = run(pytester, "-k", "passing or codes or skipped")
    assert result.ret == 0
    gate = load(pytester.path / "reports" / "gate.json")
    assert gate["passed"] is True
    assert gate["policy"]["max_skipped"] == -1 and gate["policy"]["critical_must_pass"] is True


def test_unknown_gate_key_is_a_usage_error(pytester, monkeypatch):
    make_project(pytester, monkeypatch, gate="max_skiped = 3\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown key tool.twofa.gate.max_skiped*"])


def test_living_doc_is_self_contained_and_escaped(full_run):
    _, reports = full_run
    page = (reports / "living-doc.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"https?://", page)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # our filters, inline
    assert 'src="data:image/png;base64,iVBORw0KGgo' in page
    for text in ("Sample sign-in", "Background", "Scenario Outline", "Codes &lt;code&gt;", "R-3", "Nobody proves me", "not covered", "GitLab", "assumption"):
        assert text in page
    for control in ('id="f-tag"', 'id="f-req"', 'id="f-status"'):
        assert control in page


def test_rebuild_html_needs_only_results_json(full_run, tmp_path):
    _, reports = full_run
    original = (reports / "living-doc.html").read_text(encoding="utf-8")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(reports / "results.json", copy / "results.json")
    written = rebuild_html(copy)
    assert written == copy / "living-doc.html"
    assert written.read_text(encoding="utf-8") == original


def _normalise(value):
    """Drop what legitimately differs between two runs: timings and meta."""
    timing = {"duration", "duration_ns", "started_ns", "finished_ns", "at_ns", "timestamp", "meta", "run"}
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if k not in timing}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _read_all(reports: Path) -> dict:
    files = {name: _normalise(load(reports / name)) for name in ("results.json", "cucumber.json", "gate.json")}
    lines = (reports / "messages.ndjson").read_text(encoding="utf-8").splitlines()
    files["messages.ndjson"] = [_normalise(json.loads(line)) for line in lines]
    allure = [_normalise({k: v for k, v in json.loads(p.read_text()).items() if k not in ("start", "stop")})
              for p in sorted((reports / "allure-results").glob("*-result.json"))]
    files["allure-results"] = [{**r, "steps": [{k: v for k, v in s.items() if k not in ("start", "stop")} for s in r["steps"]]}
                               for r in allure]
    allure = [_normalise({k: v for k, v in json.loads(p.read_text()).items() if k not in ("start", "stop")})
              for p in sorted((reports / "allure-results").glob("*-result.json"))]
    files["allure-results"] = [{**r, "steps": [{k: v for k, v in s.items() if k not in ("start", "stop")} for s in r["steps"]]}
                               for r in allure]
    page = (reports / "living-doc.html").read_text(encoding="utf-8")
    page = re.sub(r'<p class="identity">.*?</p>', "", page)  # the run's id and times
    files["living-doc.html"] = re.sub(r"\d+(\.\d+)? ms|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "", page)
    return files


def test_parallel_run_reports_equal_serial_run(pytester, project):
    serial = run(pytester)
    assert serial.ret == 1
    expected = _read_all(project / "reports")
    shutil.rmtree(project / "reports")
    parallel = run(pytester, "-n", "2", subprocess=True)
    assert parallel.ret == 1
    actual = _read_all(project / "reports")
    assert len(actual["results.json"]["results"]) == 17
    for name in expected:
        assert actual[name] == expected[name], name


def test_step_clock_is_not_frozen_by_freezegun():
    import time

    from freezegun import freeze_time

    from twofa.reporting import clock

    with freeze_time("2020-01-01", real_asyncio=True):
        start, wall = clock.monotonic_ns(), clock.wall_ns()
        time.sleep(0.002)
        assert clock.monotonic_ns() - start >= 1_000_000
        assert wall > 1_700_000_000 * 10**9  # not 2020


def test_attach_does_nothing_when_reports_are_off(request):
    assert attach(request, b"data") is False


def _formatter_dir() -> Path | None:
    for folder in ("/tmp/cuke",):
        if (Path(folder) / "node_modules" / "@cucumber" / "html-formatter").is_dir():
            return Path(folder)
    return None


def test_messages_turn_into_the_official_html_report(full_run, tmp_path):
    """The real consumer, when it is installed: see docs/reporting.md."""
    folder = _formatter_dir()
    if folder is None or shutil.which("node") is None:
        pytest.skip("@cucumber/html-formatter not installed in /tmp/cuke (npm install, see docs/reporting.md)")
    _, reports = full_run
    script = tmp_path / "to-html.mjs"
    script.write_text(
        "import { createInterface } from 'node:readline'\n"
        f"import {{ CucumberHtmlStream }} from '{folder}/node_modules/@cucumber/html-formatter/dist/src/index.js'\n"
        "const html = new CucumberHtmlStream()\n"
        "html.on('error', (e) => { console.error(e); process.exit(1) })\n"
        "html.pipe(process.stdout)\n"
        "for await (const line of createInterface({ input: process.stdin })) if (line.trim()) html.write(JSON.parse(line))\n"
        "html.end()\n",
        encoding="utf-8",
    )
    with (reports / "messages.ndjson").open("rb") as stdin:
        done = subprocess.run(["node", str(script)], stdin=stdin, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Sample sign-in" in done.stdout
